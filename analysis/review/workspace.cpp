#include "analysis/review/workspace.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace mlroast::review {

namespace fs = std::filesystem;

namespace {

constexpr std::uintmax_t kMaxProjectFileBytes = 4u << 20;

bool skipped_dir(const fs::path& dir) {
  static const char* const kNames[] = {".git",     ".hg",       ".svn",        "node_modules",
                                       "__pycache__", ".venv",  "venv",        "site-packages",
                                       ".tox",     ".nox",      ".mypy_cache", ".pytest_cache",
                                       ".ruff_cache", "build",  "dist",        ".ipynb_checkpoints",
                                       ".idea",    ".vscode",   "__pypackages__", ".eggs"};
  std::string name = dir.filename().string();
  for (const char* n : kNames)
    if (name == n) return true;
  if (name.size() > 9 && name.compare(name.size() - 9, 9, ".egg-info") == 0) return true;
  std::error_code ec;
  return fs::exists(dir / "pyvenv.cfg", ec) || fs::exists(dir / "conda-meta", ec);
}

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

bool is_project_file(const std::string& rel) {
  std::string name = rel.substr(rel.rfind('/') == std::string::npos ? 0 : rel.rfind('/') + 1);
  const bool top = rel.find('/') == std::string::npos;
  if (name.rfind("requirements", 0) == 0 && ends_with(name, ".txt")) return true;
  if (ends_with(name, ".ipynb")) return true;
  if (rel.rfind(".github/workflows/", 0) == 0 && (ends_with(name, ".yml") || ends_with(name, ".yaml")))
    return true;
  static const char* const kTop[] = {"pyproject.toml", "setup.cfg",   "setup.py",   "environment.yml",
                                     "environment.yaml", "Pipfile",   ".python-version", "runtime.txt",
                                     "dvc.yaml",       ".gitlab-ci.yml", "pytest.ini", "tox.ini",
                                     "Makefile",       "MLproject",   "Dockerfile"};
  for (const char* n : kTop)
    if (name == n && (top || name == "pyproject.toml")) return true;
  return false;
}

Workspace list_workspace(const fs::path& root, std::size_t max_files) {
  Workspace ws;
  ws.name = root.lexically_normal().filename().string();
  if (ws.name.empty()) ws.name = root.lexically_normal().parent_path().filename().string();
  std::error_code ec;
  fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    const fs::directory_entry& e = *it;
    std::error_code ec2;
    if (e.is_directory(ec2)) {
      if (e.is_symlink(ec2) || skipped_dir(e.path())) it.disable_recursion_pending();
      continue;
    }
    if (!e.is_regular_file(ec2)) continue;
    std::string rel = e.path().lexically_relative(root).generic_string();
    ws.files.push_back(rel);
    if (is_project_file(rel) && e.file_size(ec2) <= kMaxProjectFileBytes)
      ws.project_texts[rel] = read_text(e.path());
    if (ws.files.size() >= max_files) break;
  }
  std::sort(ws.files.begin(), ws.files.end());
  return ws;
}

}  // namespace mlroast::review
