// ML105 target-encoding-leak: category statistics of the target learned on rows that become test rows.
#include "analysis/rules/leak_rule.hpp"

namespace mlroast::rules {
namespace {

constexpr std::string_view kDoc = R"md(# ML105 target-encoding-leak

## What it finds
`TargetEncoder` (scikit-learn) or a category_encoders target-style encoder (`TargetEncoder`,
`MEstimateEncoder`, `CatBoostEncoder`, `LeaveOneOutEncoder`, `JamesSteinEncoder`, `WOEEncoder`,
`GLMMEncoder`) fitted on data that is split or cross-validated afterwards, and the hand-written
form: `df.groupby(cat)[target].mean()` (or `.transform("mean")`) mapped back onto the rows
before the split. Per-period aggregates of the target (by month, week, date) are ML203.

## Why it matters
The encoded value of a row is an average of labels that includes the row's own label and the
labels of test rows. For rare categories the encoding is almost the label itself: the model
looks brilliant in validation and collapses on new data, where the encoding can only come from
training labels. Roth (2026) ranks supervised encodings learned on all rows far above
unsupervised preprocessing in damage.

## Example
```python
df["city_te"] = df["city"].map(df.groupby("city")["price"].mean())
X_train, X_test, y_train, y_test = train_test_split(df[["city_te", "sqft"]], df["price"])
```

## Use instead
```python
from sklearn.preprocessing import TargetEncoder
model = make_pipeline(
    make_column_transformer((TargetEncoder(), ["city"]), remainder="passthrough"), Ridge())
cross_val_score(model, X_train, y_train, cv=5)       # encoder refitted inside every fold
```

## Fix safety
No automatic fix yet.

## References
- scikit-learn User Guide, "Target Encoder" (cross fitting).
- Micci-Barreca, "A preprocessing scheme for high-cardinality categorical attributes", 2001.
)md";

constexpr RuleInfo kInfo{"ML105", "target-encoding-leak", Category::Leakage, Severity::Error,
                         FixAvailability::None,
                         "Target statistics per category learned on rows that become test rows",
                         kDoc};

}  // namespace

std::unique_ptr<Rule> make_target_encoding_leak() {
  return make_leak_rule(kInfo, lineage::LeakFamily::TargetEncoding,
                        "the test labels are encoded into the training features");
}

}  // namespace mlroast::rules
