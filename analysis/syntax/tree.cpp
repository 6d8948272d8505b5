#include "analysis/syntax/tree.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <unordered_map>
#include <utility>
#include <stdexcept>

extern "C" const TSLanguage* tree_sitter_python(void);

namespace mlroast::syntax {

const TSLanguage* detail::language() {
  static const TSLanguage* lang = tree_sitter_python();
  return lang;
}

const detail::KindNames& detail::kind_names() {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> v(ts_language_symbol_count(language()));
    for (uint32_t s = 0; s < v.size(); ++s) {
      const char* n = ts_language_symbol_name(language(), static_cast<TSSymbol>(s));
      v[s] = n ? std::string_view(n) : std::string_view{};
    }
    return v;
  }();
  static const KindNames table{names.data(), static_cast<uint32_t>(names.size())};
  return table;
}

using detail::language;

bool Node::is_error() const { return t_ && at().symbol == static_cast<uint16_t>(-1); }

Node Node::named_child(uint32_t i) const {
  if (!t_ || i >= at().named_child_count) return Node();
  const detail::FlatNode& n = at();
  if (n.named_child_count == n.child_count) return Node(t_, n.first_child + i);
  for (uint32_t c = n.first_child; c < n.first_child + n.child_count; ++c)
    if ((t_->nodes[c].flags & detail::FlatNode::kNamed) && i-- == 0) return Node(t_, c);
  return Node();
}

Node Node::field_named(std::string_view name) const {
  if (!t_) return Node();
  uint8_t id = 0;
  for (size_t i = 1; i < std::size(detail::kFieldNames) && id == 0; ++i)
    if (detail::kFieldNames[i] == name) id = static_cast<uint8_t>(i);
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

namespace {
// tree-sitter's S-expression format (ts_node_string) for a tree without errors: named nodes,
// with the field name of each child that has one.
void write_sexp(Node n, std::string_view field, std::string& out) {
  if (!field.empty()) out.append(field).append(": ");
  out.append("(").append(n.kind());
  for (uint32_t i = 0; i < n.child_count(); ++i) {
    Node c = n.child(i);
    if (!c.is_named()) continue;
    out.push_back(' ');
    write_sexp(c, n.field_name_of_child(i), out);
  }
  out.push_back(')');
}
}  // namespace

std::string Node::sexp() const {
  if (!t_) return "";
  std::string out;
  if (t_->ts == nullptr) {
    write_sexp(*this, "", out);
    return out;
  }
  // Parsed as a whole (it has errors): tree-sitter prints it. The path of child indices from
  // the root, replayed on tree-sitter's tree.
  std::vector<uint32_t> path;
  for (uint32_t i = i_; t_->nodes[i].parent != detail::kNoNode; i = t_->nodes[i].parent)
    path.push_back(i - t_->nodes[t_->nodes[i].parent].first_child);
  TSNode n = ts_tree_root_node(t_->ts);
  std::reverse(path.begin(), path.end());
  for (uint32_t child : path) n = ts_node_child(n, child);
  char* s = ts_node_string(n);
  out = s;
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

Node Tree::root() const {
  if (!flat_) return Node();
  if (edits_.empty()) return Node(flat_.get(), 0);
  if (!edited_) edited_ = detail::apply_edits(*flat_, edits_);
  return Node(edited_.get(), 0);
}

void Tree::edit(const InputEdit& e) {
  if (!flat_) return;
  edits_.push_back(e);
  edited_.reset();
}

Tree Tree::copy() const {
  Tree out;
  out.flat_ = flat_;
  out.edits_ = edits_;
  out.edited_ = edited_;
  return out;
}

uint16_t symbol_for(std::string_view kind, bool named) {
  // ts_language_symbol_for_name compares the name with every symbol's; analyze() asks for each
  // rule's kinds on every run. Every name of the grammar is looked up once (thread-safe static
  // initialisation) with tree-sitter's own function, so the answers are the same; any other
  // string still goes to it.
  static const auto table = [] {
    std::array<std::unordered_map<std::string_view, uint16_t>, 2> t;  // [named]
    const TSLanguage* lang = language();
    for (uint32_t sym = 0, n = ts_language_symbol_count(lang); sym < n; ++sym) {
      const std::string_view name = ts_language_symbol_name(lang, static_cast<TSSymbol>(sym));
      for (int is_named = 0; is_named < 2; ++is_named)
        t[is_named].try_emplace(name, ts_language_symbol_for_name(lang, name.data(),
                                                                  static_cast<uint32_t>(name.size()),
                                                                  is_named != 0));
    }
    return t;
  }();
  const auto& names = table[named ? 1 : 0];
  if (auto it = names.find(kind); it != names.end()) return it->second;
  return ts_language_symbol_for_name(language(), kind.data(), static_cast<uint32_t>(kind.size()),
                                     named);
}

uint32_t symbol_count() { return ts_language_symbol_count(language()); }

}  // namespace mlroast::syntax
