#include "server/settings.hpp"

#include "analysis/config/selection.hpp"

namespace mlroast::server {

namespace {

std::optional<std::vector<std::string>> codes(const protocol::json& v, const char* key,
                                              std::vector<std::string>& problems) {
  if (!v.contains(key) || v[key].is_null()) return std::nullopt;
  const protocol::json& a = v[key];
  if (!a.is_array()) {
    problems.push_back(std::string("mlroast.") + key + " must be an array of rule codes");
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (const auto& item : a) {
    if (!item.is_string()) {
      problems.push_back(std::string("mlroast.") + key + " must be an array of rule codes");
      return std::nullopt;
    }
    std::string s = item.get<std::string>();
    if (!known_selector(s)) {
      problems.push_back(std::string("mlroast.") + key + ": unknown rule selector `" + s + "`");
      continue;
    }
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace

ServerSettings parse_settings(const protocol::json& value, std::vector<std::string>& problems) {
  ServerSettings s;
  if (!value.is_object()) return s;
  const protocol::json& v = value.contains("mlroast") && value["mlroast"].is_object() ? value["mlroast"] : value;
  for (const auto& [key, item] : v.items()) {
    if (key != "select" && key != "ignore" && key != "extendSelect" && key != "reviewOutput" &&
        key != "logLevel" && key != "mlroast")
      problems.push_back("unknown setting mlroast." + key);
  }
  s.select = codes(v, "select", problems);
  // An editor's empty list is its default ("nothing chosen"), not "select no rule": the
  // configuration files decide then, as when the key is absent.
  if (s.select && s.select->empty()) s.select.reset();
  if (auto i = codes(v, "ignore", problems)) s.ignore = *i;
  if (auto e = codes(v, "extendSelect", problems)) s.extend_select = *e;
  if (v.contains("reviewOutput") && !v["reviewOutput"].is_null()) {
    if (v["reviewOutput"].is_string() && !v["reviewOutput"].get<std::string>().empty())
      s.review_output = v["reviewOutput"].get<std::string>();
    else
      problems.emplace_back("mlroast.reviewOutput must be a non-empty string (a path)");
  }
  return s;
}

}  // namespace mlroast::server
