#include "analysis/syntax/tree.hpp"

#include <cstdlib>
#include <stdexcept>
#include <unordered_map>

extern "C" const TSLanguage* tree_sitter_python(void);

namespace mlroast::syntax {

namespace {
Point to_point(TSPoint p) { return Point{p.row, p.column}; }
TSPoint to_ts(Point p) { return TSPoint{p.row, p.column}; }
}  // namespace

std::string_view Node::kind() const { return is_null() ? std::string_view{} : ts_node_type(n_); }

bool Node::is_error() const { return !is_null() && kind() == "ERROR"; }

Point Node::start_point() const { return is_null() ? Point{} : to_point(ts_node_start_point(n_)); }
Point Node::end_point() const { return is_null() ? Point{} : to_point(ts_node_end_point(n_)); }

namespace {
// Field name -> id, built once. ts_node_child_by_field_name looks the name up with a linear
// strncmp scan over every field of the grammar on each call, which was 5% of the analysis.
TSFieldId field_id(std::string_view name) {
  static const std::unordered_map<std::string_view, TSFieldId> ids = [] {
    std::unordered_map<std::string_view, TSFieldId> m;
    const TSLanguage* lang = tree_sitter_python();
    const uint32_t count = ts_language_field_count(lang);
    for (uint32_t id = 1; id <= count; ++id) {
      const char* n = ts_language_field_name_for_id(lang, static_cast<TSFieldId>(id));
      if (n != nullptr) m.emplace(n, static_cast<TSFieldId>(id));
    }
    return m;
  }();
  auto it = ids.find(name);
  return it == ids.end() ? 0 : it->second;
}
}  // namespace

Node Node::field(std::string_view name) const {
  if (is_null()) return Node();
  const TSFieldId id = field_id(name);
  return id == 0 ? Node() : Node(ts_node_child_by_field_id(n_, id));
}

std::string_view Node::field_name_of_child(uint32_t i) const {
  if (is_null()) return {};
  const char* f = ts_node_field_name_for_child(n_, i);
  return f ? std::string_view(f) : std::string_view{};
}

std::string Node::sexp() const {
  if (is_null()) return "";
  char* s = ts_node_string(n_);
  std::string out(s);
  std::free(s);
  return out;
}

std::string_view Node::text(std::string_view source) const {
  if (is_null()) return {};
  uint32_t b = start_byte(), e = end_byte();
  if (b > source.size()) return {};
  if (e > source.size()) e = static_cast<uint32_t>(source.size());
  return source.substr(b, e - b);
}

Node Tree::root() const { return t_ ? Node(ts_tree_root_node(t_.get())) : Node(); }

void Tree::edit(const InputEdit& e) {
  if (!t_) return;
  TSInputEdit te{e.start_byte,          e.old_end_byte,         e.new_end_byte,
                 to_ts(e.start_point), to_ts(e.old_end_point), to_ts(e.new_end_point)};
  ts_tree_edit(t_.get(), &te);
}

Tree Tree::copy() const { return t_ ? Tree(ts_tree_copy(t_.get())) : Tree(); }

Parser::Parser() : p_(ts_parser_new()) {
  if (!ts_parser_set_language(p_.get(), tree_sitter_python()))
    throw std::runtime_error("tree-sitter-python grammar ABI is not supported by libtree-sitter");
}

uint16_t symbol_for(std::string_view kind, bool named) {
  return ts_language_symbol_for_name(tree_sitter_python(), kind.data(),
                                     static_cast<uint32_t>(kind.size()), named);
}

uint32_t symbol_count() { return ts_language_symbol_count(tree_sitter_python()); }

std::vector<Node> children(Node n, bool named_only) {
  std::vector<Node> out;
  if (n.is_null()) return out;
  TSTreeCursor c = ts_tree_cursor_new(n.raw());
  if (ts_tree_cursor_goto_first_child(&c)) {
    do {
      TSNode child = ts_tree_cursor_current_node(&c);
      if (!named_only || ts_node_is_named(child)) out.emplace_back(child);
    } while (ts_tree_cursor_goto_next_sibling(&c));
  }
  ts_tree_cursor_delete(&c);
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
