#include "analysis/rules/entry_point.hpp"

#include <string_view>

namespace mlroast::rules {

namespace {

// True when a module-level statement does work when the module is imported.
bool does_work(syntax::Node stmt) {
  std::string_view k = stmt.kind();
  if (k == "for_statement" || k == "while_statement" || k == "with_statement") return true;
  if (k == "expression_statement") {
    syntax::Node e = stmt.named_child(0);
    if (e && e.kind() == "await") e = e.named_child(0);
    return e && e.kind() == "call";
  }
  if (k == "try_statement") {
    syntax::Node body = stmt.field("body");
    for (syntax::Node s : syntax::children(body))
      if (does_work(s)) return true;
  }
  return false;
}

}  // namespace

bool is_main_guard(syntax::Node stmt, const RuleContext& ctx) {
  if (stmt.kind() != "if_statement") return false;
  syntax::Node cond = stmt.field("condition");
  if (!cond || cond.kind() != "comparison_operator") return false;
  std::string_view t = ctx.text_of(cond);
  return t.find("__name__") != std::string_view::npos &&
         t.find("__main__") != std::string_view::npos;
}

bool is_script(const RuleContext& ctx) {
  std::string_view path = ctx.file().path;
  if (path == "__main__.py" || path.ends_with("/__main__.py")) return true;
  for (syntax::Node stmt : syntax::children(ctx.file().tree->root()))
    if (is_main_guard(stmt, ctx) || does_work(stmt)) return true;
  return false;
}

}  // namespace mlroast::rules
