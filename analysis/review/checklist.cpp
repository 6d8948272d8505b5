// "What Good Looks Like": every item of the spec's reference checklist, marked from evidence.
// A finding of a rule that contradicts an item makes it ❌ (with the finding's location); a
// posture fact or a call that satisfies it makes it ✅ (with where it was seen); a half-way
// state makes it ⚠️. Items no static evidence can show are ❌ with what was searched for.
#include <algorithm>

#include "analysis/review/report.hpp"

namespace mlroast::review {

namespace {

using Codes = std::initializer_list<std::string_view>;

const Located* first_of(const std::vector<Located>& all, Codes codes) {
  for (const Located& l : all)
    for (std::string_view c : codes)
      if (l.finding.code == c) return &l;
  return nullptr;
}

std::string cite(const Located& l) { return l.finding.code + " at " + l.where(); }

}  // namespace

const char* mark_symbol(Mark m) {
  switch (m) {
    case Mark::Present: return "✅";
    case Mark::Absent: return "❌";
    case Mark::Partial: return "⚠️";
  }
  return "❌";
}

const char* mark_name(Mark m) {
  switch (m) {
    case Mark::Present: return "present";
    case Mark::Absent: return "absent";
    case Mark::Partial: return "partial";
  }
  return "absent";
}

std::vector<ChecklistItem> build_checklist(const Posture& p, const std::vector<Located>& all,
                                           const std::vector<SourceSignals>& signals) {
  std::vector<ChecklistItem> out;
  std::string group;
  auto add = [&](std::string item, Mark m, std::string evidence) {
    out.push_back(ChecklistItem{group, std::move(item), m, std::move(evidence)});
  };
  // "contradicted by a finding, else present when `ok`, else absent/partial".
  auto judge = [&](std::string item, Codes against, bool ok, std::string ok_evidence, Mark otherwise,
                   std::string otherwise_evidence) {
    if (const Located* l = first_of(all, against)) return add(std::move(item), Mark::Absent, cite(*l));
    if (ok) return add(std::move(item), Mark::Present, std::move(ok_evidence));
    add(std::move(item), otherwise, std::move(otherwise_evidence));
  };
  const bool trains = !p.training_files.empty();
  const bool serves = p.serving.present;
  bool splits = false, astype = false, prints = false;
  for (const SourceSignals& s : signals) {
    if (s.is_test) continue;
    splits = splits || s.calls_any({"sklearn.model_selection.train_test_split", ".split"});
    astype = astype || s.calls_any({".astype"});
    prints = prints || s.calls_any({"builtins.print"});
  }

  group = "Data Pipeline";
  judge("Preprocessing fitted only on training folds", {"ML101", "ML102", "ML104", "ML105", "ML106", "ML103"},
        trains && (splits || p.pipeline_object.present),
        p.pipeline_object.present ? p.pipeline_object.evidence : "no statistic learned before a split",
        Mark::Partial, trains ? "no train/test split found" : "no training code found");
  judge("Data versioned (DVC / Delta Lake / LakeFS)", {"P04"}, p.data_versioning.present,
        p.data_versioning.evidence, Mark::Absent, "no .dvc/, *.dvc, dvc.yaml or _delta_log");
  judge("Schema validated at ingestion (Pandera / Great Expectations)", {"P05"}, p.validation.present,
        p.validation.evidence, p.validation_partial.present ? Mark::Partial : Mark::Absent,
        p.validation_partial.present ? p.validation_partial.evidence + " (no dataframe schema)"
                                     : "no pandera / Great Expectations import");
  judge("Reproducible data splits (fixed seed + stratification where appropriate)", {"ML601", "ML602"},
        splits && p.global_seed.present, p.global_seed.evidence, splits ? Mark::Partial : Mark::Absent,
        splits ? "no global seed; seeds only where passed as random_state" : "no split found");
  judge("No temporal leakage (check time-series splits)", {"ML201", "ML202", "ML203"}, true,
        "no shuffled split, unshifted rolling window or same-period aggregate on temporal data found",
        Mark::Absent, "");
  judge("All aggregated features use periods strictly prior to the prediction point", {"ML203"}, true,
        "no same-period aggregate of the target found", Mark::Absent, "");
  judge("Rolling/window features shifted to exclude target period data", {"ML202"}, true,
        "no rolling/expanding window over the target without shift found", Mark::Absent, "");

  group = "Modeling";
  judge("Baseline model defined and beaten", {"ML404"}, p.baseline.present, p.baseline.evidence,
        Mark::Absent, "no DummyClassifier / DummyRegressor anywhere");
  judge("Cross-validation with proper fold strategy", {"ML110", "ML201", "ML406"}, p.cross_validation.present,
        p.cross_validation.evidence, Mark::Absent, "no cross_val_score / KFold / *SearchCV");
  judge("Metrics appropriate for problem type", {"ML401", "ML402", "ML410"}, trains,
        "no accuracy-on-imbalanced, ROC-only or RMSE-only finding", Mark::Partial, "no evaluation found");
  judge("Hyperparameters tuned on validation set only", {"ML107", "ML111", "ML405"}, p.tuning.present,
        p.tuning.evidence, Mark::Partial, "no hyperparameter search found: defaults or hand-picked values");
  judge("Model calibration checked (for probabilistic outputs)", {"ML407"}, p.calibration.present,
        p.calibration.evidence, Mark::Absent, "no calibration_curve / CalibratedClassifierCV / brier_score_loss");
  judge("Uncertainty quantification (confidence intervals on metrics)", {}, p.uncertainty.present,
        p.uncertainty.evidence, Mark::Absent, "no bootstrap or interval on any metric");

  group = "MLOps";
  judge("Experiment tracking with parameters + metrics + artifacts", {"P03"},
        p.tracking.present && p.model_registry.present, p.model_registry.evidence,
        p.tracking.present ? Mark::Partial : Mark::Absent,
        p.tracking.present ? p.tracking.evidence + ", artifacts not logged" : "no tracker imported");
  judge("Random seeds fixed globally", {"ML601", "ML602", "ML603"}, p.global_seed.present,
        p.global_seed.evidence, Mark::Absent, "no np.random.seed / random.seed / torch.manual_seed");
  {
    bool pinned_only = p.unpinned.empty() && p.pinned > 0;
    judge("Dependencies fully pinned (lockfile present)", {"P01"}, p.lockfile.present, p.lockfile.evidence,
          pinned_only ? Mark::Partial : Mark::Absent,
          pinned_only ? std::to_string(p.pinned) + " exact pins, no lockfile (transitive versions float)"
                      : "no lockfile");
  }
  judge("Model artifacts versioned and registered", {"P08"}, p.model_registry.present, p.model_registry.evidence,
        p.model_metadata.present ? Mark::Partial : Mark::Absent,
        p.model_metadata.present ? p.model_metadata.evidence : "no registry or metadata next to saved models");
  judge("Pipeline orchestrated (not manually executed)", {"P07"}, p.orchestration.present,
        p.orchestration.evidence, p.ci.present ? Mark::Partial : Mark::Absent,
        p.ci.present ? "CI only: " + p.ci.evidence : "no pipeline tool, DVC stages or CI");
  add("Model evaluation gate before promotion", Mark::Absent,
      "no step compares a new model with the production model before it is saved or deployed");

  group = "Serving & Monitoring";
  judge("Training and inference use the same serialized preprocessing pipeline", {"P10", "ML309", "ML302"},
        serves && p.pipeline_object.present, p.pipeline_object.evidence, Mark::Partial,
        serves ? "serving code without a serialized Pipeline" : "no serving code");
  {
    bool pydantic = false;
    for (const SourceSignals& s : signals)
      pydantic = pydantic || (s.imports_any({"fastapi", "flask", "bentoml"}) && s.imports_any({"pydantic"}));
    judge("Input schema validated at serving time", {"ML712"}, serves && pydantic,
          "pydantic models in the serving code", Mark::Partial, serves ? "serving code without a pydantic schema" : "no serving code");
  }
  judge("Data drift and concept drift monitoring", {"P09"}, p.monitoring.present, p.monitoring.evidence,
        Mark::Absent, "no Evidently / whylogs / NannyML");
  judge("Prediction distribution monitoring", {"P09"}, p.monitoring.present, p.monitoring.evidence,
        Mark::Absent, "no monitoring of served predictions");

  group = "Code Quality";
  judge("No preprocessing logic duplicated between train and inference", {"P10"}, true,
        serves ? "no serving function repeats the training preprocessing" : "no serving code to duplicate it",
        Mark::Absent, "");
  judge("No row-wise loops on DataFrames", {"ML701"}, true, "no iterrows / itertuples / apply(axis=1) found",
        Mark::Absent, "");
  add("Correct dtypes throughout", astype ? Mark::Partial : Mark::Absent,
      astype ? "explicit casts (.astype) in places; the rest is pandas' inference"
             : "no explicit dtype anywhere: every column is pandas' inference");
  judge("Logging instead of print", {"ML702"}, p.logging.present && !prints, p.logging.evidence,
        p.logging.present ? Mark::Partial : Mark::Absent,
        p.logging.present ? "logging and print() both used" : "print() only");
  judge("Unit tests for feature transforms", {"P06"}, !p.test_files.empty(),
        p.test_files.empty() ? "" : p.test_files.front(), Mark::Absent, "no test files");
  judge("Configuration externalized (not hardcoded)", {"ML705"}, p.config_externalized.present,
        p.config_externalized.evidence, Mark::Absent, "paths and hyperparameters are literals in the code");
  return out;
}

}  // namespace mlroast::review
