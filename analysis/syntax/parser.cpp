// Parsing into a flat Tree: one top-level statement at a time, reusing unchanged statements, and
// one parse of the whole text when a statement has a syntax error.
#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <cstdint>
#include <utility>

#include "analysis/syntax/statements.hpp"
#include "analysis/syntax/tree.hpp"

extern "C" const TSLanguage* tree_sitter_python(void);

namespace mlroast::syntax {

namespace {

using detail::FlatNode;
using detail::FlatTree;
using detail::Statement;

void edit_ts(TSTree* tree, const InputEdit& e) {
  TSInputEdit te{e.start_byte,
                 e.old_end_byte,
                 e.new_end_byte,
                 {e.start_point.row, e.start_point.column},
                 {e.old_end_point.row, e.old_end_point.column},
                 {e.new_end_point.row, e.new_end_point.column}};
  ts_tree_edit(tree, &te);
}

FlatNode flat_node(TSNode n, uint32_t parent, TSFieldId field) {
  FlatNode f;
  f.start_byte = ts_node_start_byte(n);
  f.end_byte = ts_node_end_byte(n);
  TSPoint s = ts_node_start_point(n), e = ts_node_end_point(n);
  f.start_point = Point{s.row, s.column};
  f.end_point = Point{e.row, e.column};
  f.parent = parent;
  f.symbol = ts_node_symbol(n);
  f.field = static_cast<uint8_t>(field);
  f.flags = static_cast<uint8_t>((ts_node_is_named(n) ? FlatNode::kNamed : 0) |
                                 (ts_node_is_missing(n) ? FlatNode::kMissing : 0) |
                                 (ts_node_has_error(n) ? FlatNode::kHasError : 0));
  return f;
}

// Copies tree-sitter's tree into contiguous child blocks (nodes[0] is the root, its children
// are nodes[1..]): one cursor pass over each node's children, an explicit stack (deep trees do
// not exhaust the C++ stack). The blocks are laid out in the order a pre-order walk reaches
// their parents, so that a walk moves forward through memory: the tree of a 2,000-line file
// (1.8 MB) does not fit a core's L2, and a walk that jumps back and forth missed the cache on
// most nodes (0.56 ms per walk in the server, against 0.09 ms warm).
std::vector<FlatNode> flatten(const TSTree* tree) {
  static_assert(sizeof(TSFieldId) == 2);
  std::vector<FlatNode> nodes;
  TSNode root = ts_tree_root_node(tree);
  nodes.push_back(flat_node(root, detail::kNoNode, 0));
  std::vector<std::pair<TSNode, uint32_t>> stack{{root, 0}};
  std::vector<std::pair<TSNode, uint32_t>> parents;  // this block's nodes that have children
  TSTreeCursor c = ts_tree_cursor_new(root);
  while (!stack.empty()) {
    auto [tn, index] = stack.back();
    stack.pop_back();
    if (ts_node_child_count(tn) == 0) continue;
    ts_tree_cursor_reset(&c, tn);
    if (!ts_tree_cursor_goto_first_child(&c)) continue;
    const auto first = static_cast<uint32_t>(nodes.size());
    uint32_t named = 0;
    parents.clear();
    do {
      TSNode child = ts_tree_cursor_current_node(&c);
      nodes.push_back(flat_node(child, index, ts_tree_cursor_current_field_id(&c)));
      if (ts_node_is_named(child)) ++named;
      if (ts_node_child_count(child) > 0)
        parents.emplace_back(child, static_cast<uint32_t>(nodes.size() - 1));
    } while (ts_tree_cursor_goto_next_sibling(&c));
    stack.insert(stack.end(), parents.rbegin(), parents.rend());  // the first child pops first
    FlatNode& parent = nodes[index];
    parent.first_child = first;
    parent.child_count = static_cast<uint32_t>(nodes.size()) - first;
    parent.named_child_count = named;
  }
  ts_tree_cursor_delete(&c);
  nodes.shrink_to_fit();
  return nodes;
}


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

std::shared_ptr<const Statement> parse_statement(TSParser* parser, std::string_view text) {
  auto s = std::make_shared<Statement>();
  s->text.assign(text);
  for (char c : text) s->newlines += c == '\n';
  TSTree* t = ts_parser_parse_string(parser, nullptr, text.data(), static_cast<uint32_t>(text.size()));
  if (t == nullptr) {
    s->has_error = true;
    return s;
  }
  s->nodes = flatten(t);
  s->has_error = ts_node_has_error(ts_tree_root_node(t));
  ts_tree_delete(t);
  return s;
}

// How a block of nodes moves into the stitched array: positions by `byte` and `row`; a parent
// index p (0 is the module) to p + top_shift when p <= top_limit (a top-level node of the
// block's source) and to p + deep_shift otherwise; a first child index (never top-level) by
// deep_shift. Unsigned wrap-around makes a negative shift.
struct Remap {
  uint32_t byte = 0, row = 0, top_limit = 0, top_shift = 0, deep_shift = 0;
  void apply(FlatNode& n) const {
    n.start_byte += byte;
    n.end_byte += byte;
    n.start_point.row += row;
    n.end_point.row += row;
    if (n.parent != 0) n.parent += n.parent <= top_limit ? top_shift : deep_shift;
    if (n.child_count > 0) n.first_child += deep_shift;
  }
  bool identity() const { return byte == 0 && row == 0 && top_shift == 0 && deep_shift == 0; }
};

// Appends `count` nodes from `from`, moved by `r`: one block copy, then one tight fix-up loop.
void append(std::vector<FlatNode>& nodes, const FlatNode* from, uint32_t count, const Remap& r) {
  const size_t at = nodes.size();
  nodes.insert(nodes.end(), from, from + count);
  if (r.identity()) return;
  for (size_t i = at; i < nodes.size(); ++i) r.apply(nodes[i]);
}

// Node counts and size of a run of statements.
struct Span {
  uint32_t top = 0, named_top = 0, deep = 0, bytes = 0, rows = 0;
};

Span measure(const std::vector<std::shared_ptr<const Statement>>& statements, size_t from,
             size_t to) {
  Span sum;
  for (size_t k = from; k < to; ++k) {
    const Statement& s = *statements[k];
    sum.top += s.nodes[0].child_count;
    sum.named_top += s.nodes[0].named_child_count;
    sum.deep += static_cast<uint32_t>(s.nodes.size()) - 1 - s.nodes[0].child_count;
    sum.bytes += static_cast<uint32_t>(s.text.size());
    sum.rows += s.newlines;
  }
  return sum;
}

// The statements' nodes under one module node. Layout: [0] the module, [1..T] every
// statement's top-level nodes in order, then each statement's deeper nodes. A statement's own
// module node maps to [0]; bytes and rows move by where the statement starts. The array is
// written front to back (no pass that value-initialises it first).
// With `old`, the stitched tree of an earlier parse, the statements both share at the start
// (the same objects, so the same text) and at the end are moved over from its array as four
// blocks instead of statement by statement: a keystroke re-places only the statement it
// changed, and the unchanged statements before it are a plain copy.
void stitch(FlatTree& flat, const FlatTree* old) {
  const auto& now = flat.statements;
  size_t head = 0, tail = 0;
  if (old != nullptr) {
    const auto& was = old->statements;
    const size_t most = std::min(now.size(), was.size());
    while (head < most && now[head] == was[head]) ++head;
    while (tail < most - head && now[now.size() - 1 - tail] == was[was.size() - 1 - tail]) ++tail;
  }
  const size_t middle_end = now.size() - tail;
  const Span total = measure(now, 0, now.size());
  const uint32_t size = 1 + total.top + total.deep;
  Span h, t;
  Remap head_map, tail_map;
  uint32_t old_top = 0, old_size = 0;
  if (head > 0 || tail > 0) {
    const Span old_total = measure(old->statements, 0, old->statements.size());
    h = measure(now, 0, head);
    t = measure(now, middle_end, now.size());
    old_top = old_total.top;
    old_size = 1 + old_total.top + old_total.deep;
    // The head keeps its positions and top-level indices; its deeper nodes move with the size
    // of the top-level block. The tail moves with the text, the rows and both blocks before it.
    head_map = Remap{0, 0, old_top, 0, total.top - old_top};
    tail_map = Remap{total.bytes - old_total.bytes, total.rows - old_total.rows, old_top,
                     total.top - old_top, size - old_size};
  }
  // A statement's own nodes: local index l maps to top + l - 1 for its top-level nodes (1..m)
  // and to deep + l - 1 - m for the others.
  const auto local_map = [](const Statement& s, uint32_t top, uint32_t deep, uint32_t byte,
                            uint32_t row) {
    const uint32_t m = s.nodes[0].child_count;
    return Remap{byte, row, m, top - 1, deep - 1 - m};
  };

  std::vector<FlatNode>& nodes = flat.nodes;
  nodes.clear();
  nodes.reserve(size);
  nodes.emplace_back();  // the module, filled in below
  // The top-level block, then the deeper one, each in statement order.
  for (const bool top_level : {true, false}) {
    if (head > 0) {
      const uint32_t from = top_level ? 1 : 1 + old_top;
      append(nodes, old->nodes.data() + from, top_level ? h.top : h.deep, head_map);
    }
    uint32_t top = 1 + h.top, deep = 1 + total.top + h.deep, byte = h.bytes, row = h.rows;
    for (size_t k = head; k < middle_end; ++k) {
      const Statement& s = *now[k];
      const uint32_t m = s.nodes[0].child_count;
      const auto count = static_cast<uint32_t>(s.nodes.size());
      const Remap r = local_map(s, top, deep, byte, row);
      if (top_level)
        append(nodes, s.nodes.data() + 1, m, r);
      else
        append(nodes, s.nodes.data() + 1 + m, count - 1 - m, r);
      top += m;
      deep += count - 1 - m;
      byte += static_cast<uint32_t>(s.text.size());
      row += s.newlines;
    }
    if (tail > 0) {
      const uint32_t from = top_level ? 1 + old_top - t.top : old_size - t.deep;
      append(nodes, old->nodes.data() + from, top_level ? t.top : t.deep, tail_map);
    }
  }
  // The module spans what the statements' modules span: from the first token to the end.
  FlatNode root = now.front()->nodes[0];
  const FlatNode& last = now.back()->nodes[0];
  root.end_byte = last.end_byte + total.bytes - static_cast<uint32_t>(now.back()->text.size());
  root.end_point =
      Point{last.end_point.row + total.rows - now.back()->newlines, last.end_point.column};
  root.first_child = 1;
  root.child_count = total.top;
  root.named_child_count = total.named_top;
  nodes[0] = root;
}

}  // namespace

detail::FlatTree::~FlatTree() {
  if (ts != nullptr) ts_tree_delete(ts);
}

Parser::Parser() : p_(ts_parser_new()) {
  if (!ts_parser_set_language(p_.get(), tree_sitter_python()))
    throw std::runtime_error("tree-sitter-python grammar ABI is not supported by libtree-sitter");
}

Tree Parser::parse_once(std::string_view text) {
  std::string masked = mask_long_comment_runs(text);
  std::string_view input = masked.empty() ? text : std::string_view(masked);
  auto flat = std::make_shared<FlatTree>();
  TSTree* ts = ts_parser_parse_string(p_.get(), nullptr, input.data(),
                                      static_cast<uint32_t>(input.size()));
  if (ts == nullptr) return Tree();
  flat->nodes = flatten(ts);
  ts_tree_delete(ts);  // nothing reparses it: only the flat nodes are read
  Tree out;
  out.flat_ = std::move(flat);
  return out;
}

Tree Parser::parse(std::string_view text, const Tree* old) {
  std::string masked = mask_long_comment_runs(text);
  std::string_view input = masked.empty() ? text : std::string_view(masked);

  // The old text's statements, where they started, and by how much the text grew.
  static const std::vector<std::shared_ptr<const Statement>> kNone;
  const auto& old_statements = old != nullptr && old->flat_ != nullptr ? old->flat_->statements : kNone;
  std::vector<std::string_view> old_texts;
  std::vector<int64_t> old_starts;
  old_texts.reserve(old_statements.size());
  old_starts.reserve(old_statements.size());
  int64_t old_size = 0;
  for (const auto& s : old_statements) {
    old_texts.push_back(s->text);
    old_starts.push_back(old_size);
    old_size += static_cast<int64_t>(s->text.size());
  }
  const int64_t delta = static_cast<int64_t>(input.size()) - old_size;

  auto flat = std::make_shared<FlatTree>();
  syntax::UnchangedStatements same;
  const std::vector<uint32_t> starts =
      old_statements.empty() ? statement_starts(input) : statement_starts(input, old_texts, &same);
  // An unchanged statement is reused: the next old one in order (before the edit), or the old
  // one as far from the end (after it). Any other statement is parsed.
  size_t next_old = same.head;
  constexpr size_t kParse = SIZE_MAX;
  const auto reusable = [&](std::string_view piece, int64_t start) -> size_t {
    if (next_old < old_statements.size() && old_starts[next_old] == start && old_texts[next_old] == piece)
      return next_old++;
    const auto it = std::lower_bound(old_starts.begin(), old_starts.end(), start - delta);
    if (it == old_starts.end() || *it != start - delta) return kParse;
    const auto index = static_cast<size_t>(it - old_starts.begin());
    if (old_texts[index] != piece) return kParse;
    next_old = index + 1;
    return index;
  };
  bool error = false;
  for (size_t k = 0; k < starts.size(); ++k) {
    size_t end = k + 1 < starts.size() ? starts[k + 1] : input.size();
    std::string_view piece = input.substr(starts[k], end - starts[k]);
    // Known unchanged (no text comparison), else compared, else parsed.
    const size_t reuse = k < same.head       ? k
                         : k >= same.tail_new ? same.tail_old + (k - same.tail_new)
                                              : reusable(piece, starts[k]);
    flat->statements.push_back(reuse != kParse ? old_statements[reuse]
                                               : parse_statement(p_.get(), piece));
    error = error || flat->statements.back()->has_error;
  }

  if (!error) {
    // An old tree that was stitched too (not parsed as a whole) lends its unchanged blocks.
    const bool stitched = old != nullptr && old->flat_ != nullptr && old->flat_->ts == nullptr &&
                          !old->flat_->nodes.empty() && !old_statements.empty();
    stitch(*flat, stitched ? old->flat_.get() : nullptr);
  } else {
    // Parsed as a whole, incrementally from `old` when it was parsed as a whole too.
    TSTree* previous = nullptr;
    // Only from a tree whose recorded edits say how it became `text`: an old tree passed for its
    // statements alone (no edits recorded) may have been parsed from anything.
    if (old != nullptr && old->flat_ != nullptr && old->flat_->ts != nullptr && !old->edits_.empty()) {
      previous = ts_tree_copy(old->flat_->ts);
      for (const InputEdit& e : old->edits_) edit_ts(previous, e);
    }
    flat->ts = ts_parser_parse_string(p_.get(), previous, input.data(),
                                      static_cast<uint32_t>(input.size()));
    if (previous != nullptr) ts_tree_delete(previous);
    if (flat->ts == nullptr) return Tree();
    flat->nodes = flatten(flat->ts);
  }
  Tree out;
  out.flat_ = std::move(flat);
  return out;
}

namespace detail {

namespace {
// A position after `e`, as ts_tree_edit moves it: behind the edit it shifts with the edit's
// end; inside the replaced range it moves to the end of the inserted text.
void shift(uint32_t& byte, Point& point, const InputEdit& e) {
  if (byte >= e.old_end_byte) {
    byte = byte - e.old_end_byte + e.new_end_byte;
    if (point.row == e.old_end_point.row)
      point = Point{e.new_end_point.row, e.new_end_point.column + point.column - e.old_end_point.column};
    else
      point.row = point.row - e.old_end_point.row + e.new_end_point.row;
  } else if (byte > e.start_byte) {
    byte = e.new_end_byte;
    point = e.new_end_point;
  }
}
}  // namespace

std::shared_ptr<const FlatTree> apply_edits(const FlatTree& flat, const std::vector<InputEdit>& edits) {
  auto out = std::make_shared<FlatTree>();
  if (flat.ts != nullptr) {
    out->ts = ts_tree_copy(flat.ts);
    for (const InputEdit& e : edits) edit_ts(out->ts, e);
    out->nodes = flatten(out->ts);
    return out;
  }
  out->nodes = flat.nodes;
  for (const InputEdit& e : edits)
    for (FlatNode& n : out->nodes) {
      shift(n.start_byte, n.start_point, e);
      shift(n.end_byte, n.end_point, e);
    }
  return out;
}

}  // namespace detail

}  // namespace mlroast::syntax
