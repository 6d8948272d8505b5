// ML104 feature-selection-before-split: features chosen with the labels of future test rows.
#include "analysis/rules/leak_rule.hpp"

namespace mlroast::rules {
namespace {

constexpr std::string_view kDoc = R"md(# ML104 feature-selection-before-split

## What it finds
`SelectKBest`, `SelectPercentile`, `RFE`, `RFECV`, `SelectFromModel`,
`SequentialFeatureSelector` fitted on data that is split or cross-validated afterwards, and
columns chosen by their correlation computed over all rows (`df.corr()["target"]`) and then used
to build the features that are split.

## Why it matters
Supervised selection looks at the labels. Selecting on all rows picks the features that happen
to correlate with the test labels too, so the evaluation is biased upward. With few rows and
many features the effect is large: on pure noise, selecting the top features before
cross-validation yields "predictive" models (Roth 2026: negligible at typical dimensionality,
material when features far outnumber rows; Kapoor & Narayanan list it among the eight leakage
modes behind irreproducible papers).

## Example
```python
corr = df.corr()["price"].abs()
cols = corr[corr > 0.3].index.drop("price")
X_train, X_test, y_train, y_test = train_test_split(df[cols], df["price"])
```

## Use instead
```python
X_train, X_test, y_train, y_test = train_test_split(df.drop(columns="price"), df["price"])
model = make_pipeline(SelectKBest(f_regression, k=20), Ridge())
cross_val_score(model, X_train, y_train, cv=5)
```

## Fix safety
No automatic fix yet.

## References
- Hastie, Tibshirani, Friedman, "The Elements of Statistical Learning", §7.10.2 "The Wrong and
  Right Way to Do Cross-validation".
- Kapoor & Narayanan, Patterns 2023.
)md";

constexpr RuleInfo kInfo{"ML104", "feature-selection-before-split", Category::Leakage,
                         Severity::Error, FixAvailability::None,
                         "Features selected using rows that later become test rows", kDoc};

}  // namespace

std::unique_ptr<Rule> make_feature_selection_before_split() {
  return make_leak_rule(kInfo, lineage::LeakFamily::Selection,
                        "the test labels helped choose the features");
}

}  // namespace mlroast::rules
