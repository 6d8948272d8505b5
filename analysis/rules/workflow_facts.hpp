// What a file does as a whole, for the information-level evaluation rules (ML40x): does it train
// and score a model, does it ship the result (a persisted model, logged metrics), which
// evaluation protocol and which metrics does it use, is there evidence that the classes are
// imbalanced. Computed from the semantic model (qualified names through aliases) and the lineage
// program (which values are estimators, predictions, training uses), never from variable names,
// except where RULES.md itself names the evidence (a fraud/churn/default target column).
// Pure function of the RuleContext; each rule computes it in finish(), the part that needs no
// program in before_program().
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analysis/lineage/value.hpp"
#include "analysis/rules/rule.hpp"

namespace mlroast::rules::workflow {

// One call of the file, in source order.
struct CallSite {
  syntax::Node call;
  std::string_view qualified;  // the callee's qualified name ("" when unknown), held by the
                               // semantic model's memo for the whole analysis
  std::string_view method;     // for `x.m(...)`: "m" (also when `qualified` is set)
  syntax::Node receiver;       // for `x.m(...)`: `x`
  // The keyword arguments, in order: (name, value node). Read once, asked for by name often.
  std::vector<std::pair<std::string_view, syntax::Node>> keywords;
  // The value node of keyword argument `name`, or a null node.
  syntax::Node keyword(std::string_view name) const {
    for (const auto& [k, v] : keywords)
      if (k == name) return v;
    return {};
  }
};

// Every call in the file, in source order; computed once per analysis (RuleContext::shared).
const std::vector<CallSite>& calls(const RuleContext& ctx);

// The value node of keyword argument `name` of a call, or a null node.
syntax::Node keyword_arg(syntax::Node call, std::string_view name, const RuleContext& ctx);
// The i-th positional argument of a call, or a null node.
syntax::Node positional_arg(syntax::Node call, uint32_t i);

// Model families by qualified class name.
bool is_classifier(std::string_view qualified);
bool is_regressor(std::string_view qualified);
// RandomForest/ExtraTrees/GradientBoosting/HistGradientBoosting/AdaBoost/Bagging, XGBoost,
// LightGBM, CatBoost (classifiers and regressors).
bool is_tree_ensemble(std::string_view qualified);
// Gradient boosting: GradientBoosting*, XGB*, LGBM*, CatBoost*.
bool is_boosting(std::string_view qualified);

// The sklearn.metrics function or scoring string a metric name maps to, normalised to a family.
enum class Metric : uint8_t {
  None, Accuracy, BalancedAccuracy, F1, Precision, Recall, Mcc, RocAuc, PrAuc, LogLoss, Brier,
  Mse, Rmse, Mae, R2, OtherRegression, ClassificationReport, ConfusionMatrix, OtherClassification,
};
Metric metric_of_function(std::string_view qualified);  // sklearn.metrics.accuracy_score ...
Metric metric_of_scoring(std::string_view scoring);     // "roc_auc", "neg_mean_squared_error"

struct MetricUse {
  Metric metric = Metric::None;
  syntax::Node site;  // the metric call, or the scoring string
};

struct Facts {
  bool trains_model = false;     // a supervised model (not a Dummy*) is trained or cross-validated
  bool scores_model = false;     // an evaluation of a model reaches a metric, a print or a score
  bool deliverable = false;      // a model is persisted or metrics/models are logged
  syntax::Node deliverable_site;
  bool deep_learning = false;    // imports torch, tensorflow or keras
  bool notebook_or_test = false;
  bool dummy = false;            // a sklearn.dummy estimator anywhere
  bool search = false;           // a hyperparameter search (sklearn search CV, optuna, ...)
  bool cross_validation = false; // a CV function, a splitter loop, a *CV estimator, cv=
  bool calibration = false;      // CalibratedClassifierCV, calibration_curve, brier, log_loss
  bool balance_checked = false;  // value_counts / bincount / Counter / unique(return_counts)
  bool class_weighting = false;  // class_weight / sample_weight / scale_pos_weight / resampler
  std::vector<syntax::Node> train_test_splits;  // train_test_split calls, in source order
  std::vector<MetricUse> metrics;               // metric calls and scoring strings, in order
  // Evidence that the classes are imbalanced, with a short reason for messages ("SMOTE",
  // "class_weight=", "a `Churn` target"), empty when there is none. A stratified split or CV
  // is not counted: stratifying is good practice on balanced data too.
  std::string imbalance_reason;
  bool target_rare_event = false;  // the target column names a rare event (fraud, churn...)
  std::string target_name;         // that column

  bool uses_metric(Metric m) const;
  // A complete modelling workflow: a model trained and scored, and the result shipped.
  bool full_workflow() const { return trains_model && scores_model && deliverable; }
};

// Computed once per analysis (RuleContext::shared) and shared by every rule that asks.
const Facts& facts(const RuleContext& ctx);
// Computes the part of facts() that needs no lineage program (the calls' evidence): the
// Rule::before_program() of the rules that read facts(), so that it is done while the program
// is built.
void prepare_facts(const RuleContext& ctx);

// The column of a target value (y) whose name signals an imbalanced positive class
// ("is_fraud", "Churn", "defaulted"...), or "" when none does. With `strict`, only names of
// events that are rare by definition (fraud, failure, defect, anomaly, click, conversion,
// readmission...), not moderately imbalanced ones (churn, attrition, default, cancellation).
std::string rare_event_target(const lineage::Value& y, bool strict = false);

}  // namespace mlroast::rules::workflow
