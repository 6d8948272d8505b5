// The workspace as the review sees it: every file's relative path, the text of the project files
// the posture scanners read (requirements*.txt, pyproject.toml, setup.cfg, environment.yml,
// Pipfile, .python-version, dvc.yaml, CI configs, pytest.ini, tox.ini, notebooks), and the Python
// sources with the findings the analysis produced for them. The review itself is a pure function
// of a Workspace (tests build one in memory); list_workspace() fills the file list from disk.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "analysis/finding.hpp"

namespace mlroast::review {

struct SourceEntry {
  std::string path;               // generic path relative to the workspace root
  std::string text;               // the analysed bytes
  bool is_notebook = false;
  std::vector<Finding> findings;  // as analysis returned them (selection and noqa applied)
  // For a notebook: (1-based cell, 1-based line in the cell) of a byte of `text` (the virtual
  // program the findings' ranges refer to). Empty for .py files.
  std::function<std::pair<uint32_t, uint32_t>(uint32_t byte)> locate;
};

struct Workspace {
  std::string name;                                // the root folder's name
  std::vector<std::string> files;                  // every file, relative, sorted
  std::map<std::string, std::string> project_texts;  // relative path -> bytes (project files)
  std::vector<SourceEntry> sources;                // sorted by path
};

// True for a relative path whose text the posture scanners read (see the header comment).
bool is_project_file(const std::string& relative);

// Walks `root` (skipping .git, virtual environments, node_modules, caches and build outputs;
// keeping .github, .dvc, .python-version and the like) and fills `files` and `project_texts`.
// At most `max_files` files are listed. Sources are added by the caller.
Workspace list_workspace(const std::filesystem::path& root, std::size_t max_files = 50000);

}  // namespace mlroast::review
