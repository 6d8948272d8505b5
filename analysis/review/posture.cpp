#include "analysis/review/posture.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <iterator>
#include <regex>
#include <toml++/toml.h>

#include "analysis/rules/rule.hpp"
#include "analysis/source_file.hpp"

namespace mlroast::review {

namespace {

using Names = std::initializer_list<std::string_view>;

constexpr std::string_view kTracking[] = {"mlflow", "wandb", "neptune", "comet_ml", "clearml", "aim", "dvclive"};
constexpr std::string_view kOrchestration[] = {"prefect", "airflow", "metaflow", "zenml", "luigi", "kedro",
                                  "dagster", "flytekit"};
constexpr std::string_view kValidation[] = {"pandera", "great_expectations", "tensorflow_data_validation",
                               "deepchecks"};
constexpr std::string_view kMonitoring[] = {"evidently", "whylogs", "nannyml", "alibi_detect"};
constexpr std::string_view kServing[] = {"fastapi", "flask", "bentoml", "litserve", "starlette", "tornado"};
constexpr std::string_view kDataLoads[] = {"pandas.read_csv", "pandas.read_parquet", "pandas.read_excel",
                              "pandas.read_json", "pandas.read_sql", "pandas.read_sql_query",
                              "pandas.read_feather", "pandas.read_table", "pandas.read_pickle",
                              "polars.read_csv", "polars.read_parquet", "polars.scan_parquet",
                              "numpy.load", "numpy.loadtxt", "datasets.load_dataset"};
constexpr std::string_view kModelSaves[] = {"pickle.dump", "joblib.dump", "torch.save", ".save_model",
                               "skops.io.dump", "cloudpickle.dump", "dill.dump"};

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}
std::string base_name(const std::string& rel) {
  std::size_t slash = rel.rfind('/');
  return slash == std::string::npos ? rel : rel.substr(slash + 1);
}
bool any_ext(const std::string& f, Names exts) {
  for (std::string_view e : exts)
    if (ends_with(f, e)) return true;
  return false;
}

// Requirement lines without an exact pin. Comments, options (-r, -e, --hash) and URLs are skipped.
void scan_requirements(const std::string& path, const std::string& text, Posture& p) {
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    std::string line = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
    start = end == std::string::npos ? text.size() + 1 : end + 1;
    if (line.find("--hash=") != std::string::npos) p.lockfile.see(path + " (hashes)");
    std::size_t hash = line.find('#');
    if (hash != std::string::npos) line.erase(hash);
    line.erase(0, line.find_first_not_of(" \t"));
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r' || line.back() == '\t' || line.back() == '\\'))
      line.pop_back();
    if (line.empty() || line[0] == '-' || line.find("://") != std::string::npos || line.find(" @ ") != std::string::npos)
      continue;
    if (line.find("==") != std::string::npos) {
      ++p.pinned;
      continue;
    }
    std::size_t name_end = line.find_first_of("<>=!~;[ ");
    p.unpinned.push_back(path + ": " + line.substr(0, name_end));
  }
}

void scan_pyproject(const std::string& path, const std::string& text, Posture& p) {
  toml::table doc;
  try {
    doc = toml::parse(text, path);
  } catch (const toml::parse_error&) {
    return;
  }
  if (doc.at_path("project.requires-python").is_string() ||
      doc.at_path("tool.poetry.dependencies.python").is_string())
    p.python_version.see(path + " requires-python");
  if (doc.at_path("tool.pytest.ini_options").is_table()) p.pytest_config.see(path + " [tool.pytest.ini_options]");
  if (const toml::array* deps = doc.at_path("project.dependencies").as_array()) {
    for (const toml::node& d : *deps) {
      const auto* s = d.as_string();
      if (s == nullptr) continue;
      std::string dep = s->get();
      if (dep.find("==") != std::string::npos || dep.find(" @ ") != std::string::npos) {
        ++p.pinned;
        continue;
      }
      p.unpinned.push_back(path + ": " + dep.substr(0, dep.find_first_of("<>=!~;[ ")));
    }
  }
}

}  // namespace

TextRange line_range(std::string_view text, uint32_t row) {
  uint32_t r = 0;
  std::size_t start = 0;
  while (r < row) {
    std::size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) break;
    start = nl + 1;
    ++r;
  }
  std::size_t end = text.find('\n', start);
  if (end == std::string_view::npos) end = text.size();
  TextRange t;
  t.start_byte = static_cast<uint32_t>(start);
  t.end_byte = static_cast<uint32_t>(end);
  t.start = {r, 0};
  t.end = {r, static_cast<uint32_t>(end - start)};
  return t;
}

Posture gather_posture(const Workspace& ws, const std::vector<SourceSignals>& signals) {
  Posture p;
  static const std::regex kNumbered(R"(^(\d+|step_?\d+)[_\-.].*\.(py|ipynb)$)", std::regex::icase);
  for (const std::string& f : ws.files) {
    std::string name = base_name(f);
    if (name == "uv.lock" || name == "poetry.lock" || name == "Pipfile.lock" || name == "pdm.lock" ||
        name == "conda-lock.yml" || ends_with(name, ".conda-lock.yml"))
      p.lockfile.see(f);
    if (name == ".python-version" || name == "runtime.txt") p.python_version.see(f);
    if (f.rfind(".dvc/", 0) == 0 || ends_with(name, ".dvc") || name == "dvc.yaml")
      p.data_versioning.see(f);
    if (f.find("_delta_log/") != std::string::npos) p.data_versioning.see(f);
    if (name == "dvc.yaml") p.orchestration.see(f + " (DVC stages)");
    if (f.rfind(".github/workflows/", 0) == 0 || name == ".gitlab-ci.yml" || name == "Jenkinsfile" ||
        name == "azure-pipelines.yml" || f.rfind(".circleci/", 0) == 0)
      p.ci.see(f);
    if (name == "pytest.ini" || name == "conftest.py" || name == "tox.ini") p.pytest_config.see(f);
    if (any_ext(f, {".csv", ".tsv", ".parquet", ".feather", ".xlsx", ".xls", ".h5", ".hdf5", ".npy",
                    ".npz", ".arrow", ".jsonl", ".avro", ".orc"}))
      p.data_files.push_back(f);
    if (any_ext(f, {".pkl", ".pickle", ".joblib", ".pt", ".pth", ".onnx", ".safetensors", ".ckpt", ".keras"}))
      p.model_files.push_back(f);
    if (ends_with(f, ".ipynb")) p.notebooks.push_back(f);
    if ((ends_with(f, ".py") || ends_with(f, ".ipynb")) && std::regex_match(name, kNumbered) &&
        !is_test_path(f))  // numbered steps: scripts or notebooks run by hand in order
      p.numbered_scripts.push_back(f);
    if (ends_with(f, ".py") && is_test_path(f) && name != "conftest.py" && name != "__init__.py")
      p.test_files.push_back(f);
  }
  for (const auto& [path, text] : ws.project_texts) {
    std::string name = base_name(path);
    if (name.rfind("requirements", 0) == 0 && ends_with(name, ".txt")) {
      p.requirement_files.push_back(path);
      scan_requirements(path, text, p);
    } else if (name == "pyproject.toml" && path.find('/') == std::string::npos) {
      scan_pyproject(path, text, p);
    } else if (name == "setup.cfg" && text.find("python_requires") != std::string::npos) {
      p.python_version.see(path + " python_requires");
    } else if ((name == "environment.yml" || name == "environment.yaml") &&
               std::regex_search(text, std::regex(R"(-\s*python\s*=)"))) {
      p.python_version.see(path + " python=");
    }
  }
  for (const SourceSignals& s : signals) {
    p.source_lines += s.lines;
    auto where = [&](std::string_view what) { return std::string(what) + " in " + s.path; };
    for (std::string_view m : kTracking)
      if (s.modules.count(std::string(m))) p.tracking.see(std::string(m) + " imported in " + s.path);
    for (std::string_view m : kOrchestration)
      if (s.modules.count(std::string(m))) p.orchestration.see(std::string(m) + " imported in " + s.path);
    for (std::string_view m : kValidation)
      if (s.modules.count(std::string(m))) p.validation.see(std::string(m) + " imported in " + s.path);
    if (s.modules.count("pydantic")) p.validation_partial.see("pydantic imported in " + s.path);
    for (std::string_view m : kMonitoring)
      if (s.modules.count(std::string(m))) p.monitoring.see(std::string(m) + " imported in " + s.path);
    if (s.is_test) {
      if (s.modules.count("hypothesis")) p.property_tests.see("hypothesis in " + s.path);
      continue;
    }
    if (!s.is_notebook) p.module_files.push_back(s.path);
    if (s.imports_any(kServing)) {
      p.serving.see(s.path);
      p.serving_files.push_back(s.path);
    }
    if (s.calls_any({".fit", ".fit_resample", ".fit_transform", ".backward", ".train"}) &&
        !s.imports_any(kServing))
      p.training_files.push_back(s.path);
    if (s.imports_any({"mlflow", "wandb", "neptune", "comet_ml", "clearml"}) &&
        s.calls_any({"mlflow.log_params", "mlflow.log_param", "mlflow.log_metrics", "mlflow.log_metric",
                     "wandb.init", "wandb.log", "mlflow.sklearn.log_model", "mlflow.register_model"}))
      p.model_metadata.see(where("run metadata logged"));
    if (s.calls_any({"mlflow.register_model", "mlflow.sklearn.log_model", "mlflow.pytorch.log_model",
                     "wandb.log_artifact", "mlflow.log_artifacts", "mlflow.log_artifact"}))
      p.model_registry.see(where("model artifacts logged"));
    if (s.calls_any({"numpy.random.seed", "random.seed", "torch.manual_seed", "numpy.random.default_rng",
                     "lightning.seed_everything", "pytorch_lightning.seed_everything",
                     "transformers.set_seed"}))
      p.global_seed.see(where("global seed"));
    if (s.imports_any({"argparse", "hydra", "omegaconf", "yaml", "click", "typer", "pydantic_settings"}))
      p.config_externalized.see(where("configuration read (argparse/hydra/yaml)"));
    if (s.imports_any({"logging", "loguru", "structlog"})) p.logging.see(where("logging"));
    if (s.calls_any({"sklearn.dummy.DummyClassifier", "sklearn.dummy.DummyRegressor"}))
      p.baseline.see(where("Dummy baseline"));
    if (s.calls_any({"sklearn.model_selection.cross_val_score", "sklearn.model_selection.cross_validate",
                     "sklearn.model_selection.KFold", "sklearn.model_selection.StratifiedKFold",
                     "sklearn.model_selection.GroupKFold", "sklearn.model_selection.TimeSeriesSplit",
                     "sklearn.model_selection.GridSearchCV", "sklearn.model_selection.RandomizedSearchCV",
                     "sklearn.model_selection.cross_val_predict"}))
      p.cross_validation.see(where("cross-validation"));
    if (s.calls_any({"sklearn.model_selection.GridSearchCV", "sklearn.model_selection.RandomizedSearchCV",
                     "optuna.create_study", "sklearn.model_selection.HalvingGridSearchCV"}))
      p.tuning.see(where("hyperparameter search"));
    if (s.calls_any({"sklearn.calibration.calibration_curve", "sklearn.calibration.CalibratedClassifierCV",
                     "sklearn.metrics.brier_score_loss"}))
      p.calibration.see(where("calibration check"));
    if (s.calls_any({"scipy.stats.bootstrap", "sklearn.utils.resample", "numpy.percentile"}) &&
        s.calls_any({"numpy.percentile", "scipy.stats.bootstrap", "numpy.quantile"}))
      p.uncertainty.see(where("bootstrap interval"));
    if (s.calls_any({"sklearn.pipeline.Pipeline", "sklearn.pipeline.make_pipeline",
                     "imblearn.pipeline.Pipeline", "imblearn.pipeline.make_pipeline"}))
      p.pipeline_object.see(where("sklearn Pipeline"));
  }
  std::sort(p.training_files.begin(), p.training_files.end());
  return p;
}

namespace {

Finding make(std::string_view code, TextRange range, std::string message) {
  Finding f;
  f.code = std::string(code);
  f.message = std::move(message);
  f.range = range;
  const RuleInfo* info = find_rule(code);
  f.severity = info ? info->severity : Severity::Warning;
  return f;
}

// Row of the first line of `text` that starts with `name` (a requirement), else 0.
uint32_t requirement_row(const std::string& text, const std::string& name) {
  uint32_t row = 0;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    std::string_view line(text.data() + start, (end == std::string::npos ? text.size() : end) - start);
    std::size_t b = line.find_first_not_of(" \t");
    if (b != std::string_view::npos && line.substr(b, name.size()) == name) return row;
    if (end == std::string::npos) break;
    start = end + 1;
    ++row;
  }
  return 0;
}

}  // namespace

std::vector<ProjectFinding> posture_findings(const Workspace& ws,
                                             const std::vector<SourceSignals>& signals,
                                             const Posture& p) {
  std::vector<ProjectFinding> out;
  auto add = [&](std::string path, std::string_view code, TextRange range, std::string message) {
    out.push_back(ProjectFinding{std::move(path), make(code, range, std::move(message))});
  };
  const bool has_python = !p.module_files.empty() || !p.notebooks.empty();

  // P01: unpinned dependencies and no lockfile.
  if (!p.lockfile.present && !p.unpinned.empty()) {
    std::string first = p.unpinned.front();
    std::string file = first.substr(0, first.find(": "));
    std::string name = first.substr(first.find(": ") + 2);
    auto text = ws.project_texts.find(file);
    uint32_t row = text == ws.project_texts.end() || file == "pyproject.toml"
                       ? 0 : requirement_row(text->second, name);
    std::string list;
    for (std::size_t i = 0; i < p.unpinned.size() && i < 6; ++i)
      list += (i ? ", " : "") + p.unpinned[i].substr(p.unpinned[i].find(": ") + 2);
    if (p.unpinned.size() > 6) list += ", ...";
    add(file, "P01", text == ws.project_texts.end() ? TextRange{} : line_range(text->second, row),
        std::to_string(p.unpinned.size()) + " of " + std::to_string(p.unpinned.size() + p.pinned) +
            " dependencies have no exact pin (" + list +
            ") and there is no lockfile: every install resolves a different environment");
  } else if (!p.lockfile.present && p.requirement_files.empty() && p.pinned == 0 && has_python &&
             !p.module_files.empty()) {
    add("", "P01", TextRange{}, "no requirements file, no pyproject dependencies and no lockfile: "
                                "the environment cannot be recreated");
  }
  // P02: no declared Python version.
  if (!p.python_version.present && has_python) {
    bool pyproject = ws.project_texts.count("pyproject.toml") > 0;
    add(pyproject ? "pyproject.toml" : "", "P02", TextRange{},
        "no requires-python, .python-version or runtime.txt: the Python version is whatever the "
        "machine has");
  }
  // P03: training code, no experiment tracking.
  if (!p.tracking.present && !p.training_files.empty()) {
    const std::string& file = p.training_files.front();
    const SourceSignals* s = nullptr;
    for (const auto& sig : signals)
      if (sig.path == file) s = &sig;
    const TextRange* fit = s ? s->first_call({".fit", ".backward"}) : nullptr;
    add(file, "P03", fit ? *fit : TextRange{},
        "models are trained here and no MLflow, W&B, Neptune or Comet run records the parameters, "
        "metrics or artifacts");
  }
  // P04: data files in the repository, no data versioning.
  if (!p.data_versioning.present && !p.data_files.empty()) {
    add(p.data_files.front(), "P04", TextRange{},
        std::to_string(p.data_files.size()) + " data file(s) committed (" + p.data_files.front() +
            (p.data_files.size() > 1 ? ", ..." : "") + ") with no DVC, LakeFS or Delta versioning");
  }
  // P05: data ingested, no schema validation.
  if (!p.validation.present) {
    for (const SourceSignals& s : signals) {
      if (s.is_test) continue;
      const TextRange* load = s.first_call(kDataLoads);
      if (load == nullptr) continue;
      add(s.path, "P05", *load,
          "data is read here and never validated against a schema (no pandera, Great Expectations "
          "or pydantic model): an upstream column change flows straight into the model");
      break;
    }
  }
  // P06: no tests.
  if (p.test_files.empty() && !p.module_files.empty()) {
    add("", "P06", TextRange{},
        "no tests/ folder and no test_*.py: no transform, feature function or pipeline step is "
        "ever checked");
  }
  // P07: several numbered step scripts, no orchestration.
  if (!p.orchestration.present && p.numbered_scripts.size() >= 2) {
    add(p.numbered_scripts.front(), "P07", TextRange{},
        std::to_string(p.numbered_scripts.size()) + " numbered step scripts (" +
            p.numbered_scripts.front() + ", ...) run by hand, no pipeline tool or DVC stages");
  }
  // P08: a model saved without metadata.
  for (const SourceSignals& s : signals) {
    if (p.model_metadata.present) break;
    if (s.is_test) continue;
    const TextRange* save = s.first_call(kModelSaves);
    if (save == nullptr) continue;
    if (s.calls_any({"json.dump", "json.dumps", "yaml.dump", "yaml.safe_dump"})) continue;
    add(s.path, "P08", *save,
        "a model is written here with no version, metrics, parameters or data hash next to it: "
        "nobody can tell later which data and code produced it");
    break;
  }
  // P09: a serving entry point, no monitoring.
  if (!p.monitoring.present) {
    for (const SourceSignals& s : signals) {
      if (s.is_test || !s.imports_any(kServing)) continue;
      const TextRange* app = s.first_call({"fastapi.FastAPI", "flask.Flask", "bentoml.Service",
                                           "litserve.LitServer", "starlette.applications.Starlette"});
      add(s.path, "P09", app ? *app : TextRange{},
          "a serving entry point with no drift or prediction monitoring (Evidently, whylogs, "
          "NannyML): degradation shows up first as a business incident");
      break;
    }
  }
  // P10: preprocessing duplicated between training and serving.
  for (const std::string& serve : p.serving_files) {
    const SourceSignals* sv = nullptr;
    for (const auto& s : signals)
      if (s.path == serve) sv = &s;
    if (sv == nullptr) continue;
    bool reported = false;
    for (const FunctionShape& fn : sv->functions) {
      for (const std::string& train : p.training_files) {
        const SourceSignals* tr = nullptr;
        for (const auto& s : signals)
          if (s.path == train) tr = &s;
        if (tr == nullptr) continue;
        std::vector<std::string> shared;
        std::set_intersection(fn.signature.begin(), fn.signature.end(), tr->file_signature.begin(),
                              tr->file_signature.end(), std::back_inserter(shared));
        if (shared.size() < 2) continue;
        std::string steps;
        for (std::size_t i = 0; i < shared.size() && i < 4; ++i) {
          std::string e = shared[i];
          std::size_t bar = e.find('|');
          steps += (i ? ", " : "") + (e.substr(0, bar) == "fn" ? e.substr(bar + 1) + "()"
                                                               : e.substr(0, bar) + "." + e.substr(bar + 1) + "()");
        }
        add(serve, "P10", fn.name_range,
            "`" + fn.name + "()` re-implements the preprocessing of " + train + " (" + steps +
                ") instead of loading the fitted training pipeline: the two copies will diverge");
        reported = true;
        break;
      }
      if (reported) break;
    }
  }
  // P11: notebooks are the only entry points, or a notebook ran out of order.
  if (!p.notebooks.empty() && p.module_files.empty()) {
    add(p.notebooks.front(), "P11", TextRange{},
        std::to_string(p.notebooks.size()) + " notebook(s) and no Python module: the deliverable "
        "is a notebook, which cannot be imported, tested or scheduled");
  } else {
    for (const std::string& nb : p.notebooks) {
      auto text = ws.project_texts.find(nb);
      if (text == ws.project_texts.end()) continue;
      nlohmann::json doc = nlohmann::json::parse(text->second, nullptr, false);
      if (doc.is_discarded() || !doc.contains("cells") || !doc["cells"].is_array()) continue;
      long last = 0;
      bool out_of_order = false;
      for (const auto& cell : doc["cells"]) {
        if (!cell.is_object() || cell.value("cell_type", "") != "code") continue;
        auto c = cell.find("execution_count");
        if (c == cell.end() || !c->is_number_integer()) continue;
        long n = c->get<long>();
        if (n <= last) out_of_order = true;
        last = n;
      }
      if (out_of_order) {
        add(nb, "P11", TextRange{},
            "the notebook's cells were executed out of order (execution counts not increasing): "
            "its saved outputs do not come from running it top to bottom");
        break;
      }
    }
  }
  std::sort(out.begin(), out.end(), [](const ProjectFinding& a, const ProjectFinding& b) {
    if (a.finding.code != b.finding.code) return a.finding.code < b.finding.code;
    if (a.path != b.path) return a.path < b.path;
    return a.finding.range.start_byte < b.finding.range.start_byte;
  });
  return out;
}

}  // namespace mlroast::review
