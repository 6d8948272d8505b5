// The project rules P01-P11 (shared RULES.md, "ML6xx Reproducibility and MLOps"): their metadata
// and doc blocks, registered in the rule table (catalog.cpp) so `mlroast rule P01`, `rules`, the
// generated docs and select/ignore treat them like every other rule. They judge the whole
// workspace, not one file, so their Rule objects visit nothing: the findings come from the
// posture scanners (posture.cpp) when `mlroast review` (or the server's review command) runs.
#include "analysis/rules/rule.hpp"

namespace mlroast::rules {
namespace {

// A project rule: metadata only; see posture.cpp for the scanner.
class ProjectRule final : public Rule {
 public:
  explicit ProjectRule(const RuleInfo& info) : info_(info) {}
  const RuleInfo& info() const override { return info_; }

 private:
  const RuleInfo& info_;
};

constexpr std::string_view kP01Doc = R"md(# P01 unpinned-dependencies

## What it finds
`requirements*.txt` lines and `[project].dependencies` entries in pyproject.toml without an exact
`==` pin, in a project with no lockfile (uv.lock, poetry.lock, Pipfile.lock, pdm.lock, conda-lock,
or a requirements file with `--hash`). Reported on the first unpinned line.

## Why it matters
`numpy>=1.0` is not a specification, it is a prayer. Each install resolves whatever is newest that
day: a pandas or scikit-learn release changes defaults (`OneHotEncoder(sparse=...)`, the
`n_init` of KMeans), the retrained model differs from the evaluated one, and a model pickled with one
scikit-learn version can fail to load or behave differently under the next.

## Example
```text
pandas
scikit-learn>=1.2
xgboost
```

## Use instead
```text
pandas==2.2.2
scikit-learn==1.5.1
xgboost==2.1.1
```
or `uv lock` / `poetry lock` and commit the lockfile.

## Fix safety
No fix is offered: the versions to pin are the ones the model was trained and evaluated with.

## References
- The review specification (RULES.md, project rules); ml-review-spec "MLOps & Reproducibility Gaps".
)md";
constexpr RuleInfo kP01{"P01", "unpinned-dependencies", Category::Reproducibility, Severity::Warning,
                       FixAvailability::None, "requirements entries without an exact `==` pin, and no lockfile", kP01Doc};

constexpr std::string_view kP02Doc = R"md(# P02 python-version-unspecified

## What it finds
A project with Python code and no declared Python version: no `requires-python` in
pyproject.toml, no `.python-version`, `runtime.txt`, `python_requires` in setup.cfg, or `python=`
in environment.yml. Reported on pyproject.toml when there is one, else for the project.

## Why it matters
The interpreter is whatever the machine has. Wheels of numpy/torch exist only for some Python
versions, pickles written by one version may not load in another, and CI, the training machine and
the serving image silently drift apart.

## Example
```toml
[project]
name = "churn-model"
```

## Use instead
```toml
[project]
name = "churn-model"
requires-python = ">=3.10,<3.13"
```

## Fix safety
No fix is offered.

## References
- The review specification (RULES.md, project rules); ml-review-spec "MLOps & Reproducibility Gaps".
)md";
constexpr RuleInfo kP02{"P02", "python-version-unspecified", Category::Reproducibility, Severity::Info,
                       FixAvailability::None, "no requires-python or .python-version", kP02Doc};

constexpr std::string_view kP03Doc = R"md(# P03 no-experiment-tracking

## What it finds
Code that trains models (`fit`, `fit_resample`, `backward`) in a project that imports no
experiment tracker (mlflow, wandb, neptune, comet_ml, clearml, aim, dvclive). Reported at the first
training call.

## Why it matters
If the best hyperparameters were found by running scripts and reading the terminal, those results
are already lost: no record ties a metric to its parameters, data version and code commit, so the
number in the slide deck cannot be reproduced or compared with the next run.

## Example
```python
model.fit(X_train, y_train)
print("f1", f1_score(y_val, model.predict(X_val)))
```

## Use instead
```python
with mlflow.start_run():
    mlflow.log_params(model.get_params())
    model.fit(X_train, y_train)
    mlflow.log_metric("f1", f1_score(y_val, model.predict(X_val)))
    mlflow.sklearn.log_model(model, "model")
```

## Fix safety
No fix is offered.

## References
- The review specification (RULES.md, project rules); ml-review-spec "MLOps & Reproducibility Gaps".
)md";
constexpr RuleInfo kP03{"P03", "no-experiment-tracking", Category::Reproducibility, Severity::Warning,
                       FixAvailability::None, "training code with no MLflow, W&B, Neptune or Comet", kP03Doc};

constexpr std::string_view kP04Doc = R"md(# P04 no-data-versioning

## What it finds
Data files committed to the repository (csv, parquet, feather, xlsx, h5, npy, ...) in a project
with no data versioning: no `.dvc/`, `*.dvc`, `dvc.yaml` or Delta `_delta_log`. Reported on the
first data file.

## Why it matters
"Which dataset did we train on?" becomes unanswerable the first time the file is overwritten. A
model trained on unversioned data cannot be audited or reproduced, and git stores every version of
a large file forever.

## Example
```text
data/telco_churn.csv      (committed, 40 MB, overwritten monthly)
```

## Use instead
```text
dvc add data/telco_churn.csv
git add data/telco_churn.csv.dvc data/.gitignore
```

## Fix safety
No fix is offered.

## References
- The review specification (RULES.md, project rules); ml-review-spec "MLOps & Reproducibility Gaps".
)md";
constexpr RuleInfo kP04{"P04", "no-data-versioning", Category::Reproducibility, Severity::Info,
                       FixAvailability::None, "data files in the repository with no DVC, LakeFS or Delta", kP04Doc};

constexpr std::string_view kP05Doc = R"md(# P05 no-data-validation

## What it finds
A data load (`pd.read_csv`, `read_parquet`, `read_sql`, `np.load`, `load_dataset`, ...) in a
project that uses no schema validation library (pandera, Great Expectations, TFDV, deepchecks).
Reported at the first load outside tests.

## Why it matters
Silent schema changes upstream (a renamed column, a new category, a unit change, strings in a
numeric column) flow straight into the features and the model: no error, just worse predictions.

## Example
```python
df = pd.read_csv("data/customers.csv")
X = df[FEATURES]
```

## Use instead
```python
import pandera as pa

schema = pa.DataFrameSchema({"tenure": pa.Column(int, pa.Check.ge(0)),
                             "MonthlyCharges": pa.Column(float, pa.Check.gt(0))})
df = schema.validate(pd.read_csv("data/customers.csv"))
```

## Fix safety
No fix is offered.

## References
- The review specification (RULES.md, project rules); ml-review-spec "MLOps & Reproducibility Gaps".
)md";
constexpr RuleInfo kP05{"P05", "no-data-validation", Category::Reproducibility, Severity::Warning,
                       FixAvailability::None, "data is ingested and never validated against a schema", kP05Doc};

constexpr std::string_view kP06Doc = R"md(# P06 no-tests

## What it finds
A project with Python modules and no test code at all: no `tests/` or `test/` folder, no
`test_*.py` or `*_test.py` file.

## Why it matters
Feature functions, custom losses and the preprocessing shared with serving are never checked. A
refactor that changes a feature silently changes the model, and nobody finds out until the
metrics move in production.

## Example
```text
src/churn/features.py
src/churn/train.py
```

## Use instead
```python
# tests/test_features.py
def test_tenure_bucket_handles_new_customers():
    out = add_features(pd.DataFrame({"tenure": [0], "TotalCharges": [" "]}))
    assert out["tenure_bucket"].iloc[0] == "new"
```

## Fix safety
No fix is offered.

## References
- The review specification (RULES.md, project rules); ml-review-spec "MLOps & Reproducibility Gaps".
)md";
constexpr RuleInfo kP06{"P06", "no-tests", Category::Reproducibility, Severity::Warning,
                       FixAvailability::None, "no tests/ folder and no test_*.py", kP06Doc};

constexpr std::string_view kP07Doc = R"md(# P07 no-orchestration

## What it finds
Two or more numbered step scripts (`01_load.py`, `step2_train.py`) in a project with no pipeline
tool (Prefect, Airflow, Metaflow, ZenML, Luigi, Kedro, Dagster, Flyte) and no DVC stages.

## Why it matters
`python step1.py && python step2.py && python step3.py` run by a human is a recipe, not a pipeline:
the order is undocumented, a skipped step reuses stale outputs, and nothing reruns what changed.

## Example
```text
01_load.py
02_features.py
03_train.py
```

## Use instead
```text
# dvc.yaml
stages:
  features:
    cmd: python src/features.py
    deps: [data/raw.csv, src/features.py]
    outs: [data/features.parquet]
```

## Fix safety
No fix is offered.

## References
- The review specification (RULES.md, project rules); ml-review-spec "MLOps & Reproducibility Gaps".
)md";
constexpr RuleInfo kP07{"P07", "no-orchestration", Category::Reproducibility, Severity::Info,
                       FixAvailability::None, "several numbered step scripts, no pipeline tool", kP07Doc};

constexpr std::string_view kP08Doc = R"md(# P08 no-model-metadata

## What it finds
A model written with `pickle.dump`, `joblib.dump`, `torch.save`, `save_model`, ... in a file that
writes no metadata next to it (no `json.dump` of metrics/parameters) in a project that logs no run
metadata to a tracker or registry. Reported at the first save.

## Why it matters
A `model.pkl` with no training date, data hash, metrics or parameters is not model management,
it is chaos: nobody can tell which model is deployed, what data it saw or whether the new one is
better.

## Example
```python
with open("models/model.pkl", "wb") as f:
    pickle.dump(best_model, f)
```

## Use instead
```python
joblib.dump(model, out / "model.joblib")
(out / "metadata.json").write_text(json.dumps({
    "version": __version__, "trained_at": now, "data_sha256": data_hash,
    "params": model.get_params(), "metrics": metrics}, indent=2))
```

## Fix safety
No fix is offered.

## References
- The review specification (RULES.md, project rules); ml-review-spec "MLOps & Reproducibility Gaps".
)md";
constexpr RuleInfo kP08{"P08", "no-model-metadata", Category::Reproducibility, Severity::Warning,
                       FixAvailability::None, "a model saved with no version, metrics or data hash alongside", kP08Doc};

constexpr std::string_view kP09Doc = R"md(# P09 no-monitoring

## What it finds
A serving entry point (FastAPI, Flask, BentoML, LitServe, Starlette) in a project with no drift or
prediction monitoring library (Evidently, whylogs, NannyML, alibi-detect). Reported at the app.

## Why it matters
Deployed models degrade as data drifts; without monitoring of input and prediction distributions
the first signal is a business incident, weeks after the drift began.

## Example
```python
app = FastAPI()

@app.post("/predict")
def predict(row: Customer):
    return {"p": model.predict_proba(to_frame(row))[0, 1]}
```

## Use instead
```python
# a scheduled job compares recent requests with the training reference
report = Report(metrics=[DataDriftPreset()])
report.run(reference_data=train_sample, current_data=recent_requests)
```

## Fix safety
No fix is offered.

## References
- The review specification (RULES.md, project rules); ml-review-spec "MLOps & Reproducibility Gaps".
)md";
constexpr RuleInfo kP09{"P09", "no-monitoring", Category::Reproducibility, Severity::Info,
                       FixAvailability::None, "a serving entry point with no drift monitoring", kP09Doc};

constexpr std::string_view kP10Doc = R"md(# P10 train-serve-skew

## What it finds
A function in a serving file (one that imports FastAPI, Flask, BentoML, ...) that re-implements
at least two preprocessing steps of a training file: the same column assigned with the same method
(`frame["TotalCharges"] = ...fillna(...)`) or the same pandas reshaping call (`pd.get_dummies`).

## Why it matters
Two copies of the preprocessing diverge: one fills missing values with the training median, the
other with 0; one encodes categories seen in training, the other the categories of one request.
The model then scores inputs it was never trained on, silently. This is how training-serving skew
is born.

## Example
```python
# serve.py
def preprocess(frame):
    frame["TotalCharges"] = pd.to_numeric(frame["TotalCharges"], errors="coerce")
    frame["TotalCharges"] = frame["TotalCharges"].fillna(0)
    return pd.get_dummies(frame, columns=CATEGORICAL_COLS)
```

## Use instead
```python
# train.py saves one fitted Pipeline (imputer, encoder, model); serve.py only loads it
pipeline = joblib.load("models/pipeline.joblib")
proba = pipeline.predict_proba(pd.DataFrame([row.model_dump()]))[:, 1]
```

## Fix safety
No fix is offered: moving preprocessing into one fitted Pipeline changes both programs.

## References
- The review specification (RULES.md, project rules); ml-review-spec "MLOps & Reproducibility Gaps".
)md";
constexpr RuleInfo kP10{"P10", "train-serve-skew", Category::Reproducibility, Severity::Error,
                       FixAvailability::None, "preprocessing duplicated between training and serving code", kP10Doc};

constexpr std::string_view kP11Doc = R"md(# P11 notebook-as-production

## What it finds
A project whose only code is Jupyter notebooks, or a notebook whose saved execution counts are not
increasing (its cells were run out of order).

## Why it matters
A notebook cannot be imported, unit-tested or scheduled, and hidden state makes its saved outputs
unreproducible: out-of-order execution means the results on screen come from a program nobody can
rerun top to bottom.

## Example
```text
notebooks/churn_final_v3.ipynb   (the deliverable)
```

## Use instead
```python
# src/churn/train.py: the notebook's steps as functions, run by a CLI or pipeline
def main(config: Config) -> None:
    df = load(config.data)
    model = fit(build_features(df))
    save(model, config.out)
```

## Fix safety
No fix is offered.

## References
- The review specification (RULES.md, project rules); ml-review-spec "MLOps & Reproducibility Gaps".
)md";
constexpr RuleInfo kP11{"P11", "notebook-as-production", Category::Reproducibility, Severity::Warning,
                       FixAvailability::None, "notebooks are the only entry points, or ran out of order", kP11Doc};

}  // namespace

std::unique_ptr<Rule> make_unpinned_dependencies() { return std::make_unique<ProjectRule>(kP01); }

std::unique_ptr<Rule> make_python_version_unspecified() { return std::make_unique<ProjectRule>(kP02); }

std::unique_ptr<Rule> make_no_experiment_tracking() { return std::make_unique<ProjectRule>(kP03); }

std::unique_ptr<Rule> make_no_data_versioning() { return std::make_unique<ProjectRule>(kP04); }

std::unique_ptr<Rule> make_no_data_validation() { return std::make_unique<ProjectRule>(kP05); }

std::unique_ptr<Rule> make_no_tests() { return std::make_unique<ProjectRule>(kP06); }

std::unique_ptr<Rule> make_no_orchestration() { return std::make_unique<ProjectRule>(kP07); }

std::unique_ptr<Rule> make_no_model_metadata() { return std::make_unique<ProjectRule>(kP08); }

std::unique_ptr<Rule> make_no_monitoring() { return std::make_unique<ProjectRule>(kP09); }

std::unique_ptr<Rule> make_train_serve_skew() { return std::make_unique<ProjectRule>(kP10); }

std::unique_ptr<Rule> make_notebook_as_production() { return std::make_unique<ProjectRule>(kP11); }

}  // namespace mlroast::rules
