// ML404 no-baseline: a shipped model whose score is never compared with a trivial baseline.
#include <cctype>
#include <string>

#include "analysis/lineage/program.hpp"
#include "analysis/rules/rule.hpp"
#include "analysis/rules/workflow_facts.hpp"

namespace mlroast::rules {
namespace {

constexpr std::string_view kDoc = R"md(# ML404 no-baseline

## What it finds
A complete modelling script with no baseline anywhere in the file. The rule only judges files
that show the whole workflow, because that is where a reported number is presented as a
result:
- a supervised model is trained (or cross-validated), and
- its predictions or score reach a metric, a print or `.score`, and
- the result is shipped: the model is persisted (`joblib.dump`, `pickle.dump`, `torch.save`,
  `.save_model`, ONNX export) or its metrics/model are logged (MLflow, W&B).

Silent when the file contains any `sklearn.dummy` estimator (`DummyClassifier`,
`DummyRegressor`), or a variable, function or attribute whose name says a baseline or naive
forecast is computed (`baseline`, `naive`; comments and strings do not count): a hand-written baseline (a persistence forecast, the training mean) cannot be
recognised reliably, so the rule prefers silence. Also silent: test files, and exploratory
scripts that train and print a score without shipping anything (a minimal experiment, a
tutorial), where the gap is not yet a claim.

One finding per file, on the evaluation that best shows the gap: the first predictions reported
through a metric outside loops (the final score), else inside a loop, else predictions whose
score picks the best of several models, else a reported `.score`.

## Why it matters
A number without a reference is not a result. 0.86 accuracy is worthless when 86% of customers
do not churn; an RMSE of 12 units means nothing until a "same as last week" forecast is known to
score 15 (or 11). Without a baseline nobody can tell whether the model learned anything, and a
model that fails to beat a constant gets deployed. The review spec: "No baseline: did this model
beat a DummyClassifier? A moving average? A simple heuristic rule? If not demonstrated, the
model has not proven its value."

## Example
```python
model = XGBClassifier(n_estimators=400, max_depth=5).fit(X_train, y_train)
print("F1:", f1_score(y_test, model.predict(X_test)))
joblib.dump(model, "models/model.joblib")
```

## Use instead
```python
baseline = DummyClassifier(strategy="prior").fit(X_train, y_train)
print("baseline F1:", f1_score(y_test, baseline.predict(X_test)))
model = XGBClassifier(n_estimators=400, max_depth=5).fit(X_train, y_train)
print("model F1:", f1_score(y_test, model.predict(X_test)))
```
For forecasting, compare with a naive (last value) or seasonal-naive forecast.

## Fix safety
No fix: the right baseline (prior, most frequent, mean, last value, seasonal) depends on the
problem.

## References
- The review spec (`ml-review-spec.txt`), "Baselines".
- scikit-learn user guide, "Dummy estimators".
)md";

constexpr RuleInfo kInfo{"ML404",
                         "no-baseline",
                         Category::Evaluation,
                         Severity::Info,
                         FixAvailability::None,
                         "Model evaluated with no baseline to compare against",
                         kDoc};

// An identifier naming a baseline or naive forecast (evidence that one is computed).
bool names_baseline(const RuleContext& ctx) {
  bool found = false;
  syntax::walk(ctx.file().tree->root(), [&](syntax::Node n) {
    if (found) return false;
    if (n.kind() == "identifier") {
      std::string t(ctx.text_of(n));
      for (char& c : t) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (t.find("baseline") != std::string::npos || t.find("naive") != std::string::npos)
        found = true;
    }
    return !found;
  });
  return found;
}

class NoBaseline final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }

  void before_program(const RuleContext& ctx) override { workflow::prepare_facts(ctx); }

  void finish(RuleContext& ctx) override {
    if (ctx.file().is_test || ctx.file().tree == nullptr || ctx.program() == nullptr) return;
    const workflow::Facts& f = workflow::facts(ctx);
    if (!f.full_workflow() || f.dummy || names_baseline(ctx)) return;
    // The final evaluation: predictions reported through a metric outside loops (a loop is
    // usually a search or a comparison), else inside one, else any reported `.score`.
    syntax::Node site;
    for (int pass = 0; pass < 4 && !site; ++pass) {
      for (const lineage::UseEvent& u : ctx.program()->uses()) {
        if (u.kind != lineage::UseKind::Evaluate || !u.scored) continue;
        if (pass < 3 && u.what == "score") continue;
        if (pass < 2 && u.selected) continue;
        if (pass == 0 && u.loop) continue;
        site = u.site;
        break;
      }
    }
    if (!site)
      for (const lineage::UseEvent& u : ctx.program()->uses())
        if (u.kind == lineage::UseKind::CrossValidate) {
          site = u.site;
          break;
        }
    if (!site) return;
    ctx.report(finding(site, "This model's score is never compared with a baseline (no "
                             "`DummyClassifier`/`DummyRegressor` or naive forecast in the file), "
                             "so nothing shows it learned more than the class prior or the mean"));
  }
};

}  // namespace

std::unique_ptr<Rule> make_no_baseline() { return std::make_unique<NoBaseline>(); }

}  // namespace mlroast::rules
