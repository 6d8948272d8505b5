// `mlroast rule CODE` and `mlroast rules`: the rule table and each rule's documentation, read
// from the one RuleInfo every rule declares (the same text hover and docs/rules/ show).
#include <algorithm>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"

namespace mlroast::cli {

namespace {

// Rule codes that share the longest prefix with `query`, to suggest on a typo.
std::vector<std::string_view> near_codes(std::string_view query) {
  std::vector<std::string_view> out;
  for (std::size_t len = query.size(); len >= 2 && out.empty(); --len)
    for (const RuleInfo* info : all_rule_infos())
      if (info->code.substr(0, len) == query.substr(0, len)) out.push_back(info->code);
  return out;
}

}  // namespace

const char* fix_availability_name(FixAvailability f) {
  switch (f) {
    case FixAvailability::None:
      return "none";
    case FixAvailability::Sometimes:
      return "sometimes";
    case FixAvailability::Always:
      return "always";
  }
  return "none";
}

std::string rule_markdown(const RuleInfo& info) {
  std::string_view doc = info.doc;
  std::string title = "# " + std::string(info.code) + " " + std::string(info.slug);
  if (doc.starts_with("# ")) {
    std::size_t eol = doc.find('\n');
    title = std::string(doc.substr(0, eol));
    doc = eol == std::string_view::npos ? std::string_view() : doc.substr(eol + 1);
  }
  while (doc.starts_with("\n")) doc.remove_prefix(1);
  while (doc.ends_with("\n")) doc.remove_suffix(1);
  std::string md = title + "\n\n";
  md += "Category: " + std::string(to_string(info.category)) +
        ". Default severity: " + to_string(info.severity) +
        ". Fix: " + fix_availability_name(info.fix) + ".\n";
  if (!doc.empty()) md += "\n" + std::string(doc) + "\n";
  return md;
}

int run_rule(const std::string& code_or_slug, std::ostream& out, std::ostream& err) {
  const RuleInfo* info = find_rule(code_or_slug);
  if (info == nullptr) {
    err << "error: unknown rule `" << code_or_slug << "`";
    std::vector<std::string_view> near = near_codes(code_or_slug);
    if (!near.empty()) {
      err << "; did you mean";
      for (std::size_t i = 0; i < near.size() && i < 5; ++i) err << (i ? ", " : " ") << near[i];
      err << "?";
    }
    err << " (`mlroast rules` lists every rule)\n";
    return kExitError;
  }
  out << rule_markdown(*info);
  return kExitClean;
}

int run_rules(ListFormat format, std::ostream& out) {
  const auto& infos = all_rule_infos();
  if (format == ListFormat::Json) {
    nlohmann::json all = nlohmann::json::array();
    for (const RuleInfo* info : infos) {
      all.push_back({{"code", info->code},
                     {"slug", info->slug},
                     {"category", to_string(info->category)},
                     {"severity", to_string(info->severity)},
                     {"fix", fix_availability_name(info->fix)},
                     {"summary", info->summary},
                     {"url", rule_url(*info)}});
    }
    out << all.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
    return kExitClean;
  }
  std::size_t code_w = 4, slug_w = 4, sev_w = 8;
  for (const RuleInfo* info : infos) {
    code_w = std::max(code_w, info->code.size());
    slug_w = std::max(slug_w, info->slug.size());
    sev_w = std::max(sev_w, std::string_view(to_string(info->severity)).size());
  }
  auto row = [&](std::string_view code, std::string_view slug, std::string_view sev,
                 std::string_view summary) {
    out << code << std::string(code_w - code.size() + 2, ' ') << slug
        << std::string(slug_w - slug.size() + 2, ' ') << sev
        << std::string(sev_w - sev.size() + 2, ' ') << summary << '\n';
  };
  row("CODE", "NAME", "SEVERITY", "SUMMARY");
  for (const RuleInfo* info : infos)
    row(info->code, info->slug, to_string(info->severity), info->summary);
  return kExitClean;
}

}  // namespace mlroast::cli
