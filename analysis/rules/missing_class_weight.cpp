// ML409 missing-class-weight: a rare-event classifier trained with nothing that counters the
// class imbalance (no class/sample weights, no resampling, no threshold tuning).
#include <string>

#include "analysis/lineage/library.hpp"
#include "analysis/lineage/program.hpp"
#include "analysis/rules/rule.hpp"
#include "analysis/rules/workflow_facts.hpp"

namespace mlroast::rules {
namespace {

constexpr std::string_view kDoc = R"md(# ML409 missing-class-weight

## What it finds
A classifier trained on a target whose name says the positive class is rare by definition (a
column about fraud, failure, defects, anomalies, intrusions, chargebacks, clicks, conversions,
readmissions, bankruptcy, delinquency) when nothing in the file counters the imbalance: no `class_weight=` (any value
but `None`), no `sample_weight=`, no `scale_pos_weight=` / `is_unbalance=` /
`auto_class_weights=` / `class_weights=`, no `compute_class_weight` / `compute_sample_weight`, no
over/under-sampler (SMOTE, RandomUnderSampler...) or imblearn balanced ensemble, and no
threshold tuning on a precision-recall curve. One finding per file, on the construction of the
first such classifier. Silent too when the probabilities are meant as probabilities
(`CalibratedClassifierCV` or `calibration_curve` in the file): class weights would bias them,
so keeping the base rate is a choice.

Not reported: targets whose name says nothing about rarity (the rule cannot know the class
ratio, so it prefers silence); moderately imbalanced targets such as churn, attrition, credit
default or cancellations (often 15-40% positives, where weighting is a judgement call; ML401 and
ML402 still treat them as imbalanced for metric choice); regressors; `sklearn.dummy` baselines
(a prior-predicting `DummyClassifier` is the point of comparison, not the model); test files.

## Why it matters
Most learners minimise an average loss in which every row weighs the same. With 5% positives
the cheapest solution is to nearly ignore them: the model's default decisions favour the
majority class, recall on the class the business cares about (the churner, the fraud) is poor,
and probability-based rankings degrade too. The review spec: "Class weights not passed to the
model when class imbalance is present and SMOTE is not used: the model optimizes the majority
class by default."

## Example
```python
y = df["is_fraud"]
X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y, random_state=1)
clf = LogisticRegression(max_iter=1000).fit(X_train, y_train)
```

## Use instead
```python
clf = LogisticRegression(max_iter=1000, class_weight="balanced").fit(X_train, y_train)
# or: XGBClassifier(scale_pos_weight=(y_train == 0).sum() / (y_train == 1).sum())
# or: tune the decision threshold on a validation split (precision_recall_curve)
```

## Fix safety
No fix: reweighting changes predicted probabilities (they are no longer calibrated to the true
prevalence), which matters when they are consumed as probabilities.

## References
- The review spec (`ml-review-spec.txt`), "Modeling Choices".
- scikit-learn glossary, `class_weight`; `sklearn.utils.class_weight.compute_class_weight`.
)md";

constexpr RuleInfo kInfo{"ML409",
                         "missing-class-weight",
                         Category::Evaluation,
                         Severity::Info,
                         FixAvailability::None,
                         "Imbalanced classification with no class weights or resampling",
                         kDoc};

class MissingClassWeight final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }

  void before_program(const RuleContext& ctx) override { workflow::prepare_facts(ctx); }

  void finish(RuleContext& ctx) override {
    if (ctx.file().is_test || ctx.file().tree == nullptr || ctx.program() == nullptr) return;
    const workflow::Facts& f = workflow::facts(ctx);
    if (f.class_weighting) return;
    for (const workflow::MetricUse& u : f.metrics)
      if (u.metric == workflow::Metric::PrAuc && u.site.kind() == "call" &&
          ctx.sem().callee(u.site).ends_with("precision_recall_curve"))
        return;  // the decision threshold is moved instead
    // Probabilities meant as probabilities (calibrated, or checked on a calibration curve):
    // weighting the classes would bias them, so leaving the base rate alone is the modeller's
    // choice.
    for (const workflow::CallSite& c : workflow::calls(ctx))
      if (c.qualified == "sklearn.calibration.CalibratedClassifierCV" ||
          c.qualified == "sklearn.calibration.calibration_curve")
        return;
    // The first classifier trained on a target that names a rare event.
    const lineage::Program& p = *ctx.program();
    std::string cls, target;
    for (const lineage::UseEvent& u : p.uses()) {
      if (u.kind != lineage::UseKind::Train || u.model == lineage::kNoValue ||
          u.y == lineage::kNoValue)
        continue;
      const lineage::Value& m = p.value(u.model);
      std::string c = workflow::is_classifier(m.cls) ? m.cls : "";
      for (lineage::ValueId step : m.items)
        if (step != lineage::kNoValue && workflow::is_classifier(p.value(step).cls))
          c = p.value(step).cls;
      // A DummyClassifier predicts the class prior by design: a baseline, not the model.
      if (c.empty() || lineage::library::is_dummy(c)) continue;
      target = workflow::rare_event_target(p.value(u.y), /*strict=*/true);
      if (target.empty()) continue;
      cls = c;
      break;
    }
    if (cls.empty()) return;
    for (const workflow::CallSite& c : workflow::calls(ctx)) {
      if (c.qualified != cls) continue;
      ctx.report(finding(c.call, "The target `" + target +
                                     "` is a rare event, but this classifier is trained with no "
                                     "class weights, sample weights or resampling, so it "
                                     "optimises for the majority class; pass "
                                     "`class_weight=\"balanced\"` (or `scale_pos_weight` for "
                                     "boosting)"));
      return;
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_missing_class_weight() {
  return std::make_unique<MissingClassWeight>();
}

}  // namespace mlroast::rules
