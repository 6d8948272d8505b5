// ML410 rmse-only: a regression judged by MSE/RMSE alone.
#include <string>

#include "analysis/lineage/program.hpp"
#include "analysis/rules/rule.hpp"
#include "analysis/rules/workflow_facts.hpp"

namespace mlroast::rules {
namespace {

constexpr std::string_view kDoc = R"md(# ML410 rmse-only

## What it finds
A file whose only regression metric is the squared error: `mean_squared_error` (also under
`np.sqrt(...)` or with `squared=False`), `root_mean_squared_error`, or
`scoring="neg_mean_squared_error"` / `"neg_root_mean_squared_error"`, with no other view of the
errors anywhere in the file: no MAE, median absolute error, MAPE, R², explained variance,
deviance, pinball loss, `PredictionErrorDisplay`, and no residuals computed from the predictions
(`y_test - pred`). One finding per file, on the first squared-error metric.

Not reported: test files; RMSE next to any of the metrics above (R² is a rescaled MSE, but a
second number is enough for this rule to stay silent); squared-error losses inside training
(`nn.MSELoss`, `objective="reg:squarederror"`), which are optimisation choices, not reports.

## Why it matters
RMSE is dominated by the largest errors. On heavy-tailed targets (prices, demand, claim
amounts) a handful of rows decide it: a model can look better by fitting outliers while getting
typical cases worse, and one number hides whether errors are biased per segment. MAE (or
median absolute error) shows the typical error, and residuals show where the model fails. The
review spec: "Evaluating a regressor only on RMSE when the target has a heavy tail. Check
residuals. Plot predicted vs. actual. Check error distribution by segment."

## Example
```python
pred = model.predict(X_test)
print("RMSE:", mean_squared_error(y_test, pred) ** 0.5)
```

## Use instead
```python
pred = model.predict(X_test)
print("RMSE:", root_mean_squared_error(y_test, pred), "MAE:", mean_absolute_error(y_test, pred))
residuals = y_test - pred
print(residuals.groupby(X_test["region"]).describe())   # error by segment
PredictionErrorDisplay.from_predictions(y_test, pred)
```

## Fix safety
No fix: which additional view matters depends on the target and the business.

## References
- The review spec (`ml-review-spec.txt`), "Evaluation".
- scikit-learn user guide, "Regression metrics" and `PredictionErrorDisplay`.
)md";

constexpr RuleInfo kInfo{"ML410",
                         "rmse-only",
                         Category::Evaluation,
                         Severity::Info,
                         FixAvailability::None,
                         "Regression judged by MSE/RMSE alone",
                         kDoc};

using workflow::Metric;

// `y - pred` or `pred - y` with model predictions on one side: residuals are looked at.
bool computes_residuals(const RuleContext& ctx) {
  const lineage::Program* p = ctx.program();
  if (p == nullptr) return false;
  bool found = false;
  syntax::walk(ctx.file().tree->root(), [&](syntax::Node n) {
    if (found) return false;
    if (n.kind() == "binary_operator" && n.child_count() == 3 && n.child(1).kind() == "-") {
      for (syntax::Node side : {n.named_child(0), n.named_child(1)}) {
        const lineage::Value* v = p->value_of(side);
        if (v != nullptr && v->produced_by >= 0 &&
            p->uses()[static_cast<size_t>(v->produced_by)].what != "predict_proba")
          found = true;
      }
    }
    return !found;
  });
  return found;
}

class RmseOnly final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }

  void before_program(const RuleContext& ctx) override { workflow::prepare_facts(ctx); }

  void finish(RuleContext& ctx) override {
    if (ctx.file().is_test || ctx.file().tree == nullptr) return;
    const workflow::Facts& f = workflow::facts(ctx);
    for (Metric m : {Metric::Mae, Metric::R2, Metric::OtherRegression})
      if (f.uses_metric(m)) return;
    syntax::Node site;
    for (const workflow::MetricUse& u : f.metrics)
      if (u.metric == Metric::Mse || u.metric == Metric::Rmse) {
        site = u.site;
        break;
      }
    if (!site || computes_residuals(ctx)) return;
    ctx.report(finding(site, "The regression is judged by squared error alone; RMSE is driven "
                             "by the largest errors and hides the typical one, add "
                             "`mean_absolute_error` and look at the residuals"));
  }
};

}  // namespace

std::unique_ptr<Rule> make_rmse_only() { return std::make_unique<RmseOnly>(); }

}  // namespace mlroast::rules
