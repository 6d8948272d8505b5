/* The Python grammar's external scanner (third_party/tree-sitter-python/src/scanner.c, compiled
 * here instead of on its own) with one fix: its deserialize() does not reset `inside_f_string`
 * when tree-sitter asks for the initial state (length 0), which it does at the start of every
 * parse. One parse that stops inside an f-string (`s = f"{x` typed half-way, a broken file)
 * therefore left the flag set for the next parse by the same TSParser, and the scanner then
 * withheld the dedents of nested blocks: `if a:\n    if b:\n        c = 1\n    d = 2\n` became
 * an ERROR node. The syntax layer keeps one parser per document store and per analysis thread,
 * so a parse depended on what that parser had parsed before. tree-sitter's rule for external
 * scanners is that deserialize() restores every field; this wrapper does that for the one
 * field upstream forgets (tests/unit/syntax_parser_state_test.cpp). */
#define tree_sitter_python_external_scanner_deserialize mlroast_upstream_python_deserialize
#include "scanner.c"
#undef tree_sitter_python_external_scanner_deserialize

void tree_sitter_python_external_scanner_deserialize(void *payload, const char *buffer,
                                                     unsigned length) {
  mlroast_upstream_python_deserialize(payload, buffer, length);
  if (length == 0) ((Scanner *)payload)->inside_f_string = false;
}
