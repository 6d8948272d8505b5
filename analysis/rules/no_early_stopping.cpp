// ML408 no-early-stopping: boosting with many rounds, or a Keras fit with many epochs, and no
// validation-based stopping.
#include <cstdlib>
#include <string>

#include "analysis/lineage/program.hpp"
#include "analysis/rules/rule.hpp"
#include "analysis/rules/workflow_facts.hpp"

namespace mlroast::rules {
namespace {

constexpr std::string_view kDoc = R"md(# ML408 no-early-stopping

## What it finds
Iterative models told to run for many rounds with no validation-based stopping:
- a gradient-boosting model (`GradientBoosting*`, XGBoost, LightGBM, CatBoost) constructed with
  a literal `n_estimators` / `iterations` / `num_boost_round` of 1,000 or more, or
  `xgb.train` / `lgb.train` with `num_boost_round >= 1000`, when neither the constructor nor any
  `fit`/`train` call in the file passes `early_stopping_rounds`, an `early_stopping(...)`
  callback, `n_iter_no_change` or `early_stopping=True`;
- a Keras `fit(..., epochs=N)` with a literal `N >= 50` in a file that never builds an
  `EarlyStopping` callback or a `ModelCheckpoint(save_best_only=True)` (which keeps the best
  validation epoch).

Not reported: budgets under 1,000 rounds or 50 epochs (300-800 rounds at a modest learning rate is a common
hand-tuned budget, and the rule cannot see the learning curve), counts held in variables or
configs (unknown), `HistGradientBoosting*` (stops
early by default on large data), random forests (more trees do not overfit), PyTorch loops
(their training loops are analysed by the ML5xx rules; a hand-written patience counter cannot be
recognised reliably), and test files. Whether the stopping uses the test split is ML107's
question.

## Why it matters
Boosting keeps fitting the training residuals: past the best round, validation loss rises while
training loss keeps falling, so a fixed 1,000 or 5,000 rounds usually ships an overfitted model
and wastes compute. Networks trained for a fixed number of epochs do the same. The review spec:
"No early stopping in iterative models (GBM, neural nets): training until convergence on the
training loss is a direct path to overfitting."

## Example
```python
model = XGBClassifier(n_estimators=2000, learning_rate=0.05, max_depth=6)
model.fit(X_train, y_train)
```

## Use instead
```python
X_tr, X_val, y_tr, y_val = train_test_split(X_train, y_train, test_size=0.2, random_state=0)
model = XGBClassifier(n_estimators=2000, learning_rate=0.05, max_depth=6, early_stopping_rounds=50)
model.fit(X_tr, y_tr, eval_set=[(X_val, y_val)], verbose=False)
```
In Keras: `callbacks=[keras.callbacks.EarlyStopping(monitor="val_loss", patience=5,
restore_best_weights=True)]` with `validation_split=` or `validation_data=` from the training
data.

## Fix safety
No fix: early stopping needs a validation split carved from the training data.

## References
- The review spec (`ml-review-spec.txt`), "Modeling Choices".
- XGBoost docs, "Early Stopping"; LightGBM docs, `early_stopping` callback; Keras docs,
  `EarlyStopping`.
)md";

constexpr RuleInfo kInfo{"ML408",
                         "no-early-stopping",
                         Category::Evaluation,
                         Severity::Info,
                         FixAvailability::None,
                         "Many boosting rounds or epochs with no early stopping",
                         kDoc};

constexpr long kManyRounds = 1000;
constexpr long kManyEpochs = 50;

long literal_int(syntax::Node n, const RuleContext& ctx) {
  if (!n || n.kind() != "integer") return -1;
  std::string t(ctx.text_of(n));
  std::erase(t, '_');
  return std::strtol(t.c_str(), nullptr, 10);
}

class NoEarlyStopping final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }

  // Reads the call list only, not the workflow facts: that list is what to compute ahead.
  void before_program(const RuleContext& ctx) override {
    if (!ctx.file().is_test && ctx.file().tree != nullptr) workflow::calls(ctx);
  }

  void finish(RuleContext& ctx) override {
    if (ctx.file().is_test || ctx.file().tree == nullptr) return;
    const std::vector<workflow::CallSite>& calls = workflow::calls(ctx);
    bool stops_early = false, keras_early_stopping = false;
    for (const workflow::CallSite& c : calls) {
      for (std::string_view kw : {"early_stopping_rounds", "n_iter_no_change", "od_wait"})
        if (syntax::Node v = c.keyword(kw); v && v.kind() != "none")
          stops_early = true;
      if (syntax::Node v = c.keyword("early_stopping");
          v && v.kind() == "true")
        stops_early = true;
      std::string_view q = c.qualified;
      if (q.ends_with(".early_stopping") || q.ends_with(".EarlyStopping")) {
        stops_early = true;
        keras_early_stopping = true;
      }
      // ModelCheckpoint(save_best_only=True) keeps the best epoch on validation: the same
      // protection against overfitting as stopping there.
      if (q.ends_with(".ModelCheckpoint"))
        if (syntax::Node v = c.keyword("save_best_only");
            v && v.kind() == "true")
          keras_early_stopping = true;
    }
    for (const workflow::CallSite& c : calls) {
      std::string_view q = c.qualified;
      if (!stops_early && workflow::is_boosting(q)) {
        for (std::string_view kw : {"n_estimators", "iterations", "num_boost_round"}) {
          long n = literal_int(c.keyword(kw), ctx);
          if (n < kManyRounds) continue;
          return report(c.call, "`" + std::string(ctx.text_of(c.call.field("function"))) +
                                    "` runs " + std::to_string(n) +
                                    " boosting rounds with no early stopping on a validation "
                                    "split; pass `early_stopping_rounds` and an `eval_set` "
                                    "carved from the training data",
                        ctx);
        }
      }
      if (!stops_early && (q == "xgboost.train" || q == "lightgbm.train")) {
        long n = literal_int(c.keyword("num_boost_round"), ctx);
        if (n >= kManyRounds)
          return report(c.call, "`" + std::string(ctx.text_of(c.call.field("function"))) +
                                    "` runs " + std::to_string(n) +
                                    " rounds with no early stopping; pass "
                                    "`early_stopping_rounds` with a validation set",
                        ctx);
      }
      if (!keras_early_stopping && c.method == "fit" && ctx.program() != nullptr) {
        long epochs = literal_int(c.keyword("epochs"), ctx);
        if (epochs < kManyEpochs) continue;
        const lineage::Value* recv = ctx.program()->value_of(c.receiver);
        if (recv == nullptr || recv->kind != lineage::Kind::Estimator ||
            recv->cls.find("keras") == std::string::npos)
          continue;
        return report(c.call, "`fit(..., epochs=" + std::to_string(epochs) +
                                  ")` trains for a fixed number of epochs with no "
                                  "`EarlyStopping` callback; stop on validation loss with "
                                  "`restore_best_weights=True`",
                      ctx);
      }
    }
  }

 private:
  void report(syntax::Node at, std::string message, RuleContext& ctx) {
    ctx.report(finding(at, std::move(message)));
  }
};

}  // namespace

std::unique_ptr<Rule> make_no_early_stopping() { return std::make_unique<NoEarlyStopping>(); }

}  // namespace mlroast::rules
