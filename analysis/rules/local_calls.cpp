#include "analysis/rules/local_calls.hpp"

namespace mlroast::rules {

const std::vector<syntax::Node>& LocalCalls::calls_of(std::string_view name,
                                                      const RuleContext& ctx) {
  if (!calls_) {
    calls_.emplace();
    syntax::walk(ctx.file().tree->root(), [&](syntax::Node n) {
      if (n.kind() == "call" && n.field("function").kind() == "identifier")
        (*calls_)[ctx.text_of(n.field("function"))].push_back(n);
      return true;
    });
  }
  static const std::vector<syntax::Node> kNone;
  const auto found = calls_->find(name);
  return found == calls_->end() ? kNone : found->second;
}

std::vector<syntax::Node> LocalCalls::arguments_for(syntax::Node param, const RuleContext& ctx) {
  syntax::Node fn = param.parent();
  while (fn && fn.kind() != "function_definition") fn = fn.parent();
  if (!fn) return {};
  const std::string_view name = ctx.text_of(param);
  int position = -1, i = 0;
  for (syntax::Node p : syntax::children(fn.field("parameters"))) {
    syntax::Node id = p.kind() == "identifier" ? p : p.field("name");
    if (p.kind() == "typed_parameter") id = p.named_child(0);
    if (id && ctx.text_of(id) == name) position = i;
    ++i;
  }
  if (position < 0) return {};
  std::vector<syntax::Node> out;
  for (syntax::Node call : calls_of(ctx.text_of(fn.field("name")), ctx)) {
    if (call.start_byte() >= fn.start_byte() && call.end_byte() <= fn.end_byte()) continue;
    int k = 0;
    for (syntax::Node a : syntax::children(call.field("arguments"))) {
      if (a.kind() == "keyword_argument") {
        if (ctx.text_of(a.field("name")) == name) out.push_back(a.field("value"));
      } else if (a.kind() != "comment" && k++ == position) {
        out.push_back(a);
      }
    }
  }
  return out;
}

}  // namespace mlroast::rules
