// `mlroast check --fix` / `--unsafe-fixes` against the real binary: files are rewritten in place,
// the result parses, and the summary counts what was fixed and what remains.
#include <catch2/catch.hpp>

#include "analysis/syntax/tree.hpp"
#include "cli_process.hpp"
#include "support/fixable_sample.hpp"

using namespace mlroast::test;

TEST_CASE("check --fix applies safe fixes and reports what remains", "[cli][fix]") {
  TempDir dir;
  write_file(dir.path() / "params.py", kFixableParams);
  RunResult r = run_mlroast({"check", "--fix", "--output-format", "concise", "."}, dir.path());
  CHECK(r.exit_code == 1);  // the unsafe ML703 fix was not applied
  CHECK(r.out.find("ML703") != std::string::npos);
  CHECK(r.out.find("Fixed 1 finding, 1 remaining.") != std::string::npos);
  const std::string fixed = read_all(dir.path() / "params.py");
  CHECK(fixed.find("def load_params(path, overrides=None):\n"
                   "    if overrides is None:\n"
                   "        overrides = {}\n"
                   "    try:\n") != std::string::npos);
  CHECK(fixed.find("    except:\n") != std::string::npos);
  mlroast::syntax::Parser parser;
  CHECK_FALSE(parser.parse(fixed).root().has_error());

  RunResult again = run_mlroast({"check", "--fix", "--unsafe-fixes", "--output-format",
                                 "concise", "."}, dir.path());
  CHECK(again.exit_code == 0);
  CHECK(again.out.find("Fixed 1 finding, 0 remaining.") != std::string::npos);
  CHECK(read_all(dir.path() / "params.py").find("    except Exception:\n") != std::string::npos);
}

TEST_CASE("check without --fix never writes", "[cli][fix]") {
  TempDir dir;
  write_file(dir.path() / "params.py", kFixableParams);
  RunResult r = run_mlroast({"check", "--output-format", "concise", "."}, dir.path());
  CHECK(r.exit_code == 1);
  CHECK(read_all(dir.path() / "params.py") == kFixableParams);
}

TEST_CASE("check --diff prints the fixes as a unified diff and writes nothing", "[cli][fix]") {
  TempDir dir;
  write_file(dir.path() / "params.py", kFixableParams);
  RunResult r = run_mlroast({"check", "--diff", "--unsafe-fixes", "params.py"}, dir.path());
  CHECK(r.exit_code == 1);
  CHECK(read_all(dir.path() / "params.py") == kFixableParams);
  CHECK(r.out ==
        "--- params.py\n"
        "+++ params.py\n"
        "@@ -1,11 +1,13 @@\n"
        " import json\n"
        " \n"
        " \n"
        "-def load_params(path, overrides={}):\n"
        "+def load_params(path, overrides=None):\n"
        "+    if overrides is None:\n"
        "+        overrides = {}\n"
        "     try:\n"
        "         with open(path) as fh:\n"
        "             params = json.load(fh)\n"
        "-    except:\n"
        "+    except Exception:\n"
        "         params = {}\n"
        "     params.update(overrides)\n"
        "     return params\n"
        "Would fix 2 findings.\n");
  RunResult clean = run_mlroast({"check", "--diff", "params.py"}, dir.path());
  CHECK(clean.out.find("+def load_params(path, overrides=None):") != std::string::npos);
  CHECK(clean.out.find("except Exception") == std::string::npos);  // unsafe needs --unsafe-fixes
}
