// ML403 hardcoded-threshold: predicted probabilities cut at a literal 0.5 (or rounded).
#include <string>

#include "analysis/lineage/program.hpp"
#include "analysis/rules/assignments.hpp"
#include "analysis/rules/local_calls.hpp"
#include "analysis/rules/rule.hpp"

namespace mlroast::rules {
namespace {

constexpr std::string_view kDoc = R"md(# ML403 hardcoded-threshold

## What it finds
Predicted probabilities turned into decisions at a literal 0.5:
- a comparison `proba > 0.5`, `proba >= .5`, `0.5 < proba` (also inside `np.where(...)` or
  `(...).astype(int)`);
- rounding them: `np.round(proba)`, `proba.round()`, `round(proba)` with no digits argument.

A value counts as predicted probabilities when it comes from a `predict_proba` call: the
lineage engine follows it through variables, column selection (`[:, 1]`) and arithmetic, and
for models the engine cannot see (a model loaded from a file in a serving endpoint) the rule
follows the assignment of the variable in the same function (`proba =
float(model.predict_proba(X)[0, 1])`).

Not reported: a threshold held in a variable or config (`proba >= threshold`), any other literal
(`proba > 0.3` is a choice someone made), `round(proba, 3)` (formatting), `model.predict(X)`
(sklearn's own 0.5 is not visible in the code), sigmoid outputs of neural networks, and test
files.

## Why it matters
0.5 is the right cut only when classes are balanced, probabilities are calibrated and both
errors cost the same, which is almost never true of churn, fraud or credit data. On a 5%
positive class a 0.5 cut often flags almost nobody: recall collapses while accuracy looks fine.
The review spec: "Threshold fixed at 0.5 without justification. For imbalanced or cost-sensitive
problems, 0.5 is almost never optimal. Fix: optimize threshold on the validation set against the
business metric."

## Example
```python
proba = model.predict_proba(X_test)[:, 1]
y_pred = (proba > 0.5).astype(int)
```

## Use instead
```python
proba_val = model.predict_proba(X_val)[:, 1]
precision, recall, thresholds = precision_recall_curve(y_val, proba_val)
f1 = 2 * precision * recall / (precision + recall + 1e-12)
threshold = thresholds[f1[:-1].argmax()]          # or the cost-weighted optimum
y_pred = (model.predict_proba(X_test)[:, 1] >= threshold).astype(int)
```
Choose the threshold on a validation split (never the test split, see ML107) and ship it with
the model (e.g. in its metadata), or use `sklearn.model_selection.TunedThresholdClassifierCV`.

## Fix safety
No fix: the right threshold depends on validation data and on the cost of each error.

## References
- The review spec (`ml-review-spec.txt`), "Evaluation".
- scikit-learn user guide, "Tuning the decision threshold for class prediction"
  (`TunedThresholdClassifierCV`, `FixedThresholdClassifier`).
)md";

constexpr RuleInfo kInfo{"ML403",
                         "hardcoded-threshold",
                         Category::Evaluation,
                         Severity::Warning,
                         FixAvailability::None,
                         "Predicted probabilities cut at a hard-coded 0.5",
                         kDoc};

bool is_half(syntax::Node n, const RuleContext& ctx) {
  if (!n || n.kind() != "float") return false;
  std::string_view t = ctx.text_of(n);
  return t == "0.5" || t == ".5" || t == "0.50";
}

bool contains_predict_proba(syntax::Node expr, const RuleContext& ctx) {
  bool found = false;
  syntax::walk(expr, [&](syntax::Node n) {
    if (found) return false;
    if (n.kind() == "lambda" || n.kind() == "function_definition") return false;
    if (n.kind() == "call") {
      syntax::Node fn = n.field("function");
      if (fn && fn.kind() == "attribute" && ctx.text_of(fn.field("attribute")) == "predict_proba")
        found = true;
    }
    return !found;
  });
  return found;
}

// The variable at the root of `proba`, `proba[:, 1]`, `proba.values`.
syntax::Node root_identifier(syntax::Node n) {
  while (n && (n.kind() == "subscript" || n.kind() == "attribute" ||
               n.kind() == "parenthesized_expression")) {
    n = n.kind() == "subscript" ? n.field("value")
        : n.kind() == "attribute" ? n.field("object")
                                  : n.named_child(0);
  }
  return n && n.kind() == "identifier" ? n : syntax::Node();
}

bool is_probability(syntax::Node expr, Assignments& assignments, LocalCalls& calls,
                    const RuleContext& ctx, int depth = 0) {
  if (!expr) return false;
  if (const lineage::Program* p = ctx.program()) {
    const lineage::Value* v = p->value_of(expr);
    if (v != nullptr && v->produced_by >= 0 &&
        p->uses()[static_cast<size_t>(v->produced_by)].what == "predict_proba")
      return true;
  }
  if (contains_predict_proba(expr, ctx)) return true;
  // A variable whose last assignment before here takes its value from a predict_proba call.
  syntax::Node id = root_identifier(expr);
  if (!id) return false;
  syntax::Node rhs = assignments.last_before(ctx.text_of(id), id, ctx);
  if (rhs) return contains_predict_proba(rhs, ctx);
  // A helper's parameter (`def evaluate(name, y, proba): pred = proba > 0.5`): what its callers
  // pass for it.
  if (depth > 0) return false;
  for (syntax::Node arg : calls.arguments_for(id, ctx))
    if (is_probability(arg, assignments, calls, ctx, depth + 1)) return true;
  return false;
}

class HardcodedThreshold final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  std::vector<std::string_view> kinds() const override { return {"comparison_operator", "call"}; }

  // A comparison with 0.5, or a rounding: what may judge a probability (outside tests).
  bool select(syntax::Node n, const RuleContext& ctx) const override {
    if (ctx.file().is_test) return false;
    if (n.kind() == "comparison_operator") return static_cast<bool>(compared_with_half(n, ctx));
    return static_cast<bool>(rounded(n, ctx));
  }

  void visit(syntax::Node n, RuleContext& ctx) override {
    if (ctx.file().is_test) return;
    if (n.kind() == "comparison_operator") return visit_comparison(n, ctx);
    visit_round(n, ctx);
  }

 private:
  // The side of a single binary ordering comparison `a OP b` whose other side is 0.5.
  static syntax::Node compared_with_half(syntax::Node cmp, const RuleContext& ctx) {
    if (cmp.named_child_count() != 2 || cmp.child_count() != 3) return {};
    std::string_view op = cmp.child(1).kind();
    if (op != ">" && op != ">=" && op != "<" && op != "<=") return {};
    syntax::Node a = cmp.named_child(0), b = cmp.named_child(1);
    return is_half(b, ctx) ? a : is_half(a, ctx) ? b : syntax::Node();
  }

  // What a call rounds to 0 or 1: `round(p)`, `np.round(p)`, `p.round()`.
  static syntax::Node rounded(syntax::Node call, const RuleContext& ctx) {
    syntax::Node args = call.field("arguments");
    if (!args || args.kind() != "argument_list") return {};
    const std::string& q = ctx.sem().callee(call);
    if (q == "builtins.round" || q == "numpy.round" || q == "numpy.around" || q == "numpy.rint") {
      if (args.named_child_count() != 1) return {};  // round(p, 3) formats, it does not decide
      return args.named_child(0);
    }
    syntax::Node fn = call.field("function");
    if (!fn || fn.kind() != "attribute" || ctx.text_of(fn.field("attribute")) != "round" ||
        args.named_child_count() != 0)
      return {};
    return fn.field("object");
  }

  void visit_comparison(syntax::Node cmp, RuleContext& ctx) {
    syntax::Node proba = compared_with_half(cmp, ctx);
    if (!proba || !is_probability(proba, assignments_, calls_, ctx)) return;
    ctx.report(finding(cmp, "`" + std::string(ctx.text_of(cmp)) +
                                "` cuts predicted probabilities at a hard-coded 0.5; choose "
                                "the threshold on validation data against the cost of each "
                                "error"));
  }

  void visit_round(syntax::Node call, RuleContext& ctx) {
    syntax::Node target = rounded(call, ctx);
    if (!target || !is_probability(target, assignments_, calls_, ctx)) return;
    ctx.report(finding(call, "rounding predicted probabilities (`" +
                                 std::string(ctx.text_of(call)) +
                                 "`) is a hard-coded 0.5 threshold; choose the threshold on "
                                 "validation data"));
  }

  Assignments assignments_;
  LocalCalls calls_;
};

}  // namespace

std::unique_ptr<Rule> make_hardcoded_threshold() { return std::make_unique<HardcodedThreshold>(); }

}  // namespace mlroast::rules
