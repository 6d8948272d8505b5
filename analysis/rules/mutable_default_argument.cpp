// ML704 mutable-default-argument: `def f(cols=[])`, `{}`, `set()`, `defaultdict(list)`...
#include <string>

#include "analysis/rules/rule.hpp"

namespace mlroast::rules {
namespace {

constexpr std::string_view kDoc = R"md(# ML704 mutable-default-argument

## What it finds
A function parameter whose default value is a mutable object: a list, dict or set display
(`[]`, `{}`, `{"a": 1}`), a list/dict/set comprehension, or a call to `list()`, `dict()`,
`set()`, `bytearray()`, `collections.defaultdict(...)`, `OrderedDict()`, `Counter()` or
`deque()`. Positional, keyword-only and annotated parameters (`cols: list = []`) are all checked.
Immutable defaults (`None`, tuples, `frozenset()`, strings, numbers) and lambdas are not reported.

## Why it matters
The default is evaluated once, when `def` runs, and the same object is shared by every call that
omits the argument. A feature helper such as `def add_lags(df, created=[])` that appends the names
of the columns it creates returns, on the second call (the test set, the next fold, the next
request of a serving process), the names from the first call as well: the test frame gets asked
for lag columns that only exist in the training frame, or the feature list silently grows with
every retrain in a long-lived worker.

## Example
```python
def add_ratio_features(df, created=[]):
    for num, den in [("balance", "income"), ("debt", "income")]:
        df[f"{num}_to_{den}"] = df[num] / df[den].clip(lower=1)
        created.append(f"{num}_to_{den}")
    return df, created
```

## Use instead
```python
def add_ratio_features(df, created=None):
    if created is None:
        created = []
    for num, den in [("balance", "income"), ("debt", "income")]:
        df[f"{num}_to_{den}"] = df[num] / df[den].clip(lower=1)
        created.append(f"{num}_to_{den}")
    return df, created
```

## Fix safety
The fix replaces the default with `None` and inserts `if x is None: x = <original default>` as
the first statement of the body (after the docstring). It is safe when the default is a literal
display or constructor call made of constants and builtins (`[]`, `{}`, `set()`,
`["age", "income"]`, `defaultdict(list)`): every call that omits the argument then gets a fresh
copy of the same value. It is unsafe when the default expression mentions other names (the
expression now runs at each call, where a parameter or later rebinding of that name may change
what it means), when the parameter looks like a deliberate memo (`cache`, `memo`, `seen`,
`registry`), or when the body already tests the parameter against `None` (an explicit `None`
argument would then change meaning). The annotation is left as written: update `list` to
`list | None` yourself. No fix is offered when the body is on the same line as the `def`.

## References
- Python tutorial, "Default Argument Values" (the important warning).
- flake8-bugbear B006 / ruff `mutable-argument-default`.
)md";

constexpr RuleInfo kInfo{"ML704",
                         "mutable-default-argument",
                         Category::CodeQuality,
                         Severity::Warning,
                         FixAvailability::Sometimes,
                         "Mutable default argument is shared between calls",
                         kDoc};

bool is_mutable_call(std::string_view q) {
  return q == "builtins.list" || q == "builtins.dict" || q == "builtins.set" ||
         q == "builtins.bytearray" || q == "collections.defaultdict" ||
         q == "collections.OrderedDict" || q == "collections.Counter" || q == "collections.deque";
}

// A short description of the mutable default, or "" when the default is not mutable.
std::string mutable_kind(syntax::Node v, const RuleContext& ctx) {
  auto k = v.kind();
  if (k == "list") return "list";
  if (k == "dictionary") return "dict";
  if (k == "set") return "set";
  if (k == "list_comprehension") return "list comprehension";
  if (k == "dictionary_comprehension") return "dict comprehension";
  if (k == "set_comprehension") return "set comprehension";
  if (k == "call") {
    const std::string& q = ctx.sem().callee(v);
    if (is_mutable_call(q)) return q.substr(q.rfind('.') + 1) + "()";
    // bytearray is not in the semantic model's builtin list
    if (q.empty() && ctx.text_of(v.field("function")) == "bytearray" &&
        ctx.sem().lookup("bytearray", ctx.sem().scope_at(v.start_byte())) == nullptr)
      return "bytearray()";
  }
  return "";
}

// True when the default expression is built only from constants and names that resolve to
// builtins or imports, so re-evaluating it inside the body gives the same value.
bool is_self_contained(syntax::Node v, const RuleContext& ctx) {
  bool ok = true;
  syntax::walk(v, [&](syntax::Node n) {
    if (!ok) return false;
    if (n.kind() == "attribute") {
      if (ctx.sem().qualified_name(n).empty()) ok = false;
      return false;
    }
    if (n.kind() == "identifier") {
      if (n.parent().kind() == "keyword_argument" && n.parent().field("name") == n) return false;
      if (ctx.sem().qualified_name(n).empty()) ok = false;
      return false;
    }
    if (n.kind() == "list_comprehension" || n.kind() == "dictionary_comprehension" ||
        n.kind() == "set_comprehension" || n.kind() == "generator_expression" ||
        n.kind() == "lambda" || n.kind() == "interpolation")
      ok = false;
    return ok;
  });
  return ok;
}

bool looks_like_memo(std::string_view name) {
  for (std::string_view w : {"cache", "memo", "seen", "registry"})
    if (name.find(w) != std::string_view::npos) return true;
  return false;
}

// True when `body` contains `<name> is None` / `<name> is not None` / `<name> == None`.
bool tests_against_none(syntax::Node body, std::string_view name, const RuleContext& ctx) {
  bool found = false;
  syntax::walk(body, [&](syntax::Node n) {
    if (found) return false;
    if (n.kind() == "comparison_operator" && n.named_child_count() == 2 &&
        ctx.text_of(n.named_child(0)) == name && n.named_child(1).kind() == "none")
      found = true;
    return !found;
  });
  return found;
}

uint32_t line_start(std::string_view text, uint32_t byte) {
  while (byte > 0 && text[byte - 1] != '\n') --byte;
  return byte;
}

class MutableDefaultArgument final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  Lineage lineage() const override { return Lineage::None; }
  std::vector<std::string_view> kinds() const override { return {"function_definition"}; }

  void visit(syntax::Node def, RuleContext& ctx) override {
    syntax::Node params = def.field("parameters");
    for (uint32_t i = 0; i < params.named_child_count(); ++i) {
      syntax::Node p = params.named_child(i);
      if (p.kind() != "default_parameter" && p.kind() != "typed_default_parameter") continue;
      syntax::Node name = p.field("name");
      syntax::Node value = p.field("value");
      if (!name || !value) continue;
      std::string kind = mutable_kind(value, ctx);
      if (kind.empty()) continue;
      std::string_view n = ctx.text_of(name);
      Finding f = finding(value, "Default " + kind + " of `" + std::string(n) +
                                     "` is created once and shared by every call; default to "
                                     "`None` and build it inside the function");
      if (ctx.fixes_wanted()) f.fix = make_fix(def, name, value, ctx);
      ctx.report(std::move(f));
    }
  }

 private:
  std::optional<Fix> make_fix(syntax::Node def, syntax::Node name, syntax::Node value,
                              const RuleContext& ctx) const {
    syntax::Node body = def.field("body");
    if (!body || body.has_error() || body.start_point().row == def.start_point().row)
      return std::nullopt;
    std::string_view text = ctx.text();
    // The first statement (comments do not count) and the docstring, if any.
    syntax::Node first;
    for (uint32_t i = 0; i < body.named_child_count() && !first; ++i)
      if (body.named_child(i).kind() != "comment") first = body.named_child(i);
    if (!first) return std::nullopt;
    uint32_t first_line = line_start(text, first.start_byte());
    std::string_view indent = text.substr(first_line, first.start_byte() - first_line);
    if (indent.empty() || indent.find_first_not_of(" \t") != std::string_view::npos)
      return std::nullopt;  // the statement does not start its own line
    uint32_t def_line = line_start(text, def.start_byte());
    std::string_view def_indent = text.substr(def_line, def.start_byte() - def_line);
    std::string unit =
        indent.size() > def_indent.size() && indent.substr(0, def_indent.size()) == def_indent
            ? std::string(indent.substr(def_indent.size()))
            : std::string(indent.find('\t') != std::string_view::npos ? "\t" : "    ");

    uint32_t at = first_line;
    bool docstring = first.kind() == "expression_statement" && first.named_child_count() == 1 &&
                     (first.named_child(0).kind() == "string" ||
                      first.named_child(0).kind() == "concatenated_string");
    if (docstring) {
      syntax::Node next = first.next_named_sibling();
      // Insert on the line after the docstring (before any comment or statement that follows).
      at = first.end_byte();
      while (at < text.size() && text[at] != '\n') ++at;
      if (at >= text.size()) return std::nullopt;  // docstring is the file's last line
      ++at;
      if (next && next.start_byte() < at) return std::nullopt;  // `"""doc"""; x = 1`
    }
    std::string_view n = ctx.text_of(name);
    std::string check = std::string(indent) + "if " + std::string(n) + " is None:\n" +
                        std::string(indent) + unit + std::string(n) + " = " +
                        std::string(ctx.text_of(value)) + "\n";
    bool safe =
        is_self_contained(value, ctx) && !looks_like_memo(n) && !tests_against_none(body, n, ctx);
    Fix fix;
    fix.title = "Default `" + std::string(n) + "` to `None` and create the value in the body";
    fix.applicability = safe ? Applicability::Safe : Applicability::Unsafe;
    fix.edits.push_back(TextEdit{value.start_byte(), value.end_byte(), "None"});
    fix.edits.push_back(TextEdit{at, at, std::move(check)});
    return fix;
  }
};

}  // namespace

std::unique_ptr<Rule> make_mutable_default_argument() {
  return std::make_unique<MutableDefaultArgument>();
}

}  // namespace mlroast::rules
