// ML111 multi-test-evaluation: several models compared on the same test rows.
#include <algorithm>

#include "analysis/lineage/library.hpp"
#include "analysis/lineage/program.hpp"
#include "analysis/rules/rule.hpp"

namespace mlroast::rules {
namespace {

constexpr std::string_view kDoc = R"md(# ML111 multi-test-evaluation

## What it finds
Two or more distinct models (different estimator classes, or a loop over a list/dict of
models) scored on the same test split in one file. Reported once, at the second evaluation,
with the first as related information. Refitting one model with different hyperparameters and
keeping the best is ML107; scoring one final model on the test split once is silent, and so is
scoring a `sklearn.dummy` baseline next to it (a reference point, not a candidate). The
held-out folds of a hand-written cross-validation loop (`for tr, va in KFold(...).split(X)`,
out-of-fold predictions for stacking) are validation folds: comparing models there is silent.
So is a `CalibratedClassifierCV` of a model scored next to that model's raw probabilities (one
model, calibrated or not).

## Why it matters
When several models are scored on the test split and the best one is reported, the test set has
been used for model selection: its score is the maximum of several noisy estimates and is biased
upward (the "multi-test" leakage of Yang et al., ASE 2022; Roth 2026 found selection leakage
substantial, and metric choice alone flipped model rankings on 31% of datasets). The reported
number is no longer an unbiased estimate of the chosen model's performance.

## Example
```python
for name, model in {"lr": LogisticRegression(), "rf": RandomForestClassifier()}.items():
    model.fit(X_train, y_train)
    print(name, f1_score(y_test, model.predict(X_test)))
```

## Use instead
```python
for name, model in candidates.items():
    print(name, cross_val_score(model, X_train, y_train, cv=5, scoring="f1").mean())
best.fit(X_train, y_train)
print(f1_score(y_test, best.predict(X_test)))       # the chosen model, scored once
```

## Fix safety
No automatic fix.

## References
- Yang, Brower-Sinning, Lewis, Kästner, ASE 2022 (multi-test leakage).
- Cawley & Talbot, JMLR 2010 (selection bias in performance evaluation).
)md";

constexpr RuleInfo kInfo{"ML111", "multi-test-evaluation", Category::Leakage, Severity::Warning,
                         FixAvailability::None,
                         "Several models compared on the same test split", kDoc};

// `calibrator` is a CalibratedClassifierCV of a model of the same class as `model`: the
// calibrated and the raw probabilities of one model, not two candidates.
bool calibrates(const lineage::Program& p, const lineage::Value& calibrator,
                const lineage::Value& model) {
  if (calibrator.cls != "sklearn.calibration.CalibratedClassifierCV") return false;
  for (const lineage::ValueId inner : calibrator.items)
    if (p.value(inner).cls == model.cls) return true;
  return false;
}

class MultiTestEvaluation final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }

  void finish(RuleContext& ctx) override {
    using namespace lineage;
    const Program* p = ctx.program();
    if (p == nullptr) return;
    // First scored evaluation per test split: (model class, site).
    std::vector<std::pair<int32_t, const UseEvent*>> first;
    std::vector<int32_t> reported;
    for (const UseEvent& u : p->uses()) {
      if (u.kind != UseKind::Evaluate || !u.scored || u.model == kNoValue) continue;
      const Value& X = p->value(u.X);
      const Value& m = p->value(u.model);
      if (X.part != Part::Test || X.split < 0 || m.kind != Kind::Estimator) continue;
      // The held-out folds of a CV loop (`for tr, va in KFold(...).split(X)`) are validation
      // folds: comparing models there is the cross-validation this rule recommends.
      if (p->splits()[static_cast<size_t>(X.split)].kind == SplitKind::FoldLoop) continue;
      if (lineage::library::is_dummy(m.cls)) continue;  // a baseline, not a candidate
      if (std::find(reported.begin(), reported.end(), X.split) != reported.end()) continue;
      const UseEvent* prior = nullptr;
      for (auto& [split, use] : first)
        if (split == X.split) prior = use;
      bool distinct = m.several;
      if (prior && p->value(prior->model).cls != m.cls &&
          !calibrates(*p, p->value(prior->model), m) && !calibrates(*p, m, p->value(prior->model)))
        distinct = true;
      if (!prior) first.emplace_back(X.split, &u);
      if (!distinct) continue;
      reported.push_back(X.split);
      Finding f = finding(u.site, std::string(m.several ? "Several models are" : "Another model is") +
                                      " scored on the same test split" +
                                      (prior && prior != &u ? " as at line " +
                                                                   std::to_string(prior->site.start_point().row + 1)
                                                             : std::string()) +
                                      ": comparing them on the test rows selects on test; "
                                      "compare with CV or a validation split, then score the "
                                      "chosen model once");
      if (prior && prior != &u) f.related.push_back({TextRange::of(prior->site), "first evaluation on the test split"});
      ctx.report(std::move(f));
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_multi_test_evaluation() {
  return std::make_unique<MultiTestEvaluation>();
}

}  // namespace mlroast::rules
