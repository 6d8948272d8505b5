// The "move the fit after the split" rewrite for ML101/ML102/ML104: for the canonical shape
//
//     Z = t.fit_transform(X)                      # or t = Cls(); Z = t.fit_transform(X, y)
//     Z_tr, Z_te, ... = train_test_split(Z, ...)
//
// split the raw X first, then fit on the training side and transform the test side right after
// the split, keeping names, indentation and every split argument. Offered only when the rewrite
// is equivalent apart from the leak: Z is used nowhere else, X is not reassigned in between,
// both statements sit in the same block on lines of their own.
#pragma once

#include <optional>

#include "analysis/lineage/leaks.hpp"
#include "analysis/rules/rule.hpp"

namespace mlroast::rules {

std::optional<Fix> move_fit_after_split(const RuleContext& ctx, const lineage::LearnEvent& e,
                                        const lineage::Leak& leak);

// ML103: `X_r, y_r = sampler.fit_resample(X, y)` then `X_tr, X_te, y_tr, y_te =
// train_test_split(X_r, y_r, ...)` becomes the split of X, y followed by
// `X_tr, y_tr = sampler.fit_resample(X_tr, y_tr)`, under the same conditions.
std::optional<Fix> resample_after_split(const RuleContext& ctx, const lineage::LearnEvent& e,
                                        const lineage::Leak& leak);

// ML106: `Z = (X - X.mean()) / X.std()` (any expression whose statistics are method calls on X)
// then `Z_tr, Z_te, ... = train_test_split(Z, ...)` becomes the split of X followed by
// `Z_te = (Z_te - Z_tr.mean()) / Z_tr.std()` and `Z_tr = (Z_tr - Z_tr.mean()) / Z_tr.std()`
// (test side first, so it reads the training statistics before Z_tr is rescaled). Offered under
// the same conditions as move_fit_after_split, and only when every X in the expression is either
// the receiver of a statistic method or plain data (no X inside other calls or lambdas).
std::optional<Fix> normalize_after_split(const RuleContext& ctx, const lineage::LearnEvent& e,
                                         const lineage::Leak& leak);

}  // namespace mlroast::rules
