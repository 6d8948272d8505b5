// ML109 target-in-features: the feature matrix still contains the target column.
#include <algorithm>

#include "analysis/lineage/program.hpp"
#include "analysis/rules/rule.hpp"

namespace mlroast::rules {
namespace {

constexpr std::string_view kDoc = R"md(# ML109 target-in-features

## What it finds
A model fitted, cross-validated or split with a feature matrix built from a frame that still
contains the target column: `X = df` or `X = df.drop(columns=["id"])` while `y = df["target"]`,
or a whole-frame transformation (`pd.get_dummies(df)`, `df.select_dtypes("number")`) that keeps
the target. Explicit feature lists and `df.drop(columns=[target])` are silent; a column
selection the analysis cannot read (`df.iloc[:, :-1]`, a computed list) is assumed correct.

## Why it matters
The model can read the answer from its input. Validation scores are near perfect and mean
nothing; in production the column does not exist at prediction time, so the pipeline crashes
or, worse, is fed a placeholder and predicts garbage. It is the most direct form of target
leakage (Kapoor & Narayanan's "illegitimate features").

## Example
```python
y = df["churn"]
X = df.drop(columns=["customer_id"])          # churn is still in X
model.fit(X, y)
```

## Use instead
```python
y = df["churn"]
X = df.drop(columns=["customer_id", "churn"])
```

## Fix safety
No automatic fix yet.

## References
- Kapoor & Narayanan, Patterns 2023 (illegitimate features).
- Kaufman et al., "Leakage in Data Mining: Formulation, Detection, and Avoidance", TKDD 2012.
)md";

constexpr RuleInfo kInfo{"ML109", "target-in-features", Category::Leakage, Severity::Error,
                         FixAvailability::None,
                         "Feature matrix still contains the target column", kDoc};

bool shares_origin(const lineage::Value& a, const lineage::Value& b) {
  for (uint32_t x : a.origins)
    if (std::binary_search(b.origins.begin(), b.origins.end(), x)) return true;
  return false;
}

class TargetInFeatures final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }

  void finish(RuleContext& ctx) override {
    using namespace lineage;
    const Program* p = ctx.program();
    if (p == nullptr) return;
    std::vector<std::string> reported;
    for (const UseEvent& u : p->uses()) {
      if ((u.kind != UseKind::Train && u.kind != UseKind::CrossValidate) || u.X == kNoValue ||
          u.y == kNoValue)
        continue;
      const Value& X = p->value(u.X);
      const Value& y = p->value(u.y);
      if (X.kind != Kind::Data || y.kind != Kind::Data || y.columns.size() != 1) continue;
      if (X.shape != Shape::Frame || !X.all_columns || !shares_origin(X, y)) continue;
      const std::string& target = y.columns.front();
      if (std::find(X.dropped.begin(), X.dropped.end(), target) != X.dropped.end()) continue;
      if (std::find(reported.begin(), reported.end(), target) != reported.end()) continue;
      reported.push_back(target);
      ctx.report(finding(u.site, "The features passed to `" + u.what +
                                     "` come from the same frame as the target and still "
                                     "contain the column \"" + target +
                                     "\": the model can read the answer; drop it from X"));
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_target_in_features() { return std::make_unique<TargetInFeatures>(); }

}  // namespace mlroast::rules
