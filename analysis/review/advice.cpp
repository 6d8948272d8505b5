// The remedy of every rule code in the catalogue (the "fix" column of the shared RULES.md), for
// the review's action plan, with a category-based fallback for codes added later. Rules that exist
// carry the same advice in their doc block's "Use instead"; this table also covers planned codes
// so the plan reads the same whichever rules are registered.
#include "analysis/review/advice.hpp"

#include <array>

namespace mlroast::review {

namespace {

struct Advice {
  std::string_view code;
  std::string_view fix;
};

constexpr std::array<Advice, 73> kAdvice = {{
    {"ML101", "move the fit after the split: fit on X_train, `transform` X_test; for CV wrap in `make_pipeline`"},
    {"ML102", "as ML101"},
    {"ML103", "resample the training fold only"},
    {"ML104", "put selection inside the CV pipeline"},
    {"ML105", "TargetEncoder inside a Pipeline"},
    {"ML106", "compute statistics on train, apply to test"},
    {"ML107", "carve a validation split; keep test for the final number"},
    {"ML108", "fit on X_train only"},
    {"ML109", "drop the target from X"},
    {"ML110", "split by group"},
    {"ML111", "compare on validation or CV; score the chosen model on test once"},
    {"ML201", "chronological cutoff or TimeSeriesSplit"},
    {"ML202", "shift before rolling"},
    {"ML203", "use lagged aggregates (m-1, m-2, avg of m-3..m-1)"},
    {"ML204", "walk-forward validation"},
    {"ML205", "test stationarity first"},
    {"ML206", "localize first"},
    {"ML301", "set handle_unknown"},
    {"ML302", "one fitted OneHotEncoder; reindex columns"},
    {"ML303", "OneHotEncoder / target encoding"},
    {"ML304", "pass format="},
    {"ML305", "model \"absent\" explicitly"},
    {"ML306", "guard the denominator"},
    {"ML307", "frequency/target encoding"},
    {"ML308", "check duplicates by key"},
    {"ML309", "load the training-time fitted transformer (one serialized Pipeline)"},
    {"ML401", "F1 / PR-AUC / MCC"},
    {"ML402", "add average_precision_score"},
    {"ML403", "tune threshold on validation"},
    {"ML404", "DummyClassifier/Regressor"},
    {"ML405", "tune on validation/CV"},
    {"ML406", "cross-validate"},
    {"ML407", "CalibratedClassifierCV / calibration_curve"},
    {"ML408", "early stopping on validation"},
    {"ML409", "class_weight=\"balanced\""},
    {"ML410", "add MAE, residual checks"},
    {"ML501", "return logits"},
    {"ML502", "BCEWithLogitsLoss"},
    {"ML503", "`.item()`"},
    {"ML504", "zero_grad each step"},
    {"ML505", "add both"},
    {"ML506", "num_workers>=2, pin_memory"},
    {"ML507", "clip gradients"},
    {"ML508", "cosine / warmup / ReduceLROnPlateau"},
    {"ML509", "matching loss"},
    {"ML601", "pass random_state"},
    {"ML602", "seed all, PYTHONHASHSEED"},
    {"ML603", "set both"},
    {"P01", "pin / lock"},
    {"P02", "declare it"},
    {"P03", "log params+metrics+artifacts"},
    {"P04", "version data"},
    {"P05", "validate at ingestion"},
    {"P06", "unit-test transforms"},
    {"P07", "Prefect/Airflow/Metaflow/ZenML/DVC stages"},
    {"P08", "registry / metadata"},
    {"P09", "Evidently/Whylogs"},
    {"P10", "one serialized Pipeline"},
    {"P11", "move to modules"},
    {"ML701", "vectorize"},
    {"ML702", "logging"},
    {"ML703", "catch specific errors"},
    {"ML704", "None default"},
    {"ML705", "config / relative paths"},
    {"ML706", "decompose"},
    {"ML707", "pure functions"},
    {"ML708", "safetensors / ONNX / weights_only"},
    {"ML709", "save state_dict"},
    {"ML710", "environment / secret store"},
    {"ML711", "package with __init__.py"},
    {"ML712", "pydantic schema"},
    {"ML713", "`.loc`"},
    {"ML714", "debug off; env-driven config"},
}};

}  // namespace

std::string remedy(std::string_view code, Category category) {
  for (const Advice& a : kAdvice) {
    if (a.code != code) continue;
    // "as ML101": the remedy of that rule.
    if (a.fix.rfind("as ML", 0) == 0 && a.fix.size() == 8 && a.fix.substr(3) != code)
      return remedy(a.fix.substr(3), category);
    return std::string(a.fix);
  }
  switch (category) {
    case Category::Leakage:
    case Category::TimeSeries:
      return "fit every learned statistic on the training side only, after the split";
    case Category::DataQuality: return "validate and encode inputs the same way at training and inference";
    case Category::Evaluation: return "evaluate on validation or cross-validation; score the test set once";
    case Category::DeepLearning: return "follow the training-loop fix in `mlroast rule " + std::string(code) + "`";
    case Category::Reproducibility: return "record and pin what the run depends on";
    case Category::CodeQuality: return "apply the fix in `mlroast rule " + std::string(code) + "`";
  }
  return "see `mlroast rule " + std::string(code) + "`";
}

}  // namespace mlroast::review
