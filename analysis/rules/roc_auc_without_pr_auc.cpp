// ML402 roc-auc-without-pr-auc: ROC-AUC reported on an imbalanced problem, no PR-AUC anywhere.
#include <string>

#include "analysis/rules/rule.hpp"
#include "analysis/rules/workflow_facts.hpp"

namespace mlroast::rules {
namespace {

constexpr std::string_view kDoc = R"md(# ML402 roc-auc-without-pr-auc

## What it finds
ROC-AUC (`roc_auc_score`, `roc_curve`, `RocCurveDisplay`, or `scoring="roc_auc"` in a
cross-validation or search call) reported in a file that shows the classes are imbalanced and
never computes a precision-recall view (`average_precision_score`, `precision_recall_curve`,
`PrecisionRecallDisplay`, `scoring="average_precision"`). Imbalance evidence is the same as
ML401's: `class_weight=`/`scale_pos_weight=`/`sample_weight=`, an over/under-sampler, or a
target column that names a rare or minority event (fraud, churn, default, click...). A
stratified split alone is not evidence (stratifying is good practice on balanced data too).
One finding per file, on the first ROC-AUC.

Not reported: ROC-AUC with no sign of imbalance (balanced problems are fine with ROC-AUC), files
that also report PR-AUC, and test files.

## Why it matters
ROC-AUC averages over the false-positive rate, whose denominator is the (huge) negative class:
on 1% fraud, a model can reach 0.95 ROC-AUC while nine out of ten alerts it raises are false.
Precision-recall curves and average precision look at the positives, which is what the
business acts on. The review spec: "ROC-AUC reported without PR-AUC on imbalanced data. ROC-AUC
is optimistic when negatives dominate." Metric choice changes conclusions: Roth (2026) found it
flips model rankings on 31% of 2,047 datasets.

## Example
```python
X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y, random_state=7)
proba = model.fit(X_train, y_train).predict_proba(X_test)[:, 1]
print("ROC-AUC:", roc_auc_score(y_test, proba))
```

## Use instead
```python
print("ROC-AUC:", roc_auc_score(y_test, proba))
print("PR-AUC :", average_precision_score(y_test, proba), "(prevalence", y_test.mean(), ")")
```

## Fix safety
No fix is offered (the fix adds a metric and a report line, which is a human's call).

## References
- The review spec (`ml-review-spec.txt`), "Evaluation".
- Saito & Rehmsmeier, "The Precision-Recall Plot Is More Informative than the ROC Plot When
  Evaluating Binary Classifiers on Imbalanced Datasets", PLOS ONE 2015.
- scikit-learn user guide, "Precision, recall and F-measures" and `average_precision_score`.
)md";

constexpr RuleInfo kInfo{"ML402",
                         "roc-auc-without-pr-auc",
                         Category::Evaluation,
                         Severity::Info,
                         FixAvailability::None,
                         "ROC-AUC on imbalanced data without PR-AUC",
                         kDoc};

using workflow::Metric;

class RocAucWithoutPrAuc final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }

  void before_program(const RuleContext& ctx) override { workflow::prepare_facts(ctx); }

  void finish(RuleContext& ctx) override {
    if (ctx.file().is_test || ctx.file().tree == nullptr) return;
    const workflow::Facts& f = workflow::facts(ctx);
    if (f.imbalance_reason.empty() || f.uses_metric(Metric::PrAuc)) return;
    for (const workflow::MetricUse& u : f.metrics) {
      if (u.metric != Metric::RocAuc) continue;
      ctx.report(finding(u.site, "ROC-AUC is reported on an imbalanced problem (" +
                                     f.imbalance_reason +
                                     ") with no precision-recall view; ROC-AUC stays high while "
                                     "most alerts are false positives, add "
                                     "`average_precision_score` (PR-AUC)"));
      return;
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_roc_auc_without_pr_auc() {
  return std::make_unique<RocAucWithoutPrAuc>();
}

}  // namespace mlroast::rules
