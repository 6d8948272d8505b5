#include "analysis/rules/assignments.hpp"

namespace mlroast::rules {
namespace {

syntax::Node enclosing_scope(syntax::Node n, const RuleContext& ctx) {
  for (syntax::Node p = n.parent(); p; p = p.parent())
    if (p.kind() == "function_definition") return p;
  return ctx.file().tree->root();
}

}  // namespace

syntax::Node Assignments::last_before(std::string_view name, syntax::Node at,
                                      const RuleContext& ctx) {
  const syntax::Node scope = enclosing_scope(at, ctx);
  auto [it, added] = scopes_.try_emplace(scope.index());
  if (added) {
    ByName& out = it->second;
    syntax::walk(scope, [&](syntax::Node n) {
      if (n != scope && (n.kind() == "function_definition" || n.kind() == "class_definition"))
        return false;
      if (n.kind() == "assignment") {
        syntax::Node left = n.field("left");
        if (left && left.kind() == "identifier")
          out[ctx.text_of(left)].emplace_back(n.start_byte(), n.field("right"));
      }
      return true;
    });
  }
  const auto found = it->second.find(name);
  if (found == it->second.end()) return {};
  syntax::Node rhs;
  for (const auto& [start, right] : found->second) {  // in source order
    if (start >= at.start_byte()) break;
    rhs = right;
  }
  return rhs;
}

}  // namespace mlroast::rules
