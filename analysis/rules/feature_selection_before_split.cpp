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
A safe fix exists for the canonical shape `Z = t.fit_transform(X)` (`t` a variable or a
constructor call; `fit_transform(X, y)` when `y` is the split's second array) followed, in the
same block, by `Z_train, Z_test, ... = train_test_split(Z, ...)`: the raw `X` is split instead,
then `Z_train = t.fit_transform(Z_train)` and `Z_test = t.transform(Z_test)` follow the split,
keeping names, indentation and every split argument. It is offered only when that is equivalent
apart from the leak: `Z` is used nowhere else, `X` is not reassigned in between, and both
statements are on lines of their own. Other shapes (cross-validation, hand-written statistics)
get no fix yet; `# noqa` suppression is always available in the editor.

## References
- Hastie, Tibshirani, Friedman, "The Elements of Statistical Learning", §7.10.2 "The Wrong and
  Right Way to Do Cross-validation".
- Kapoor & Narayanan, Patterns 2023.
)md";

constexpr RuleInfo kInfo{"ML104", "feature-selection-before-split", Category::Leakage,
                         Severity::Error, FixAvailability::Sometimes,
                         "Features selected using rows that later become test rows", kDoc};

}  // namespace

std::unique_ptr<Rule> make_feature_selection_before_split() {
  return make_leak_rule(kInfo, lineage::LeakFamily::Selection,
                        "the test labels helped choose the features");
}

}  // namespace mlroast::rules
