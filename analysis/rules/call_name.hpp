// The last name of a call's callee as written (`read_csv` for `pd.read_csv(...)`, `fit` for
// `model.fit(...)`), without resolving anything. Rules use it as a filter before asking the
// semantic model for the qualified name; any filter must also let import aliases through
// (callee_is_imported_name).
#pragma once

#include <string_view>

#include "analysis/semantic/model.hpp"
#include "analysis/syntax/tree.hpp"

namespace mlroast::rules {

inline std::string_view call_last_name(syntax::Node call, std::string_view text) {
  syntax::Node fn = call.field("function");
  if (!fn) return {};
  if (fn.kind() == "identifier") return fn.text(text);
  if (fn.kind() == "attribute") return fn.field("attribute").text(text);
  return {};
}

// True when the callee of `call` is a plain name bound by an import (`from pandas import
// to_datetime as as_date` makes `as_date(...)` one): a filter on written names must let such
// aliases through. Method calls (`pd.to_datetime`) are written with their real last name.
// Read from the memoised qualified name (a dozen rules ask this of every call): for a name it
// is the import's qualified name, `builtins.X` for an unbound builtin, and empty otherwise; only
// a `builtins.` name needs the scope lookup (`from builtins import open` is an import too).
inline bool callee_is_imported_name(syntax::Node call, const semantic::SemanticModel& sem) {
  syntax::Node fn = call.field("function");
  if (!fn || fn.kind() != "identifier") return false;
  const std::string& q = sem.qualified_name(fn);
  if (q.empty()) return false;
  if (!q.starts_with("builtins.")) return true;
  const semantic::Binding* b = sem.lookup(fn.text(sem.text()), sem.scope_at(fn.start_byte()));
  return b != nullptr && b->kind == semantic::BindingKind::Import;
}

}  // namespace mlroast::rules
