// `mlroast check --output-format json`: the output must parse, use exactly ruff's field names,
// give 1-based rows and 1-based columns counted in code points (not bytes), absolute filenames,
// and describe fixes with their applicability and edits.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <set>

#include "cli_process.hpp"

using mlroast::test::cli_fixtures;
using mlroast::test::run_mlroast;
using nlohmann::json;

namespace {

std::filesystem::path project() { return cli_fixtures() / "project"; }

json check_json(const std::vector<std::string>& extra, int expected_exit = 1) {
  std::vector<std::string> args{"check", "--output-format", "json"};
  args.insert(args.end(), extra.begin(), extra.end());
  auto r = run_mlroast(args, project());
  REQUIRE(r.exit_code == expected_exit);
  REQUIRE(r.err.empty());
  // Nothing but the JSON document on stdout: it must parse as a whole.
  return json::parse(r.out);
}

std::set<std::string> keys_of(const json& object) {
  std::set<std::string> keys;
  for (auto it = object.begin(); it != object.end(); ++it) keys.insert(it.key());
  return keys;
}

json location(int row, int column) { return json{{"row", row}, {"column", column}}; }

}  // namespace

TEST_CASE("json output uses exactly ruff's field names", "[cli]") {
  json all = check_json({"--select", "ML703,ML704"});
  REQUIRE(all.is_array());
  REQUIRE(all.size() == 4);  // three in .py files, one in notebook.ipynb
  const std::set<std::string> ruff_fields{"cell",     "code",    "end_location", "filename", "fix",
                                          "location", "message", "noqa_row",     "url"};
  for (const json& f : all) {
    CHECK(keys_of(f) == ruff_fields);
    bool notebook = f["filename"].get<std::string>().ends_with(".ipynb");
    CHECK(f["cell"] == (notebook ? json(1) : json(nullptr)));
    CHECK(keys_of(f["location"]) == std::set<std::string>{"column", "row"});
    CHECK(keys_of(f["end_location"]) == std::set<std::string>{"column", "row"});
    REQUIRE(f["fix"].is_object());
    CHECK(keys_of(f["fix"]) == std::set<std::string>{"applicability", "edits", "message"});
    for (const json& e : f["fix"]["edits"])
      CHECK(keys_of(e) == std::set<std::string>{"content", "end_location", "location"});
  }
}

TEST_CASE("json output locates a bare except with 1-based rows and columns", "[cli]") {
  json all = check_json({"--select", "ML703", "bare_except.py"});
  REQUIRE(all.size() == 1);
  const json& f = all[0];
  CHECK(f["code"] == "ML703");
  CHECK(f["message"] ==
        "Bare `except:` also catches KeyboardInterrupt and SystemExit and hides the real error; "
        "catch the specific exceptions");
  CHECK(f["filename"] == (project() / "bare_except.py").string());
  CHECK(f["location"] == location(5, 1));
  CHECK(f["end_location"] == location(5, 7));
  CHECK(f["noqa_row"] == 5);
  CHECK(f["url"].get<std::string>().find("ML703") != std::string::npos);

  const json& fix = f["fix"];
  CHECK(fix["applicability"] == "unsafe");
  CHECK(fix["message"] == "Replace `except:` with `except Exception:`");
  REQUIRE(fix["edits"].size() == 1);
  CHECK(fix["edits"][0]["content"] == " Exception");
  CHECK(fix["edits"][0]["location"] == location(5, 7));
  CHECK(fix["edits"][0]["end_location"] == location(5, 7));
}

TEST_CASE("json output counts columns in code points after non-ASCII text", "[cli]") {
  // `def scale(café, factors=[]):` — `[` is the 25th character but starts at byte 26.
  json all = check_json({"--select", "ML704", "pkg/unicode_column.py"});
  REQUIRE(all.size() == 1);
  const json& f = all[0];
  CHECK(f["code"] == "ML704");
  CHECK(f["filename"] == (project() / "pkg" / "unicode_column.py").string());
  CHECK(f["location"] == location(1, 25));
  CHECK(f["end_location"] == location(1, 27));
  CHECK(f["noqa_row"] == 1);
  REQUIRE(f["fix"].is_object());
  CHECK(f["fix"]["applicability"] == "safe");
  CHECK(f["fix"]["edits"].at(0)["location"] == location(1, 25));
}

TEST_CASE("json output of a clean run is an empty array", "[cli]") {
  json all = check_json({"clean.py"}, 0);
  CHECK(all == json::array());
}

TEST_CASE("json output stays valid UTF-8 for files with invalid bytes", "[cli]") {
  json all = check_json({"--select", "ML703", "broken_bytes.py"});
  REQUIRE(all.size() == 1);
  CHECK(all[0]["location"] == location(5, 1));
  CHECK(all[0]["filename"] == (project() / "broken_bytes.py").string());
}

TEST_CASE("json output goes to stdout alone even when paths are missing", "[cli]") {
  auto r = run_mlroast(
      {"check", "--output-format", "json", "--select", "ML703", "nope.py", "bare_except.py"},
      project());
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("nope.py") != std::string::npos);
  json all = json::parse(r.out);
  REQUIRE(all.size() == 1);
  CHECK(all[0]["code"] == "ML703");
}
