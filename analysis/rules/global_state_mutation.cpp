// ML707 global-state-mutation: a function that mutates a module-level DataFrame or list.
#include <functional>
#include <initializer_list>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "analysis/lineage/program.hpp"
#include "analysis/rules/rule.hpp"

namespace mlroast::rules {
namespace {

constexpr std::string_view kDoc = R"md(# ML707 global-state-mutation

## What it finds
A function that changes a module-level DataFrame or list instead of receiving it and returning
a new value:
- calling a mutating method on it: `append`, `extend`, `insert`, `pop`, `remove`, `clear`,
  `sort`, `reverse` (lists), or a pandas method with `inplace=True` (`drop`, `fillna`,
  `dropna`, `rename`, `reset_index`, `set_index`, `sort_values`, `replace`...);
- assigning into it: `DF["col"] = ...`, `DF.loc[...] = ...`, `LIST[i] = ...`, augmented
  assignment, `del LIST[i]`;
- rebinding it after `global DF`.

The name must resolve to a module-level binding (a local or parameter of the same name is a
different variable), and that binding must be a DataFrame according to the lineage engine
(`pd.read_csv`, `pd.DataFrame(...)`...) or a list (`[]`, a list literal or comprehension,
`list(...)`). One finding per function and name, on the first mutation.

Not reported: module-level dicts and sets (caches and registries are a deliberate pattern),
functions used as decorators (`@register` appending to a registry list), reading a global,
mutating an attribute of a module-level object (`self`-style state), and test files.

## Why it matters
The result of the function then depends on how many times, and in which order, it was called
before: re-running a notebook cell or calling the feature step twice appends the column twice
or drops rows again, the training and serving processes see different module state, and tests
pass or fail depending on their order. Data flow becomes invisible, which is exactly where
leakage (a frame modified after the split) hides. The review spec: "Global state mutation:
modifying global DataFrames or lists inside functions is a debugging nightmare. Functions should
be pure where possible."

## Example
```python
customers = pd.read_csv("customers.csv")
FEATURES = ["tenure", "MonthlyCharges"]

def add_ratio():
    customers["ratio"] = customers["MonthlyCharges"] / customers["tenure"].clip(lower=1)
    FEATURES.append("ratio")
```

## Use instead
```python
def add_ratio(customers: pd.DataFrame, features: list[str]) -> tuple[pd.DataFrame, list[str]]:
    customers = customers.assign(ratio=customers["MonthlyCharges"] / customers["tenure"].clip(lower=1))
    return customers, [*features, "ratio"]
```

## Fix safety
No fix: turning global state into parameters and return values changes every caller.

## References
- The review spec (`ml-review-spec.txt`), "Structure & Design".
)md";

constexpr RuleInfo kInfo{"ML707",
                         "global-state-mutation",
                         Category::CodeQuality,
                         Severity::Info,
                         FixAvailability::None,
                         "Function mutates a module-level DataFrame or list",
                         kDoc};

bool in(std::string_view s, std::initializer_list<std::string_view> set) {
  for (std::string_view x : set)
    if (s == x) return true;
  return false;
}

// What the module-level binding of `name` is: "DataFrame", "list" or "" (anything else).
std::string module_kind(std::string_view name, const RuleContext& ctx) {
  for (syntax::Node stmt : syntax::children(ctx.file().tree->root())) {
    if (stmt.kind() != "expression_statement") continue;
    syntax::Node a = stmt.named_child(0);
    if (!a || a.kind() != "assignment") continue;
    syntax::Node left = a.field("left"), right = a.field("right");
    if (!left || left.kind() != "identifier" || ctx.text_of(left) != name || !right) continue;
    if (right.kind() == "list" || right.kind() == "list_comprehension") return "list";
    if (right.kind() == "call" && ctx.sem().callee(right) == "builtins.list") return "list";
    if (ctx.program() != nullptr) {
      const lineage::Value* v = ctx.program()->value_of(left);
      if (v == nullptr) v = ctx.program()->value_of(right);
      if (v != nullptr && v->kind == lineage::Kind::Data && v->shape == lineage::Shape::Frame)
        return "DataFrame";
    }
    return "";
  }
  return "";
}

// The identifier at the root of `x`, `x[...]`, `x.loc[...]`.
syntax::Node root_name(syntax::Node n) {
  while (n && (n.kind() == "subscript" || n.kind() == "attribute")) {
    if (n.kind() == "attribute") {
      syntax::Node obj = n.field("object");
      // only pandas indexers: `x.loc[...]`, not `x.attr[...]` on arbitrary objects
      n = obj;
      continue;
    }
    n = n.field("value");
  }
  return n && n.kind() == "identifier" ? n : syntax::Node();
}

// The names used as decorators anywhere in the file (`@register`, `@register(...)`): one walk per
// file, not one per function (a file of many functions made that quadratic).
std::set<std::string, std::less<>> decorator_names(const RuleContext& ctx) {
  std::set<std::string, std::less<>> names;
  syntax::walk(ctx.file().tree->root(), [&](syntax::Node n) {
    if (n.kind() != "decorator") return true;
    syntax::Node e = n.named_child(0);
    if (e && e.kind() == "call") e = e.field("function");
    if (e) names.emplace(ctx.text_of(e));
    return false;
  });
  return names;
}

bool has_true_kwarg(syntax::Node call, std::string_view kw, const RuleContext& ctx) {
  for (syntax::Node a : syntax::children(call.field("arguments")))
    if (a.kind() == "keyword_argument" && ctx.text_of(a.field("name")) == kw &&
        a.field("value").kind() == "true")
      return true;
  return false;
}

class GlobalStateMutation final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  std::vector<std::string_view> kinds() const override { return {"function_definition"}; }

  void visit(syntax::Node fn, RuleContext& ctx) override {
    if (ctx.file().is_test) return;
    if (!decorators_) decorators_ = decorator_names(ctx);
    if (decorators_->count(ctx.text_of(fn.field("name"))) != 0) return;
    syntax::Node body = fn.field("body");
    int fn_scope = ctx.sem().scope_at(body.start_byte());
    std::set<std::string> globals, reported;
    syntax::walk(body, [&](syntax::Node n) {
      std::string_view k = n.kind();
      if (n != body && (k == "function_definition" || k == "class_definition")) return false;
      if (k == "global_statement")
        for (syntax::Node id : syntax::children(n))
          if (id.kind() == "identifier") globals.insert(std::string(ctx.text_of(id)));
      syntax::Node target;
      std::string how;
      if (k == "call") {
        syntax::Node f = n.field("function");
        if (f && f.kind() == "attribute" && f.field("object").kind() == "identifier") {
          std::string_view m = ctx.text_of(f.field("attribute"));
          if (in(m, {"append", "extend", "insert", "pop", "remove", "clear", "sort", "reverse"}))
            target = f.field("object");
          else if (has_true_kwarg(n, "inplace", ctx))
            target = f.field("object");
          if (target) how = "`." + std::string(m) + "(...)`";
        }
      } else if (k == "assignment" || k == "augmented_assignment") {
        syntax::Node left = n.field("left");
        if (left && left.kind() == "subscript") {
          target = root_name(left);
          how = "assignment into it";
        } else if (left && left.kind() == "identifier" &&
                   globals.count(std::string(ctx.text_of(left)))) {
          target = left;
          how = "`global` rebinding";
        }
      } else if (k == "delete_statement") {
        syntax::Node e = n.named_child(0);
        if (e && e.kind() == "subscript") {
          target = root_name(e);
          how = "`del`";
        }
      }
      if (!target) return true;
      std::string name(ctx.text_of(target));
      if (reported.count(name)) return true;
      if (how != "`global` rebinding") {
        const semantic::Binding* here = ctx.sem().lookup(name, fn_scope);
        const semantic::Binding* module = ctx.sem().lookup(name, 0);
        if (here == nullptr || here != module) return true;
      }
      auto known = module_kinds_.find(name);
      if (known == module_kinds_.end())
        known = module_kinds_.emplace(name, module_kind(name, ctx)).first;
      const std::string& kind = known->second;
      if (kind.empty()) return true;
      reported.insert(name);
      ctx.report(finding(n, "`" + std::string(ctx.text_of(fn.field("name"))) +
                                "()` mutates the module-level " + kind + " `" + name + "` (" +
                                how + "); its result depends on earlier calls, pass it in and "
                                      "return a new value instead"));
      return true;
    });
  }

 private:
  std::optional<std::set<std::string, std::less<>>> decorators_;
  std::map<std::string, std::string, std::less<>> module_kinds_;  // module_kind() per name
};

}  // namespace

std::unique_ptr<Rule> make_global_state_mutation() {
  return std::make_unique<GlobalStateMutation>();
}

}  // namespace mlroast::rules
