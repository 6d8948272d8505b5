// Rule fixtures: every tests/fixtures/rules/**/*.py is analysed with all rules enabled and its
// findings are compared with the inline expectations written in the fixture.
//
// Conventions
// - A line whose comment contains `expect: ML701` (or `expect: ML701, ML705`) must produce
//   exactly those codes on that line (the row where the finding starts). Repeat a code when the
//   line must produce it twice (`expect: ML704, ML704`). The annotation may share the line with
//   code: `for _, row in df.iterrows():  # expect: ML701`.
// - Every finding on a line without an expectation is a failure ("unexpected"), whatever its rule.
// - A fixture must contain at least one `expect:` or the marker `# expect-file-ok` (a file that
//   must stay completely silent); a fixture with neither is an error, so an empty or
//   mis-annotated file cannot pass vacuously.
// - `# noqa` comments work as in real use (analysis/noqa.cpp), so a fixture line can check that
//   `except:  # noqa: ML703` is suppressed: it simply carries no expectation.
// - The path given to the analysis is the fixture's path relative to tests/fixtures/rules/
//   ("ml705_hardcoded_absolute_path.py"), NOT the repository path: the latter contains "/tests/"
//   and would make every fixture a test file. Fixtures that must be treated as test code live
//   under tests/fixtures/rules/tests/ and are analysed as "tests/<name>.py" (is_test == true).
// - Fixtures must parse without syntax errors, and every registered rule must have a fixture
//   with at least one firing expectation.
// - known_gaps/ holds correct fixtures the engine does not get right yet (listed with their
//   cause in known_gaps/README.md). They are excluded from the main check, and a separate test
//   requires each of them to STILL mismatch: when the engine learns the case, that test fails
//   and the fixture must move back to its rule's folder.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "analysis/analyzer.hpp"
#include "analysis/notebook/reader.hpp"
#include "analysis/rules/rule.hpp"
#include "analysis/source_file.hpp"
#include "analysis/syntax/tree.hpp"
#include "support/source_files.hpp"

namespace fs = std::filesystem;

namespace {

const fs::path kFixtureDir = fs::path(MLROAST_SOURCE_DIR) / "tests" / "fixtures" / "rules";

struct Fixture {
  std::string rel;  // path relative to kFixtureDir, '/'-separated
  std::string text;
};

bool is_known_gap(const Fixture& f) { return f.rel.rfind("known_gaps/", 0) == 0; }

std::vector<Fixture> load_all_fixtures() {
  std::vector<Fixture> out;
  for (const fs::path& file : mlroast::test::python_files(kFixtureDir))
    out.push_back({fs::relative(file, kFixtureDir).generic_string(), mlroast::test::read_file(file)});
  std::sort(out.begin(), out.end(),
            [](const Fixture& a, const Fixture& b) { return a.rel < b.rel; });
  return out;
}

std::vector<Fixture> load_fixtures() {
  std::vector<Fixture> out = load_all_fixtures();
  out.erase(std::remove_if(out.begin(), out.end(), is_known_gap), out.end());
  return out;
}

struct Expectations {
  std::map<uint32_t, std::multiset<std::string>> by_row;  // 0-based row -> codes
  bool file_ok = false;
  std::vector<std::string> errors;  // malformed annotations
};

Expectations parse_expectations(const Fixture& f) {
  static const std::regex kExpect(R"(#.*\bexpect:\s*(.*)$)");
  static const std::regex kCode(R"(^(ML\d{3}|P\d{2})$)");
  Expectations ex;
  std::istringstream in(f.text);
  std::string line;
  for (uint32_t row = 0; std::getline(in, line); ++row) {
    if (line.find("# expect-file-ok") != std::string::npos) ex.file_ok = true;
    std::smatch m;
    if (!std::regex_search(line, m, kExpect)) continue;
    std::string list = m[1].str();
    std::stringstream codes(list);
    std::string code;
    size_t n = 0;
    while (std::getline(codes, code, ',')) {
      code.erase(0, code.find_first_not_of(" \t"));
      code.erase(code.find_last_not_of(" \t\r") + 1);
      if (!std::regex_match(code, kCode)) {
        ex.errors.push_back(f.rel + ":" + std::to_string(row + 1) + ": bad expectation `" + code +
                            "`");
        continue;
      }
      ex.by_row[row].insert(code);
      ++n;
    }
    if (n == 0)
      ex.errors.push_back(f.rel + ":" + std::to_string(row + 1) + ": `expect:` without codes");
  }
  return ex;
}

// known_gaps/<rule>/<name>.py is analysed as <rule>/<name>.py, like the fixture it will become.
std::string analysis_path(const Fixture& f) {
  return is_known_gap(f) ? f.rel.substr(std::string("known_gaps/").size()) : f.rel;
}

// All mismatches of one fixture, one per line of the returned text ("" when it passes).
std::string check_fixture(const Fixture& f) {
  Expectations ex = parse_expectations(f);
  std::vector<std::string> problems = ex.errors;
  if (ex.by_row.empty() && !ex.file_ok)
    problems.push_back(f.rel + ": no `# expect:` annotation and no `# expect-file-ok` marker");

  mlroast::syntax::Parser parser;
  mlroast::syntax::Tree tree = parser.parse(f.text);
  if (tree.root().has_error()) problems.push_back(f.rel + ": fixture has syntax errors");

  std::map<uint32_t, std::multiset<std::string>> actual;
  std::map<std::pair<uint32_t, std::string>, std::string> messages;
  for (const auto& fd : mlroast::analyze_text(analysis_path(f), f.text, mlroast::RuleSelection{})) {
    actual[fd.range.start.row].insert(fd.code);
    messages[{fd.range.start.row, fd.code}] = fd.message;
  }
  std::set<uint32_t> rows;
  for (const auto& [r, _] : ex.by_row) rows.insert(r);
  for (const auto& [r, _] : actual) rows.insert(r);
  for (uint32_t r : rows) {
    const auto& want = ex.by_row[r];
    const auto& got = actual[r];
    std::string where = f.rel + ":" + std::to_string(r + 1) + ": ";
    std::set<std::string> codes(want.begin(), want.end());
    codes.insert(got.begin(), got.end());
    for (const auto& code : codes) {
      size_t w = want.count(code), g = got.count(code);
      if (g < w)
        problems.push_back(
            where + "missing " + code +
            (w > 1 ? " (expected " + std::to_string(w) + ", got " + std::to_string(g) + ")" : ""));
      else if (g > w)
        problems.push_back(
            where + "unexpected " + code + ": " + messages[{r, code}] +
            (g > 1 ? " (" + std::to_string(g) + " findings, expected " + std::to_string(w) + ")"
                   : ""));
    }
  }
  std::string out;
  for (const auto& p : problems) out += p + "\n";
  return out;
}

}  // namespace

TEST_CASE("rule fixtures: findings match the inline expectations", "[rules]") {
  std::vector<Fixture> fixtures = load_fixtures();
  REQUIRE_FALSE(fixtures.empty());
  std::string report;
  for (const Fixture& f : fixtures) report += check_fixture(f);
  INFO("fixture mismatches (file:line):\n" << report);
  CHECK(report.empty());
}

TEST_CASE("rule fixtures: every registered rule has a firing case", "[rules]") {
  std::set<std::string> expected;
  for (const Fixture& f : load_fixtures())
    for (const auto& [row, codes] : parse_expectations(f).by_row)
      expected.insert(codes.begin(), codes.end());
  // Notebook-only rules (ML715) fire in the notebook fixtures (notebook_fixtures_test.cpp),
  // whose cells carry the same annotations.
  const fs::path notebooks = fs::path(MLROAST_SOURCE_DIR) / "tests" / "fixtures" / "notebooks";
  for (const auto& e : fs::directory_iterator(notebooks)) {
    if (e.path().extension() != ".ipynb") continue;
    auto nb = mlroast::notebook::read_notebook(mlroast::test::read_file(e.path()));
    if (!nb.notebook) continue;
    for (const auto& cell : nb.notebook->cells)
      for (const auto& [row, codes] : parse_expectations(Fixture{e.path().filename().string(), cell.source}).by_row)
        expected.insert(codes.begin(), codes.end());
  }
  std::string missing;
  for (const mlroast::RuleInfo* info : mlroast::all_rule_infos())
    if (info->code[0] != 'P' && !expected.count(std::string(info->code)))  // P: review_posture_test
      missing += std::string(info->code) + " ";
  INFO("rules without a firing fixture case: " << missing);
  CHECK(missing.empty());
}

TEST_CASE("rule fixtures: fixtures under tests/ are analysed as test code", "[rules]") {
  // (A fixture elsewhere is test code only if its own name says so: test_*.py, *_test.py.)
  bool any = false;
  for (const Fixture& f : load_fixtures()) {
    if (f.rel.rfind("tests/", 0) != 0) continue;
    any = true;
    INFO(f.rel);
    CHECK(mlroast::is_test_path(analysis_path(f)));
  }
  CHECK(any);
}

TEST_CASE("rule fixtures: known gaps still mismatch (move them back once they pass)", "[rules]") {
  for (const Fixture& f : load_all_fixtures()) {
    if (!is_known_gap(f)) continue;
    INFO(f.rel << " now matches its expectations: move it out of known_gaps/ and update "
                  "known_gaps/README.md");
    CHECK_FALSE(check_fixture(f).empty());
  }
}
