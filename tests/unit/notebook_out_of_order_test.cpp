// ML715 (notebook-out-of-order) on notebooks built in code: a name used in a cell and first
// bound in a later one fires, unless a function declares it `global` (calling the function from
// any cell binds it), the case the rule's walk for `global` statements exists for.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "analysis/notebook/analyze.hpp"

using namespace mlroast;

namespace {

notebook::Notebook notebook_of(const std::vector<std::string>& sources) {
  notebook::Notebook nb;
  nb.language = "python";
  std::int64_t count = 0;
  for (const std::string& s : sources) {
    notebook::Cell c;
    c.source = s;
    c.execution_count = ++count;
    c.language = "python";
    nb.cells.push_back(c);
  }
  return nb;
}

int out_of_order_uses(const notebook::Notebook& nb, const std::string& name) {
  notebook::VirtualProgram program(nb);
  int n = 0;
  for (const Finding& f : notebook::analyze_program("scores.ipynb", program, RuleSelection{}))
    if (f.code == "ML715" && f.message.find("`" + name + "` is used") != std::string::npos) ++n;
  return n;
}

const std::string kLoad =
    "import pandas as pd\n"
    "scores = pd.read_csv(\"scores.csv\")\n";
const std::string kFlag = "flagged = scores[scores[\"score\"] > THRESHOLD]\n";
const std::string kTuned = "THRESHOLD = 0.4\n";

}  // namespace

TEST_CASE("ML715: a name bound only in a later cell fires", "[notebook][ML715]") {
  CHECK(out_of_order_uses(notebook_of({kLoad, kFlag, kTuned}), "THRESHOLD") == 1);
}

TEST_CASE("ML715: a name a function declares global is not reported", "[notebook][ML715]") {
  const std::string config =
      "def load_config():\n"
      "    global THRESHOLD\n"
      "    THRESHOLD = 0.35\n"
      "\n"
      "load_config()\n";
  CHECK(out_of_order_uses(notebook_of({config, kLoad, kFlag, kTuned}), "THRESHOLD") == 0);
  // The word "global" elsewhere (a comment) changes nothing.
  CHECK(out_of_order_uses(notebook_of({"# global settings below\n" + kLoad, kFlag, kTuned}),
                          "THRESHOLD") == 1);
}
