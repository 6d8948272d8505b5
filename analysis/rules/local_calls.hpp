// Calls of the file's own functions by name, and the argument a call passes for a parameter:
// how a rule follows a helper's parameter (`def evaluate(name, proba): proba > 0.5`) back to
// what its callers give it. Indexed on first use, one walk per file. One instance per rule and
// analysis.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string_view>
#include <vector>

#include "analysis/rules/rule.hpp"

namespace mlroast::rules {

class LocalCalls {
 public:
  // The calls `name(...)` of a plain name anywhere in the file, in source order.
  const std::vector<syntax::Node>& calls_of(std::string_view name, const RuleContext& ctx);

  // For `param` (an identifier inside a function definition that names one of its
  // parameters): the arguments the file's calls of that function pass for it, positionally or by
  // keyword. Empty when `param` is not a parameter or nothing calls the function.
  std::vector<syntax::Node> arguments_for(syntax::Node param, const RuleContext& ctx);

 private:
  std::optional<std::map<std::string_view, std::vector<syntax::Node>, std::less<>>> calls_;
};

}  // namespace mlroast::rules
