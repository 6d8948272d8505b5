#include "analysis/config/selection.hpp"

#include <cctype>
#include <cstdio>

#include "analysis/rules/rule.hpp"

namespace mlroast {

bool selector_matches(std::string_view selector, std::string_view code) {
  if (selector == "ALL") return true;
  return !selector.empty() && code.substr(0, selector.size()) == selector;
}

namespace {
// Length of the most specific matching selector in `list`, or -1 when none matches.
int best_match(const std::vector<std::string>& list, std::string_view code) {
  int best = -1;
  for (const auto& s : list)
    if (selector_matches(s, code)) best = std::max(best, s == "ALL" ? 0 : static_cast<int>(s.size()));
  return best;
}
}  // namespace

bool RuleSelection::enabled(std::string_view code) const {
  if (best_match(file_ignore, code) >= 0) return false;
  int sel = std::max(best_match(select, code), best_match(extend_select, code));
  int ign = best_match(ignore, code);
  if (sel < 0) return false;
  return ign < 0 || sel > ign;
}

Severity RuleSelection::severity_of(std::string_view code, Severity fallback) const {
  auto it = severity.find(std::string(code));
  return it == severity.end() ? fallback : it->second;
}

namespace {
// Every code of the rule catalogue (docs: shared RULES.md), implemented or not yet: selecting
// "ML5" or "ML601" before those rules exist is valid and selects nothing; "ML99" is a typo.
bool catalogue_code(std::string_view selector) {
  struct Family {
    const char* prefix;
    int first, last;
  };
  static constexpr Family kFamilies[] = {{"ML1", 1, 11}, {"ML2", 1, 6}, {"ML3", 1, 9},
                                         {"ML4", 1, 10}, {"ML5", 1, 9}, {"ML6", 1, 3},
                                         {"ML7", 1, 14}, {"P", 1, 11}};
  for (const Family& f : kFamilies)
    for (int n = f.first; n <= f.last; ++n) {
      char code[8];
      std::snprintf(code, sizeof code, "%s%02d", f.prefix, n);
      if (selector_matches(selector, code)) return true;
    }
  return false;
}
// "ML101" or "P01": a whole code, not a prefix.
bool full_code(std::string_view s) {
  auto digits = [&](std::size_t from, std::size_t n) {
    if (s.size() != from + n) return false;
    for (std::size_t i = from; i < s.size(); ++i)
      if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    return true;
  };
  return (s.substr(0, 2) == "ML" && digits(2, 3)) || (s.substr(0, 1) == "P" && digits(1, 2));
}
}  // namespace

bool known_selector(std::string_view s) {
  for (const RuleInfo* info : all_rule_infos())
    if (selector_matches(s, info->code)) return true;
  return catalogue_code(s);
}

std::optional<std::string> RuleSelection::first_unknown_selector() const {
  for (const auto* list : {&select, &extend_select, &ignore, &file_ignore})
    for (const auto& s : *list)
      if (!known_selector(s)) return s;
  for (const auto& [code, sev] : severity)
    if (!find_rule(code) && !(catalogue_code(code) && full_code(code))) return code;
  return std::nullopt;
}

}  // namespace mlroast
