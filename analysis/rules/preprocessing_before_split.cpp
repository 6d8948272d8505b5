// ML101 preprocessing-before-split: a transformer learns from rows that later become test rows.
#include "analysis/rules/leak_rule.hpp"

namespace mlroast::rules {
namespace {

constexpr std::string_view kDoc = R"md(# ML101 preprocessing-before-split

## What it finds
A scaler, encoder, vectorizer (Tfidf, Count), PCA/SVD or any other sklearn-style transformer
fitted (`fit`, `fit_transform`, or a functional form such as `preprocessing.scale`) on data whose
rows later reach both sides of a train/test split, or that is cross-validated afterwards. Keras
preprocessing layers (`TextVectorization`, `Normalization`, `StringLookup`, `IntegerLookup`,
`Discretization`) count too: `adapt(data)` is their fit and calling the layer their transform.
Found by data flow, not by line order: splitting first and then fitting on the unsplit `X`
leaks the same way.

## Why it matters
The transformer's statistics (means, variances, vocabularies, components) are computed with the
test rows included, so the "held-out" score is measured on data the pipeline has already seen.
For a plain StandardScaler the inflation is usually small (Roth 2026 measured at most ~0.005 AUC
across 2,047 datasets), but vocabularies, PCA on many features and rare categories leak more,
and the protocol is invalid either way: the number you report is not the number production
will see. Yang et al. (ASE 2022) found this "preprocessing leakage" in a large share of public
notebooks.

## Example
```python
scaler = StandardScaler()
X_scaled = scaler.fit_transform(X)          # learns mean/std from every row
X_train, X_test, y_train, y_test = train_test_split(X_scaled, y, random_state=0)
```

## Use instead
```python
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
scaler = StandardScaler()
X_train = scaler.fit_transform(X_train)
X_test = scaler.transform(X_test)
# with cross-validation: cross_val_score(make_pipeline(StandardScaler(), model), X, y, cv=5)
```

## Fix safety
A safe fix exists for the canonical shape `Z = t.fit_transform(X)` (`t` a variable or a
constructor call; `fit_transform(X, y)` when `y` is the split's second array) followed, in the
same block, by `Z_train, Z_test, ... = train_test_split(Z, ...)`: the raw `X` is split instead,
then `Z_train = t.fit_transform(Z_train)` and `Z_test = t.transform(Z_test)` follow the split,
keeping names, indentation and every split argument. It is offered only when that is equivalent
apart from the leak: `Z` is used nowhere else, `X` is not reassigned in between, and both
statements are on lines of their own. When the transformed data is cross-validated
(`cross_val_score(model, Z, y, ...)`, `cross_validate`, `cross_val_predict`) and the transformer is
built inline (`StandardScaler().fit_transform(X)`), the fix cross-validates
`make_pipeline(StandardScaler(), model)` on `X` instead (adding the import after any docstring and
`__future__` imports). Other shapes get no fix yet; `# noqa` suppression is always available in
the editor.

## References
- scikit-learn User Guide, "Common pitfalls and recommended practices: Data leakage".
- Yang, Brower-Sinning, Lewis, Kästner, "Data Leakage in Notebooks: Static Detection and Better
  Processes", ASE 2022.
- Kapoor & Narayanan, "Leakage and the reproducibility crisis in ML-based science", Patterns 2023.
)md";

constexpr RuleInfo kInfo{"ML101", "preprocessing-before-split", Category::Leakage,
                         Severity::Error, FixAvailability::Sometimes,
                         "Transformer fitted on rows that later become test rows", kDoc};

}  // namespace

std::unique_ptr<Rule> make_preprocessing_before_split() {
  return make_leak_rule(kInfo, lineage::LeakFamily::Preprocessing,
                        "test rows shape the transformation the model is judged with");
}

}  // namespace mlroast::rules
