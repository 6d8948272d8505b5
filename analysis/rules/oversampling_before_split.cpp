// ML103 oversampling-before-split: synthetic or duplicated rows on both sides of the split.
#include "analysis/rules/leak_rule.hpp"

namespace mlroast::rules {
namespace {

constexpr std::string_view kDoc = R"md(# ML103 oversampling-before-split

## What it finds
`SMOTE`, `ADASYN`, `BorderlineSMOTE`, `RandomOverSampler` (any imblearn sampler, including
undersamplers such as `RandomUnderSampler` and `NearMiss`) `fit_resample` — or
`sklearn.utils.resample` with replacement — applied to data that is split or cross-validated
afterwards. That includes the training side of a split: resampling `X_train` right before the
final fit is the correct protocol, but cross-validating the resampled `X_train` (or splitting a
validation set off it) puts resampled rows in the validation folds, also in a hand-written fold
loop (`for tr, va in skf.split(X_res, y_res)` with a validation fold scored).

## Why it matters
Oversampling creates copies or interpolations of minority rows. Resampling before the split puts
a synthetic point in the test set whose parents are in the training set: the model is scored on
near-duplicates of what it memorised. Minority-class recall and F1 come out dramatically
inflated (this is the "overlap" leakage of Yang et al. ASE 2022, and duplicates grow worse with
model capacity per Roth 2026). Undersampling before the split makes the test set's class
balance artificial, so precision on the real distribution is unknown.

## Example
```python
X_res, y_res = SMOTE(random_state=0).fit_resample(X, y)
X_train, X_test, y_train, y_test = train_test_split(X_res, y_res, stratify=y_res)
```

## Use instead
```python
X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y, random_state=0)
X_train, y_train = SMOTE(random_state=0).fit_resample(X_train, y_train)  # then fit, no CV on it
# with CV: imblearn.pipeline.make_pipeline(SMOTE(), model) inside cross_val_score
```

## Fix safety
A safe fix exists for the canonical shape `X_r, y_r = sampler.fit_resample(X, y)` followed, in
the same block, by `X_tr, X_te, y_tr, y_te = train_test_split(X_r, y_r, ...)`: the split takes
`X, y` (a `stratify=y_r` becomes `stratify=y`) and `X_tr, y_tr = sampler.fit_resample(X_tr,
y_tr)` follows it. Offered only when `X_r`/`y_r` are used nowhere else and both statements are on
lines of their own. When the resampled data is cross-validated
(`cross_val_score(model, X_r, y_r, ...)`) and the sampler is built inline, the fix cross-validates
`make_imb_pipeline(SMOTE(...), model)` on `X, y` (imblearn's `make_pipeline`, imported under
that name), which resamples the training folds only.

## References
- imbalanced-learn User Guide, "Common pitfalls and recommended practices".
- Yang et al., ASE 2022 (overlap leakage); Roth 2026.
)md";

constexpr RuleInfo kInfo{"ML103", "oversampling-before-split", Category::Leakage, Severity::Error,
                         FixAvailability::Sometimes,
                         "Resampling applied before the train/test split or CV", kDoc};

}  // namespace

std::unique_ptr<Rule> make_oversampling_before_split() {
  return make_leak_rule(kInfo, lineage::LeakFamily::Oversampling,
                        "the held-out rows are resampled too: copies of training rows or an "
                        "artificial class balance inflate the score");
}

}  // namespace mlroast::rules
