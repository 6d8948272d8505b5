// ML702 print-instead-of-logging: `print` inside the functions of library/pipeline modules.
#include <map>
#include <string>

#include "analysis/rules/entry_point.hpp"
#include "analysis/rules/rule.hpp"

namespace mlroast::rules {
namespace {

constexpr std::string_view kDoc = R"md(# ML702 print-instead-of-logging

## What it finds
`print(...)` (the builtin, resolved through the semantic model, so a local function called
`print` does not count) inside the functions of a **library module**: a file that only defines
things (imports, constants, functions, classes) and does no work when imported. One finding per
function, on its first `print`, with the number of prints in it.

Not reported, because there `print` is the program's output rather than diagnostics:
- notebooks and test files;
- scripts: a file with an `if __name__ == "__main__":` block, a `__main__.py`, or a file whose
  top level does work (calls, loops, `with` blocks at module level);
- functions that are command-line entry points (`main`, `cli`, or decorated with a `click` /
  `typer` command) and functions whose job is console output (a name containing `print`, or
  starting with `show`, `display`, `report`; `__repr__`, `__str__`);
- `print(..., file=...)`, which writes to a chosen stream or file on purpose;
- prints under a verbosity switch (`if verbose:`, `if self.verbose > 1:`, the scikit-learn
  convention): the caller asked for console output.

## Why it matters
A feature or training module is imported by a scheduler, a web service or a notebook. Its
`print` output has no level, no timestamp, no logger name and cannot be silenced or routed:
in a serving process it is noise on stdout for every request, in a batch job it is lost or
mixed into data written to stdout, and the one line that mattered ("3% of rows dropped") cannot
be turned into a warning or an alert. The review spec: "print("Training done") is not
observability. Use structured logging with levels, so that debug noise can be silenced in
production without code changes."

## Example
```python
def add_features(df):
    df = df.copy()
    df["tenure_years"] = df["tenure"] / 12
    print(f"add_features: {df.shape[1]} columns")
    return df
```

## Use instead
```python
import logging

logger = logging.getLogger(__name__)

def add_features(df):
    df = df.copy()
    df["tenure_years"] = df["tenure"] / 12
    logger.debug("add_features: %d columns", df.shape[1])
    return df
```

## Fix safety
No fix: choosing the logger, its name and each message's level is a human decision, and the
module may have no logger yet.

## References
- Python docs, "Logging HOWTO" ("When to use logging": print for console output of a command
  line script, logging for reporting events in library code).
- The review spec (`ml-review-spec.txt`), "Error Handling & Observability".
)md";

constexpr RuleInfo kInfo{"ML702",
                         "print-instead-of-logging",
                         Category::CodeQuality,
                         Severity::Info,
                         FixAvailability::None,
                         "`print` in library code instead of logging",
                         kDoc};


bool console_function(std::string_view name) {
  if (name.find("print") != std::string_view::npos) return true;  // print_report, pretty_print
  for (std::string_view p : {"show", "display", "report", "_show", "_display"})
    if (name.substr(0, p.size()) == p) return true;
  return name == "main" || name == "cli" || name == "__repr__" || name == "__str__";
}

// Decorated with a click/typer command (or group/callback).
bool cli_decorated(syntax::Node fn, const RuleContext& ctx) {
  syntax::Node parent = fn.parent();
  if (!parent || parent.kind() != "decorated_definition") return false;
  for (syntax::Node d : syntax::children(parent)) {
    if (d.kind() != "decorator") continue;
    syntax::Node e = d.named_child(0);
    if (e && e.kind() == "call") e = e.field("function");
    const std::string& q = ctx.sem().qualified_name(e);
    if (q.rfind("click", 0) == 0 || q.rfind("typer", 0) == 0) return true;
    // @app.command() on a typer.Typer() instance: the attribute is the giveaway
    if (e && e.kind() == "attribute") {
      std::string_view a = ctx.text_of(e.field("attribute"));
      if (a == "command" || a == "callback") return true;
    }
  }
  return false;
}

// Inside `if <something about verbose>:` within the function.
bool under_verbosity_switch(syntax::Node n, syntax::Node fn, const RuleContext& ctx) {
  for (syntax::Node p = n.parent(); p && p != fn; p = p.parent()) {
    if (p.kind() != "if_statement" && p.kind() != "elif_clause") continue;
    std::string_view cond = ctx.text_of(p.field("condition"));
    if (cond.find("verbose") != std::string_view::npos ||
        cond.find("verbosity") != std::string_view::npos)
      return true;
  }
  return false;
}

syntax::Node enclosing_function(syntax::Node n) {
  for (syntax::Node p = n.parent(); p; p = p.parent())
    if (p.kind() == "function_definition") return p;
  return {};
}

bool has_file_keyword(syntax::Node call, const RuleContext& ctx) {
  for (syntax::Node a : syntax::children(call.field("arguments")))
    if (a.kind() == "keyword_argument" && ctx.text_of(a.field("name")) == "file") return true;
  return false;
}

class PrintInsteadOfLogging final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  Lineage lineage() const override { return Lineage::None; }

  void finish(RuleContext& ctx) override {
    if (ctx.file().is_notebook || ctx.file().is_test || ctx.file().tree == nullptr) return;
    if (is_script(ctx)) return;
    struct PerFunction {
      syntax::Node first;
      int count = 0;
    };
    std::map<uint32_t, PerFunction> by_function;  // by the function's start byte (source order)
    syntax::walk(ctx.file().tree->root(), [&](syntax::Node n) {
      if (n.kind() != "call") return true;
      if (ctx.sem().callee(n) != "builtins.print" || has_file_keyword(n, ctx)) return true;
      syntax::Node fn = enclosing_function(n);
      if (!fn) return true;
      std::string_view name = ctx.text_of(fn.field("name"));
      if (console_function(name) || cli_decorated(fn, ctx) || under_verbosity_switch(n, fn, ctx))
        return true;
      PerFunction& pf = by_function[fn.start_byte()];
      if (pf.count++ == 0) pf.first = n;
      return true;
    });
    for (const auto& [start, pf] : by_function) {
      syntax::Node fn = enclosing_function(pf.first);
      std::string name(ctx.text_of(fn.field("name")));
      std::string count = pf.count == 1 ? "" : " (" + std::to_string(pf.count) + " prints)";
      ctx.report(finding(pf.first, "`print` in library function `" + name + "`" + count +
                                       " cannot be levelled, routed or silenced by its caller; "
                                       "use `logging.getLogger(__name__)`"));
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_print_instead_of_logging() {
  return std::make_unique<PrintInsteadOfLogging>();
}

}  // namespace mlroast::rules
