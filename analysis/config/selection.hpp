// Which rules run and at what severity: `select`/`ignore` lists of codes or prefixes ("ML1",
// "ML703", "ALL") resolved against the rule table, in ruff's order (select, then extend-select,
// then ignore; the more specific of two matching entries wins). Shared by the CLI and the server.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "analysis/finding.hpp"

namespace mlroast {

struct RuleSelection {
  std::vector<std::string> select{"ALL"};
  std::vector<std::string> extend_select;
  std::vector<std::string> ignore;
  std::map<std::string, Severity> severity;  // per code

  bool enabled(std::string_view code) const;
  Severity severity_of(std::string_view code, Severity fallback) const;
  // A selector that matches no rule ("ML99", "FOO"): returns it, for a clear error.
  std::optional<std::string> first_unknown_selector() const;
};

// True when `selector` ("ALL", a code, or a prefix of codes) matches `code`.
bool selector_matches(std::string_view selector, std::string_view code);

}  // namespace mlroast
