// Golden tests of `mlroast review` on the example projects: the Markdown report must match
// tests/golden/review/<project>.md byte for byte (and be identical on a second run and through
// -o FILE), and the JSON form must carry the expected verdict, Hall of Shame, sections and
// checklist marks. When a rule change legitimately changes a report, regenerate the goldens with
//   MLROAST_UPDATE_GOLDEN=1 build/tests/mlroast_tests "[golden]"
// and review the diff like code.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdlib>

#include "cli_process.hpp"

namespace fs = std::filesystem;
using mlroast::test::read_all;
using mlroast::test::run_mlroast;
using mlroast::test::TempDir;

namespace {

fs::path source_dir() { return fs::path(MLROAST_SOURCE_DIR); }

void check_golden(const std::string& project) {
  auto r = run_mlroast({"review", "examples/" + project}, source_dir());
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  fs::path golden = source_dir() / "tests" / "golden" / "review" / (project + ".md");
  if (std::getenv("MLROAST_UPDATE_GOLDEN") != nullptr) mlroast::test::write_file(golden, r.out);
  CHECK(r.out == read_all(golden));
  // Deterministic: a second run and -o FILE give the same bytes.
  CHECK(run_mlroast({"review", "examples/" + project}, source_dir()).out == r.out);
  TempDir out;
  auto to_file = run_mlroast({"review", "examples/" + project, "-o", (out.path() / "r.md").string()}, source_dir());
  CHECK(to_file.exit_code == 0);
  CHECK(to_file.out.empty());
  CHECK(read_all(out.path() / "r.md") == r.out);
}

nlohmann::json review_json(const std::string& project) {
  auto r = run_mlroast({"review", "--format", "json", "examples/" + project}, source_dir());
  REQUIRE(r.exit_code == 0);
  return nlohmann::json::parse(r.out);
}

std::string mark_of(const nlohmann::json& j, const std::string& item) {
  for (const auto& c : j["checklist"])
    if (c["item"].get<std::string>().rfind(item, 0) == 0) return c["mark"];
  return "missing";
}

std::vector<std::string> codes_in(const nlohmann::json& j, const std::string& section) {
  std::vector<std::string> out;
  for (const auto& s : j["sections"])
    if (s["key"] == section)
      for (const auto& g : s["issues"]) out.push_back(g["code"]);
  return out;
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

TEST_CASE("review golden: churn-project (leaky, production-like)", "[golden][review]") {
  check_golden("churn-project");
  auto j = review_json("churn-project");
  CHECK(j["verdict"]["category"] == "Fundamental methodological failure");
  auto deciding = j["verdict"]["deciding"].dump();
  CHECK(deciding.find("ML107 src/churn/train.py:") != std::string::npos);
  CHECK(deciding.find("ML103 src/churn/train.py:68") != std::string::npos);
  CHECK(j["hall_of_shame"]["code"] == "ML107");
  auto critical = codes_in(j, "critical");
  REQUIRE(critical.size() >= 3);
  CHECK(critical[0] == "ML107");  // the damage ranking, not code order
  CHECK(contains(critical, "ML103"));
  CHECK(contains(critical, "ML101"));
  auto mlops = codes_in(j, "mlops");
  for (const char* p : {"P01", "P02", "P03", "P05", "P06", "P08", "P09", "P10"}) {
    INFO(p);
    CHECK(contains(mlops, p));
  }
  CHECK(mark_of(j, "Preprocessing fitted only on training folds") == "absent");
  CHECK(mark_of(j, "Dependencies fully pinned") == "absent");
  CHECK(mark_of(j, "No preprocessing logic duplicated") == "absent");
  CHECK(j["checklist"].size() == 29);
  CHECK(j["actions"].size() == 7);
}

TEST_CASE("review golden: clean-project (the silent counterpart)", "[golden][review]") {
  check_golden("clean-project");
  auto j = review_json("clean-project");
  CHECK(codes_in(j, "critical").empty());
  CHECK(j["verdict"]["category"] == "Actually solid with fixable gaps");
  CHECK(mark_of(j, "Preprocessing fitted only on training folds") == "present");
  CHECK(mark_of(j, "Baseline model defined and beaten") == "present");
  CHECK(mark_of(j, "Schema validated at ingestion") == "present");
  CHECK(mark_of(j, "Unit tests for feature transforms") == "present");
  CHECK(mark_of(j, "Cross-validation with proper fold strategy") == "present");
  CHECK(j["checklist"].size() == 29);
}

TEST_CASE("review golden: prototype-project (sound model, no engineering)", "[golden][review]") {
  check_golden("prototype-project");
  auto j = review_json("prototype-project");
  CHECK(codes_in(j, "critical").empty());
  CHECK(j["verdict"]["category"] == "Prototype with a clear path to production");
  auto mlops = codes_in(j, "mlops");
  for (const char* p : {"P01", "P02", "P03", "P04", "P05", "P06", "P07", "P08"}) {
    INFO(p);
    CHECK(contains(mlops, p));
  }
  CHECK(mark_of(j, "Data versioned") == "absent");
  CHECK(mark_of(j, "Baseline model defined and beaten") == "present");
  CHECK(j["actions"].size() == 7);
}

TEST_CASE("review: errors are exit code 2 with the cause on stderr", "[review][cli]") {
  auto missing = run_mlroast({"review", "no/such/folder"}, source_dir());
  CHECK(missing.exit_code == 2);
  CHECK(missing.err.find("no/such/folder: not a folder") != std::string::npos);
  TempDir dir;
  mlroast::test::write_file(dir.path() / "mlroast.toml", "select = [\"ML1\"]\nunknown = 1\n");
  mlroast::test::write_file(dir.path() / "train.py", "import pandas as pd\n");
  auto bad = run_mlroast({"review", "."}, dir.path());
  CHECK(bad.exit_code == 2);
  CHECK(bad.out.empty());
  CHECK(bad.err.find("mlroast.toml:2: key `unknown`: unknown key") != std::string::npos);
}
