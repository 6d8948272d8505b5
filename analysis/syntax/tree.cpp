#include "analysis/syntax/tree.hpp"

#include <cstdint>
#include <cstdlib>
#include <utility>
#include <stdexcept>
#include <unordered_map>

extern "C" const TSLanguage* tree_sitter_python(void);

namespace mlroast::syntax {

namespace {
TSPoint to_ts(Point p) { return TSPoint{p.row, p.column}; }
}  // namespace

namespace {
const TSLanguage* language() {
  static const TSLanguage* lang = tree_sitter_python();
  return lang;
}

// Symbol -> kind name, built once ("ERROR" for tree-sitter's error symbol).
std::string_view kind_name(uint16_t symbol) {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> v(ts_language_symbol_count(language()));
    for (uint32_t s = 0; s < v.size(); ++s) {
      const char* n = ts_language_symbol_name(language(), static_cast<TSSymbol>(s));
      v[s] = n ? std::string_view(n) : std::string_view{};
    }
    return v;
  }();
  if (symbol < names.size()) return names[symbol];
  return symbol == static_cast<uint16_t>(-1) ? std::string_view("ERROR") : std::string_view{};
}

// Field name -> id, built once.
TSFieldId field_id(std::string_view name) {
  static const std::unordered_map<std::string_view, TSFieldId> ids = [] {
    std::unordered_map<std::string_view, TSFieldId> m;
    const uint32_t count = ts_language_field_count(language());
    for (uint32_t id = 1; id <= count; ++id) {
      const char* n = ts_language_field_name_for_id(language(), static_cast<TSFieldId>(id));
      if (n != nullptr) m.emplace(n, static_cast<TSFieldId>(id));
    }
    return m;
  }();
  auto it = ids.find(name);
  return it == ids.end() ? 0 : it->second;
}

detail::FlatNode flat_node(TSNode n, uint32_t parent, TSFieldId field) {
  detail::FlatNode f;
  f.start_byte = ts_node_start_byte(n);
  f.end_byte = ts_node_end_byte(n);
  TSPoint s = ts_node_start_point(n), e = ts_node_end_point(n);
  f.start_point = Point{s.row, s.column};
  f.end_point = Point{e.row, e.column};
  f.parent = parent;
  f.symbol = ts_node_symbol(n);
  f.field = static_cast<uint8_t>(field);
  f.flags = static_cast<uint8_t>((ts_node_is_named(n) ? detail::FlatNode::kNamed : 0) |
                                 (ts_node_is_missing(n) ? detail::FlatNode::kMissing : 0) |
                                 (ts_node_has_error(n) ? detail::FlatNode::kHasError : 0));
  return f;
}

// Copies the tree into contiguous child blocks: one cursor pass over each node's children, an
// explicit stack (deep trees do not exhaust the C++ stack).
std::shared_ptr<const detail::FlatTree> flatten(const TSTree* tree) {
  static_assert(sizeof(TSFieldId) == 2);
  auto flat = std::make_shared<detail::FlatTree>();
  flat->ts = ts_tree_copy(tree);
  std::vector<detail::FlatNode>& nodes = flat->nodes;
  TSNode root = ts_tree_root_node(tree);
  nodes.push_back(flat_node(root, detail::kNoNode, 0));
  std::vector<std::pair<TSNode, uint32_t>> stack{{root, 0}};
  TSTreeCursor c = ts_tree_cursor_new(root);
  while (!stack.empty()) {
    auto [tn, index] = stack.back();
    stack.pop_back();
    if (ts_node_child_count(tn) == 0) continue;
    ts_tree_cursor_reset(&c, tn);
    if (!ts_tree_cursor_goto_first_child(&c)) continue;
    const auto first = static_cast<uint32_t>(nodes.size());
    uint32_t named = 0;
    do {
      TSNode child = ts_tree_cursor_current_node(&c);
      nodes.push_back(flat_node(child, index, ts_tree_cursor_current_field_id(&c)));
      if (ts_node_is_named(child)) ++named;
      if (ts_node_child_count(child) > 0)
        stack.emplace_back(child, static_cast<uint32_t>(nodes.size() - 1));
    } while (ts_tree_cursor_goto_next_sibling(&c));
    detail::FlatNode& parent = nodes[index];
    parent.first_child = first;
    parent.child_count = static_cast<uint32_t>(nodes.size()) - first;
    parent.named_child_count = named;
  }
  ts_tree_cursor_delete(&c);
  nodes.shrink_to_fit();
  return flat;
}
}  // namespace

detail::FlatTree::~FlatTree() {
  if (ts != nullptr) ts_tree_delete(ts);
}

std::string_view Node::kind() const { return t_ ? kind_name(at().symbol) : std::string_view{}; }

bool Node::is_error() const { return t_ && at().symbol == static_cast<uint16_t>(-1); }

Node Node::named_child(uint32_t i) const {
  if (!t_ || i >= at().named_child_count) return Node();
  const detail::FlatNode& n = at();
  if (n.named_child_count == n.child_count) return Node(t_, n.first_child + i);
  for (uint32_t c = n.first_child; c < n.first_child + n.child_count; ++c)
    if ((t_->nodes[c].flags & detail::FlatNode::kNamed) && i-- == 0) return Node(t_, c);
  return Node();
}

namespace {
// field_id() for the analysis' hot path: callers pass string literals, so a small per-thread
// cache keyed by the name's address answers most lookups without hashing. A hit is confirmed by
// comparing the text with the grammar's name, so a reused buffer holding another name is safe.
TSFieldId cached_field_id(std::string_view name) {
  struct Slot {
    const char* data = nullptr;
    size_t size = 0;
    TSFieldId id = 0;
  };
  thread_local Slot cache[64];
  Slot& slot = cache[(reinterpret_cast<uintptr_t>(name.data()) >> 3) & 63];
  if (slot.data == name.data() && slot.size == name.size() &&
      std::string_view(ts_language_field_name_for_id(language(), slot.id)) == name)
    return slot.id;
  const TSFieldId id = field_id(name);
  if (id != 0) slot = Slot{name.data(), name.size(), id};
  return id;
}
}  // namespace

Node Node::field(std::string_view name) const {
  if (!t_) return Node();
  const TSFieldId id = cached_field_id(name);
  if (id == 0) return Node();
  const detail::FlatNode& n = at();
  for (uint32_t c = n.first_child; c < n.first_child + n.child_count; ++c)
    if (t_->nodes[c].field == id) return Node(t_, c);
  return Node();
}

std::string_view Node::field_name_of_child(uint32_t i) const {
  if (!t_ || i >= at().child_count) return {};
  uint8_t f = t_->nodes[at().first_child + i].field;
  if (f == 0) return {};
  const char* name = ts_language_field_name_for_id(language(), f);
  return name ? std::string_view(name) : std::string_view{};
}

Node Node::next_named_sibling() const {
  if (!t_ || at().parent == detail::kNoNode) return Node();
  const detail::FlatNode& p = t_->nodes[at().parent];
  for (uint32_t c = i_ + 1; c < p.first_child + p.child_count; ++c)
    if (t_->nodes[c].flags & detail::FlatNode::kNamed) return Node(t_, c);
  return Node();
}

Node Node::prev_named_sibling() const {
  if (!t_ || at().parent == detail::kNoNode) return Node();
  const detail::FlatNode& p = t_->nodes[at().parent];
  for (uint32_t c = i_; c > p.first_child;)
    if (t_->nodes[--c].flags & detail::FlatNode::kNamed) return Node(t_, c);
  return Node();
}

std::string Node::sexp() const {
  if (!t_) return "";
  // The path of child indices from the root, replayed on the tree-sitter copy.
  std::vector<uint32_t> path;
  for (uint32_t i = i_; t_->nodes[i].parent != detail::kNoNode; i = t_->nodes[i].parent)
    path.push_back(i - t_->nodes[t_->nodes[i].parent].first_child);
  TSNode n = ts_tree_root_node(t_->ts);
  for (auto it = path.rbegin(); it != path.rend(); ++it) n = ts_node_child(n, *it);
  char* s = ts_node_string(n);
  std::string out(s);
  std::free(s);
  return out;
}

std::string_view Node::text(std::string_view source) const {
  if (!t_) return {};
  uint32_t b = start_byte(), e = end_byte();
  if (b > source.size()) return {};
  if (e > source.size()) e = static_cast<uint32_t>(source.size());
  return source.substr(b, e - b);
}

Tree::Tree(TSTree* t) : t_(t) {
  if (t_) flat_ = flatten(t_.get());
}

Node Tree::root() const {
  if (!t_) return Node();
  if (!flat_) flat_ = flatten(t_.get());  // edited since it was built
  return Node(flat_.get(), 0);
}

void Tree::edit(const InputEdit& e) {
  if (!t_) return;
  TSInputEdit te{e.start_byte,          e.old_end_byte,         e.new_end_byte,
                 to_ts(e.start_point), to_ts(e.old_end_point), to_ts(e.new_end_point)};
  ts_tree_edit(t_.get(), &te);
  flat_.reset();
}

Tree Tree::copy() const {
  if (!t_) return Tree();
  Tree out;
  out.t_.reset(ts_tree_copy(t_.get()));
  out.flat_ = flat_;
  return out;
}

Parser::Parser() : p_(ts_parser_new()) {
  if (!ts_parser_set_language(p_.get(), tree_sitter_python()))
    throw std::runtime_error("tree-sitter-python grammar ABI is not supported by libtree-sitter");
}

uint16_t symbol_for(std::string_view kind, bool named) {
  return ts_language_symbol_for_name(language(), kind.data(),
                                     static_cast<uint32_t>(kind.size()), named);
}

uint32_t symbol_count() { return ts_language_symbol_count(language()); }

std::vector<Node> children(Node n, bool named_only) {
  std::vector<Node> out;
  const uint32_t count = named_only ? n.named_child_count() : n.child_count();
  out.reserve(count);
  for (uint32_t i = 0, all = n.child_count(); i < all; ++i) {
    Node c = n.child(i);
    if (!named_only || c.is_named()) out.push_back(c);
  }
  return out;
}

namespace {

// Long runs of comment-only lines break tree-sitter 0.20.7 with this grammar: parsing time grows
// with the square of the run inside an indented block (16,000 comments: 6 s), and beyond 65,535
// consecutive comments it corrupts memory and aborts (upstream issue 2134). Comment-only lines
// beyond the first kRunLimit of a run are blanked (same length, so every byte offset is
// unchanged) in the copy handed to the parser. Such lines hold no code: nothing analysable is
// lost, and a `# noqa` there could only apply to its own, code-free line.
constexpr size_t kRunLimit = 1000;

std::string mask_long_comment_runs(std::string_view text) {
  std::string out;
  size_t run = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    size_t first = pos;
    while (first < end && (text[first] == ' ' || text[first] == '\t' || text[first] == '\r')) ++first;
    if (first == end) {
      // blank line: no node, the run goes on
    } else if (text[first] == '#') {
      if (++run > kRunLimit) {
        if (out.empty()) out.assign(text);
        for (size_t i = first; i < end; ++i)
          if (out[i] != '\r') out[i] = ' ';
      }
    } else {
      run = 0;
    }
    pos = end + 1;
  }
  return out;
}

}  // namespace

Tree Parser::parse(std::string_view text, const Tree* old) {
  std::string masked = mask_long_comment_runs(text);
  std::string_view input = masked.empty() ? text : std::string_view(masked);
  TSTree* t = ts_parser_parse_string(p_.get(), old ? old->raw() : nullptr, input.data(),
                                     static_cast<uint32_t>(input.size()));
  return Tree(t);
}

}  // namespace mlroast::syntax
