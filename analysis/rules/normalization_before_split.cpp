// ML106 normalization-before-split: hand-written standardisation with whole-data statistics.
#include "analysis/rules/leak_rule.hpp"

namespace mlroast::rules {
namespace {

constexpr std::string_view kDoc = R"md(# ML106 normalization-before-split

## What it finds
Hand-written normalisation of columns with statistics computed over all rows before the split:
`(x - x.mean()) / x.std()`, `x / x.max()`, min-max `(x - x.min()) / (x.max() - x.min())`,
clipping at quantiles of the whole column, when the result is split or cross-validated.
Statistics of the same data on separate lines (`mu = x.mean()`, then `sd = x.std()`) are one
finding, at the first, with the others as notes.

## Why it matters
It is ML101 written by hand: the mean, standard deviation, maximum or quantiles include the test
rows, so the test set is scaled with knowledge of itself. Outlier-sensitive statistics (max,
min, quantiles) leak more than a mean: one extreme test row changes every training row's value.
At inference the statistics must come from training data only, so the validation pipeline and
the production pipeline differ.

## Example
```python
df["income"] = (df["income"] - df["income"].mean()) / df["income"].std()
X_train, X_test, y_train, y_test = train_test_split(df[features], df["default"])
```

## Use instead
```python
X_train, X_test, y_train, y_test = train_test_split(df[features], df["default"])
mu, sd = X_train["income"].mean(), X_train["income"].std()
X_train["income"] = (X_train["income"] - mu) / sd
X_test["income"] = (X_test["income"] - mu) / sd
```

## Fix safety
For the canonical shape, a statement of its own whose statistics are method calls on one array
(`Z = (X - X.mean()) / X.std()`, `X = X / X.max()`, min-max scaling) followed in the same block by
`Z_tr, Z_te, ... = train_test_split(Z, ...)`, a safe fix splits the raw `X` and then applies the
expression to both sides with the training side's statistics, test side first:

```python
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.2, random_state=0)
X_te = (X_te - X_tr.mean()) / X_tr.std()
X_tr = (X_tr - X_tr.mean()) / X_tr.std()
```

It is offered only when the rewrite is equivalent apart from the leak: `Z` is used nowhere else,
`X` is not reassigned in between, no `X` sits inside another call (`np.log1p(X).max()`), a lambda
or a comprehension, and no comment shares the statement's line. Column loops
(`for c in cols: df[c] = ...`) and `.apply(lambda s: ...)` get no fix: the statistics would have
to be computed on the training rows of a frame that is only split later.

## References
- scikit-learn User Guide, "Common pitfalls: Data leakage".
)md";

constexpr RuleInfo kInfo{"ML106", "normalization-before-split", Category::Leakage,
                         Severity::Error, FixAvailability::Sometimes,
                         "Columns normalised with statistics of rows that become test rows",
                         kDoc};

}  // namespace

std::unique_ptr<Rule> make_normalization_before_split() {
  return make_leak_rule(kInfo, lineage::LeakFamily::Normalization,
                        "test rows set the scale of the training features");
}

}  // namespace mlroast::rules
