// ML407 uncalibrated-probabilities: tree-ensemble predict_proba output used as a probability
// (stored, returned, multiplied into an expected value) with no calibration or Brier check.
#include <algorithm>

#include <string>

#include "analysis/lineage/program.hpp"
#include "analysis/rules/rule.hpp"
#include "analysis/rules/workflow_facts.hpp"

namespace mlroast::rules {
namespace {

constexpr std::string_view kDoc = R"md(# ML407 uncalibrated-probabilities

## What it finds
`predict_proba` of a tree ensemble (random forest, extra trees, gradient boosting, AdaBoost,
XGBoost, LightGBM, CatBoost; also as the last step of a Pipeline) whose output is **consumed
as a probability**:
- stored as a column of a DataFrame (`df["p_default"] = proba`), the usual way scores reach a
  report, a CRM export or a pricing table;
- multiplied into an expected value (`proba * amount`, `proba @ costs`);
- returned from a function or put into a dict/JSON response.

...with no calibration anywhere in the file: no `CalibratedClassifierCV`, `calibration_curve`,
`CalibrationDisplay`, `brier_score_loss` or `log_loss`. One finding per file, on the first
consumption.

Not reported: probabilities used only for ranking metrics (`roc_auc_score`,
`average_precision_score`, curves) or thresholds (a hard-coded 0.5 is ML403), logistic
regression and other models whose probabilities are usually close to calibrated, models the
engine cannot identify (a model loaded from a pickle), and test files.

## Why it matters
Tree ensembles rank well but their probabilities are distorted: random forests push them
towards the middle (averaging votes rarely reaches 0 or 1), boosting pushes them towards the
extremes, and class weights or resampling shift them all. A "30% churn risk" may really be 10%
or 55%. Anything that multiplies by the probability (expected loss, expected revenue, a budget
for retention offers) or shows it to a person as a probability is then wrong by that factor.
The review spec: "predicted probabilities from tree ensembles (GBM, RF) are not well-calibrated.
Use calibration_curve or Brier score before trusting probability outputs."

## Example
```python
forest = RandomForestClassifier(n_estimators=500).fit(X_train, y_train)
book["p_default"] = forest.predict_proba(book[features])[:, 1]
book["expected_loss"] = book["p_default"] * book["exposure"]
```

## Use instead
```python
calibrated = CalibratedClassifierCV(RandomForestClassifier(n_estimators=500), method="isotonic", cv=5)
calibrated.fit(X_train, y_train)
prob_true, prob_pred = calibration_curve(y_test, calibrated.predict_proba(X_test)[:, 1], n_bins=10)
print("Brier:", brier_score_loss(y_test, calibrated.predict_proba(X_test)[:, 1]))
book["p_default"] = calibrated.predict_proba(book[features])[:, 1]
```

## Fix safety
No fix: calibration needs held-out data and a choice of method (sigmoid or isotonic).

## References
- The review spec (`ml-review-spec.txt`), "Evaluation".
- Niculescu-Mizil & Caruana, "Predicting Good Probabilities With Supervised Learning",
  ICML 2005.
- scikit-learn user guide, "Probability calibration".
)md";

constexpr RuleInfo kInfo{"ML407",
                         "uncalibrated-probabilities",
                         Category::Evaluation,
                         Severity::Info,
                         FixAvailability::None,
                         "Tree-ensemble probabilities used with no calibration check",
                         kDoc};

// True when the use is predict_proba of a tree ensemble (or a pipeline/search around one).
bool ensemble_proba_use(const lineage::UseEvent& u, const lineage::Program& p) {
  if (u.what != "predict_proba" || u.model == lineage::kNoValue) return false;
  const lineage::Value& m = p.value(u.model);
  if (workflow::is_tree_ensemble(m.cls)) return true;
  // A Pipeline/search: its steps (the engine does not keep their order; only the final step
  // of a pipeline can be a classifier, so any tree-ensemble step is that model).
  for (lineage::ValueId step : m.items)
    if (step != lineage::kNoValue && workflow::is_tree_ensemble(p.value(step).cls)) return true;
  return false;
}

// How an expression is consumed, "" when it is not consumed as a probability.
std::string consumption(syntax::Node expr, const RuleContext& ctx) {
  syntax::Node parent = expr.parent();
  while (parent && parent.kind() == "parenthesized_expression") {
    expr = parent;
    parent = parent.parent();
  }
  if (!parent) return "";
  std::string_view k = parent.kind();
  if (k == "assignment" && parent.field("right") == expr) {
    syntax::Node left = parent.field("left");
    if (left && left.kind() == "subscript") {
      const lineage::Value* target =
          ctx.program() != nullptr ? ctx.program()->value_of(left.field("value")) : nullptr;
      if (target != nullptr && target->kind == lineage::Kind::Data &&
          target->shape == lineage::Shape::Frame)
        return "stored as a DataFrame column";
    }
    return "";
  }
  if (k == "binary_operator" && parent.child_count() == 3) {
    std::string_view op = parent.child(1).kind();
    if (op == "*" || op == "@") return "multiplied into an expected value";
    return "";
  }
  if (k == "return_statement") return "returned as a probability";
  if (k == "pair" && parent.field("value") == expr) return "reported as a probability";
  return "";
}

uint32_t depth(syntax::Node n) {
  uint32_t d = 0;
  for (syntax::Node p = n.parent(); p; p = p.parent()) ++d;
  return d;
}

// Pre-order: the earlier start, then the larger node (it encloses the other), then the outer one
// (zero-width nodes at the same place), then the earlier sibling.
bool precedes(syntax::Node a, syntax::Node b) {
  if (a.start_byte() != b.start_byte()) return a.start_byte() < b.start_byte();
  if (a.end_byte() != b.end_byte()) return a.end_byte() > b.end_byte();
  const uint32_t da = depth(a), db = depth(b);
  if (da != db) return da < db;
  return a.index() < b.index();
}

class UncalibratedProbabilities final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }

  void before_program(const RuleContext& ctx) override { workflow::prepare_facts(ctx); }

  void finish(RuleContext& ctx) override {
    if (ctx.file().is_test || ctx.file().tree == nullptr || ctx.program() == nullptr) return;
    const workflow::Facts& f = workflow::facts(ctx);
    if (f.calibration) return;
    const lineage::Program& p = *ctx.program();
    // Which evaluations are predict_proba of a tree ensemble. Most files have none: no walk.
    std::vector<char> ensemble_use(p.uses().size());
    for (size_t i = 0; i < p.uses().size(); ++i)
      ensemble_use[i] = ensemble_proba_use(p.uses()[i], p) ? 1 : 0;
    if (std::find(ensemble_use.begin(), ensemble_use.end(), 1) == ensemble_use.end()) return;
    // The expressions whose value is data predicted by one of those uses, first in source
    // order (pre-order: an enclosing expression before the ones inside it).
    static const uint16_t kIdentifier = syntax::symbol_for("identifier");
    static const uint16_t kSubscript = syntax::symbol_for("subscript");
    static const uint16_t kCall = syntax::symbol_for("call");
    std::vector<syntax::Node> candidates;
    p.for_each_prediction([&](syntax::Node n, const lineage::Value& v) {
      const uint16_t k = n.symbol();
      if (k != kIdentifier && k != kSubscript && k != kCall) return;
      // Data only: a metric's result (a Scalar) also remembers the predictions it scored.
      if (v.kind != lineage::Kind::Data ||
          static_cast<size_t>(v.produced_by) >= ensemble_use.size() ||
          ensemble_use[static_cast<size_t>(v.produced_by)] == 0)
        return;
      // Only whole expressions: skip the callee/object part of a bigger expression.
      syntax::Node parent = n.parent();
      if (parent && (parent.kind() == "attribute" ||
                     (parent.kind() == "subscript" && parent.field("value") == n) ||
                     (parent.kind() == "call" && parent.field("function") == n)))
        return;
      candidates.push_back(n);
    });
    std::sort(candidates.begin(), candidates.end(), precedes);
    syntax::Node site;
    std::string how;
    for (syntax::Node n : candidates) {
      how = consumption(n, ctx);
      if (!how.empty()) {
        site = n;
        break;
      }
    }
    if (!site) return;
    ctx.report(finding(site, "Tree-ensemble probabilities are " + how +
                                 " with no calibration check in the file; random forests and "
                                 "boosting distort probabilities, check `calibration_curve`/"
                                 "`brier_score_loss` or wrap the model in "
                                 "`CalibratedClassifierCV`"));
  }
};

}  // namespace

std::unique_ptr<Rule> make_uncalibrated_probabilities() {
  return std::make_unique<UncalibratedProbabilities>();
}

}  // namespace mlroast::rules
