// ML406 single-split-no-cv: a shipped model judged on one train_test_split, no cross-validation.
#include <string>

#include "analysis/lineage/program.hpp"
#include "analysis/rules/rule.hpp"
#include "analysis/rules/workflow_facts.hpp"

namespace mlroast::rules {
namespace {

constexpr std::string_view kDoc = R"md(# ML406 single-split-no-cv

## What it finds
A complete modelling script (a supervised model trained, scored, and shipped: persisted or its
metrics logged, as for ML404) whose only evaluation protocol is **one** `train_test_split`:
no cross-validation anywhere in the file (`cross_val_score`, `cross_validate`,
`cross_val_predict`, a `KFold`-style `.split` loop, `GridSearchCV` and other searches, `*CV`
estimators such as `LogisticRegressionCV`, any `cv=` argument, `xgb.cv`/`lgb.cv`).
Reported once, on the split.

Not reported: files with two or more `train_test_split` calls (a train/validation/test
protocol is a deliberate design), positional or date cutoffs (for temporal data the question is
walk-forward validation, ML204), deep-learning scripts (torch/keras: cross-validating a network
is rarely affordable, and a fixed validation split is the norm), test files, and exploratory
scripts that do not ship their result (see ML404).

## Why it matters
One split gives one number. Its variance is unknown: on a few thousand rows, a different
`random_state` moves accuracy or AUC by several points, enough to reverse a comparison between
two models or to turn a "win" over the previous model into noise. Roth (2026) found that naive
confidence intervals covered the truth only 55% of the time at a nominal 95%; a single split
gives not even that. The review spec: "Single train/test split with no cross-validation for
small datasets → the reported metric variance is unknown and the result is not trustworthy."

## Example
```python
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
model.fit(X_train, y_train)
print("F1:", f1_score(y_test, model.predict(X_test)))
joblib.dump(model, "model.joblib")
```

## Use instead
```python
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, stratify=y, random_state=42)
cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=42)
scores = cross_val_score(model, X_train, y_train, cv=cv, scoring="f1")
print(f"CV F1 {scores.mean():.3f} ± {scores.std():.3f}")
model.fit(X_train, y_train)                       # then score the test split once
```

## Fix safety
No fix: the fold strategy (stratified, grouped, time-ordered) depends on the data.

## References
- The review spec (`ml-review-spec.txt`), "Evaluation".
- scikit-learn user guide, "Cross-validation: evaluating estimator performance".
- Roth, "Which Leakage Types Matter? A Quantitative Landscape Across 2,047 Benchmark Datasets",
  2026 (coverage of naive confidence intervals).
)md";

constexpr RuleInfo kInfo{"ML406",
                         "single-split-no-cv",
                         Category::Evaluation,
                         Severity::Info,
                         FixAvailability::None,
                         "One train/test split and no cross-validation",
                         kDoc};

class SingleSplitNoCv final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }

  void before_program(const RuleContext& ctx) override { workflow::prepare_facts(ctx); }

  void finish(RuleContext& ctx) override {
    if (ctx.file().is_test || ctx.file().tree == nullptr || ctx.program() == nullptr) return;
    const workflow::Facts& f = workflow::facts(ctx);
    if (!f.full_workflow() || f.cross_validation || f.search || f.deep_learning) return;
    if (f.train_test_splits.size() != 1) return;
    syntax::Node split = f.train_test_splits.front();
    // Time-ordered data: walk-forward validation is ML204's question, not this rule's.
    for (const lineage::SplitEvent& s : ctx.program()->splits()) {
      if (s.site != split) continue;
      for (lineage::ValueId in : s.inputs)
        if (in != lineage::kNoValue && ctx.program()->value(in).time_ordered) return;
    }
    ctx.report(finding(split, "The model is judged on this one train/test split with no "
                              "cross-validation, so the score's variance is unknown; "
                              "cross-validate on the training split (`cross_val_score` with "
                              "`StratifiedKFold`/`KFold`) and keep the test split for the final "
                              "number"));
  }
};

}  // namespace

std::unique_ptr<Rule> make_single_split_no_cv() { return std::make_unique<SingleSplitNoCv>(); }

}  // namespace mlroast::rules
