#include "cli/discover.hpp"

#include <algorithm>
#include <array>
#include <string_view>
#include <system_error>

namespace mlroast::cli {

namespace fs = std::filesystem;

namespace {

// Folder names never entered, whatever their content (hidden folders are handled separately).
constexpr std::array<std::string_view, 9> kExcludedNames = {
    "venv",  "node_modules", "__pycache__", "__pypackages__", "site-packages",
    "build", "dist",         "_build",      "buck-out",
};

std::string describe(const std::error_code& ec) { return ec.message(); }

// Lexically normal, without the empty last element a trailing slash leaves ("dir/" -> "dir").
fs::path normalized(const fs::path& p) {
  fs::path n = p.lexically_normal();
  if (!n.has_filename() && n.has_relative_path()) n = n.parent_path();
  return n;
}

class Walker {
 public:
  Walker(const fs::path& cwd, const DiscoveryOptions& options, Discovery& out)
      : cwd_(cwd), options_(options), out_(out) {}

  // An explicitly named path: taken even when its own name would be excluded in a walk.
  void root(const std::string& arg) {
    fs::path p = normalized(fs::path(arg).is_absolute() ? fs::path(arg) : cwd_ / arg);
    std::error_code ec;
    fs::file_status st = fs::status(p, ec);
    if (ec || !fs::exists(st)) {
      std::error_code lec;
      if (fs::is_symlink(fs::symlink_status(p, lec)))
        out_.errors.push_back(arg + ": broken symbolic link");
      else if (ec && ec != std::errc::no_such_file_or_directory)
        out_.errors.push_back(arg + ": " + describe(ec));
      else
        out_.errors.push_back(arg + ": No such file or directory");
      return;
    }
    if (fs::is_directory(st)) {
      walk(p);
      return;
    }
    std::optional<FileKind> kind = kind_of(p);
    if (kind == FileKind::Notebook && !options_.include_notebooks) {
      out_.warnings.push_back(arg + ": skipped, Jupyter notebooks are not analysed yet");
      return;
    }
    add(p, kind.value_or(FileKind::Python));  // an explicit file is analysed as Python
  }

 private:
  void walk(const fs::path& dir) {
    std::error_code ec;
    fs::directory_iterator it(dir, ec);
    std::vector<fs::directory_entry> entries;
    for (fs::directory_iterator end; !ec && it != end; it.increment(ec)) entries.push_back(*it);
    if (ec) {
      out_.errors.push_back(display_path(dir, cwd_) + ": cannot read directory: " + describe(ec));
      return;
    }
    std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
      return a.path().filename() < b.path().filename();
    });
    for (const auto& entry : entries) {
      const fs::path& p = entry.path();
      std::error_code sec;
      fs::file_status link = entry.symlink_status(sec);
      if (fs::is_directory(link)) {
        // Symbolic links to folders are not followed: they can form cycles.
        if (!is_excluded_dir(p)) walk(p);
        continue;
      }
      std::optional<FileKind> kind = kind_of(p);
      if (!kind) continue;
      if (*kind == FileKind::Notebook && !options_.include_notebooks) continue;
      if (fs::is_symlink(link)) {
        std::error_code tec;
        fs::file_status target = fs::status(p, tec);
        if (fs::is_directory(target)) continue;  // a link to a folder named like a file
        // A dangling link is still added: reading it reports the error with the file's name.
      } else if (!fs::is_regular_file(link)) {
        continue;  // sockets, FIFOs, devices
      }
      add(p, *kind);
    }
  }

  void add(const fs::path& p, FileKind kind) {
    out_.files.push_back(SourcePath{p, display_path(p, cwd_), kind});
  }

  const fs::path& cwd_;
  const DiscoveryOptions& options_;
  Discovery& out_;
};

}  // namespace

std::optional<FileKind> kind_of(const fs::path& file) {
  fs::path ext = file.extension();
  if (ext == ".py" || ext == ".pyi") return FileKind::Python;
  if (ext == ".ipynb") return FileKind::Notebook;
  return std::nullopt;
}

bool is_excluded_dir(const fs::path& dir) {
  std::string name = dir.filename().string();
  if (name.empty()) return false;
  if (name[0] == '.') return true;  // .git, .venv, .tox, .mypy_cache, .ipynb_checkpoints, ...
  if (std::find(kExcludedNames.begin(), kExcludedNames.end(), name) != kExcludedNames.end())
    return true;
  if (name.size() > 9 && name.ends_with(".egg-info")) return true;
  std::error_code ec;
  return fs::exists(dir / "pyvenv.cfg", ec) || fs::is_directory(dir / "conda-meta", ec);
}

std::string display_path(const fs::path& absolute, const fs::path& cwd) {
  auto [a, c] = std::mismatch(absolute.begin(), absolute.end(), cwd.begin(), cwd.end());
  if (c != cwd.end() || cwd.empty()) return absolute.generic_string();
  fs::path rel = absolute.lexically_relative(cwd);
  return rel.empty() || rel == "." ? std::string(".") : rel.generic_string();
}

Discovery discover(const std::vector<std::string>& paths, const fs::path& cwd,
                   const DiscoveryOptions& options) {
  Discovery out;
  fs::path base = normalized(cwd);
  Walker walker(base, options, out);
  for (const std::string& p : paths) walker.root(p);
  std::sort(out.files.begin(), out.files.end(),
            [](const SourcePath& a, const SourcePath& b) { return a.absolute < b.absolute; });
  out.files.erase(std::unique(out.files.begin(), out.files.end(),
                              [](const SourcePath& a, const SourcePath& b) {
                                return a.absolute == b.absolute;
                              }),
                  out.files.end());
  return out;
}

}  // namespace mlroast::cli
