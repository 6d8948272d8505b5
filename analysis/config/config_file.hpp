// Configuration files: `[tool.mlroast]` in a pyproject.toml, or the top level of an
// `mlroast.toml` (which wins over a pyproject.toml in the same folder). Parsed with toml++.
// Keys (ruff's names): `select`, `extend-select`, `ignore` (codes, prefixes or "ALL"),
// `per-file-ignores` (a table of glob -> codes), `severity` (a table of code -> "error" /
// "warning" / "info") and `exclude` (globs). Globs are relative to the folder of the config file
// and use fnmatch(3) without FNM_PATHNAME (`*` also crosses `/`); a glob matches a file when it
// matches its relative path, its name, or one of the folders it lies in.
// Every problem (a TOML syntax error, an unknown key, a value of the wrong type, a selector that
// names no code) is an error naming the file, the line and the key. Loading is a pure function
// of the file's bytes; errors are values, never thrown.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analysis/finding.hpp"

namespace mlroast {

struct ProjectConfig {
  std::filesystem::path file;  // the config file
  std::filesystem::path root;  // its folder: globs are relative to it
  std::optional<std::vector<std::string>> select;
  std::vector<std::string> extend_select;
  std::vector<std::string> ignore;
  std::vector<std::pair<std::string, std::vector<std::string>>> per_file_ignores;  // file order
  std::map<std::string, Severity> severity;
  std::vector<std::string> exclude;
};

struct ConfigLoad {
  std::optional<ProjectConfig> config;  // nullopt: no config here (a pyproject without the table)
  std::optional<std::string> error;     // "path:line: key `ignore`: ..." when the file is invalid
};

// Parses `text` as the config file `path` (a pyproject.toml when its name says so, otherwise
// mlroast.toml syntax). `path` is used for messages and as the glob root.
ConfigLoad parse_config(std::string_view text, const std::filesystem::path& path);
// Reads and parses `path`; an unreadable file is an error.
ConfigLoad load_config_file(const std::filesystem::path& path);

// True when the glob `pattern` matches `relative` (a generic path relative to the glob root):
// the whole path, its file name, or any leading folder of it.
bool glob_matches(std::string_view pattern, std::string_view relative);

}  // namespace mlroast
