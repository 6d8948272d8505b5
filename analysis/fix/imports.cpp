#include "analysis/fix/imports.hpp"

namespace mlroast {

uint32_t import_insertion_point(syntax::Node module, std::string_view text) {
  (void)text;
  bool first = true;
  for (syntax::Node s : syntax::children(module)) {
    if (s.kind() == "comment") continue;
    bool docstring = first && s.kind() == "expression_statement" && s.named_child_count() == 1 &&
                     s.named_child(0).kind() == "string";
    first = false;
    if (docstring || s.kind() == "future_import_statement") continue;
    return s.start_byte() - s.start_point().column;
  }
  return static_cast<uint32_t>(module.end_byte());
}

}  // namespace mlroast
