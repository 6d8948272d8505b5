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
  // Per-file ignores (from a config file's `per-file-ignores`): absolute, a code matching one
  // is off whatever `select` says.
  std::vector<std::string> file_ignore;
  std::map<std::string, Severity> severity;  // per code

  bool enabled(std::string_view code) const;
  Severity severity_of(std::string_view code, Severity fallback) const;
  // A selector that matches no rule ("ML99", "FOO"): returns it, for a clear error.
  std::optional<std::string> first_unknown_selector() const;
};

// True when `selector` names at least one code of the rule catalogue (registered or planned in
// RULES.md): "ALL", "ML1", "ML703", "P0". False for typos ("ML99", "FOO").
bool known_selector(std::string_view selector);

// True when `selector` ("ALL", a code, or a prefix of codes) matches `code`.
bool selector_matches(std::string_view selector, std::string_view code);

}  // namespace mlroast
