#include "analysis/fix/syntax_guard.hpp"

namespace mlroast {

namespace {

// Descends only into the children that overlap or touch [start, end]: an error elsewhere inside a
// large statement or block around the edit does not count.
bool touches_error(syntax::Node n, uint32_t start, uint32_t end) {
  if (!n.has_error()) return false;
  if (n.is_error() || n.is_missing()) return true;
  for (uint32_t i = 0; i < n.child_count(); ++i) {
    syntax::Node c = n.child(i);
    if (c.end_byte() < start) continue;
    if (c.start_byte() > end) break;
    if (touches_error(c, start, end)) return true;
  }
  return false;
}

// The smallest node whose text holds [start, end] without the edit merely touching its edge.
syntax::Node container_of(syntax::Node root, uint32_t start, uint32_t end) {
  syntax::Node n = root;
  for (bool deeper = true; deeper;) {
    deeper = false;
    for (uint32_t i = 0; i < n.child_count(); ++i) {
      syntax::Node c = n.child(i);
      if (c.start_byte() > start) break;
      if (end > c.end_byte() || c.start_byte() == end || c.end_byte() == start) continue;
      n = c;
      deeper = true;
      break;
    }
  }
  return n;
}

bool compound(std::string_view kind) {
  return kind == "function_definition" || kind == "class_definition" ||
         kind == "decorated_definition" || kind == "if_statement" || kind == "for_statement" ||
         kind == "while_statement" || kind == "with_statement" || kind == "try_statement" ||
         kind == "match_statement";
}

bool edit_meets_error(syntax::Node root, const TextEdit& e) {
  syntax::Node n = container_of(root, e.start_byte, e.end_byte);
  // Inside an expression or a statement's own syntax, any error in it is too close: the parser
  // may have swallowed the code the fix expects to find (an argument list whose ERROR absorbs
  // the keyword the fix adds). Between statements, only the statements the edit meets count.
  const std::string_view kind = n.kind();
  if (kind == "module" || kind == "block") return touches_error(n, e.start_byte, e.end_byte);
  if (n.has_error()) return true;
  // Strictly inside a token (an identifier, a string's content) of a simple statement that has
  // a syntax error: an argument list cut short by a MISSING ")" ends inside `px` or a string,
  // and a keyword added "before the )" lands in that token. No fix means to edit a token's
  // middle; next to a clean token the fix stays available.
  if (n.child_count() != 0 && n.kind() != "string") return false;
  syntax::Node stmt = n;
  while (stmt.parent() && stmt.parent().kind() != "module" && stmt.parent().kind() != "block")
    stmt = stmt.parent();
  return !compound(stmt.kind()) && stmt.has_error();
}

}  // namespace

bool fix_touches_syntax_error(syntax::Node root, const Fix& fix) {
  if (!root.has_error()) return false;
  for (const TextEdit& e : fix.edits)
    if (edit_meets_error(root, e)) return true;
  return false;
}

}  // namespace mlroast
