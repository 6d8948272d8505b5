// ML401 accuracy-on-imbalanced: accuracy is the only classification metric of a problem that
// shows signs of class imbalance (or of a shipped model whose class balance was never checked).
#include <string>

#include "analysis/lineage/program.hpp"
#include "analysis/rules/rule.hpp"
#include "analysis/rules/workflow_facts.hpp"

namespace mlroast::rules {
namespace {

constexpr std::string_view kDoc = R"md(# ML401 accuracy-on-imbalanced

## What it finds
Accuracy used as **the** classification metric: `accuracy_score(...)`, `scoring="accuracy"`,
or a classifier's `.score(X, y)` (which is accuracy), when the file reports no metric that sees
the minority class (F1, precision, recall, MCC, balanced accuracy, PR-AUC/average precision,
ROC-AUC, `classification_report`) and either
- the code itself shows the classes are imbalanced: `class_weight=` / `scale_pos_weight=` /
  `is_unbalance=` / `sample_weight=`, an over/under-sampler (SMOTE, RandomUnderSampler...), or a
  target column that names a rare or minority event (fraud, churn, default, attrition, failure,
  anomaly, defect, click, conversion...); or
- the file trains, scores and ships a model (persists it or logs its metrics) and never looks
  at the class distribution (`value_counts`, `np.bincount`, `Counter`, `np.unique(...,
  return_counts=True)`).

A stratified split or CV (`stratify=`, `StratifiedKFold`) alone is not taken as a sign of
imbalance: stratifying is good practice on balanced data too, and as the only signal it made the
rule fire on ordinary balanced problems. One finding per file, on the first `accuracy_score` (else the first `scoring="accuracy"`, else
the first classifier `.score` that is reported rather than used to pick a model, which is ML107's
business). Not reported: accuracy next to any of the metrics above, regression `.score` (R²),
test files, and exploratory scripts with no imbalance signal (the iris or MNIST tutorial that
prints an accuracy is fine).

## Why it matters
With 3% positives, a model that always answers "no" scores 97% accuracy. Accuracy rewards the
majority class, so on churn, fraud or default data it cannot tell a useful model from a
constant one and it ranks models wrongly: Roth (2026) found that the choice of metric flips
model rankings on 31% of 2,047 benchmark datasets. The review spec is blunt: "Accuracy on
imbalanced data is not a metric — it is a lie."

## Example
```python
X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y, random_state=0)
model = RandomForestClassifier(n_estimators=300, random_state=0).fit(X_train, y_train)
print("accuracy:", accuracy_score(y_test, model.predict(X_test)))
```

## Use instead
```python
proba = model.predict_proba(X_test)[:, 1]
print("PR-AUC:", average_precision_score(y_test, proba))
print("F1:", f1_score(y_test, model.predict(X_test)), "MCC:", matthews_corrcoef(y_test, model.predict(X_test)))
print(classification_report(y_test, model.predict(X_test)))
```

## Fix safety
No fix: which metric fits depends on the costs of each kind of error.

## References
- The review spec (`ml-review-spec.txt`), "Evaluation".
- Roth, "Which Leakage Types Matter? A Quantitative Landscape Across 2,047 Benchmark Datasets",
  2026 (metric choice flips rankings on 31% of datasets).
- scikit-learn user guide, "Metrics and scoring: quantifying the quality of predictions"
  (balanced accuracy, average precision, MCC).
)md";

constexpr RuleInfo kInfo{"ML401",
                         "accuracy-on-imbalanced",
                         Category::Evaluation,
                         Severity::Warning,
                         FixAvailability::None,
                         "Accuracy is the only metric of an imbalanced classification",
                         kDoc};

using workflow::Metric;

class AccuracyOnImbalanced final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }

  void before_program(const RuleContext& ctx) override { workflow::prepare_facts(ctx); }

  void finish(RuleContext& ctx) override {
    if (ctx.file().is_test || ctx.file().tree == nullptr) return;
    const workflow::Facts& f = workflow::facts(ctx);
    for (Metric m : {Metric::F1, Metric::Precision, Metric::Recall, Metric::Mcc,
                     Metric::BalancedAccuracy, Metric::PrAuc, Metric::RocAuc,
                     Metric::ClassificationReport, Metric::OtherClassification})
      if (f.uses_metric(m)) return;
    bool imbalanced = !f.imbalance_reason.empty();
    bool unchecked_and_shipped = !f.balance_checked && f.full_workflow();
    if (!imbalanced && !unchecked_and_shipped) return;

    syntax::Node site;
    std::string what;
    for (const workflow::MetricUse& u : f.metrics)
      if (u.metric == Metric::Accuracy && u.site.kind() == "call") {
        site = u.site;
        what = "`accuracy_score`";
        break;
      }
    if (!site)
      for (const workflow::MetricUse& u : f.metrics)
        if (u.metric == Metric::Accuracy) {
          site = u.site;
          what = "`scoring=\"accuracy\"`";
          break;
        }
    if (!site && ctx.program() != nullptr) {
      for (const lineage::UseEvent& u : ctx.program()->uses()) {
        if (u.kind != lineage::UseKind::Evaluate || u.what != "score" || u.selected ||
            u.model == lineage::kNoValue)
          continue;
        if (!workflow::is_classifier(ctx.program()->value(u.model).cls)) continue;
        site = u.site;
        what = "the classifier's `.score` (accuracy)";
        break;
      }
    }
    if (!site) return;
    std::string why = imbalanced ? "the classes look imbalanced (" + f.imbalance_reason + ")"
                                 : "the class balance is never checked";
    ctx.report(finding(site, what + " is the only classification metric and " + why +
                                 ": a model that always predicts the majority class scores "
                                 "high; report F1, PR-AUC (`average_precision_score`) or MCC"));
  }
};

}  // namespace

std::unique_ptr<Rule> make_accuracy_on_imbalanced() {
  return std::make_unique<AccuracyOnImbalanced>();
}

}  // namespace mlroast::rules
