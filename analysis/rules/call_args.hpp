// Reading a call's arguments as written: the value of a keyword argument, a positional argument,
// whether `**kwargs` may hide a keyword, and whether only known arguments are passed. Shared by
// the rules that judge a call by its arguments (ML301, ML304, ML305, ML307, ML501, ML502, ML601,
// ML711).
#pragma once

#include <algorithm>
#include <cstddef>
#include <initializer_list>
#include <string_view>

#include "analysis/rules/rule.hpp"

namespace mlroast::rules {

// The value node of keyword argument `name` of `call`, or a null node.
inline syntax::Node keyword(syntax::Node call, std::string_view name, const RuleContext& ctx) {
  syntax::Node args = call.field("arguments");
  if (ctx.text_of(args).find(name) == std::string_view::npos) return {};  // cheap test first
  for (syntax::Node a : syntax::children(args))
    if (a.kind() == "keyword_argument" && ctx.text_of(a.field("name")) == name)
      return a.field("value");
  return {};
}

// The index-th positional argument of `call` (keywords and comments skipped), or a null node.
inline syntax::Node positional(syntax::Node call, uint32_t index) {
  uint32_t seen = 0;
  for (syntax::Node a : syntax::children(call.field("arguments"))) {
    if (a.kind() == "keyword_argument" || a.kind() == "comment") continue;
    if (seen++ == index) return a;
  }
  return {};
}

// True when `call` passes at most `max_positional` positional arguments, no `*`/`**` splat and
// only keywords among `allowed`: the arguments another callable accepts unchanged (ML501's and
// ML502's loss swaps).
inline bool only_known_args(syntax::Node call, std::size_t max_positional,
                            std::initializer_list<std::string_view> allowed,
                            const RuleContext& ctx) {
  std::size_t positional = 0;
  for (syntax::Node a : syntax::children(call.field("arguments"))) {
    if (a.kind() == "comment") continue;
    if (a.kind() != "keyword_argument") {
      if (a.kind() == "list_splat" || a.kind() == "dictionary_splat") return false;
      ++positional;
      continue;
    }
    std::string_view n = ctx.text_of(a.field("name"));
    if (std::find(allowed.begin(), allowed.end(), n) == allowed.end()) return false;
  }
  return positional <= max_positional;
}

// True when `call` passes `**kwargs`, which may hold any keyword.
// Whether an argument list ends with a real ")" (a list cut short by a syntax error has a
// MISSING one, or none): fixes that insert "before the )" need it.
inline bool has_closing_paren(syntax::Node args) {
  if (!args || args.child_count() < 2) return false;
  const syntax::Node close = args.child(args.child_count() - 1);
  return close.kind() == ")" && !close.is_missing();
}

inline bool has_kwargs_splat(syntax::Node call) {
  for (syntax::Node a : syntax::children(call.field("arguments")))
    if (a.kind() == "dictionary_splat") return true;
  return false;
}

}  // namespace mlroast::rules
