// ML405 default-hyperparameters: a shipped ensemble/boosting/SVM model built with library
// defaults and no hyperparameter search anywhere in the file.
#include <string>

#include "analysis/rules/rule.hpp"
#include "analysis/rules/workflow_facts.hpp"

namespace mlroast::rules {
namespace {

constexpr std::string_view kDoc = R"md(# ML405 default-hyperparameters

## What it finds
A tree ensemble, gradient-boosting model or SVM (`RandomForest*`, `ExtraTrees*`,
`GradientBoosting*`, `HistGradientBoosting*`, `AdaBoost*`, XGBoost, LightGBM, CatBoost, `SVC`,
`SVR`, `NuSVC`, `NuSVR`) constructed with no hyperparameter at all, in a complete modelling
script (a model trained, scored and shipped, as for ML404) that contains no hyperparameter
search: no `GridSearchCV`/`RandomizedSearchCV`/`Halving*`/`BayesSearchCV`, Optuna, Hyperopt,
Ray Tune, keras-tuner, `ParameterGrid`, or `*CV` estimator. Arguments that are not
hyperparameters do not count: `random_state`, `n_jobs`, `verbose`/`verbosity`, `device`,
`enable_categorical`, `eval_metric`, `use_label_encoder`, `probability`.
One finding per file, on the first such constructor.

Not reported: a model with at least one hyperparameter set (someone chose it), exploratory
scripts that do not ship a model, test files.

## Why it matters
Library defaults are generic: `RandomForestClassifier()` grows every tree to purity,
`XGBClassifier()` uses a fixed learning rate and depth, `SVC()` uses `C=1` and a `gamma` scaled
to the data but not to the problem. Shipping them means the reported number is whatever one
arbitrary configuration scored, and comparisons between model families are unfair (one tuned,
the other not). The review spec: "RandomForestClassifier() with no tuning is a sign that the
author ran the code, got a number, and called it done."

## Example
```python
model = RandomForestClassifier(random_state=0)
model.fit(X_train, y_train)
joblib.dump(model, "model.joblib")
```

## Use instead
```python
search = RandomizedSearchCV(
    RandomForestClassifier(random_state=0),
    {"n_estimators": [200, 500], "max_depth": [None, 8, 16], "min_samples_leaf": [1, 5, 20]},
    n_iter=10, cv=5, scoring="average_precision", random_state=0,
)
search.fit(X_train, y_train)
joblib.dump(search.best_estimator_, "model.joblib")
```

## Fix safety
No fix: the search space and budget are problem-specific.

## References
- The review spec (`ml-review-spec.txt`), "Modeling Choices".
- scikit-learn user guide, "Tuning the hyper-parameters of an estimator".
)md";

constexpr RuleInfo kInfo{"ML405",
                         "default-hyperparameters",
                         Category::Evaluation,
                         Severity::Info,
                         FixAvailability::None,
                         "Ensemble/boosting/SVM with default hyperparameters and no search",
                         kDoc};

bool tunable_family(std::string_view q) {
  if (workflow::is_tree_ensemble(q)) return true;
  auto dot = q.rfind('.');
  std::string_view n = dot == std::string_view::npos ? q : q.substr(dot + 1);
  return q.starts_with("sklearn.svm") && (n == "SVC" || n == "SVR" || n == "NuSVC" || n == "NuSVR");
}

bool not_a_hyperparameter(std::string_view kw) {
  for (std::string_view k : {"random_state", "n_jobs", "verbose", "verbosity", "device",
                             "enable_categorical", "eval_metric", "use_label_encoder",
                             "probability", "thread_count", "random_seed", "seed", "silent"})
    if (kw == k) return true;
  return false;
}

bool default_constructed(syntax::Node call, const RuleContext& ctx) {
  syntax::Node args = call.field("arguments");
  if (!args || args.kind() != "argument_list") return false;
  for (syntax::Node a : syntax::children(args)) {
    if (a.kind() == "comment") continue;
    if (a.kind() != "keyword_argument") return false;  // positional or **params: set
    if (!not_a_hyperparameter(ctx.text_of(a.field("name")))) return false;
  }
  return true;
}

class DefaultHyperparameters final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }

  void before_program(const RuleContext& ctx) override { workflow::prepare_facts(ctx); }

  void finish(RuleContext& ctx) override {
    if (ctx.file().is_test || ctx.file().tree == nullptr) return;
    const workflow::Facts& f = workflow::facts(ctx);
    if (!f.full_workflow() || f.search) return;
    for (const workflow::CallSite& c : workflow::calls(ctx)) {
      if (!tunable_family(c.qualified) || !default_constructed(c.call, ctx)) continue;
      std::string shown(ctx.text_of(c.call.field("function")));
      ctx.report(finding(c.call, "`" + shown +
                                     "` runs on library defaults and nothing in the file tunes "
                                     "it; search its key hyperparameters with cross-validation "
                                     "on the training split (`RandomizedSearchCV`, Optuna)"));
      return;
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_default_hyperparameters() {
  return std::make_unique<DefaultHyperparameters>();
}

}  // namespace mlroast::rules
