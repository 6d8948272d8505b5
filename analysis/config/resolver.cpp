#include "analysis/config/resolver.hpp"

#include <algorithm>
#include <iterator>

namespace mlroast {

namespace fs = std::filesystem;

namespace {

std::string relative_to(const fs::path& file, const fs::path& root) {
  return file.lexically_normal().lexically_relative(root.lexically_normal()).generic_string();
}

}  // namespace

RuleSelection combine(const ProjectConfig* config, const SelectionOverrides& overrides,
                      const std::string& relative) {
  RuleSelection s;
  if (config != nullptr) {
    if (config->select) s.select = *config->select;
    s.extend_select = config->extend_select;
    s.ignore = config->ignore;
    s.severity = config->severity;
    for (const auto& [glob, codes] : config->per_file_ignores)
      if (glob_matches(glob, relative))
        s.file_ignore.insert(s.file_ignore.end(), codes.begin(), codes.end());
  }
  if (overrides.select) s.select = *overrides.select;
  s.extend_select.insert(s.extend_select.end(), overrides.extend_select.begin(),
                         overrides.extend_select.end());
  s.ignore.insert(s.ignore.end(), overrides.ignore.begin(), overrides.ignore.end());
  return s;
}

void ConfigResolver::clear() {
  by_dir_.clear();
  errors_.clear();
}

void ConfigResolver::set_boundaries(std::vector<fs::path> roots) {
  for (fs::path& r : roots) r = r.lexically_normal();
  boundaries_ = std::move(roots);
  clear();
}

bool ConfigResolver::inside_boundaries(const fs::path& dir) const {
  if (!boundaries_) return true;
  const fs::path d = dir.lexically_normal();
  for (const fs::path& root : *boundaries_) {
    auto [r, _] = std::mismatch(root.begin(), root.end(), d.begin(), d.end());
    if (r == root.end() || (std::next(r) == root.end() && r->empty())) return true;  // "a/b/" too
  }
  return false;
}

std::shared_ptr<const ProjectConfig> ConfigResolver::lookup(const fs::path& dir) {
  auto it = by_dir_.find(dir);
  if (it != by_dir_.end()) return it->second;
  if (!inside_boundaries(dir)) return by_dir_[dir] = nullptr;  // never read outside the roots
  std::shared_ptr<const ProjectConfig> found;
  bool decided = false;
  for (const char* name : {"mlroast.toml", "pyproject.toml"}) {
    std::error_code ec;
    fs::path candidate = dir / name;
    if (!fs::is_regular_file(candidate, ec)) continue;
    ConfigLoad load = load_config_file(candidate);
    if (load.error) {
      if (std::find(errors_.begin(), errors_.end(), *load.error) == errors_.end())
        errors_.push_back(*load.error);
      decided = true;  // the closest config is broken: no silent fallback to a parent's
      break;
    }
    if (load.config) {
      found = std::make_shared<const ProjectConfig>(std::move(*load.config));
      decided = true;
      break;
    }
  }
  if (!decided && dir.has_parent_path() && dir.parent_path() != dir) found = lookup(dir.parent_path());
  by_dir_[dir] = found;
  return found;
}

const ProjectConfig* ConfigResolver::config_for(const fs::path& file) {
  return lookup(file.lexically_normal().parent_path()).get();
}

RuleSelection ConfigResolver::selection_for(const fs::path& file) {
  const ProjectConfig* c = config_for(file);
  return combine(c, overrides_, c ? relative_to(file, c->root) : std::string());
}

bool ConfigResolver::excluded(const fs::path& file) {
  const ProjectConfig* c = config_for(file);
  if (c == nullptr) return false;
  std::string rel = relative_to(file, c->root);
  return std::any_of(c->exclude.begin(), c->exclude.end(),
                     [&](const std::string& g) { return glob_matches(g, rel); });
}

}  // namespace mlroast
