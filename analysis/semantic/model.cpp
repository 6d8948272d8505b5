#include "analysis/semantic/model.hpp"

#include <algorithm>
#include <array>

namespace mlroast::semantic {

using syntax::Node;

namespace {

bool opens_scope(std::string_view k) {
  return k == "function_definition" || k == "lambda" || k == "class_definition";
}

std::string dotted(Node n, std::string_view text) {
  // dotted_name text without interior whitespace/comments
  std::string out;
  for (uint32_t i = 0; i < n.named_child_count(); ++i) {
    if (!out.empty()) out += '.';
    out += n.named_child(i).text(text);
  }
  if (out.empty()) out = std::string(n.text(text));
  return out;
}

}  // namespace

bool is_builtin(std::string_view name) {
  static constexpr std::array<std::string_view, 44> kBuiltins = {
      "abs",   "all",      "any",        "bool",    "dict",       "dir",     "enumerate",
      "eval",  "exec",     "filter",     "float",   "format",     "getattr", "hasattr",
      "hash",  "id",       "input",      "int",     "isinstance", "iter",    "len",
      "list",  "map",      "max",        "min",     "next",       "object",  "open",
      "print", "range",    "repr",       "reversed", "round",     "set",     "setattr",
      "sorted", "str",     "sum",        "super",   "tuple",      "type",    "vars",
      "zip",   "__import__"};
  return std::find(kBuiltins.begin(), kBuiltins.end(), name) != kBuiltins.end();
}

SemanticModel::SemanticModel(Node root, std::string_view text) : text_(text) {
  scopes_.push_back(Scope{0, root.is_null() ? 0 : root.end_byte(), -1, {}});
  if (!root.is_null()) {
    collect(root);
    tree_ = root.flat();
    memo_ = std::vector<std::atomic<const std::string*>>(tree_->nodes.size());
  }
}

void SemanticModel::bind(std::string name, Binding b, int scope) {
  auto& names = scopes_[scope].names;
  auto it = names.find(name);
  if (it == names.end()) {
    names.emplace(std::move(name), std::move(b));
  } else if (b.kind == BindingKind::Local && it->second.kind == BindingKind::Import) {
    it->second = std::move(b);  // a later assignment shadows the import
  }
}

void SemanticModel::bind_target(Node t, int scope) {
  auto k = t.kind();
  if (k == "identifier") {
    bind(std::string(t.text(text_)), Binding{BindingKind::Local, "", t.start_byte()}, scope);
  } else if (k == "pattern_list" || k == "tuple_pattern" || k == "list_pattern" ||
             k == "expression_list" || k == "tuple" || k == "list") {
    for (uint32_t i = 0; i < t.named_child_count(); ++i) bind_target(t.named_child(i), scope);
  } else if (k == "list_splat_pattern" || k == "parenthesized_expression") {
    if (t.named_child_count() > 0) bind_target(t.named_child(0), scope);
  }
}

namespace {
// The node kinds collect() acts on, by symbol (named or not, as their names compare), so that
// the walk skips every other node with one table lookup instead of a dozen name comparisons.
const std::vector<char>& collected_kinds() {
  static const std::vector<char> table = [] {
    const syntax::detail::KindNames& names = syntax::detail::kind_names();
    std::vector<char> t(names.count, 0);
    for (uint32_t sym = 0; sym < names.count; ++sym)
      for (std::string_view k :
           {"function_definition", "lambda", "class_definition", "import_statement",
            "import_from_statement", "assignment", "augmented_assignment", "for_statement",
            "for_in_clause", "as_pattern", "with_item", "global_statement", "nonlocal_statement"})
        if (names.names[sym] == k) t[sym] = 1;
    return t;
  }();
  return table;
}
}  // namespace

void SemanticModel::collect(Node root) {
  // Stack of open scopes by end byte; pre-order walk pops scopes we have left.
  std::vector<int> open{0};
  const std::vector<char>& collected = collected_kinds();
  syntax::walk(root, [&](Node n) {
    const uint16_t sym = n.symbol();
    if (sym >= collected.size() || collected[sym] == 0) return true;
    // Scopes left behind, popped only here: start bytes never decrease in pre-order, so popping
    // at the next collected node pops what popping at every node would have.
    while (open.size() > 1 && n.start_byte() >= scopes_[open.back()].end) open.pop_back();
    int cur = open.back();
    auto k = n.kind();
    if (opens_scope(k)) {
      if (k != "lambda") {
        Node name = n.field("name");
        if (name) bind(std::string(name.text(text_)), Binding{BindingKind::Local, "", name.start_byte()}, cur);
      }
      scopes_.push_back(Scope{n.start_byte(), n.end_byte(), cur, {}});
      int s = static_cast<int>(scopes_.size()) - 1;
      open.push_back(s);
      if (Node params = n.field("parameters")) {
        for (uint32_t i = 0; i < params.named_child_count(); ++i) {
          Node p = params.named_child(i);
          Node id = p.kind() == "identifier" ? p : p.field("name");
          if (!id && p.named_child_count() > 0) id = p.named_child(0);
          if (id && id.kind() == "identifier")
            bind(std::string(id.text(text_)), Binding{BindingKind::Local, "", id.start_byte()}, s);
        }
      }
      return true;
    }
    if (k == "import_statement") {
      for (uint32_t i = 0; i < n.named_child_count(); ++i) {
        Node c = n.named_child(i);
        if (c.kind() == "aliased_import") {
          std::string q = dotted(c.field("name"), text_);
          std::string as(c.field("alias").text(text_));
          imports_.push_back(Import{q, as, c.start_byte(), n});
          bind(as, Binding{BindingKind::Import, q, c.start_byte()}, cur);
        } else if (c.kind() == "dotted_name") {
          std::string q = dotted(c, text_);
          std::string head = q.substr(0, q.find('.'));
          imports_.push_back(Import{q, head, c.start_byte(), n});
          bind(head, Binding{BindingKind::Import, head, c.start_byte()}, cur);
        }
      }
      return false;
    }
    if (k == "import_from_statement") {
      Node mod = n.field("module_name");
      std::string m = mod ? (mod.kind() == "dotted_name" ? dotted(mod, text_)
                                                        : std::string(mod.text(text_)))
                          : std::string();
      for (uint32_t i = 0; i < n.named_child_count(); ++i) {
        Node c = n.named_child(i);
        if (c == mod) continue;
        std::string q, as;
        if (c.kind() == "aliased_import") {
          q = m + "." + dotted(c.field("name"), text_);
          as = std::string(c.field("alias").text(text_));
        } else if (c.kind() == "dotted_name") {
          std::string member = dotted(c, text_);
          q = m + "." + member;
          as = member;
        } else {
          continue;  // wildcard imports bind nothing we can name
        }
        imports_.push_back(Import{q, as, c.start_byte(), n});
        bind(as, Binding{BindingKind::Import, q, c.start_byte()}, cur);
      }
      if (n.named_child_count() > 0) {
        // `from m import *`: remember the module so imports("m") is true
        for (uint32_t i = 0; i < n.child_count(); ++i)
          if (n.child(i).kind() == "wildcard_import") imports_.push_back(Import{m, "*", n.start_byte(), n});
      }
      return false;
    }
    if (k == "assignment" || k == "augmented_assignment") {
      bind_target(n.field("left"), cur);
    } else if (k == "for_statement" || k == "for_in_clause") {
      bind_target(n.field("left"), cur);
    } else if (k == "as_pattern" || k == "with_item") {
      if (Node alias = n.field("alias")) bind_target(alias.named_child_count() ? alias.named_child(0) : alias, cur);
    } else if (k == "global_statement" || k == "nonlocal_statement") {
      return false;
    }
    return true;
  });
}

int SemanticModel::scope_at(uint32_t byte) const {
  // Scopes are stored in pre-order, so the innermost scope containing `byte` is the last one
  // starting at or before it that still contains it; walk parents from the last starter.
  auto it = std::upper_bound(scopes_.begin() + 1, scopes_.end(), byte,
                             [](uint32_t b, const Scope& s) { return b < s.start; });
  int i = static_cast<int>(it - scopes_.begin()) - 1;
  while (i > 0 && !(scopes_[i].start <= byte && byte < scopes_[i].end)) i = scopes_[i].parent;
  return std::max(i, 0);
}

const Binding* SemanticModel::lookup(std::string_view name, int scope) const {
  for (int s = scope; s >= 0; s = scopes_[s].parent) {
    auto it = scopes_[s].names.find(name);
    if (it != scopes_[s].names.end()) return &it->second;
  }
  return nullptr;
}

const std::string& SemanticModel::qualified_name(Node expr) const {
  static const std::string kNone;
  if (expr.is_null()) return kNone;
  if (expr.flat() != tree_ || expr.index() >= memo_.size()) {
    // A node of another tree (none of the callers pass one today): memoised by identity.
    {
      std::lock_guard<std::mutex> lock(names_mutex_);
      auto it = foreign_.find(expr.id());
      if (it != foreign_.end()) return it->second;
    }
    std::string q = compute_qualified_name(expr);  // unlocked: it asks for the object's name
    std::lock_guard<std::mutex> lock(names_mutex_);
    return foreign_.try_emplace(expr.id(), std::move(q)).first->second;
  }
  std::atomic<const std::string*>& slot = memo_[expr.index()];
  const std::string* name = slot.load(std::memory_order_acquire);
  if (name == nullptr) {
    std::string q = compute_qualified_name(expr);
    const std::string* mine = &kNone;
    if (!q.empty()) {
      std::lock_guard<std::mutex> lock(names_mutex_);
      mine = &names_.emplace_back(std::move(q));
    }
    // Another reader may have published first: keep its name (equal to ours).
    name = slot.compare_exchange_strong(name, mine, std::memory_order_acq_rel) ? mine : name;
  }
  return *name;
}

std::string SemanticModel::compute_qualified_name(Node expr) const {
  auto k = expr.kind();
  if (k == "identifier") {
    std::string_view name = expr.text(text_);
    const Binding* b = lookup(name, scope_at(expr.start_byte()));
    if (b == nullptr) return is_builtin(name) ? "builtins." + std::string(name) : "";
    return b->kind == BindingKind::Import ? b->qualified : "";
  }
  if (k == "attribute") {
    const std::string& base = qualified_name(expr.field("object"));
    if (base.empty()) return "";
    return base + "." + std::string(expr.field("attribute").text(text_));
  }
  if (k == "parenthesized_expression" && expr.named_child_count() == 1)
    return qualified_name(expr.named_child(0));
  return "";
}

const std::string& SemanticModel::callee(Node call) const {
  static const std::string kNone;
  if (call.is_null() || call.kind() != "call") return kNone;
  return qualified_name(call.field("function"));
}

bool SemanticModel::imports(std::string_view module) const {
  for (const auto& im : imports_) {
    std::string_view q = im.qualified;
    if (q == module || (q.size() > module.size() && q.substr(0, module.size()) == module &&
                        q[module.size()] == '.'))
      return true;
  }
  return false;
}

}  // namespace mlroast::semantic
