// ML107 test-set-used-for-tuning: test rows decide something about the model.
#include <algorithm>
#include <cctype>

#include "analysis/lineage/program.hpp"
#include "analysis/rules/rule.hpp"

namespace mlroast::rules {
namespace {

constexpr std::string_view kDoc = R"md(# ML107 test-set-used-for-tuning

## What it finds
The test split deciding something about the model:
- early stopping or best-checkpoint selection judged on the test split: `eval_set=[(X_test,
  y_test)]` with `early_stopping_rounds` (XGBoost/LightGBM/CatBoost) or
  `validation_data=(X_test, y_test)` with an `EarlyStopping`/`ModelCheckpoint(save_best_only=True)`
  callback (Keras);
- a hyperparameter search (`GridSearchCV.fit`, `RandomizedSearchCV.fit`) fitted on the test split;
- a model, hyperparameter or threshold picked by comparing scores on the test split inside a
  loop, a comprehension or a `max(..., key=lambda ...)`: a score on the test rows computed where
  the surrounding code keeps the best one (`best`, `max(`, `argmax`, `idxmax`, `sorted(`).
Monitoring only (an `eval_set` without early stopping) is not reported.

## Why it matters
Every decision taken by looking at the test rows fits the model to those rows: the number of
boosting rounds, the value of `C`, the chosen model. The final test score is then the maximum of
several noisy estimates, biased upward, and no longer predicts production performance. Roth
(2026) found selection leakage (test reuse for selection, early stopping on test) to be among the
most damaging leak types across 2,047 datasets; it is the first in mlroast's damage ranking.

## Example
```python
model = XGBClassifier(n_estimators=2000, early_stopping_rounds=50)
model.fit(X_train, y_train, eval_set=[(X_test, y_test)])
print(roc_auc_score(y_test, model.predict_proba(X_test)[:, 1]))
```

## Use instead
```python
X_tr, X_val, y_tr, y_val = train_test_split(X_train, y_train, test_size=0.2, random_state=0)
model = XGBClassifier(n_estimators=2000, early_stopping_rounds=50)
model.fit(X_tr, y_tr, eval_set=[(X_val, y_val)])
print(roc_auc_score(y_test, model.predict_proba(X_test)[:, 1]))   # test used once, at the end
```

## Fix safety
No automatic fix yet (the planned "carve a validation split" rewrite changes the training data,
so it will be unsafe).

## References
- Cawley & Talbot, "On Over-fitting in Model Selection and Subsequent Selection Bias in
  Performance Evaluation", JMLR 2010.
- Roth, "Which Leakage Types Matter?", 2026; Yang et al., ASE 2022 (multi-test leakage).
)md";

constexpr RuleInfo kInfo{"ML107", "test-set-used-for-tuning", Category::Leakage, Severity::Error,
                         FixAvailability::None,
                         "Test split used for early stopping, tuning or model selection", kDoc};

std::string line(syntax::Node n) { return std::to_string(n.start_point().row + 1); }

// The held-out test side of a train/test split (CV folds are validation, not the test set).
bool is_test_side(const lineage::Program& p, const lineage::Value& v) {
  if (v.kind != lineage::Kind::Data || v.part != lineage::Part::Test || v.split < 0) return false;
  return p.splits()[static_cast<size_t>(v.split)].kind != lineage::SplitKind::FoldLoop;
}

// "max(" as a call of max, not the method `.max(` of a frame; likewise "min(".
bool has_cue(std::string_view t) {
  for (std::string_view cue : {"best", "argmax", "idxmax", "argmin", "idxmin", "sorted("})
    if (t.find(cue) != std::string_view::npos) return true;
  for (std::string_view fn : {"max(", "min("})
    for (size_t at = t.find(fn); at != std::string_view::npos; at = t.find(fn, at + 1)) {
      char before = at == 0 ? ' ' : t[at - 1];
      bool ident = std::isalnum(static_cast<unsigned char>(before)) || before == '_' || before == '.';
      if (!ident) return true;
    }
  return false;
}

// The loop / comprehension / lambda around the use when the surrounding code keeps the best
// score (a cue in the loop, or in the statement around a lambda/comprehension such as
// `best = max(grid, key=lambda c: ...)`); a null node otherwise.
syntax::Node selecting_scope(const lineage::UseEvent& u, std::string_view text) {
  if (!u.loop) return syntax::Node();
  auto k = u.loop.kind();
  syntax::Node around = (k == "for_statement" || k == "while_statement") ? u.loop : u.statement;
  std::string_view t = around ? around.text(text) : u.loop.text(text);
  return has_cue(t) ? u.loop : syntax::Node();
}

class TestSetUsedForTuning final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }

  void finish(RuleContext& ctx) override {
    const lineage::Program* p = ctx.program();
    if (p == nullptr) return;
    for (const lineage::UseEvent& u : p->uses()) {
      if (u.X == lineage::kNoValue) continue;
      const lineage::Value& X = p->value(u.X);
      if (!is_test_side(*p, X)) continue;
      const auto& split = p->splits()[static_cast<size_t>(X.split)];
      if (u.kind == lineage::UseKind::EarlyStopping) {
        report(ctx, u.site,
               "Early stopping is judged on the test split (split at line " + line(split.site) +
                   "): the test rows choose when training stops, so the test score is "
                   "optimistic; stop on a validation split carved from the training data",
               split.site);
      } else if (u.kind == lineage::UseKind::CrossValidate && u.what == "search.fit") {
        report(ctx, u.site,
               "Hyperparameter search fitted on the test split (split at line " +
                   line(split.site) + "): the test rows pick the hyperparameters",
               split.site);
      } else if (u.kind == lineage::UseKind::Evaluate && u.scored && u.model != lineage::kNoValue &&
                 !p->value(u.model).several) {  // several models compared: ML111
        // A best picked among test scores: by data flow (argmax/max over the scores) or by a
        // selection in the loop/lambda around the evaluation.
        syntax::Node scope = u.selected ? u.site : selecting_scope(u, ctx.text());
        if (!scope) continue;
        if (std::find(reported_scopes_.begin(), reported_scopes_.end(), scope.id()) !=
            reported_scopes_.end())
          continue;
        reported_scopes_.push_back(scope.id());
        report(ctx, u.site,
               "Model or hyperparameter chosen by its score on the test split (split at line " +
                   line(split.site) + "): picking the best of several test scores fits the "
                   "choice to the test rows; compare on a validation split or with CV",
               split.site);
      }
    }
  }

 private:
  void report(RuleContext& ctx, syntax::Node site, std::string msg, syntax::Node split) {
    Finding f = finding(site, std::move(msg));
    f.related.push_back({TextRange::of(split), "the test split is created here"});
    ctx.report(std::move(f));
  }
  std::vector<const void*> reported_scopes_;
};

}  // namespace

std::unique_ptr<Rule> make_test_set_used_for_tuning() {
  return std::make_unique<TestSetUsedForTuning>();
}

}  // namespace mlroast::rules
