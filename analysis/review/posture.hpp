// Project posture: what the workspace has (lockfile, pinned dependencies, a declared Python
// version, experiment tracking, data versioning, data validation, tests, CI, orchestration,
// monitoring, serving, saved models, notebooks) gathered from the file list, the project files
// and each source's signals, and the P-rule findings (P01-P11, shared RULES.md) judged from it.
// Each P-finding sits on the project file it concerns (requirements.txt, serve.py:23) where there
// is one, else it is project-wide (empty path). Every fact keeps its evidence as text
// ("uv.lock", "mlflow imported in src/train.py") for the reconnaissance and the checklist.
// Pure functions of their inputs.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "analysis/finding.hpp"
#include "analysis/review/signals.hpp"
#include "analysis/review/workspace.hpp"

namespace mlroast::review {

struct ProjectFinding {
  std::string path;  // relative; "" = the whole project
  Finding finding;
};

// A fact and where it was seen ("" when absent).
struct Fact {
  bool present = false;
  std::string evidence;
  void see(std::string what) {
    if (!present) evidence = std::move(what);
    present = true;
  }
};

struct Posture {
  std::vector<std::string> requirement_files;
  std::vector<std::string> unpinned;  // "requirements.txt: pandas" entries without an exact pin
  std::size_t pinned = 0;
  Fact lockfile, python_version, tracking, data_versioning, validation, validation_partial,
      tests, pytest_config, property_tests, ci, orchestration, monitoring, serving,
      model_metadata, model_registry, global_seed, config_externalized, logging, baseline,
      cross_validation, tuning, calibration, uncertainty, eval_gate, pipeline_object;
  std::vector<std::string> data_files, model_files, notebooks, numbered_scripts;
  std::vector<std::string> training_files, serving_files, test_files, module_files;
  std::size_t source_lines = 0;
};

Posture gather_posture(const Workspace& ws, const std::vector<SourceSignals>& signals);

// The P01-P11 findings, with their default severities, sorted by (code, path, position).
std::vector<ProjectFinding> posture_findings(const Workspace& ws,
                                             const std::vector<SourceSignals>& signals,
                                             const Posture& posture);

// A TextRange covering line `row` (0-based) of `text`.
TextRange line_range(std::string_view text, uint32_t row);

}  // namespace mlroast::review
