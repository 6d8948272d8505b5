// ML108 train-test-overlap: a model trained on rows that include its own test rows.
#include <algorithm>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "analysis/lineage/program.hpp"
#include "analysis/rules/rule.hpp"

namespace mlroast::rules {
namespace {

constexpr std::string_view kDoc = R"md(# ML108 train-test-overlap

## What it finds
A model fitted on data that contains the test rows — typically `model.fit(X, y)` on the whole
data — and then scored on the test split carved from that same data (`model.score(X_test,
y_test)`, `accuracy_score(y_test, model.predict(X_test))`). Also the reverse: a model (or a
calibrator, `CalibratedClassifierCV(base, cv="prefit")`) fitted on the test split and then
evaluated on those same rows.

## Why it matters
The model has already seen every test row with its label. The "test" score measures
memorisation, not generalisation: a deep tree or a boosted ensemble scores close to 100% on
rows it was trained on, and the number collapses in production. Kapoor & Narayanan (2023) list
"no test set" and duplicates across train and test among the leakage modes behind
irreproducible results.

## Example
```python
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
model = RandomForestClassifier().fit(X, y)          # fitted on every row
print(model.score(X_test, y_test))
```

## Use instead
```python
model = RandomForestClassifier().fit(X_train, y_train)
print(model.score(X_test, y_test))
```

## Fix safety
No automatic fix yet.

## References
- Kapoor & Narayanan, "Leakage and the reproducibility crisis in ML-based science", Patterns 2023.
- Yang et al., ASE 2022 (overlap leakage).
)md";

constexpr RuleInfo kInfo{"ML108", "train-test-overlap", Category::Leakage, Severity::Error,
                         FixAvailability::None,
                         "Model trained on rows that include its test rows", kDoc};

class TrainTestOverlap final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }

  void finish(RuleContext& ctx) override {
    using namespace lineage;
    const Program* p = ctx.program();
    if (p == nullptr) return;
    index_evaluations(*p);
    for (const UseEvent& train : p->uses()) {
      if (train.kind != UseKind::Train || train.X == kNoValue) continue;
      const Value& X = p->value(train.X);
      if (X.kind == Kind::Data && X.part == Part::Test && X.split >= 0 &&
          p->splits()[static_cast<size_t>(X.split)].kind != SplitKind::FoldLoop) {
        fitted_on_test(ctx, *p, train, X);
        continue;
      }
      if (X.kind != Kind::Data || X.part != Part::Whole) continue;
      // The fitted model is the estimator value whose `fitted` is this fit's learn event.
      for (const UseEvent* e : evaluations_of(train)) {
        const UseEvent& ev = *e;
        if (!ev.scored) continue;
        if (ev.site.start_byte() < train.site.end_byte()) continue;
        const Value& T = p->value(ev.X);
        if (T.part != Part::Test || T.split < 0) continue;
        const SplitEvent& s = p->splits()[static_cast<size_t>(T.split)];
        bool same_rows = false;
        for (ValueId in : s.inputs)
          same_rows = same_rows || lineage::overlaps(p->value(in).origins, X.origins);
        if (!same_rows) continue;
        Finding f = finding(
            train.site, "Model fitted on all rows (line " +
                            std::to_string(train.site.start_point().row + 1) +
                            ") is scored on the test split carved from them (split at line " +
                            std::to_string(s.site.start_point().row + 1) +
                            "): it has already seen every test row; fit on the train split");
        f.related.push_back({TextRange::of(s.site), "the test split is created here"});
        f.related.push_back({TextRange::of(ev.site), "and scored here"});
        ctx.report(std::move(f));
        break;
      }
    }
  }

 private:
  // Evaluations (with a model fitted in the file) by the site of the fit that made the model:
  // one pass, instead of every evaluation for every fit (quadratic in a long file).
  void index_evaluations(const lineage::Program& p) {
    using namespace lineage;
    for (const UseEvent& ev : p.uses()) {
      if (ev.kind != UseKind::Evaluate || ev.model == kNoValue) continue;
      const Value& m = p.value(ev.model);
      if (m.fitted < 0) continue;
      evaluations_[p.learns()[static_cast<size_t>(m.fitted)].site.index()].push_back(&ev);
    }
  }

  // The evaluations of a model fitted at `train`'s site, in source order.
  const std::vector<const lineage::UseEvent*>& evaluations_of(
      const lineage::UseEvent& train) const {
    static const std::vector<const lineage::UseEvent*> kNone;
    const auto found = evaluations_.find(train.site.index());
    return found == evaluations_.end() ? kNone : found->second;
  }

  std::unordered_map<uint32_t, std::vector<const lineage::UseEvent*>> evaluations_;

  // The model fitted at `train` (a fit on the test side of a split) predicting on that same side:
  // `calibrated.fit(X_test, y_test)` then `calibrated.predict_proba(X_test)`.
  void fitted_on_test(RuleContext& ctx, const lineage::Program& p, const lineage::UseEvent& train,
                      const lineage::Value& X) {
    using namespace lineage;
    for (const UseEvent* e : evaluations_of(train)) {
      const UseEvent& ev = *e;
      if (ev.X == kNoValue) continue;
      if (ev.site.start_byte() < train.site.end_byte()) continue;
      const Value& T = p.value(ev.X);
      if (T.part != Part::Test || T.split != X.split) continue;
      const SplitEvent& s = p.splits()[static_cast<size_t>(X.split)];
      Finding f = finding(train.site, "Model fitted on the test split (split at line " +
                                          std::to_string(s.site.start_point().row + 1) +
                                          ") is then evaluated on those same rows: the score "
                                          "measures memorisation; fit on training or validation "
                                          "rows and keep the test split for the final number");
      f.related.push_back({TextRange::of(s.site), "the test split is created here"});
      f.related.push_back({TextRange::of(ev.site), "and evaluated here"});
      ctx.report(std::move(f));
      return;
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_train_test_overlap() { return std::make_unique<TrainTestOverlap>(); }

}  // namespace mlroast::rules
