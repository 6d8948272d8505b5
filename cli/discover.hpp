// Which files `mlroast check PATH...` analyses. Owns the rules of the walk: folders are searched
// recursively for source files, skipping version-control folders, hidden folders, virtual
// environments, caches and build outputs; files named explicitly are always taken. The result is
// deterministic (sorted, without duplicates) and carries both the absolute path (for JSON, like
// ruff) and the path shown to users (relative to the working directory when under it). Problems
// (a path that does not exist, an unreadable folder) are collected as messages, never thrown, so
// the rest of the run goes on. Pure function of the file system; no global state.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace mlroast::cli {

// What kind of source a file is. Notebooks (.ipynb) are collected too, unless
// DiscoveryOptions::include_notebooks is turned off.
enum class FileKind { Python, Notebook };

struct SourcePath {
  std::filesystem::path absolute;  // lexically normalised, absolute
  std::string display;             // relative to the working directory when under it
  FileKind kind = FileKind::Python;
};

struct DiscoveryOptions {
  bool include_notebooks = true;
};

struct Discovery {
  std::vector<SourcePath> files;      // sorted by absolute path, no duplicates
  std::vector<std::string> errors;    // "nope.py: No such file or directory" (exit code 2)
  std::vector<std::string> warnings;  // noteworthy but harmless (an explicit notebook skipped)
};

// Walks `paths` (files or folders, relative to `cwd` unless absolute).
Discovery discover(const std::vector<std::string>& paths, const std::filesystem::path& cwd,
                   const DiscoveryOptions& options = {});

// The kind of a file by its name, or nullopt when it is not a source file the walker collects.
std::optional<FileKind> kind_of(const std::filesystem::path& file);

// True for a folder the walker never enters: `.git` and other hidden folders, virtual
// environments (`venv`, or any folder holding `pyvenv.cfg` or `conda-meta`), `site-packages`,
// `node_modules`, `__pycache__`, `build`, `dist` and similar outputs. Checks the disk for the
// virtual-environment markers.
bool is_excluded_dir(const std::filesystem::path& dir);

// `absolute` relative to `cwd` when it lies under it (generic separators), else absolute.
std::string display_path(const std::filesystem::path& absolute, const std::filesystem::path& cwd);

}  // namespace mlroast::cli
