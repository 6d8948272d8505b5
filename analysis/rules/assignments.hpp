// Where plain names are assigned, per scope: "the right-hand side of the last `name = ...`
// before this node in the same function (or module)". Indexed on first use per scope, so rules
// that ask this for every call they judge stay linear in the file (one walk of the scope per
// question made a file with many such calls quadratic). One instance per rule and analysis.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string_view>
#include <utility>
#include <vector>

#include "analysis/rules/rule.hpp"

namespace mlroast::rules {

class Assignments {
 public:
  // The right-hand side of the last assignment `name = rhs` that starts before `at`, in the
  // function definition enclosing `at` (or the module), not counting nested function and class
  // definitions; null when there is none.
  syntax::Node last_before(std::string_view name, syntax::Node at, const RuleContext& ctx);

 private:
  using ByName = std::map<std::string_view, std::vector<std::pair<uint32_t, syntax::Node>>,
                          std::less<>>;
  std::map<uint32_t, ByName> scopes_;  // by the scope node's index in the tree
};

}  // namespace mlroast::rules
