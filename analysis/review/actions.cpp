// The prioritized action plan: exactly 7 changes (fewer only when the project offers fewer),
// ordered by impact-to-effort. Impact comes from the damage tier (tier 1 -> 9 ... tier 9 -> 1);
// effort is 1 for a finding with a safe quick fix or a one-line project change (pinning, a Python
// version), 2 for a local code change (unsafe fix or none), 3 for adopting a tool or restructuring
// (tracking, validation, versioning, orchestration, monitoring, tests, train/serve pipeline).
// Ties: higher impact first, then rule code. When the findings give fewer than 7 changes, absent
// checklist items follow in checklist order.
#include <algorithm>

#include "analysis/review/report.hpp"

namespace mlroast::review {

namespace {

int effort_of(const IssueGroup& g) {
  static constexpr std::string_view kTooling[] = {"P03", "P04", "P05", "P06", "P07", "P09", "P10", "P11"};
  for (std::string_view c : kTooling)
    if (g.code == c) return 3;
  if (g.code == "P01" || g.code == "P02") return 1;
  bool safe = false;
  for (const Located& l : g.items)
    safe = safe || (l.finding.fix && l.finding.fix->applicability == Applicability::Safe);
  return safe ? 1 : 2;
}

std::string locations(const IssueGroup& g) {
  std::string out;
  std::size_t shown = 0;
  for (const Located& l : g.items) {
    if (shown == 3) break;
    out += (shown ? ", " : "") + l.where();
    ++shown;
  }
  if (g.items.size() > shown) out += " and " + std::to_string(g.items.size() - shown) + " more";
  return out;
}

// The concrete change for a checklist item (by the start of its wording).
std::string checklist_remedy(const std::string& item) {
  static const std::pair<std::string_view, std::string_view> kRemedies[] = {
      {"Data versioned", "`dvc init`, `dvc add` the data files, commit the .dvc pointers"},
      {"Schema validated", "a pandera DataFrameSchema validated right after every read"},
      {"Reproducible data splits", "one SEED constant: random_state=SEED on every split, stratify=y for classification"},
      {"Baseline model", "score a DummyClassifier/DummyRegressor with the same protocol and report the gap"},
      {"Cross-validation", "cross_val_score on the training split with StratifiedKFold/GroupKFold/TimeSeriesSplit"},
      {"Hyperparameters tuned", "GridSearchCV/RandomizedSearchCV on the training split only"},
      {"Model calibration", "calibration_curve and brier_score_loss on validation; CalibratedClassifierCV if off"},
      {"Uncertainty quantification", "a bootstrap confidence interval on the final test metric"},
      {"Experiment tracking", "mlflow.start_run() around training: log_params, log_metrics, log_model"},
      {"Random seeds", "seed random, numpy and torch once at start-up; set PYTHONHASHSEED"},
      {"Dependencies fully pinned", "generate a lockfile (uv lock / poetry lock / pip-compile --generate-hashes) and commit it"},
      {"Model artifacts versioned", "register models (MLflow Model Registry) with data hash, params and metrics"},
      {"Pipeline orchestrated", "declare the steps as DVC stages or a Prefect/Airflow flow"},
      {"Model evaluation gate", "a CI step that fails when the new model does not beat the production metrics"},
      {"Data drift", "a scheduled Evidently/whylogs report comparing recent inputs with the training reference"},
      {"Prediction distribution", "log served predictions and alert on shifts of their distribution"},
      {"Correct dtypes", "declare dtypes at read time (dtype=, category for low-cardinality strings)"},
      {"Logging instead of print", "a module logger (logging.getLogger(__name__)) instead of print"},
      {"Unit tests", "pytest tests for every feature function, including unseen categories and missing values"},
      {"Configuration externalized", "paths and hyperparameters in a config file or CLI flags, not literals"},
  };
  for (const auto& [prefix, remedy] : kRemedies)
    if (item.rfind(prefix, 0) == 0) return std::string(remedy);
  return "close the gap named in the checklist";
}

}  // namespace

std::vector<Action> plan_actions(const Report& r) {
  std::vector<Action> out;
  for (const auto& section : r.sections)
    for (const IssueGroup& g : section) {
      Action a;
      a.impact = 10 - g.tier;
      a.effort = effort_of(g);
      a.title = g.code + " " + g.slug + ": " + (g.fix_title.empty() ? g.fix : g.fix_title + " (" + g.fix + ")");
      a.where = locations(g);
      a.why = g.items.front().finding.message;
      out.push_back(std::move(a));
    }
  std::stable_sort(out.begin(), out.end(), [](const Action& a, const Action& b) {
    // a.impact / a.effort > b.impact / b.effort, in integers.
    if (a.impact * b.effort != b.impact * a.effort) return a.impact * b.effort > b.impact * a.effort;
    if (a.impact != b.impact) return a.impact > b.impact;
    return a.title < b.title;
  });
  if (out.size() > 7) out.resize(7);
  // Fillers: absent items first, then partial ones; items that do not apply (no serving or
  // training code) are skipped.
  std::vector<const ChecklistItem*> fillers;
  for (Mark wanted : {Mark::Absent, Mark::Partial})
    for (const ChecklistItem& c : r.checklist)
      if (c.mark == wanted && c.evidence.rfind("no serving code", 0) != 0 &&
          c.evidence.rfind("no training code", 0) != 0)
        fillers.push_back(&c);
  for (const ChecklistItem* item : fillers) {
    const ChecklistItem& c = *item;
    if (out.size() >= 7) break;
    // Items marked absent by a finding ("P04 at data/x.csv") are covered by that finding's action.
    if (c.evidence.find(" at ") != std::string::npos &&
        (c.evidence.rfind("ML", 0) == 0 || c.evidence.rfind('P', 0) == 0))
      continue;
    Action a;
    a.title = c.item + ": " + checklist_remedy(c.item);
    a.where = "project";
    a.why = c.evidence;
    a.impact = 1;
    a.effort = 2;
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace mlroast::review
