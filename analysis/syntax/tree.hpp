// The syntax layer: the only place that calls the tree-sitter C API. It owns RAII wrappers for
// the parser and trees (a Tree frees its TSTree; a Node is a cheap, non-owning view that is valid
// while its Tree lives) and the edit/reparse operations the document store needs. Nothing here
// knows about rules or the LSP. Thread rules: a Parser is used by one thread at a time; a Tree
// may be read from several threads but edited only by its owner.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <tree_sitter/api.h>

namespace mlroast::syntax {

struct Point {
  uint32_t row = 0;     // 0-based line
  uint32_t column = 0;  // 0-based byte offset within the line
  bool operator==(const Point&) const = default;
};

// One text edit as tree-sitter needs it to update an old tree before an incremental reparse.
struct InputEdit {
  uint32_t start_byte = 0, old_end_byte = 0, new_end_byte = 0;
  Point start_point, old_end_point, new_end_point;
};

// A view of one syntax node. Copyable; does not own anything. Every accessor is safe on a null
// node (it answers 0, "" or another null node), so callers can chain field lookups freely.
class Node {
 public:
  Node() = default;
  explicit Node(TSNode n) : n_(n) {}

  bool is_null() const { return ts_node_is_null(n_); }
  explicit operator bool() const { return !is_null(); }
  std::string_view kind() const;  // e.g. "call", "identifier"
  uint16_t symbol() const { return is_null() ? 0 : ts_node_symbol(n_); }
  bool is_named() const { return !is_null() && ts_node_is_named(n_); }
  bool is_error() const;    // an ERROR node
  bool is_missing() const { return !is_null() && ts_node_is_missing(n_); }
  bool has_error() const { return !is_null() && ts_node_has_error(n_); }
  uint32_t start_byte() const { return is_null() ? 0 : ts_node_start_byte(n_); }
  uint32_t end_byte() const { return is_null() ? 0 : ts_node_end_byte(n_); }
  Point start_point() const;
  Point end_point() const;
  uint32_t child_count() const { return is_null() ? 0 : ts_node_child_count(n_); }
  uint32_t named_child_count() const { return is_null() ? 0 : ts_node_named_child_count(n_); }
  Node child(uint32_t i) const { return is_null() ? Node() : Node(ts_node_child(n_, i)); }
  Node named_child(uint32_t i) const {
    return is_null() ? Node() : Node(ts_node_named_child(n_, i));
  }
  Node field(std::string_view name) const;  // child by field name, or a null Node
  std::string_view field_name_of_child(uint32_t i) const;  // "" when the child has no field
  Node parent() const { return is_null() ? Node() : Node(ts_node_parent(n_)); }
  Node next_named_sibling() const {
    return is_null() ? Node() : Node(ts_node_next_named_sibling(n_));
  }
  Node prev_named_sibling() const {
    return is_null() ? Node() : Node(ts_node_prev_named_sibling(n_));
  }
  const void* id() const { return n_.id; }  // identity within one tree
  std::string sexp() const;                 // S-expression, for tests and debugging
  // The source text of this node; `source` must be the text the tree was parsed from.
  std::string_view text(std::string_view source) const;
  bool operator==(const Node& o) const { return n_.id == o.n_.id && n_.tree == o.n_.tree; }
  TSNode raw() const { return n_; }

 private:
  TSNode n_{};
};

// An owned syntax tree. Move-only; copy() makes an independent shallow copy (cheap).
class Tree {
 public:
  Tree() = default;
  explicit Tree(TSTree* t) : t_(t) {}
  bool valid() const { return t_ != nullptr; }
  Node root() const;
  void edit(const InputEdit& e);  // record an edit before reparsing with this tree as old
  Tree copy() const;
  TSTree* raw() const { return t_.get(); }

 private:
  struct Deleter {
    void operator()(TSTree* t) const { ts_tree_delete(t); }
  };
  std::unique_ptr<TSTree, Deleter> t_;
};

// A Python parser. parse() never fails on any input bytes: syntax errors become ERROR nodes.
class Parser {
 public:
  Parser();
  Parser(Parser&&) noexcept = default;
  Parser& operator=(Parser&&) noexcept = default;
  // Parses `text`; when `old` is given (already edit()ed), reuses its unchanged subtrees.
  Tree parse(std::string_view text, const Tree* old = nullptr);

 private:
  struct Deleter {
    void operator()(TSParser* p) const { ts_parser_delete(p); }
  };
  std::unique_ptr<TSParser, Deleter> p_;
};

// The children of `n` (all, or only named ones), in order. Uses a tree cursor: O(children),
// where repeated child(i) calls cost O(i) each in tree-sitter 0.20 (quadratic on long blocks).
std::vector<Node> children(Node n, bool named_only = true);

// The grammar's symbol id for a node kind ("call", "identifier"), 0 when the grammar has none.
uint16_t symbol_for(std::string_view kind, bool named = true);
uint32_t symbol_count();

// Calls `visit(node)` for every node in pre-order (named and anonymous). `visit` returns false
// to skip the node's children. Iterative: deep trees do not exhaust the stack.
template <typename F>
void walk(Node root, F&& visit) {
  TSTreeCursor c = ts_tree_cursor_new(root.raw());
  bool descend = true;
  for (;;) {
    if (descend) {
      bool into = visit(Node(ts_tree_cursor_current_node(&c)));
      if (into && ts_tree_cursor_goto_first_child(&c)) continue;
    }
    if (ts_tree_cursor_goto_next_sibling(&c)) {
      descend = true;
      continue;
    }
    descend = false;
    if (!ts_tree_cursor_goto_parent(&c)) break;
  }
  ts_tree_cursor_delete(&c);
}

}  // namespace mlroast::syntax
