// The one configuration resolver used by the CLI and the language server: for a file, finds the
// closest configuration (walking up from the file's folder: an `mlroast.toml`, else a
// `pyproject.toml` holding `[tool.mlroast]`), and combines it with the overrides of the caller
// (command-line flags, editor settings) into the RuleSelection the analysis runs with.
// Precedence, as in ruff: the config's `select` replaces the default ALL; override `select`
// replaces that; `extend-select` and `ignore` of both add up; `per-file-ignores` of the config
// whose glob matches the file are absolute (file_ignore); `severity` overrides apply per code.
// Results are cached per folder until clear() (the server calls it when a config file changes).
// Not thread-safe: one thread (the CLI's main thread, the server's main loop) owns a resolver.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analysis/config/config_file.hpp"
#include "analysis/config/selection.hpp"

namespace mlroast {

struct SelectionOverrides {
  std::optional<std::vector<std::string>> select;
  std::vector<std::string> extend_select;
  std::vector<std::string> ignore;
};

class ConfigResolver {
 public:
  explicit ConfigResolver(SelectionOverrides overrides = {}) : overrides_(std::move(overrides)) {}

  void set_overrides(SelectionOverrides overrides) { overrides_ = std::move(overrides); }
  // Confines the search for configuration files to these folders (the language server's
  // workspace folders): the walk up from a file stops at the folder that contains it, and a file
  // outside every folder gets no configuration file at all. Without a call (the CLI), the walk
  // goes up to the filesystem root, as ruff's does. Forgets what was loaded.
  void set_boundaries(std::vector<std::filesystem::path> roots);
  // Forget every loaded file (they are read again on the next lookup) and every error.
  void clear();

  // The configuration governing `file` (an absolute path), or nullptr when there is none or the
  // closest one is invalid (its error is then in errors()).
  const ProjectConfig* config_for(const std::filesystem::path& file);
  // The rule selection for `file`.
  RuleSelection selection_for(const std::filesystem::path& file);
  // True when the governing config's `exclude` matches the file.
  bool excluded(const std::filesystem::path& file);
  // Errors of every invalid config file met so far, in the order met, each once.
  const std::vector<std::string>& errors() const { return errors_; }

 private:
  std::shared_ptr<const ProjectConfig> lookup(const std::filesystem::path& dir);

  bool inside_boundaries(const std::filesystem::path& dir) const;

  SelectionOverrides overrides_;
  std::optional<std::vector<std::filesystem::path>> boundaries_;
  std::map<std::filesystem::path, std::shared_ptr<const ProjectConfig>> by_dir_;
  std::vector<std::string> errors_;
};

// The selection a config (may be null) and overrides give a file at `relative` (generic path
// relative to the config's root; ignored when config is null).
RuleSelection combine(const ProjectConfig* config, const SelectionOverrides& overrides,
                      const std::string& relative);

}  // namespace mlroast
