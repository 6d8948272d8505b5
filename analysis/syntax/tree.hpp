// The syntax layer: the only place that calls the tree-sitter C API. A Parser parses Python into
// a Tree, our own array copy of tree-sitter's nodes; a Node is a cheap, non-owning view that is
// valid while its Tree (or a copy) lives; edit/reparse serve the document store. Nothing here
// knows about rules or the LSP. Thread rules: a Parser is used by one thread at a time; a Tree
// may be read from several threads but edited only by its owner.
#pragma once

#include <cstdint>
#include <iterator>
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

namespace detail {
constexpr uint32_t kNoNode = 0xFFFFFFFFu;
// One node of a FlatTree. The children of a node are contiguous: first_child .. first_child +
// child_count - 1, so child(i), field lookups and siblings are array reads.
struct FlatNode {
  uint32_t start_byte = 0, end_byte = 0;
  Point start_point, end_point;
  uint32_t parent = kNoNode;
  uint32_t first_child = 0;
  uint32_t child_count = 0;
  uint32_t named_child_count = 0;
  uint16_t symbol = 0;  // tree-sitter's public symbol (ts_node_symbol)
  uint8_t field = 0;    // field id of this node within its parent, 0 for none
  uint8_t flags = 0;    // kNamed | kMissing | kHasError
  static constexpr uint8_t kNamed = 1, kMissing = 2, kHasError = 4;
};
// A tree-sitter tree copied once into an array (nodes[0] is the root). tree-sitter 0.20's node
// API recomputes positions and walks child lists on every call (field lookup, parent, child(i)
// and the cursor were over half of the analysis); here each accessor is O(1). `ts` is a private
// copy of the tree it was built from, used only to print S-expressions.
struct FlatTree;
const TSLanguage* language();  // the Python grammar
// Kind names by symbol (tree-sitter's error symbol excepted), built once.
struct KindNames {
  const std::string_view* names;
  uint32_t count;
};
const KindNames& kind_names();

// The Python grammar's field names by field id (tree-sitter numbers fields alphabetically from 1;
// tree-sitter-python 0.23.6 has 32). syntax_flat_tree_test checks this table against the loaded
// grammar, so a grammar update that renumbers fields fails the tests instead of misreading trees.
inline constexpr std::string_view kFieldNames[] = {
    "",
    "alias",
    "alternative",
    "argument",
    "arguments",
    "attribute",
    "body",
    "cause",
    "code",
    "condition",
    "consequence",
    "definition",
    "expression",
    "format_specifier",
    "function",
    "guard",
    "key",
    "left",
    "module_name",
    "name",
    "object",
    "operator",
    "operators",
    "parameters",
    "return_type",
    "right",
    "subject",
    "subscript",
    "superclasses",
    "type",
    "type_conversion",
    "type_parameters",
    "value"};
consteval uint8_t field_id_of(std::string_view name) {
  for (size_t i = 1; i < std::size(kFieldNames); ++i)
    if (kFieldNames[i] == name) return static_cast<uint8_t>(i);
  throw "not a field name of the Python grammar";  // reached at compile time: an error
}
}  // namespace detail

// A field name numbered at compile time, so that `n.field("function")` is a scan of n's few
// children (it was a hashed lookup, ~17% of an analysis), and a misspelt name does not compile.
struct FieldName {
  // NOLINTNEXTLINE(google-explicit-constructor,hicpp-explicit-conversions): literals convert
  consteval FieldName(const char* name) : id(detail::field_id_of(name)) {}
  uint8_t id;
};

// A view of one syntax node. Copyable; does not own anything; valid while its Tree (or a copy
// of it) lives. Every accessor is safe on a null node (it answers 0, "" or another null node), so
// callers can chain field lookups freely.
class Node {
 public:
  Node() = default;
  Node(const detail::FlatTree* t, uint32_t i) : t_(t), i_(i) {}

  bool is_null() const { return t_ == nullptr; }
  explicit operator bool() const { return t_ != nullptr; }
  std::string_view kind() const {  // e.g. "call", "identifier"; inline: the hottest accessor
    if (!t_) return {};
    static const detail::KindNames& k = detail::kind_names();
    const uint16_t s = at().symbol;
    return s < k.count ? k.names[s] : s == 0xFFFF ? std::string_view("ERROR") : std::string_view{};
  }
  uint16_t symbol() const { return t_ ? at().symbol : 0; }
  bool is_named() const { return t_ && (at().flags & detail::FlatNode::kNamed); }
  bool is_error() const;  // an ERROR node
  bool is_missing() const { return t_ && (at().flags & detail::FlatNode::kMissing); }
  bool has_error() const { return t_ && (at().flags & detail::FlatNode::kHasError); }
  uint32_t start_byte() const { return t_ ? at().start_byte : 0; }
  uint32_t end_byte() const { return t_ ? at().end_byte : 0; }
  Point start_point() const { return t_ ? at().start_point : Point{}; }
  Point end_point() const { return t_ ? at().end_point : Point{}; }
  uint32_t child_count() const { return t_ ? at().child_count : 0; }
  uint32_t named_child_count() const { return t_ ? at().named_child_count : 0; }
  Node child(uint32_t i) const {
    return t_ && i < at().child_count ? Node(t_, at().first_child + i) : Node();
  }
  Node named_child(uint32_t i) const;
  Node field(FieldName name) const;  // child by field name, or a null Node
  Node field_named(std::string_view name) const;  // the same for a name known only at run time
  std::string_view field_name_of_child(uint32_t i) const;  // "" when the child has no field
  Node parent() const {
    return t_ && at().parent != detail::kNoNode ? Node(t_, at().parent) : Node();
  }
  Node next_named_sibling() const;
  Node prev_named_sibling() const;
  const void* id() const { return t_ ? &at() : nullptr; }  // identity within one tree
  std::string sexp() const;  // S-expression (tree-sitter's format), for tests and debugging
  // The source text of this node; `source` must be the text the tree was parsed from.
  std::string_view text(std::string_view source) const;
  bool operator==(const Node& o) const { return t_ == o.t_ && (t_ == nullptr || i_ == o.i_); }

  // For walk(): the flat tree and this node's index in it.
  const detail::FlatTree* flat() const { return t_; }
  uint32_t index() const { return i_; }

 private:
  const detail::FlatNode& at() const;
  const detail::FlatTree* t_ = nullptr;
  uint32_t i_ = 0;
};

namespace detail {
// One top-level statement parsed on its own, with the comments and blank lines after it. It
// starts a line, so its nodes' columns are the file's; bytes and rows are relative to its start.
struct Statement {
  std::string text;             // its bytes, to recognise it again after an edit elsewhere
  std::vector<FlatNode> nodes;  // flattened from its own parse, laid out like FlatTree::nodes
  uint32_t newlines = 0;        // rows it spans
  bool has_error = false;
};

struct FlatTree {
  std::vector<FlatNode> nodes;
  // The statements the text was parsed as (also kept when their parse was not used, to be
  // reused by the next parse).
  std::vector<std::shared_ptr<const Statement>> statements;
  // When a statement has a syntax error the text is parsed as a whole instead (tree-sitter's
  // error recovery may span statements): this is that tree (owned), else null.
  TSTree* ts = nullptr;
  FlatTree() = default;
  FlatTree(const FlatTree&) = delete;
  FlatTree& operator=(const FlatTree&) = delete;
  ~FlatTree();
};

// `flat` with `edits` applied to its positions, as tree-sitter's ts_tree_edit shifts them.
std::shared_ptr<const FlatTree> apply_edits(const FlatTree& flat, const std::vector<InputEdit>& edits);
}  // namespace detail

inline const detail::FlatNode& Node::at() const { return t_->nodes[i_]; }

inline Node Node::field(FieldName name) const {
  if (!t_) return Node();
  const detail::FlatNode& n = at();
  for (uint32_t c = n.first_child; c < n.first_child + n.child_count; ++c)
    if (t_->nodes[c].field == name.id) return Node(t_, c);
  return Node();
}

// An owned syntax tree. Move-only; copy() is cheap (the nodes are shared, never modified).
// edit() records an edit before an incremental reparse; root() of an edited tree shows the
// positions shifted as tree-sitter would (for tests; the parser reads the recorded edits).
class Tree {
 public:
  Tree() = default;
  Tree(Tree&&) noexcept = default;
  Tree& operator=(Tree&&) noexcept = default;
  bool valid() const { return flat_ != nullptr; }
  Node root() const;
  void edit(const InputEdit& e);  // record an edit before reparsing with this tree as old
  Tree copy() const;

 private:
  friend class Parser;
  std::shared_ptr<const detail::FlatTree> flat_;
  std::vector<InputEdit> edits_;                          // recorded since the parse
  mutable std::shared_ptr<const detail::FlatTree> edited_;  // flat_ with edits_ applied
};

// A Python parser. parse() never fails on any input bytes: syntax errors become ERROR nodes.
class Parser {
 public:
  Parser();
  Parser(Parser&&) noexcept = default;
  Parser& operator=(Parser&&) noexcept = default;
  // Parses `text` one top-level statement at a time (syntax::statement_starts), then copies the
  // statements' nodes under one module node: the same tree as one parse of the text, which a
  // test checks node by node. With `old`, statements whose text is unchanged are reused, so a
  // keystroke reparses one statement; `old` may come from any text. When a statement has a
  // syntax error, the text is parsed as a whole: incrementally when `old` was parsed that way too
  // and its recorded edits (edit()) turn its text into `text`, which the caller must ensure.
  Tree parse(std::string_view text, const Tree* old = nullptr);
  // Parses `text` as a whole, for a text analysed once and never reparsed (the CLI, the review):
  // the same tree, without the statements that only a later parse() could reuse. A text with a
  // syntax error costs one parse instead of its statements' and then the whole text's.
  // tree-sitter's tree is not kept, so sexp() of an error prints no UNEXPECTED leaves.
  Tree parse_once(std::string_view text);

 private:
  struct Deleter {
    void operator()(TSParser* p) const { ts_parser_delete(p); }
  };
  std::unique_ptr<TSParser, Deleter> p_;
};

// The children of a node (all, or only named ones), in order, read from the tree in place: a
// range for `for`, with size(), empty() and [i] (O(i) when some children are unnamed), and
// converting to a std::vector<Node> where one is kept. (It was a vector, allocated on every
// call: the most frequent allocation of an analysis.)
class Children {
 public:
  class iterator {
   public:
    using value_type = Node;
    using difference_type = std::ptrdiff_t;
    iterator() = default;
    iterator(const detail::FlatTree* t, uint32_t i, uint32_t end, bool named_only)
        : t_(t), i_(i), end_(end), named_only_(named_only) {
      skip();
    }
    Node operator*() const { return Node(t_, i_); }
    iterator& operator++() {
      ++i_;
      skip();
      return *this;
    }
    iterator operator++(int) {
      iterator before = *this;
      ++*this;
      return before;
    }
    bool operator==(const iterator& o) const { return i_ == o.i_; }

   private:
    void skip() {
      while (named_only_ && i_ < end_ && (t_->nodes[i_].flags & detail::FlatNode::kNamed) == 0) ++i_;
    }
    const detail::FlatTree* t_ = nullptr;
    uint32_t i_ = 0, end_ = 0;
    bool named_only_ = true;
  };

  Children(Node n, bool named_only) : n_(n), named_only_(named_only) {}
  iterator begin() const {
    if (n_.is_null()) return {};
    const detail::FlatNode& f = n_.flat()->nodes[n_.index()];
    return iterator(n_.flat(), f.first_child, f.first_child + f.child_count, named_only_);
  }
  iterator end() const {
    if (n_.is_null()) return {};
    const detail::FlatNode& f = n_.flat()->nodes[n_.index()];
    return iterator(n_.flat(), f.first_child + f.child_count, f.first_child + f.child_count,
                    named_only_);
  }
  size_t size() const { return named_only_ ? n_.named_child_count() : n_.child_count(); }
  bool empty() const { return size() == 0; }
  Node operator[](size_t i) const {
    return named_only_ ? n_.named_child(static_cast<uint32_t>(i)) : n_.child(static_cast<uint32_t>(i));
  }
  // NOLINTNEXTLINE(google-explicit-constructor,hicpp-explicit-conversions): kept as a vector
  operator std::vector<Node>() const { return std::vector<Node>(begin(), end()); }

 private:
  Node n_;
  bool named_only_;
};

inline Children children(Node n, bool named_only = true) { return Children(n, named_only); }

// The grammar's symbol id for a node kind ("call", "identifier"), 0 when the grammar has none.
uint16_t symbol_for(std::string_view kind, bool named = true);
uint32_t symbol_count();

// Calls `visit(node)` for every node in pre-order (named and anonymous). `visit` returns false
// to skip the node's children. Iterative: deep trees do not exhaust the stack.
template <typename F>
void walk(Node root, F&& visit) {
  const detail::FlatTree* t = root.flat();
  if (t == nullptr) return;
  const std::vector<detail::FlatNode>& nodes = t->nodes;
  const uint32_t top = root.index();
  uint32_t i = top;
  bool descend = true;
  for (;;) {
    if (descend) {
      const detail::FlatNode& n = nodes[i];
      if (visit(Node(t, i)) && n.child_count > 0) {
        i = n.first_child;
        continue;
      }
    }
    if (i == top) break;
    const detail::FlatNode& p = nodes[nodes[i].parent];
    if (i + 1 < p.first_child + p.child_count) {
      ++i;
      descend = true;
      continue;
    }
    descend = false;
    i = nodes[i].parent;
  }
}

}  // namespace mlroast::syntax
