// `mlroast check` end to end: runs the built executable on the fixture tree tests/cli/project
// (a clean file, a bare `except:`, a file with invalid UTF-8 and NUL bytes, a mutable default
// after a non-ASCII parameter, and two virtual environments that must be skipped) and checks
// exit codes, rule selection, and the exact text of the concise and full formats.
#include <catch2/catch.hpp>

#include "cli_process.hpp"

using mlroast::test::cli_fixtures;
using mlroast::test::lines_of;
using mlroast::test::run_mlroast;

namespace {

const std::string kBareExceptMessage =
    "Bare `except:` also catches KeyboardInterrupt and SystemExit and hides the real error; "
    "catch the specific exceptions";

std::filesystem::path project() { return cli_fixtures() / "project"; }

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("check exits 0 on a clean file and 1 when something is found", "[cli]") {
  auto clean = run_mlroast({"check", "clean.py"}, project());
  CHECK(clean.exit_code == 0);
  CHECK(clean.out == "All checks passed!\n");
  CHECK(clean.err.empty());

  auto dirty = run_mlroast({"check", "bare_except.py"}, project());
  CHECK(dirty.exit_code == 1);
  CHECK(dirty.err.empty());

  auto zero = run_mlroast({"check", "--exit-zero", "bare_except.py"}, project());
  CHECK(zero.exit_code == 0);
  CHECK(zero.out == dirty.out);
}

TEST_CASE("check --output-format concise prints one exact line per finding", "[cli]") {
  auto r = run_mlroast({"check", "--select", "ML703", "--output-format", "concise"}, project());
  CHECK(r.exit_code == 1);
  CHECK(r.err.empty());
  // Sorted paths relative to the working directory; .venv/ and env/ (pyvenv.cfg) are skipped,
  // the notebook is located by cell, and the file with bad bytes is still analysed.
  std::vector<std::string> expected{
      "bare_except.py:5:1: ML703 [*] " + kBareExceptMessage,
      "broken_bytes.py:5:1: ML703 [*] " + kBareExceptMessage,
      "notebook.ipynb:cell 1:3:1: ML703 [*] " + kBareExceptMessage,
      "Found 3 errors.",
      "[*] 3 findings have a fix (3 unsafe).",
  };
  CHECK(lines_of(r.out) == expected);
}

TEST_CASE("check shows paths relative to the working directory when under it", "[cli]") {
  auto from_parent =
      run_mlroast({"check", "--select=ML703", "--output-format=concise", "project/bare_except.py"},
                  cli_fixtures());
  REQUIRE(from_parent.exit_code == 1);
  CHECK(lines_of(from_parent.out).at(0) ==
        "project/bare_except.py:5:1: ML703 [*] " + kBareExceptMessage);

  // A path outside the working directory is shown absolute.
  auto from_elsewhere =
      run_mlroast({"check", "--select", "ML703", "--output-format", "concise", project().string()},
                  cli_fixtures() / "project" / "pkg");
  REQUIRE(from_elsewhere.exit_code == 1);
  CHECK(lines_of(from_elsewhere.out).at(0) ==
        (project() / "bare_except.py").string() + ":5:1: ML703 [*] " + kBareExceptMessage);
}

TEST_CASE("check --select, --extend-select and --ignore choose the rules", "[cli]") {
  auto ignored = run_mlroast({"check", "--select", "ML703", "--ignore", "ML703", "."}, project());
  CHECK(ignored.exit_code == 0);
  CHECK(ignored.out == "All checks passed!\n");

  // A prefix selects its family; a more specific ignore wins over it.
  auto family = run_mlroast(
      {"check", "--select", "ML7", "--ignore", "ML703", "--output-format", "concise"}, project());
  CHECK(family.exit_code == 1);
  for (const auto& line : lines_of(family.out)) CHECK_FALSE(contains(line, "ML703"));
  CHECK(contains(family.out, "pkg/unicode_column.py:1:25: ML704"));

  // Comma-separated lists and --extend-select.
  auto listed = run_mlroast({"check", "--select", "ML101,ML703", "--extend-select", "ML704",
                             "--output-format", "concise"},
                            project());
  CHECK(listed.exit_code == 1);
  CHECK(contains(listed.out, "bare_except.py:5:1: ML703"));
  CHECK(contains(listed.out, "pkg/unicode_column.py:1:25: ML704"));

  auto all = run_mlroast({"check", "--select", "ALL", "--ignore", "ML704", "--output-format",
                          "concise", "bare_except.py"},
                         project());
  CHECK(all.exit_code == 1);
  CHECK(lines_of(all.out).front() == "bare_except.py:5:1: ML703 [*] " + kBareExceptMessage);
}

TEST_CASE("check rejects an unknown selector with exit code 2", "[cli]") {
  auto r = run_mlroast({"check", "--select", "FOO", "clean.py"}, project());
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK(contains(r.err, "unknown rule selector `FOO` in --select"));

  auto ignore = run_mlroast({"check", "--ignore", "ML703,XYZ1", "clean.py"}, project());
  CHECK(ignore.exit_code == 2);
  CHECK(contains(ignore.err, "`XYZ1` in --ignore"));
}

TEST_CASE("check rejects bad usage with exit code 2", "[cli]") {
  auto format = run_mlroast({"check", "--output-format", "xml", "clean.py"}, project());
  CHECK(format.exit_code == 2);
  CHECK(format.out.empty());
  CHECK(contains(format.err, "xml"));

  auto flag = run_mlroast({"check", "--no-such-flag"}, project());
  CHECK(flag.exit_code == 2);

  auto none = run_mlroast({}, project());
  CHECK(none.exit_code == 2);
  CHECK(none.out.empty());
}

TEST_CASE("check reports a missing path on stderr, exits 2 and still checks the rest", "[cli]") {
  auto r = run_mlroast(
      {"check", "--output-format", "concise", "does_not_exist.py", "bare_except.py", "missing_dir"},
      project());
  CHECK(r.exit_code == 2);
  CHECK(contains(r.err, "does_not_exist.py: No such file or directory"));
  CHECK(contains(r.err, "missing_dir: No such file or directory"));
  CHECK(lines_of(r.out).at(0) == "bare_except.py:5:1: ML703 [*] " + kBareExceptMessage);

  // --exit-zero silences findings, never errors.
  auto zero = run_mlroast({"check", "--exit-zero", "does_not_exist.py"}, project());
  CHECK(zero.exit_code == 2);
}

TEST_CASE("check --output-format full prints a code frame, the fix and the rule link", "[cli]") {
  auto r = run_mlroast({"check", "--select", "ML703", "bare_except.py"}, project());
  REQUIRE(r.exit_code == 1);
  std::vector<std::string> lines = lines_of(r.out);
  REQUIRE(lines.size() == 13);
  CHECK(lines[0] == "bare_except.py:5:1: ML703 [*] " + kBareExceptMessage);
  CHECK(lines[1] == "  |");
  CHECK(lines[2] == "3 | try:");
  CHECK(lines[3] == "4 |     config = json.load(open(\"config.json\"))");
  CHECK(lines[4] == "5 | except:");
  CHECK(lines[5] == "  | ^^^^^^ ML703");
  CHECK(lines[6] == "6 |     config = {}");
  CHECK(lines[7] == "  |");
  CHECK(lines[8] == "  = help: Replace `except:` with `except Exception:` (unsafe fix)");
  CHECK(lines[9].rfind("  = docs: ", 0) == 0);
  CHECK(contains(lines[9], "ML703"));
  CHECK(lines[10].empty());
  CHECK(lines[11] == "Found 1 error.");
  CHECK(lines[12] == "[*] 1 finding has a fix (1 unsafe).");
}

TEST_CASE("check full format puts the caret under the right character after non-ASCII text",
          "[cli]") {
  auto r = run_mlroast({"check", "--select", "ML704", "pkg/unicode_column.py"}, project());
  REQUIRE(r.exit_code == 1);
  std::vector<std::string> lines = lines_of(r.out);
  REQUIRE(lines.size() >= 4);
  CHECK(lines[0].rfind("pkg/unicode_column.py:1:25: ML704 [*] ", 0) == 0);
  CHECK(lines[2] == "1 | def scale(café, factors=[]):");
  CHECK(lines[3] == "  |                         ^^ ML704");
}
