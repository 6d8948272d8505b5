// `mlroast check` on notebooks, against the real binary: findings are located by cell in every
// format, a broken notebook is an error for that file only, and --fix rewrites only the fixed
// cell's `source`, leaving outputs, metadata, key order and layout byte for byte.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "cli_process.hpp"

using namespace mlroast::test;

namespace {

// nbformat's own layout (indent 1, keys sorted) except for one cell whose keys are in another
// order, an output with an ANSI escape and non-ASCII text, and odd metadata.
const std::string kHead =
    "{\n"
    " \"cells\": [\n"
    "  {\n"
    "   \"cell_type\": \"markdown\",\n"
    "   \"metadata\": {},\n"
    "   \"source\": [\n"
    "    \"# Fraud features \xe2\x80\x94 sanity checks\"\n"
    "   ]\n"
    "  },\n"
    "  {\n"
    "   \"cell_type\": \"code\",\n"
    "   \"execution_count\": 1,\n"
    "   \"metadata\": {\"collapsed\": false, \"tags\": [\"parameters\"]},\n"
    "   \"outputs\": [\n"
    "    {\n"
    "     \"name\": \"stderr\",\n"
    "     \"output_type\": \"stream\",\n"
    "     \"text\": [\n"
    "      \"\\u001b[33mWARNING\\u001b[0m: caf\xc3\xa9 pip cache disabled\\n\"\n"
    "     ]\n"
    "    }\n"
    "   ],\n"
    "   \"source\": [\n"
    "    \"%load_ext autoreload\\n\",\n"
    "    \"!pip install -q pyarrow\\n\",\n"
    "    \"import json\\n\",\n"
    "    \"import pandas as pd\"\n"
    "   ]\n"
    "  },\n";
const std::string kFixedCellBefore =
    "  {\n"
    "   \"source\": [\n"
    "    \"def load_params(path, overrides={}):\\n\",\n"
    "    \"    params = json.load(open(path))\\n\",\n"
    "    \"    params.update(overrides)\\n\",\n"
    "    \"    return params\"\n"
    "   ],\n"
    "   \"cell_type\": \"code\",\n"
    "   \"execution_count\": 2,\n"
    "   \"outputs\": [],\n"
    "   \"metadata\": {\"id\": \"b7\"}\n"
    "  },\n";
const std::string kFixedCellAfter =
    "  {\n"
    "   \"source\": [\n"
    "    \"def load_params(path, overrides=None):\\n\",\n"
    "    \"    if overrides is None:\\n\",\n"
    "    \"        overrides = {}\\n\",\n"
    "    \"    params = json.load(open(path))\\n\",\n"
    "    \"    params.update(overrides)\\n\",\n"
    "    \"    return params\"\n"
    "   ],\n"
    "   \"cell_type\": \"code\",\n"
    "   \"execution_count\": 2,\n"
    "   \"outputs\": [],\n"
    "   \"metadata\": {\"id\": \"b7\"}\n"
    "  },\n";
const std::string kTail =
    "  {\n"
    "   \"cell_type\": \"code\",\n"
    "   \"execution_count\": 3,\n"
    "   \"metadata\": {},\n"
    "   \"outputs\": [\n"
    "    {\n"
    "     \"data\": {\"text/plain\": [\"{'threshold': 0.7}\"]},\n"
    "     \"execution_count\": 3,\n"
    "     \"metadata\": {},\n"
    "     \"output_type\": \"execute_result\"\n"
    "    }\n"
    "   ],\n"
    "   \"source\": [\n"
    "    \"params = load_params(\\\"params.json\\\")\\n\",\n"
    "    \"try:\\n\",\n"
    "    \"    df = pd.read_parquet(params[\\\"input\\\"])\\n\",\n"
    "    \"except:\\n\",\n"
    "    \"    df = pd.DataFrame()\\n\",\n"
    "    \"params\"\n"
    "   ]\n"
    "  }\n"
    " ],\n"
    " \"metadata\": {\n"
    "  \"kernelspec\": {\"display_name\": \"Python 3\", \"language\": \"python\", \"name\": \"python3\"},\n"
    "  \"zz_custom\": {\"b\": 1, \"a\": [1.5e-05, 2]}\n"
    " },\n"
    " \"nbformat\": 4,\n"
    " \"nbformat_minor\": 5\n"
    "}\n";

const std::string kNotebook = kHead + kFixedCellBefore + kTail;

const std::string kBareExcept =
    "Bare `except:` also catches KeyboardInterrupt and SystemExit and hides the real error; "
    "catch the specific exceptions";

}  // namespace

TEST_CASE("check locates notebook findings by cell in concise and full output", "[cli][notebook]") {
  TempDir dir;
  write_file(dir.path() / "nb" / "features.ipynb", kNotebook);
  RunResult concise = run_mlroast({"check", "--output-format", "concise", "."}, dir.path());
  CHECK(concise.exit_code == 1);
  CHECK(concise.err.empty());
  auto lines = lines_of(concise.out);
  REQUIRE(lines.size() >= 3);
  CHECK(lines[0].starts_with("nb/features.ipynb:cell 3:1:33: ML704 [*] "));
  CHECK(lines[1] == "nb/features.ipynb:cell 4:4:1: ML703 [*] " + kBareExcept);

  RunResult full = run_mlroast({"check", "--select", "ML703", "nb/features.ipynb"}, dir.path());
  CHECK(full.exit_code == 1);
  CHECK(full.out.find("nb/features.ipynb:cell 4:4:1: ML703 [*] " + kBareExcept + "\n"
                      "  |\n"
                      "2 | try:\n"
                      "3 |     df = pd.read_parquet(params[\"input\"])\n"
                      "4 | except:\n"
                      "  | ^^^^^^ ML703\n"
                      "5 |     df = pd.DataFrame()\n"
                      "6 | params\n"
                      "  |\n") != std::string::npos);
}

TEST_CASE("check --output-format json sets the 1-based cell and cell rows", "[cli][notebook]") {
  TempDir dir;
  write_file(dir.path() / "features.ipynb", kNotebook);
  RunResult r = run_mlroast({"check", "--select", "ML703", "--output-format", "json", "."},
                            dir.path());
  CHECK(r.exit_code == 1);
  auto j = nlohmann::json::parse(r.out);
  REQUIRE(j.size() == 1);
  CHECK(j[0]["cell"] == 4);
  CHECK(j[0]["location"] == nlohmann::json({{"row", 4}, {"column", 1}}));
  CHECK(j[0]["end_location"] == nlohmann::json({{"row", 4}, {"column", 7}}));
  CHECK(j[0]["noqa_row"] == 4);
  CHECK(j[0]["filename"].get<std::string>().ends_with("/features.ipynb"));
  CHECK(j[0]["fix"]["edits"][0]["location"] == nlohmann::json({{"row", 4}, {"column", 7}}));
}

TEST_CASE("check --fix on a notebook rewrites only the fixed cell's source", "[cli][notebook][fix]") {
  TempDir dir;
  write_file(dir.path() / "features.ipynb", kNotebook);
  RunResult r = run_mlroast({"check", "--fix", "--output-format", "concise", "."}, dir.path());
  CHECK(r.exit_code == 1);  // the unsafe ML703 fix is not applied
  CHECK(r.out.find("Fixed 1 finding, 1 remaining.") != std::string::npos);
  CHECK(read_all(dir.path() / "features.ipynb") == kHead + kFixedCellAfter + kTail);

  RunResult again = run_mlroast({"check", "--fix", "--unsafe-fixes", "--output-format",
                                 "concise", "."}, dir.path());
  CHECK(again.exit_code == 0);
  const std::string fixed = read_all(dir.path() / "features.ipynb");
  CHECK(fixed.find("    \"except Exception:\\n\",\n") != std::string::npos);
  CHECK(fixed.substr(0, kHead.size()) == kHead);
  CHECK(nlohmann::json::parse(fixed)["cells"][3]["outputs"] ==
        nlohmann::json::parse(kNotebook)["cells"][3]["outputs"]);
}

TEST_CASE("check --diff on a notebook shows the JSON change and writes nothing",
          "[cli][notebook][fix]") {
  TempDir dir;
  write_file(dir.path() / "features.ipynb", kNotebook);
  RunResult r = run_mlroast({"check", "--diff", "features.ipynb"}, dir.path());
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("-    \"def load_params(path, overrides={}):\\n\",\n"
                   "+    \"def load_params(path, overrides=None):\\n\",\n"
                   "+    \"    if overrides is None:\\n\",\n") != std::string::npos);
  CHECK(read_all(dir.path() / "features.ipynb") == kNotebook);
}

TEST_CASE("a broken notebook is an error for that file and the run goes on", "[cli][notebook]") {
  TempDir dir;
  write_file(dir.path() / "a_broken.ipynb", "{\"cells\": [ {\"cell_type\": \"code\",");
  write_file(dir.path() / "b_nocells.ipynb", "{\"metadata\": {}, \"nbformat\": 4}");
  write_file(dir.path() / "c_v3.ipynb",
             "{\"worksheets\": [{\"cells\": []}], \"nbformat\": 3, \"nbformat_minor\": 0}");
  write_file(dir.path() / "d_ok.ipynb", kNotebook);
  RunResult r = run_mlroast({"check", "--select", "ML703", "--output-format", "concise", "."},
                            dir.path());
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("error: a_broken.ipynb: not a valid notebook: broken JSON") != std::string::npos);
  CHECK(r.err.find("error: b_nocells.ipynb: not a valid notebook: it has no `cells` list") !=
        std::string::npos);
  CHECK(r.err.find("error: c_v3.ipynb: nbformat 3 notebooks are not supported") !=
        std::string::npos);
  CHECK(lines_of(r.out).at(0) == "d_ok.ipynb:cell 4:4:1: ML703 [*] " + kBareExcept);
}

TEST_CASE("check warns about notebook cells left out for a syntax error", "[cli][notebook]") {
  TempDir dir;
  write_file(dir.path() / "wip.ipynb", R"NB({"cells": [
  {"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": [], "source": ["import pandas as pd\n"]},
  {"cell_type": "code", "execution_count": 2, "metadata": {}, "outputs": [], "source": ["df = pd.read_csv(\"a.csv\"\n", "df.head("]},
  {"cell_type": "code", "execution_count": 3, "metadata": {}, "outputs": [], "source": ["try:\n", "    df = pd.read_csv(\"b.csv\")\n", "except:\n", "    pass\n"]}
 ], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})NB");
  RunResult r = run_mlroast({"check", "--select", "ML703", "--output-format", "concise", "."},
                            dir.path());
  CHECK(r.exit_code == 1);
  CHECK(r.err == "warning: wip.ipynb:cell 2: not analysed: the cell has a syntax error\n");
  CHECK(lines_of(r.out).at(0) == "wip.ipynb:cell 3:3:1: ML703 [*] " + kBareExcept);
}
