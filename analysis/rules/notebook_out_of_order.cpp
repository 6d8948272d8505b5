// ML715 notebook-out-of-order: a notebook whose saved state was not produced by a top-to-bottom
// run. Two signs, both read from the notebook file itself (the analyzer never runs code):
// execution counts that go down from one code cell to the next, and a cell that uses a name
// which no earlier cell defines but a later cell does.
#include <algorithm>
#include <cctype>
#include <iterator>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "analysis/notebook/virtual_program.hpp"
#include "analysis/rules/rule.hpp"

namespace mlroast::rules {
namespace {

constexpr std::string_view kDoc = R"md(# ML715 notebook-out-of-order

## What it finds
In a Jupyter notebook:
- code cells whose saved execution counts go down from top to bottom (`[7]` above `[3]`): the
  cells ran in another order than they are written; one finding, on the first such cell;
- a cell that uses a name no cell above it defines, while a cell further down does: the notebook
  only worked because the later cell had already run in the kernel.

## Why it matters
The outputs saved in the notebook, the metrics in it included, came from a kernel state that
"Restart & Run All" does not reproduce. A cell that reads `X_train` before the cell defining it
fails with `NameError` on a fresh run, or silently uses a value built by a later, different cell
(a scaler fitted on the whole data, a model trained on other features). Results that cannot be
reproduced from top to bottom cannot be trusted or reviewed.

## Example
```python
# cell 2, execution count [9]
model.fit(X_train, y_train)      # model is first defined in cell 3

# cell 3, execution count [4]
model = RandomForestClassifier(random_state=0)
```

## Use instead
```python
# cell 2, execution count [1]
model = RandomForestClassifier(random_state=0)

# cell 3, execution count [2]
model.fit(X_train, y_train)
```
Then restart the kernel and run all cells before saving.

## Fix safety
No fix: which order is intended is for the author to decide.

## Silent when
- execution counts are missing (outputs cleared) or increase from top to bottom;
- the name is defined above, in the same cell, by a `global` statement, a builtin or IPython
  (`In`, `Out`, `display`, `_`, `_3`...); a cell that was not analysed (a cell magic, a syntax
  error, another language) mentions it; or an earlier cell runs code that defines names nobody can
  see (`%run`, `%load`, `%store -r`, `from module import *`, `exec`, `globals()`);
- the use is inside a function or class body (it runs when called, not when the cell runs).

## References
- Pimentel et al., "A Large-scale Study about Quality and Reproducibility of Jupyter Notebooks"
  (MSR 2019): 36% of notebooks on GitHub had cells executed out of order.
- Jupyter documentation, "Restart kernel and run all cells".
)md";

constexpr RuleInfo kInfo{"ML715",
                         "notebook-out-of-order",
                         Category::CodeQuality,
                         Severity::Warning,
                         FixAvailability::None,
                         "notebook cells ran out of order (execution counts, names used before "
                         "the cell defining them)",
                         kDoc};

// Python's builtins and the names IPython puts in a notebook's namespace.
bool is_predefined(std::string_view n) {
  static constexpr std::string_view kNames[] = {
      "abs", "aiter", "all", "anext", "any", "ascii", "bin", "bool", "breakpoint", "bytearray",
      "bytes", "callable", "chr", "classmethod", "compile", "complex", "copyright", "credits",
      "delattr", "dict", "dir", "divmod", "enumerate", "eval", "exec", "exit", "filter", "float",
      "format", "frozenset", "getattr", "globals", "hasattr", "hash", "help", "hex", "id",
      "input", "int", "isinstance", "issubclass", "iter", "len", "license", "list", "locals",
      "map", "max", "memoryview", "min", "next", "object", "oct", "open", "ord", "pow", "print",
      "property", "quit", "range", "repr", "reversed", "round", "set", "setattr", "slice",
      "sorted", "staticmethod", "str", "sum", "super", "tuple", "type", "vars", "zip",
      "__import__", "__name__", "__doc__", "__file__", "__builtins__", "__spec__", "__loader__",
      "__package__", "__debug__", "None", "True", "False", "NotImplemented", "Ellipsis",
      "BaseException", "Exception", "ArithmeticError", "AssertionError", "AttributeError",
      "BlockingIOError", "BrokenPipeError", "BufferError", "ChildProcessError",
      "ConnectionError", "ConnectionRefusedError", "ConnectionResetError", "EOFError",
      "EnvironmentError", "FileExistsError", "FileNotFoundError", "FloatingPointError",
      "GeneratorExit", "IOError", "ImportError", "IndentationError", "IndexError",
      "InterruptedError", "IsADirectoryError", "KeyError", "KeyboardInterrupt", "LookupError",
      "MemoryError", "ModuleNotFoundError", "NameError", "NotADirectoryError",
      "NotImplementedError", "OSError", "OverflowError", "PermissionError", "ProcessLookupError",
      "RecursionError", "ReferenceError", "RuntimeError", "StopAsyncIteration", "StopIteration",
      "SyntaxError", "SystemError", "SystemExit", "TabError", "TimeoutError", "TypeError",
      "UnboundLocalError", "UnicodeDecodeError", "UnicodeEncodeError", "UnicodeError",
      "ValueError", "ZeroDivisionError", "Warning", "UserWarning", "DeprecationWarning",
      "FutureWarning", "RuntimeWarning", "ResourceWarning",
      // IPython's namespace
      "In", "Out", "get_ipython", "display", "_", "__", "___", "_i", "_ii", "_iii", "_oh",
      "_ih", "_dh", "_exit_code"};
  static const std::unordered_set<std::string_view> kSet(std::begin(kNames), std::end(kNames));
  if (kSet.count(n) != 0) return true;
  // _5, _i5: IPython's numbered output and input history.
  std::size_t i = n.starts_with("_i") ? 2 : n.starts_with("_") ? 1 : 0;
  return i > 0 && i < n.size() &&
         std::all_of(n.begin() + static_cast<std::ptrdiff_t>(i), n.end(),
                     [](char c) { return c >= '0' && c <= '9'; });
}

bool is_word_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || static_cast<unsigned char>(c) >= 0x80;
}

// `name` appears as a whole word in `text`.
bool mentions(std::string_view text, std::string_view name) {
  for (std::size_t at = text.find(name); at != std::string_view::npos; at = text.find(name, at + 1)) {
    bool before = at > 0 && is_word_char(text[at - 1]);
    bool after = at + name.size() < text.size() && is_word_char(text[at + name.size()]);
    if (!before && !after) return true;
  }
  return false;
}

// What the code of one notebook run binds and reads at module level.
class NameCollector {
 public:
  NameCollector(std::string_view text) : text_(text) {}

  // Views of the program text (the collector allocates nothing per name).
  std::vector<std::pair<std::string_view, syntax::Node>> defs, uses;
  std::unordered_set<std::string_view> declared_global;
  bool star_import = false;

  void statement_or_expr(syntax::Node n) {
    // Deeper than any real code: stop descending (fewer uses means fewer findings, never more).
    if (depth_ > kMaxDepth) return;
    ++depth_;
    visit(n);
    --depth_;
  }

 private:
  static constexpr int kMaxDepth = 400;

  void visit(syntax::Node n) {
    // The kinds below are told apart by name; a kind that none of them handles only has its
    // named children visited, and after its first node that is all it costs (most nodes).
    const uint16_t symbol = n.symbol();
    if (symbol < generic_.size() && generic_[symbol]) return visit_children(n);
    std::string_view k = n.kind();
    if (k == "identifier") {
      std::string_view name = n.text(text_);
      if (std::find(shadow_.begin(), shadow_.end(), name) == shadow_.end())
        uses.emplace_back(name, n);
      return;
    }
    if (k == "comment" || k == "string_content" || k == "escape_sequence") return;
    if (k == "function_definition" || k == "class_definition") {
      define(n.field("name"));
      return;  // bodies run when called; defaults and bases are left out (conservative)
    }
    if (k == "lambda") return;
    if (k == "global_statement" || k == "nonlocal_statement") {
      for (syntax::Node c : syntax::children(n))
        if (c.kind() == "identifier") declared_global.emplace(c.text(text_));
      return;
    }
    if (k == "import_statement" || k == "import_from_statement" ||
        k == "future_import_statement") {
      imports(n, k == "import_statement");
      return;
    }
    if (k == "assignment") {
      expr(n.field("right"));
      expr(n.field("type"));
      target(n.field("left"));
      return;
    }
    if (k == "augmented_assignment") {
      expr(n.field("right"));
      expr(n.field("left"));  // `x += 1` reads x first
      target(n.field("left"));
      return;
    }
    if (k == "for_statement") {
      expr(n.field("right"));
      target(n.field("left"));
      expr(n.field("body"));
      expr(n.field("alternative"));
      return;
    }
    if (k == "named_expression") {
      expr(n.field("value"));
      define(n.field("name"));
      return;
    }
    if (k == "as_pattern") {  // `with x as y`, `except E as e`
      syntax::Node alias = n.field("alias");
      for (syntax::Node c : syntax::children(n))
        if (!(c == alias)) expr(c);
      target(alias);
      return;
    }
    if (k == "except_clause") {  // older grammars: `except E as e` without an as_pattern
      bool after_as = false;
      for (syntax::Node c : syntax::children(n, false)) {
        if (c.kind() == "as") after_as = true;
        else if (after_as && c.kind() == "identifier") define(c), after_as = false;
        else if (c.is_named()) expr(c);
      }
      return;
    }
    if (k == "attribute") {
      expr(n.field("object"));
      return;
    }
    if (k == "keyword_argument") {
      expr(n.field("value"));
      return;
    }
    if (k == "list_comprehension" || k == "set_comprehension" || k == "dictionary_comprehension" ||
        k == "generator_expression") {
      std::size_t mark = shadow_.size();
      for (syntax::Node c : syntax::children(n))
        if (c.kind() == "for_in_clause") bind_shadow(c.field("left"));
      for (syntax::Node c : syntax::children(n)) {
        if (c.kind() == "for_in_clause") expr(c.field("right"));
        else expr(c);
      }
      shadow_.resize(mark);
      return;
    }
    if (k == "case_pattern") {  // names captured by a match case are bindings
      syntax::walk(n, [&](syntax::Node c) {
        if (c.kind() == "identifier") define(c);
        return true;
      });
      return;
    }
    if (symbol < generic_.size()) generic_[symbol] = true;  // every test above is on the kind
    visit_children(n);
  }

  void visit_children(syntax::Node n) {
    for (uint32_t i = 0, count = n.child_count(); i < count; ++i)
      if (syntax::Node c = n.child(i); c.is_named()) statement_or_expr(c);
  }

  void expr(syntax::Node n) {
    if (!n.is_null()) statement_or_expr(n);
  }
  void define(syntax::Node n) {
    if (!n.is_null() && n.kind() == "identifier") defs.emplace_back(n.text(text_), n);
  }
  // Assignment targets: names are bound; `a.b = ` and `a[i] = ` read a (and i).
  void target(syntax::Node n) {
    if (n.is_null()) return;
    std::string_view k = n.kind();
    if (k == "identifier") return define(n);
    if (k == "attribute" || k == "subscript") return expr(n);
    for (syntax::Node c : syntax::children(n)) target(c);
  }
  void bind_shadow(syntax::Node n) {
    if (n.is_null()) return;
    if (n.kind() == "identifier") {
      shadow_.emplace_back(n.text(text_));
      return;
    }
    for (syntax::Node c : syntax::children(n)) bind_shadow(c);
  }
  void imports(syntax::Node n, bool plain) {
    syntax::Node module = n.field("module_name");
    for (syntax::Node c : syntax::children(n)) {
      if (c == module) continue;
      if (c.kind() == "wildcard_import") star_import = true;
      else if (c.kind() == "aliased_import") define(c.field("alias"));
      else if (c.kind() == "dotted_name" && c.named_child_count() > 0)
        // `import a.b` binds a; `from m import b` binds b.
        define(plain ? c.named_child(0) : c.named_child(c.named_child_count() - 1));
    }
  }

  std::string_view text_;
  std::vector<std::string_view> shadow_;
  int depth_ = 0;
  // By grammar symbol: visit() found no case of its own for this kind.
  std::vector<bool> generic_ = std::vector<bool>(syntax::symbol_count(), false);
};

class NotebookOutOfOrder final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  Lineage lineage() const override { return Lineage::None; }

  void finish(RuleContext& ctx) override {
    const notebook::VirtualProgram* nb = ctx.file().notebook;
    if (nb == nullptr || ctx.file().tree == nullptr) return;
    execution_counts(*nb, ctx);
    names_before_definition(*nb, ctx);
  }

 private:
  // The first non-blank line of a cell, as the range a cell-level finding points at.
  static TextRange first_line(const notebook::VirtualProgram& nb, const notebook::Segment& s) {
    std::string_view text = nb.text();
    std::size_t b = s.start, end = s.start + s.length;
    while (b < end && std::isspace(static_cast<unsigned char>(text[b]))) ++b;
    if (b == end) b = s.start;
    std::size_t e = text.find('\n', b);
    if (e == std::string_view::npos || e > end) e = end;
    auto point = [&](std::size_t byte) {
      notebook::CellPosition p = notebook::position_in(text, static_cast<uint32_t>(byte));
      return syntax::Point{p.line, p.column};
    };
    return TextRange{static_cast<uint32_t>(b), static_cast<uint32_t>(e), point(b), point(e)};
  }

  void execution_counts(const notebook::VirtualProgram& nb, RuleContext& ctx) {
    const notebook::Segment* highest = nullptr;
    const notebook::Segment* first_bad = nullptr;
    const notebook::Segment* bad_after = nullptr;
    std::size_t bad = 0;
    for (const notebook::Segment& s : nb.segments()) {
      if (!s.execution_count) continue;
      if (highest != nullptr && *s.execution_count < *highest->execution_count) {
        if (first_bad == nullptr) first_bad = &s, bad_after = highest;
        ++bad;
      }
      if (highest == nullptr || *s.execution_count > *highest->execution_count) highest = &s;
    }
    if (first_bad == nullptr) return;
    Finding f;
    f.code = std::string(kInfo.code);
    f.severity = kInfo.severity;
    f.range = first_line(nb, *first_bad);
    f.message = "Cell " + std::to_string(first_bad->cell + 1) + " ran as [" +
                std::to_string(*first_bad->execution_count) + "], after cell " +
                std::to_string(bad_after->cell + 1) + " above it ([" +
                std::to_string(*bad_after->execution_count) + "])";
    if (bad > 1) f.message += "; " + std::to_string(bad) + " cells ran out of order";
    f.message += ": the saved outputs do not come from a top-to-bottom run; restart the kernel "
                 "and run all cells";
    f.related.push_back(RelatedLocation{first_line(nb, *bad_after), "ran later than the cell below"});
    ctx.report(std::move(f));
  }

  void names_before_definition(const notebook::VirtualProgram& nb, RuleContext& ctx) {
    std::string_view text = nb.text();
    if (mentions(text, "exec") || mentions(text, "globals")) return;
    NameCollector names(text);
    syntax::Node root = ctx.file().tree->root();
    names.statement_or_expr(root);
    // `global x` in a function body: calling the function defines x, from any cell.
    static const uint16_t kGlobal = syntax::symbol_for("global_statement");
    if (mentions(text, "global"))  // a walk over every node, only when the keyword is there
      syntax::walk(root, [&](syntax::Node n) {
        if (n.symbol() == kGlobal)
          for (syntax::Node c : syntax::children(n))
            if (c.kind() == "identifier") names.declared_global.emplace(c.text(text));
        return true;
      });
    // The first cell defining each name, by the cell's order in the program.
    auto cell_of = [&](syntax::Node n) { return nb.segment_at(n.start_byte()); };
    std::unordered_map<std::string_view, const notebook::Segment*> first_def;
    auto note_def = [&](std::string_view name, const notebook::Segment* s) {
      auto [it, fresh] = first_def.emplace(name, s);
      if (!fresh && s != nullptr && it->second != nullptr && s->cell < it->second->cell) it->second = s;
    };
    for (auto& [name, node] : names.defs) note_def(name, cell_of(node));
    for (const notebook::Segment& s : nb.segments())
      for (const std::string& name : s.binds) note_def(name, &s);

    std::unordered_set<std::string_view> reported;
    for (auto& [name, node] : names.uses) {
      // Cheapest test first: most uses follow their definition, or have none (builtins).
      auto def = first_def.find(name);
      if (def == first_def.end() || def->second == nullptr) continue;
      const notebook::Segment* use = cell_of(node);
      if (use == nullptr || def->second->cell <= use->cell || reported.count(name) ||
          is_predefined(name) || names.declared_global.count(name))
        continue;
      if (!unseen_definitions_before(nb, use->cell, name, names.star_import, text)) {
        reported.insert(name);
        Finding f = finding(node, "`" + std::string(name) + "` is used in cell " +
                                      std::to_string(use->cell + 1) +
                                      " but first defined in cell " +
                                      std::to_string(def->second->cell + 1) +
                                      " below it: this only ran because the later cell ran "
                                      "first; a top-to-bottom run fails with NameError");
        syntax::Node def_node;
        for (auto& [dname, dnode] : names.defs)
          if (dname == name && cell_of(dnode) == def->second) {
            def_node = dnode;
            break;
          }
        if (!def_node.is_null())
          f.related.push_back(RelatedLocation{TextRange::of(def_node), "defined here"});
        ctx.report(std::move(f));
      }
    }
  }

  // True when something up to `cell` may define names the analysis cannot see: `%run` and
  // friends, a star import, or a cell that was not analysed and mentions `name`.
  static bool unseen_definitions_before(const notebook::VirtualProgram& nb, uint32_t cell,
                                        std::string_view name, bool star_import,
                                        std::string_view) {
    if (star_import) return true;
    for (const notebook::Segment& s : nb.segments())
      if (s.cell <= cell && s.binds_unknown) return true;
    for (const notebook::SkippedCell& s : nb.skipped())
      if (s.cell < cell && mentions(nb.cell_source(s.cell), name)) return true;
    return false;
  }
};

}  // namespace

std::unique_ptr<Rule> make_notebook_out_of_order() {
  return std::make_unique<NotebookOutOfOrder>();
}

}  // namespace mlroast::rules
