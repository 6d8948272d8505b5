// Project posture scanners P01-P11: each fires on a small in-memory workspace that has the gap and
// stays silent on its look-alike that does not; the P-rules are registered rules (documented,
// selectable) and the report's filter applies select/ignore and severity to them.
#include <catch2/catch.hpp>

#include <algorithm>

#include "analysis/analyzer.hpp"
#include "analysis/review/posture.hpp"
#include "analysis/review/report.hpp"
#include "analysis/rules/rule.hpp"

using namespace mlroast;
using namespace mlroast::review;

namespace {

constexpr const char* kTrain = R"(import joblib
import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import train_test_split

df = pd.read_csv("data/orders.csv")
df["amount"] = pd.to_numeric(df["amount"], errors="coerce")
df["amount"] = df["amount"].fillna(df["amount"].median())
df = pd.get_dummies(df, columns=["channel"])
X = df.drop(columns=["returned"])
y = df["returned"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=1)
model = RandomForestClassifier(n_estimators=200, random_state=1).fit(X_train, y_train)
joblib.dump(model, "models/model.joblib")
)";

constexpr const char* kServe = R"(import joblib
import pandas as pd
from flask import Flask, jsonify, request

app = Flask(__name__)
model = joblib.load("models/model.joblib")


def prepare(frame):
    frame["amount"] = pd.to_numeric(frame["amount"], errors="coerce")
    frame["amount"] = frame["amount"].fillna(0)
    return pd.get_dummies(frame, columns=["channel"])


@app.post("/score")
def score():
    frame = prepare(pd.DataFrame([request.get_json()]))
    return jsonify(p=float(model.predict_proba(frame)[0, 1]))
)";

SourceEntry source(std::string path, std::string text) {
  SourceEntry s;
  s.path = std::move(path);
  s.text = std::move(text);
  return s;
}

Workspace leaky_workspace() {
  Workspace ws;
  ws.name = "returns";
  ws.files = {"data/orders.csv", "requirements.txt", "src/serve.py", "src/train.py"};
  ws.project_texts["requirements.txt"] = "pandas\nscikit-learn>=1.3\njoblib==1.4.2\nflask\n";
  ws.sources = {source("src/serve.py", kServe), source("src/train.py", kTrain)};
  return ws;
}

std::vector<ProjectFinding> run(const Workspace& ws) {
  std::vector<SourceSignals> signals;
  for (const SourceEntry& s : ws.sources) signals.push_back(scan_source(s));
  return posture_findings(ws, signals, gather_posture(ws, signals));
}

const ProjectFinding* find(const std::vector<ProjectFinding>& all, std::string_view code) {
  for (const ProjectFinding& f : all)
    if (f.finding.code == code) return &f;
  return nullptr;
}

}  // namespace

TEST_CASE("posture: the gaps of a leaky project fire on the files they concern", "[review]") {
  auto all = run(leaky_workspace());
  const ProjectFinding* p01 = find(all, "P01");
  REQUIRE(p01);
  CHECK(p01->path == "requirements.txt");
  CHECK(p01->finding.range.start.row == 0);
  CHECK(p01->finding.message.rfind("3 of 4 dependencies have no exact pin (pandas, scikit-learn, flask)", 0) == 0);
  CHECK(find(all, "P02"));
  const ProjectFinding* p03 = find(all, "P03");
  REQUIRE(p03);
  CHECK(p03->path == "src/train.py");
  CHECK(p03->finding.range.start.row == 12);
  const ProjectFinding* p04 = find(all, "P04");
  REQUIRE(p04);
  CHECK(p04->path == "data/orders.csv");
  const ProjectFinding* p05 = find(all, "P05");
  REQUIRE(p05);
  CHECK(p05->path == "src/train.py");
  CHECK(p05->finding.range.start.row == 5);
  CHECK(find(all, "P06"));
  CHECK_FALSE(find(all, "P07"));
  const ProjectFinding* p08 = find(all, "P08");
  REQUIRE(p08);
  CHECK(p08->finding.range.start.row == 13);
  const ProjectFinding* p09 = find(all, "P09");
  REQUIRE(p09);
  CHECK(p09->path == "src/serve.py");
  CHECK(p09->finding.range.start.row == 4);
  const ProjectFinding* p10 = find(all, "P10");
  REQUIRE(p10);
  CHECK(p10->path == "src/serve.py");
  CHECK(p10->finding.range.start.row == 8);  // def prepare
  CHECK(p10->finding.message.find("`prepare()` re-implements the preprocessing of src/train.py") != std::string::npos);
  CHECK(p10->finding.severity == Severity::Error);
  CHECK_FALSE(find(all, "P11"));
}

TEST_CASE("posture: an engineered project with the same code stays silent", "[review]") {
  Workspace ws = leaky_workspace();
  ws.files = {".dvc/config", ".python-version", "data/orders.csv.dvc", "requirements.txt", "src/serve.py",
              "src/train.py", "tests/test_features.py", "uv.lock"};
  std::string serve = kServe;
  // Serving loads the training pipeline instead of re-implementing it, and is monitored.
  serve.replace(serve.find("def prepare(frame):"), serve.find("@app.post") - serve.find("def prepare(frame):"),
                "def prepare(frame):\n    return frame\n\n\n");
  serve = "import evidently\n" + serve;
  std::string train = std::string("import mlflow\nimport pandera as pa\n") + kTrain +
                      "mlflow.log_params(model.get_params())\nmlflow.sklearn.log_model(model, \"model\")\n";
  ws.sources = {source("src/serve.py", serve), source("src/train.py", train),
                source("tests/test_features.py", "def test_x():\n    assert 1 + 1 == 2\n")};
  auto all = run(ws);
  std::string fired;
  for (const auto& f : all) fired += f.finding.code + " ";
  INFO(fired);
  CHECK(all.empty());
}

TEST_CASE("posture: numbered scripts, notebooks only, notebooks out of order", "[review]") {
  Workspace steps;
  steps.files = {"01_load.py", "02_features.py", "03_train.py"};
  for (const auto& f : steps.files) steps.sources.push_back(source(f, "import pandas as pd\n"));
  auto a = run(steps);
  REQUIRE(find(a, "P07"));
  CHECK(find(a, "P07")->path == "01_load.py");
  steps.files.emplace_back("dvc.yaml");
  CHECK_FALSE(find(run(steps), "P07"));

  Workspace nb;
  nb.files = {"analysis.ipynb"};
  nb.project_texts["analysis.ipynb"] = R"({"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})";
  auto b = run(nb);
  REQUIRE(find(b, "P11"));
  CHECK(find(b, "P11")->finding.message.find("no Python module") != std::string::npos);

  Workspace mixed;
  mixed.files = {"explore.ipynb", "src/train.py"};
  mixed.sources = {source("src/train.py", "import pandas as pd\n")};
  mixed.project_texts["explore.ipynb"] =
      R"({"cells": [{"cell_type": "code", "execution_count": 3, "source": []},
                    {"cell_type": "markdown", "source": []},
                    {"cell_type": "code", "execution_count": 1, "source": []}]})";
  auto c = run(mixed);
  REQUIRE(find(c, "P11"));
  CHECK(find(c, "P11")->finding.message.find("out of order") != std::string::npos);
  mixed.project_texts["explore.ipynb"] =
      R"({"cells": [{"cell_type": "code", "execution_count": 1, "source": []},
                    {"cell_type": "code", "execution_count": 2, "source": []}]})";
  CHECK_FALSE(find(run(mixed), "P11"));
}

TEST_CASE("posture: P-rules are documented rules and obey select/ignore/severity", "[review]") {
  for (const char* code : {"P01", "P02", "P03", "P04", "P05", "P06", "P07", "P08", "P09", "P10", "P11"}) {
    INFO(code);
    const RuleInfo* info = find_rule(code);
    REQUIRE(info);
    CHECK(info->category == Category::Reproducibility);
  }
  // Registered project rules never fire in per-file analysis.
  CHECK(analyze_text("src/train.py", kTrain, RuleSelection{}).size() ==
        analyze_text("src/train.py", kTrain, [] {
          RuleSelection s;
          s.ignore = {"P"};
          return s;
        }()).size());

  Workspace ws = leaky_workspace();
  RuleSelection sel;
  sel.ignore = {"P0"};
  sel.severity["P10"] = Severity::Warning;
  Report r = build_report(ws, [&](const std::string&, Finding& f) {
    if (!sel.enabled(f.code)) return false;
    f.severity = sel.severity_of(f.code, f.severity);
    return true;
  });
  std::vector<std::string> codes;
  for (const auto& section : r.sections)
    for (const IssueGroup& g : section)
      if (g.code[0] == 'P') codes.push_back(g.code + ":" + to_string(g.severity));
  CHECK(codes == std::vector<std::string>{"P10:warning"});
}
