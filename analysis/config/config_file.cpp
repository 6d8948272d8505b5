#include "analysis/config/config_file.hpp"

#include <fnmatch.h>

#include <fstream>
#include <sstream>
#include <toml++/toml.h>

#include "analysis/config/selection.hpp"

namespace mlroast {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kKnownKeys[] = {"select",           "extend-select", "ignore",
                                           "per-file-ignores", "severity",      "exclude"};

// Thrown inside this file only; parse_config turns it into ConfigLoad::error.
struct KeyError {
  std::string message;
};

class Reader {
 public:
  Reader(const fs::path& path, std::string prefix) : path_(path), prefix_(std::move(prefix)) {}

  [[noreturn]] void fail(const toml::node* at, std::string_view key, const std::string& why) const {
    std::string where = path_.string();
    if (at != nullptr && at->source().begin.line > 0)
      where += ":" + std::to_string(at->source().begin.line);
    throw KeyError{where + ": key `" + prefix_ + std::string(key) + "`: " + why};
  }

  std::vector<std::string> strings(const toml::node& node, std::string_view key) const {
    const toml::array* arr = node.as_array();
    if (arr == nullptr) fail(&node, key, "expected an array of strings");
    std::vector<std::string> out;
    for (const toml::node& item : *arr) {
      const auto* s = item.as_string();
      if (s == nullptr) fail(&item, key, "expected an array of strings");
      out.push_back(s->get());
    }
    return out;
  }

  std::vector<std::string> selectors(const toml::node& node, std::string_view key) const {
    std::vector<std::string> out = strings(node, key);
    for (const std::string& s : out)
      if (!known_selector(s))
        fail(&node, key, "unknown rule selector `" + s + "`: it matches no rule code (see `mlroast rules`)");
    return out;
  }

  ProjectConfig read(const toml::table& table) const {
    ProjectConfig c;
    c.file = path_;
    c.root = path_.parent_path();
    for (const auto& [k, node] : table) {
      std::string_view key = k.str();
      if (key == "select") {
        c.select = selectors(node, key);
      } else if (key == "extend-select") {
        c.extend_select = selectors(node, key);
      } else if (key == "ignore") {
        c.ignore = selectors(node, key);
      } else if (key == "exclude") {
        c.exclude = strings(node, key);
      } else if (key == "per-file-ignores") {
        const toml::table* t = node.as_table();
        if (t == nullptr) fail(&node, key, "expected a table of glob = [codes]");
        for (const auto& [glob, codes] : *t) {
          std::string sub = std::string(key) + "." + std::string(glob.str());
          c.per_file_ignores.emplace_back(std::string(glob.str()), selectors(codes, sub));
        }
      } else if (key == "severity") {
        const toml::table* t = node.as_table();
        if (t == nullptr) fail(&node, key, "expected a table of CODE = \"error\"|\"warning\"|\"info\"");
        for (const auto& [code, value] : *t) {
          std::string sub = std::string(key) + "." + std::string(code.str());
          const auto* s = value.as_string();
          std::optional<Severity> sev = s ? parse_severity(s->get()) : std::nullopt;
          if (!sev) fail(&value, sub, "expected \"error\", \"warning\" or \"info\"");
          RuleSelection probe;
          probe.severity[std::string(code.str())] = *sev;
          if (probe.first_unknown_selector())
            fail(&value, sub, "`" + std::string(code.str()) + "` is not a rule code");
          c.severity[std::string(code.str())] = *sev;
        }
      } else {
        std::string known;
        for (std::string_view k2 : kKnownKeys) known += (known.empty() ? "" : ", ") + std::string(k2);
        fail(&node, key, "unknown key (known keys: " + known + ")");
      }
    }
    return c;
  }

 private:
  const fs::path& path_;
  std::string prefix_;
};

}  // namespace

ConfigLoad parse_config(std::string_view text, const fs::path& path) {
  ConfigLoad out;
  const bool pyproject = path.filename() == "pyproject.toml";
  toml::table doc;
  try {
    doc = toml::parse(text, path.string());
  } catch (const toml::parse_error& e) {
    out.error = path.string() + ":" + std::to_string(e.source().begin.line) +
                ": invalid TOML: " + std::string(e.description());
    return out;
  }
  const toml::table* table = &doc;
  std::string prefix;
  if (pyproject) {
    const toml::node* tool = doc.get("tool");
    const toml::node* ours = tool != nullptr && tool->is_table() ? tool->as_table()->get("mlroast") : nullptr;
    if (ours == nullptr) return out;  // a pyproject.toml without [tool.mlroast] is not our config
    table = ours->as_table();
    prefix = "tool.mlroast.";
    if (table == nullptr) {
      out.error = path.string() + ": key `tool.mlroast`: expected a table";
      return out;
    }
  }
  try {
    out.config = Reader(path, prefix).read(*table);
  } catch (const KeyError& e) {
    out.error = e.message;
  }
  return out;
}

ConfigLoad load_config_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ConfigLoad out;
    out.error = path.string() + ": cannot read the configuration file";
    return out;
  }
  std::ostringstream s;
  s << in.rdbuf();
  return parse_config(s.str(), path);
}

bool glob_matches(std::string_view pattern, std::string_view relative) {
  std::string pat(pattern);
  while (pat.size() > 2 && pat.compare(0, 2, "./") == 0) pat.erase(0, 2);
  if (!pat.empty() && pat.back() == '/') pat.pop_back();
  std::string rel(relative);
  auto match = [&](const std::string& s) { return ::fnmatch(pat.c_str(), s.c_str(), 0) == 0; };
  if (match(rel)) return true;
  // Any leading folder ("legacy" matches legacy/x.py) and the file name.
  for (std::size_t slash = rel.find('/'); slash != std::string::npos; slash = rel.find('/', slash + 1))
    if (match(rel.substr(0, slash))) return true;
  std::size_t last = rel.rfind('/');
  return last != std::string::npos && match(rel.substr(last + 1));
}

}  // namespace mlroast
