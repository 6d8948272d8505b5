// CI output formats of `mlroast check`: sarif, github, junit and --statistics, run through the
// real executable on a small leaky training script. (The SARIF schema itself is checked by the
// `sarif_schema` ctest with ajv, tests/sarif/.)
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "cli_process.hpp"

using mlroast::test::run_mlroast;
using mlroast::test::TempDir;
using mlroast::test::write_file;

namespace {

constexpr const char* kTrain = R"(import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression

df = pd.read_csv("data/loans.csv")
X = df.drop(columns=["label"])
y = df["label"]
X = SimpleImputer(strategy="median").fit_transform(X)
X = StandardScaler().fit_transform(X)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=7)
model = LogisticRegression(max_iter=500).fit(X_train, y_train)
print("accuracy", model.score(X_test, y_test))
try:
    model.predict(X_test[:3])
except:
    pass
)";

}  // namespace

TEST_CASE("check --output-format sarif: rules, levels, relative URIs, stable fingerprints",
          "[cli][sarif]") {
  TempDir dir;
  write_file(dir.path() / "mlroast.toml", "[severity]\nML703 = \"info\"\n");
  write_file(dir.path() / "src" / "train.py", kTrain);
  auto r = run_mlroast({"check", "--output-format", "sarif", "."}, dir.path());
  CHECK(r.exit_code == 1);
  auto log = nlohmann::json::parse(r.out);
  CHECK(log["version"] == "2.1.0");
  const auto& run = log["runs"][0];
  const auto& rules = run["tool"]["driver"]["rules"];
  REQUIRE(rules.size() > 10);
  const auto& results = run["results"];
  REQUIRE(results.size() == 3);
  CHECK(results[0]["ruleId"] == "ML102");
  CHECK(results[0]["level"] == "error");
  CHECK(rules[results[0]["ruleIndex"].get<std::size_t>()]["id"] == "ML102");
  CHECK(results[2]["ruleId"] == "ML703");
  CHECK(results[2]["level"] == "note");  // the severity override of mlroast.toml
  const auto& loc = results[1]["locations"][0]["physicalLocation"];
  CHECK(loc["artifactLocation"]["uri"] == "src/train.py");
  CHECK(loc["artifactLocation"]["uriBaseId"] == "%SRCROOT%");
  CHECK(loc["region"]["startLine"] == 11);
  CHECK(run["columnKind"] == "unicodeCodePoints");

  // Lines inserted above move the region but keep every fingerprint.
  write_file(dir.path() / "src" / "train.py", std::string("\"\"\"Loan default model.\"\"\"\n\n") + kTrain);
  auto moved = nlohmann::json::parse(run_mlroast({"check", "--output-format", "sarif", "."}, dir.path()).out);
  const auto& results2 = moved["runs"][0]["results"];
  REQUIRE(results2.size() == 3);
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(results2[i]["partialFingerprints"] == results[i]["partialFingerprints"]);
    CHECK(results2[i]["locations"][0]["physicalLocation"]["region"]["startLine"] ==
          results[i]["locations"][0]["physicalLocation"]["region"]["startLine"].get<int>() + 2);
  }
}

TEST_CASE("check --output-format github: one workflow command per finding", "[cli]") {
  TempDir dir;
  write_file(dir.path() / "train.py", kTrain);
  auto r = run_mlroast({"check", "--output-format", "github", "."}, dir.path());
  CHECK(r.exit_code == 1);
  auto lines = mlroast::test::lines_of(r.out);
  REQUIRE(lines.size() == 3);
  CHECK(lines[1].rfind("::error title=mlroast (ML101),file=train.py,line=11,col=5,endLine=11,", 0) == 0);
  CHECK(lines[1].find("::train.py:11:5: ML101 ") != std::string::npos);
  CHECK(lines[2].rfind("::warning title=mlroast (ML703),file=train.py,line=17,col=1,", 0) == 0);
}

TEST_CASE("check --output-format junit: a failing test case per finding, a passing run", "[cli]") {
  TempDir dir;
  write_file(dir.path() / "train.py", kTrain);
  auto r = run_mlroast({"check", "--output-format", "junit", "."}, dir.path());
  CHECK(r.exit_code == 1);
  CHECK(r.out.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"mlroast\" tests=\"3\" failures=\"3\"", 0) == 0);
  CHECK(r.out.find("<testcase name=\"ML101\" classname=\"train.py\" file=\"train.py\" line=\"11\" column=\"5\">") != std::string::npos);
  CHECK(r.out.find("<failure type=\"error\"") != std::string::npos);

  write_file(dir.path() / "train.py", "import pandas as pd\n\ndf = pd.read_csv(\"a.csv\")\n");
  auto clean = run_mlroast({"check", "--output-format", "junit", "."}, dir.path());
  CHECK(clean.exit_code == 0);
  CHECK(clean.out.find("tests=\"1\" failures=\"0\"") != std::string::npos);
  CHECK(clean.out.find("<testcase name=\"mlroast\" classname=\"mlroast\"/>") != std::string::npos);
}

TEST_CASE("check --statistics: counts per rule, most frequent first", "[cli]") {
  TempDir dir;
  write_file(dir.path() / "a.py", kTrain);
  write_file(dir.path() / "b.py", kTrain);
  auto r = run_mlroast({"check", "--statistics", "--select", "ML1,ML703", "."}, dir.path());
  CHECK(r.exit_code == 1);
  CHECK(r.out == "2\tML101\tpreprocessing-before-split\n2\tML102\timputation-before-split\n"
                 "2\tML703\t[*] bare-except\n");
  auto j = nlohmann::json::parse(
      run_mlroast({"check", "--statistics", "--output-format", "json", "--select", "ML703", "."}, dir.path()).out);
  CHECK(j == nlohmann::json::parse(R"([{"code": "ML703", "name": "bare-except", "count": 2, "fixable": true}])"));
}
