#include "analysis/rules/workflow_facts.hpp"

#include <algorithm>
#include <cctype>
#include <initializer_list>

#include "analysis/lineage/library.hpp"
#include "analysis/lineage/program.hpp"

namespace mlroast::rules::workflow {

namespace {

using lineage::library::is_dummy;
using lineage::library::last_name;
using lineage::library::module_of;

bool in(std::string_view s, std::initializer_list<std::string_view> set) {
  return std::find(set.begin(), set.end(), s) != set.end();
}

bool under(std::string_view q, std::string_view root) {
  return q == root || (q.size() > root.size() && q.substr(0, root.size()) == root &&
                       q[root.size()] == '.');
}

bool contains(std::string_view s, std::string_view part) {
  return s.find(part) != std::string_view::npos;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// A string literal's contents without quotes or prefixes ("" for other nodes).
std::string_view string_contents(syntax::Node n, const RuleContext& ctx) {
  if (!n || n.kind() != "string") return {};
  std::string_view t = ctx.text_of(n);
  size_t start = t.find_first_of("\"'");
  if (start == std::string_view::npos) return {};
  char q = t[start];
  size_t end = t.rfind(q);
  if (end <= start) return {};
  return t.substr(start + 1, end - start - 1);
}

bool is_none(syntax::Node n) { return n && n.kind() == "none"; }

// Column names that signal an imbalanced positive class (RULES.md: "fraud/churn/default
// targets"); `strict` keeps only events that are rare by definition.
bool rare_event_name(std::string_view column, bool strict) {
  std::string c = lower(column);
  for (std::string_view w : {"fraud", "anomal", "defect", "failure", "readmi", "click",
                             "conversion", "converted", "bankrupt", "chargeback", "delinquen",
                             "intrusion", "malicious"})
    if (contains(c, w)) return true;
  if (strict) return false;
  for (std::string_view w : {"churn", "default", "attrition"})
    if (contains(c, w)) return true;
  return false;
}

void collect_calls(const RuleContext& ctx, std::vector<CallSite>& out) {
  static const uint16_t kCall = syntax::symbol_for("call");
  static const uint16_t kArguments = syntax::symbol_for("argument_list");
  static const uint16_t kKeyword = syntax::symbol_for("keyword_argument");
  const auto add = [&](syntax::Node n) {
    CallSite c;
    c.call = n;
    c.qualified = ctx.sem().callee(n);
    syntax::Node fn = n.field("function");
    if (fn && fn.kind() == "attribute") {
      c.method = ctx.text_of(fn.field("attribute"));
      c.receiver = fn.field("object");
    }
    if (syntax::Node args = n.field("arguments"); args && args.symbol() == kArguments)
      for (uint32_t i = 0, count = args.named_child_count(); i < count; ++i)
        if (syntax::Node a = args.named_child(i); a.symbol() == kKeyword)
          c.keywords.emplace_back(ctx.text_of(a.field("name")), a.field("value"));
    out.push_back(std::move(c));
  };
  if (const std::vector<syntax::Node>* nodes = ctx.call_nodes()) {
    out.reserve(nodes->size());
    for (syntax::Node n : *nodes) add(n);
    return;
  }
  syntax::walk(ctx.file().tree->root(), [&](syntax::Node n) {
    if (n.symbol() == kCall) add(n);
    return true;
  });
}

}  // namespace

const std::vector<CallSite>& calls(const RuleContext& ctx) {
  return ctx.shared_without_program<std::vector<CallSite>>([&] {
    auto out = std::make_shared<std::vector<CallSite>>();
    collect_calls(ctx, *out);
    return out;
  });
}


syntax::Node keyword_arg(syntax::Node call, std::string_view name, const RuleContext& ctx) {
  syntax::Node args = call.field("arguments");
  if (!args || args.kind() != "argument_list") return {};
  // Cheap text test first: most calls do not spell the name at all (this runs per call and name).
  if (ctx.text_of(args).find(name) == std::string_view::npos) return {};
  for (syntax::Node a : syntax::children(args)) {
    if (a.kind() == "keyword_argument" && ctx.text_of(a.field("name")) == name)
      return a.field("value");
  }
  return {};
}

syntax::Node positional_arg(syntax::Node call, uint32_t i) {
  syntax::Node args = call.field("arguments");
  if (!args || args.kind() != "argument_list") return {};
  uint32_t k = 0;
  for (syntax::Node a : syntax::children(args)) {
    if (a.kind() == "keyword_argument" || a.kind() == "comment") continue;
    if (a.kind() == "list_splat" || a.kind() == "dictionary_splat") return {};
    if (k++ == i) return a;
  }
  return {};
}

bool is_classifier(std::string_view q) {
  if (lineage::library::estimator_role(q) != lineage::Role::Model) return false;
  std::string_view n = last_name(q);
  return contains(n, "Classifier") ||
         in(n, {"LogisticRegression", "LogisticRegressionCV", "SVC", "LinearSVC", "NuSVC",
                "GaussianNB", "MultinomialNB", "BernoulliNB", "ComplementNB", "CategoricalNB",
                "LinearDiscriminantAnalysis", "QuadraticDiscriminantAnalysis", "Perceptron",
                "CalibratedClassifierCV"});
}

bool is_regressor(std::string_view q) {
  if (lineage::library::estimator_role(q) != lineage::Role::Model) return false;
  std::string_view n = last_name(q);
  if (n == "LogisticRegression" || n == "LogisticRegressionCV") return false;
  return contains(n, "Regressor") || contains(n, "Regression") ||
         in(n, {"Ridge", "RidgeCV", "Lasso", "LassoCV", "ElasticNet", "ElasticNetCV", "SVR",
                "LinearSVR", "NuSVR", "KernelRidge", "BayesianRidge", "ARDRegression", "Lars",
                "LassoLars", "HuberRegressor", "TheilSenRegressor", "RANSACRegressor"});
}

bool is_tree_ensemble(std::string_view q) {
  if (lineage::library::estimator_role(q) != lineage::Role::Model) return false;
  std::string_view n = last_name(q);
  return n.starts_with("RandomForest") || n.starts_with("ExtraTrees") ||
         n.starts_with("GradientBoosting") || n.starts_with("HistGradientBoosting") ||
         n.starts_with("AdaBoost") || n.starts_with("XGB") || n.starts_with("LGBM") ||
         n.starts_with("CatBoost");
}

bool is_boosting(std::string_view q) {
  if (lineage::library::estimator_role(q) != lineage::Role::Model) return false;
  std::string_view n = last_name(q);
  return n.starts_with("GradientBoosting") || n.starts_with("XGB") || n.starts_with("LGBM") ||
         n.starts_with("CatBoost");
}

Metric metric_of_function(std::string_view q) {
  if (!under(module_of(q), "sklearn.metrics")) return Metric::None;
  std::string_view n = last_name(q);
  if (n == "accuracy_score") return Metric::Accuracy;
  if (n == "balanced_accuracy_score") return Metric::BalancedAccuracy;
  if (in(n, {"f1_score", "fbeta_score"})) return Metric::F1;
  if (n == "precision_score") return Metric::Precision;
  if (n == "recall_score") return Metric::Recall;
  if (n == "matthews_corrcoef") return Metric::Mcc;
  if (in(n, {"roc_auc_score", "roc_curve", "RocCurveDisplay"})) return Metric::RocAuc;
  if (in(n, {"average_precision_score", "precision_recall_curve", "PrecisionRecallDisplay"}))
    return Metric::PrAuc;
  if (n == "log_loss") return Metric::LogLoss;
  if (n == "brier_score_loss") return Metric::Brier;
  if (n == "mean_squared_error") return Metric::Mse;
  if (n == "root_mean_squared_error") return Metric::Rmse;
  if (n == "mean_absolute_error") return Metric::Mae;
  if (n == "r2_score") return Metric::R2;
  if (in(n, {"median_absolute_error", "mean_absolute_percentage_error",
             "explained_variance_score", "max_error", "mean_squared_log_error",
             "root_mean_squared_log_error", "mean_pinball_loss", "mean_poisson_deviance",
             "mean_gamma_deviance", "mean_tweedie_deviance", "d2_absolute_error_score",
             "PredictionErrorDisplay"}))
    return Metric::OtherRegression;
  if (n == "classification_report") return Metric::ClassificationReport;
  if (in(n, {"confusion_matrix", "ConfusionMatrixDisplay"})) return Metric::ConfusionMatrix;
  if (in(n, {"precision_recall_fscore_support", "cohen_kappa_score", "jaccard_score",
             "hamming_loss", "top_k_accuracy_score"}))
    return Metric::OtherClassification;
  return Metric::None;
}

Metric metric_of_scoring(std::string_view s) {
  if (s == "accuracy") return Metric::Accuracy;
  if (s == "balanced_accuracy") return Metric::BalancedAccuracy;
  if (s.starts_with("f1")) return Metric::F1;
  if (s.starts_with("precision")) return Metric::Precision;
  if (s.starts_with("recall")) return Metric::Recall;
  if (s == "matthews_corrcoef") return Metric::Mcc;
  if (s.starts_with("roc_auc")) return Metric::RocAuc;
  if (s == "average_precision") return Metric::PrAuc;
  if (s == "neg_log_loss") return Metric::LogLoss;
  if (s == "neg_brier_score") return Metric::Brier;
  if (s == "neg_mean_squared_error") return Metric::Mse;
  if (s == "neg_root_mean_squared_error") return Metric::Rmse;
  if (s == "neg_mean_absolute_error") return Metric::Mae;
  if (s == "r2") return Metric::R2;
  if (in(s, {"neg_median_absolute_error", "neg_mean_absolute_percentage_error",
             "explained_variance", "max_error", "neg_mean_squared_log_error",
             "neg_root_mean_squared_log_error", "neg_mean_poisson_deviance",
             "neg_mean_gamma_deviance", "d2_absolute_error_score"}))
    return Metric::OtherRegression;
  return Metric::None;
}

bool Facts::uses_metric(Metric m) const {
  return std::any_of(metrics.begin(), metrics.end(),
                     [m](const MetricUse& u) { return u.metric == m; });
}

std::string rare_event_target(const lineage::Value& y, bool strict) {
  for (const auto* names : {&y.columns, &y.sources})
    for (const std::string& c : *names)
      if (rare_event_name(c, strict)) return c;
  return "";
}

namespace {

// The part of the facts that needs no lineage program (the calls alone), with what the program
// must still decide: whether a metric scores predictions, and which of the calls that may ship
// a model do.
struct CallFacts {
  Facts partial;
  std::vector<syntax::Node> metric_calls;
  // In source order: (call, receiver): ships for sure when the receiver is null, else when the
  // receiver is an estimator (`model.save_model(...)` on a callee the engine cannot name).
  std::vector<std::pair<syntax::Node, syntax::Node>> deliverables;
};

CallFacts compute_call_facts(const RuleContext& ctx) {
  CallFacts out;
  Facts& f = out.partial;
  f.notebook_or_test = ctx.file().is_notebook || ctx.file().is_test;
  const semantic::SemanticModel& sem = ctx.sem();
  f.deep_learning = sem.imports("torch") || sem.imports("tensorflow") || sem.imports("keras") ||
                    sem.imports("pytorch_lightning") || sem.imports("lightning");
  for (const CallSite& c : calls(ctx)) {
    auto kwarg = [&c](std::string_view name) { return c.keyword(name); };
    std::string_view q = c.qualified;
    std::string_view n = last_name(q);
    // A call whose callee is not known (`model.fit`, `df.mean`): only its method name and its
    // keyword arguments can tell something; every test of the qualified name below is false.
    const bool known = !q.empty();
    // Metrics, and scoring strings given to CV or search.
    Metric m = known ? metric_of_function(q) : Metric::None;
    if (m != Metric::None) {
      f.metrics.push_back({m, c.call});
      out.metric_calls.push_back(c.call);
    }
    if (syntax::Node s = kwarg("scoring")) {
      auto add = [&](syntax::Node str) {
        Metric sm = metric_of_scoring(string_contents(str, ctx));
        if (sm != Metric::None) f.metrics.push_back({sm, str});
      };
      if (s.kind() == "string") add(s);
      else
        for (syntax::Node e : syntax::children(s))
          if (e.kind() == "string") add(e);
          else if (e.kind() == "pair") add(e.field("value"));
    }
    // Protocol: baselines, searches, cross-validation, calibration.
    lineage::Role role = lineage::Role::None;
    if (known) {
      if (is_dummy(q)) f.dummy = true;
      role = lineage::library::estimator_role(q);
      if (role == lineage::Role::Search || under(q, "optuna") || under(q, "hyperopt") ||
          under(q, "skopt") || under(q, "ray.tune") || under(q, "keras_tuner") ||
          (in(n, {"ParameterGrid", "ParameterSampler"}) && under(q, "sklearn")))
        f.search = true;
      if (role == lineage::Role::Search || lineage::library::is_cv_function(q) ||
          (role != lineage::Role::None && n.ends_with("CV") && n != "CalibratedClassifierCV") ||
          in(q, {"xgboost.cv", "lightgbm.cv", "catboost.cv"}))
        f.cross_validation = true;
      if (role == lineage::Role::Model && n.ends_with("CV") && n != "CalibratedClassifierCV")
        f.search = true;  // LogisticRegressionCV, RidgeCV...: tuned by built-in CV
    }
    if (syntax::Node cv = kwarg("cv"); cv && !is_none(cv))
      f.cross_validation = true;
    if (known && (under(q, "sklearn.calibration") || in(n, {"brier_score_loss", "log_loss"})))
      f.calibration = true;
    // Class balance checked / handled.
    if (c.method == "value_counts" ||
        (known && (in(q, {"numpy.bincount", "collections.Counter", "seaborn.countplot"}) ||
                   (q == "numpy.unique" && kwarg("return_counts")))))
      f.balance_checked = true;
    for (std::string_view kw : {"class_weight", "scale_pos_weight", "is_unbalance",
                                "auto_class_weights", "class_weights", "sample_weight"}) {
      syntax::Node v = kwarg(kw);
      if (v && !is_none(v) && ctx.text_of(v) != "False") {
        f.class_weighting = true;
        if (kw != "sample_weight" && f.imbalance_reason.empty())
          f.imbalance_reason = std::string(kw) + "=";
      }
    }
    if (known) {
      if (in(n, {"compute_class_weight", "compute_sample_weight"})) f.class_weighting = true;
      if (role == lineage::Role::Resampler || under(q, "imblearn.ensemble")) {
        f.class_weighting = true;
        if (f.imbalance_reason.empty()) f.imbalance_reason = std::string(n);
      }
      if (lineage::library::is_train_test_split(q)) f.train_test_splits.push_back(c.call);
    }
    // Deliverables: a persisted model, logged metrics.
    if (known) {
      if (in(q, {"joblib.dump", "pickle.dump", "pickle.dumps", "dill.dump", "cloudpickle.dump",
                 "torch.save", "skops.io.dump", "skl2onnx.convert_sklearn", "skl2onnx.to_onnx",
                 "torch.onnx.export", "wandb.log", "bentoml.sklearn.save_model"}) ||
          (under(q, "mlflow") && (contains(n, "log_") || n == "save_model")))
        out.deliverables.emplace_back(c.call, syntax::Node());
    } else if (in(c.method, {"save_model", "save"}) && c.receiver) {
      out.deliverables.emplace_back(c.call, c.receiver);
    }
    // Torch training steps count as training a model.
    if (c.method == "backward" && f.deep_learning) f.trains_model = true;
  }
  return out;
}

const CallFacts& call_facts(const RuleContext& ctx) {
  return ctx.shared_without_program<CallFacts>(
      [&] { return std::make_shared<CallFacts>(compute_call_facts(ctx)); });
}

Facts compute_facts(const RuleContext& ctx) {
  const CallFacts& calls_part = call_facts(ctx);
  Facts f = calls_part.partial;
  const lineage::Program* program = ctx.program();
  auto value_cls = [&](lineage::ValueId id) -> std::string_view {
    if (program == nullptr || id == lineage::kNoValue) return {};
    return program->value(id).cls;
  };
  auto is_estimator_value = [&](syntax::Node n) {
    if (program == nullptr || !n) return false;
    const lineage::Value* v = program->value_of(n);
    return v != nullptr && v->kind == lineage::Kind::Estimator;
  };
  for (const auto& [call, receiver] : calls_part.deliverables)
    if (!receiver || is_estimator_value(receiver)) {
      f.deliverable = true;
      f.deliverable_site = call;
      break;
    }
  bool any_prediction_scored = false;
  if (program != nullptr)
    for (syntax::Node call : calls_part.metric_calls)
      for (syntax::Node a : syntax::children(call.field("arguments"))) {
        syntax::Node v = a.kind() == "keyword_argument" ? a.field("value") : a;
        const lineage::Value* val = program->value_of(v);
        if (val != nullptr && val->produced_by >= 0) any_prediction_scored = true;
      }

  if (program != nullptr) {
    for (const lineage::UseEvent& u : program->uses()) {
      std::string_view cls = value_cls(u.model);
      if ((u.kind == lineage::UseKind::Train || u.kind == lineage::UseKind::CrossValidate) &&
          !is_dummy(cls))
        f.trains_model = true;
      if ((u.kind == lineage::UseKind::Evaluate && u.scored) ||
          u.kind == lineage::UseKind::CrossValidate)
        f.scores_model = true;
      // the target of the first training or cross-validation (a notebook may only
      // cross-validate models kept in a dict before refitting the one it picked)
      if ((u.kind == lineage::UseKind::Train || u.kind == lineage::UseKind::CrossValidate) &&
          u.y != lineage::kNoValue && f.target_name.empty() && !is_regressor(cls)) {
        f.target_name = rare_event_target(program->value(u.y));
        f.target_rare_event = !f.target_name.empty();
      }
    }
    for (const lineage::SplitEvent& s : program->splits())
      if (s.kind == lineage::SplitKind::FoldLoop) f.cross_validation = true;
  }
  if (any_prediction_scored) f.scores_model = true;
  if (f.target_rare_event && f.imbalance_reason.empty())
    f.imbalance_reason = "a `" + f.target_name + "` target";
  return f;
}

}  // namespace

void prepare_facts(const RuleContext& ctx) {
  // Test files: the rules that read the facts report nothing there.
  if (ctx.file().is_test || ctx.file().tree == nullptr) return;
  call_facts(ctx);
}

const Facts& facts(const RuleContext& ctx) {
  return ctx.shared<Facts>([&] { return std::make_shared<Facts>(compute_facts(ctx)); });
}

}  // namespace mlroast::rules::workflow
