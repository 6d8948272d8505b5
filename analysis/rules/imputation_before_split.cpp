// ML102 imputation-before-split: missing values filled with statistics of rows that become test rows.
#include "analysis/rules/leak_rule.hpp"

namespace mlroast::rules {
namespace {

constexpr std::string_view kDoc = R"md(# ML102 imputation-before-split

## What it finds
`SimpleImputer`, `KNNImputer` or `IterativeImputer` fitted on data that is split or
cross-validated afterwards, and `fillna(df[c].mean())` / `median()` / `mode()` where the
statistic is computed over rows that later become test or validation rows (including the Kaggle
shape: train and test concatenated, filled with the joint mean, then train split for local
validation).

## Why it matters
The fill value is learned from the test rows, so test rows' missing entries are filled with a
value that partly describes themselves, and training rows carry information about the test
distribution. KNN and iterative imputers leak far more than a mean: they copy neighbours'
values across the split. The validation score stops being an estimate of performance on new
data, where the imputer can only use the past.

## Example
```python
df["Age"] = df["Age"].fillna(df["Age"].mean())     # mean over every row
X_train, X_test, y_train, y_test = train_test_split(df[features], df["Survived"])
```

## Use instead
```python
X_train, X_test, y_train, y_test = train_test_split(df[features], df["Survived"])
age_mean = X_train["Age"].mean()
X_train["Age"] = X_train["Age"].fillna(age_mean)
X_test["Age"] = X_test["Age"].fillna(age_mean)
# or: make_pipeline(SimpleImputer(strategy="mean"), model) inside cross-validation
```
A constant fill (`fillna(0)`, `fillna("missing")`) learns nothing and is not reported.

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
- scikit-learn User Guide, "Common pitfalls: Data leakage".
- Kapoor & Narayanan, Patterns 2023 ("preprocessing on train and test").
)md";

constexpr RuleInfo kInfo{"ML102", "imputation-before-split", Category::Leakage, Severity::Error,
                         FixAvailability::Sometimes,
                         "Missing values imputed with statistics that include test rows", kDoc};

}  // namespace

std::unique_ptr<Rule> make_imputation_before_split() {
  return make_leak_rule(kInfo, lineage::LeakFamily::Imputation,
                        "test rows decide the values filled into training rows");
}

}  // namespace mlroast::rules
