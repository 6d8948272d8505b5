// The flat syntax tree (syntax::Tree copies tree-sitter's tree into an array once per parse)
// must answer exactly what tree-sitter's own node API answers: every node of every rule
// fixture, example script and a set of broken inputs is compared accessor by accessor.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "analysis/syntax/tree.hpp"
#include "support/source_files.hpp"

extern "C" const TSLanguage* tree_sitter_python(void);

namespace fs = std::filesystem;
using mlroast::syntax::Node;
using mlroast::syntax::Parser;

namespace {

bool same(TSNode a, Node b) {
  return ts_node_is_null(a) ? b.is_null() : (!b.is_null() && ts_node_start_byte(a) == b.start_byte() &&
                                             ts_node_end_byte(a) == b.end_byte() &&
                                             ts_node_symbol(a) == b.symbol());
}

// Compares `ts` and `flat` and their subtrees; returns the number of nodes compared. Stops at
// the first difference (REQUIRE), naming the node.
size_t compare(TSNode ts, Node flat, const std::string& where) {
  size_t count = 0;
  std::vector<std::pair<TSNode, Node>> stack{{ts, flat}};
  const TSLanguage* lang = tree_sitter_python();
  const uint32_t fields = ts_language_field_count(lang);
  while (!stack.empty()) {
    auto [a, b] = stack.back();
    stack.pop_back();
    ++count;
    INFO(where << " at byte " << ts_node_start_byte(a) << ": " << ts_node_type(a));
    REQUIRE(!b.is_null());
    REQUIRE(b.kind() == std::string_view(ts_node_type(a)));
    REQUIRE(b.symbol() == ts_node_symbol(a));
    REQUIRE(b.is_named() == ts_node_is_named(a));
    REQUIRE(b.is_missing() == ts_node_is_missing(a));
    REQUIRE(b.has_error() == ts_node_has_error(a));
    REQUIRE(b.is_error() == (std::string_view(ts_node_type(a)) == "ERROR"));
    REQUIRE(b.start_byte() == ts_node_start_byte(a));
    REQUIRE(b.end_byte() == ts_node_end_byte(a));
    REQUIRE(b.start_point().row == ts_node_start_point(a).row);
    REQUIRE(b.start_point().column == ts_node_start_point(a).column);
    REQUIRE(b.end_point().row == ts_node_end_point(a).row);
    REQUIRE(b.end_point().column == ts_node_end_point(a).column);
    REQUIRE(b.child_count() == ts_node_child_count(a));
    REQUIRE(b.named_child_count() == ts_node_named_child_count(a));
    REQUIRE(same(ts_node_parent(a), b.parent()));
    REQUIRE(same(ts_node_next_named_sibling(a), b.next_named_sibling()));
    REQUIRE(same(ts_node_prev_named_sibling(a), b.prev_named_sibling()));
    for (uint32_t f = 1; f <= fields; ++f) {
      const char* name = ts_language_field_name_for_id(lang, static_cast<TSFieldId>(f));
      if (name == nullptr) continue;
      INFO("field " << name);
      REQUIRE(same(ts_node_child_by_field_id(a, static_cast<TSFieldId>(f)), b.field_named(name)));
    }
    for (uint32_t i = 0; i < ts_node_named_child_count(a); ++i)
      REQUIRE(same(ts_node_named_child(a, i), b.named_child(i)));
    // Children by cursor (ts_node_child(i) is O(i)); the cursor also names each child's field.
    TSTreeCursor c = ts_tree_cursor_new(a);
    uint32_t i = 0;
    if (ts_tree_cursor_goto_first_child(&c)) {
      do {
        TSNode child = ts_tree_cursor_current_node(&c);
        const char* field = ts_tree_cursor_current_field_name(&c);
        INFO("child " << i);
        REQUIRE(b.field_name_of_child(i) == std::string_view(field ? field : ""));
        REQUIRE(same(child, b.child(i)));
        REQUIRE(b.child(i).parent() == b);
        stack.emplace_back(child, b.child(i));
        ++i;
      } while (ts_tree_cursor_goto_next_sibling(&c));
    }
    ts_tree_cursor_delete(&c);
    REQUIRE(i == b.child_count());
    REQUIRE(b.child(i).is_null());
  }
  return count;
}

// Parses `text` with our Parser (statement by statement) and with one tree-sitter parse of the
// whole text, and compares the two trees node by node and as S-expressions.
size_t compare_text(const std::string& text, const std::string& where) {
  Parser p;
  auto tree = p.parse(text);
  REQUIRE(tree.valid());
  TSParser* whole = ts_parser_new();
  ts_parser_set_language(whole, tree_sitter_python());
  TSTree* reference = ts_parser_parse_string(whole, nullptr, text.data(), static_cast<uint32_t>(text.size()));
  TSNode root = ts_tree_root_node(reference);
  size_t n = compare(root, tree.root(), where);
  auto once = p.parse_once(text);  // one parse of the whole text: the same tree
  REQUIRE(once.valid());
  compare(root, once.root(), where);
  char* sexp = ts_node_string(root);
  {
    INFO(where);
    CHECK(tree.root().sexp() == std::string(sexp));
    // Without tree-sitter's tree, sexp() prints an UNEXPECTED leaf as ERROR (compare() above
    // checked those nodes one by one).
    if (!once.root().has_error()) CHECK(once.root().sexp() == std::string(sexp));
  }
  std::free(sexp);
  ts_tree_delete(reference);
  ts_parser_delete(whole);
  auto copy = tree.copy();  // a copy shares the nodes
  REQUIRE(copy.root() == tree.root());
  return n;
}

}  // namespace

TEST_CASE("the flat tree answers what tree-sitter's node API answers, node by node",
          "[syntax][flat]") {
  const fs::path root(MLROAST_SOURCE_DIR);
  size_t files = 0, nodes = 0;
  for (const char* dir : {"tests/fixtures", "examples"}) {
    for (const fs::path& file : mlroast::test::python_files(root / dir)) {
      nodes += compare_text(mlroast::test::read_file(file), file.string());
      ++files;
    }
  }
  CHECK(files > 500);
  // Broken and unusual inputs: error nodes, missing tokens, an unterminated string, deep nesting.
  for (const std::string& text : {std::string("def f(:\n  x = [1, 2\nprint(x\n"),
                           std::string("x = (1 +\nif y:\n"), std::string("s = 'abc\n"),
                           std::string("\xff\xfe\x00 = 1\n", 8), std::string(""),
                           std::string(300, '(') + "1" + std::string(300, ')') + "\n"}) {
    nodes += compare_text(text, "inline input");
  }
  INFO(nodes << " nodes");
  CHECK(nodes > 100000);
}

TEST_CASE("walk visits nodes in pre-order and skips subtrees on false", "[syntax][flat]") {
  Parser p;
  std::string text = "a = f(1)\nif a:\n    b = [2, 3]\n";
  auto tree = p.parse(text);
  std::vector<std::string> order;
  mlroast::syntax::walk(tree.root(), [&](Node n) {
    if (n.is_named()) order.emplace_back(n.kind());
    return n.kind() != "list";
  });
  std::vector<std::string> expected{"module", "expression_statement", "assignment", "identifier",
                                    "call", "identifier", "argument_list", "integer",
                                    "if_statement", "identifier", "block",
                                    "expression_statement", "assignment", "identifier", "list"};
  CHECK(order == expected);
  // A walk from an inner node stays inside it.
  size_t inside = 0;
  Node call = tree.root().child(0).child(0).field("right");
  REQUIRE(call.kind() == "call");
  mlroast::syntax::walk(call, [&](Node n) {
    CHECK(n.start_byte() >= call.start_byte());
    CHECK(n.end_byte() <= call.end_byte());
    ++inside;
    return true;
  });
  CHECK(inside == 6);  // call, identifier, argument_list, (, integer, )
}

TEST_CASE("an edited tree rebuilds its flat nodes; a copy keeps the old ones", "[syntax][flat]") {
  Parser p;
  std::string text = "x = 1\ny = 2\n";
  auto tree = p.parse(text);
  auto before = tree.copy();
  mlroast::syntax::InputEdit e;  // insert "# c\n" at the start
  e.start_byte = 0;
  e.old_end_byte = 0;
  e.new_end_byte = 4;
  e.new_end_point = {1, 0};
  tree.edit(e);
  CHECK(tree.root().child(0).start_byte() == 4);
  CHECK(tree.root().child(0).start_point().row == 1);
  CHECK(before.root().child(0).start_byte() == 0);
  std::string edited = "# c\n" + text;
  auto reparsed = p.parse(edited, &tree);
  CHECK(reparsed.root().child(0).kind() == "comment");
  CHECK(reparsed.root().sexp() == p.parse(edited).root().sexp());
}

TEST_CASE("the compile-time field table is the loaded grammar's") {
  const TSLanguage* lang = mlroast::syntax::detail::language();
  const uint32_t fields = ts_language_field_count(lang);
  REQUIRE(std::size(mlroast::syntax::detail::kFieldNames) == fields + 1);
  for (uint32_t f = 1; f <= fields; ++f) {
    const char* name = ts_language_field_name_for_id(lang, static_cast<TSFieldId>(f));
    REQUIRE(name != nullptr);
    CHECK(mlroast::syntax::detail::kFieldNames[f] == std::string_view(name));
  }
  static_assert(mlroast::syntax::FieldName("function").id == 14);
}

TEST_CASE("symbol_for answers as tree-sitter's ts_language_symbol_for_name") {
  const TSLanguage* lang = mlroast::syntax::detail::language();
  auto ts = [lang](std::string_view name, bool named) {
    return ts_language_symbol_for_name(lang, name.data(), static_cast<uint32_t>(name.size()),
                                       named);
  };
  for (uint32_t sym = 0, n = ts_language_symbol_count(lang); sym < n; ++sym) {
    const std::string_view name = ts_language_symbol_name(lang, static_cast<TSSymbol>(sym));
    for (bool named : {false, true}) {
      INFO(name << (named ? " (named)" : ""));
      CHECK(mlroast::syntax::symbol_for(name, named) == ts(name, named));
    }
  }
  for (std::string_view other : {"ERROR", "no_such_kind", "", "E"})
    for (bool named : {false, true}) CHECK(mlroast::syntax::symbol_for(other, named) == ts(other, named));
  CHECK(mlroast::syntax::symbol_for("call") != 0);
}
