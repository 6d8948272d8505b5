// Fixes of ML709 (torch.save of a whole module -> state_dict), ML713 (chained assignment ->
// one .loc) and ML714 (debug/reload flags -> False). All unsafe. Applies the edits, checks the
// exact text, that it parses and that the finding is gone.
#include <algorithm>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "analysis/analyzer.hpp"
#include "support/fix_testing.hpp"
#include "analysis/syntax/tree.hpp"

namespace {

using mlroast::test::apply_fix;
using mlroast::test::only_rule;
using mlroast::test::parses_cleanly;

std::vector<mlroast::Finding> run(const std::string& code, const std::string& text) {
  mlroast::RuleSelection sel;
  sel.select = {code};
  return mlroast::analyze_text("job.py", text, sel);
}

std::string fixed(const std::string& code, const std::string& before) {
  auto findings = run(code, before);
  REQUIRE(findings.size() == 1);
  REQUIRE(findings[0].fix.has_value());
  CHECK(findings[0].fix->applicability == mlroast::Applicability::Unsafe);
  std::string after = apply_fix(before, *findings[0].fix);
  CHECK(parses_cleanly(after));
  CHECK(run(code, after).empty());
  return after;
}

}  // namespace

TEST_CASE("ML709 fix: torch.save of the module saves its state_dict", "[rules][fix]") {
  const std::string before =
      "import torch\n"
      "from torch import nn\n"
      "net = nn.Sequential(nn.Linear(8, 1)).to('cpu')\n"
      "torch.save(net, 'net.pt')\n";
  CHECK(fixed("ML709", before) ==
        "import torch\n"
        "from torch import nn\n"
        "net = nn.Sequential(nn.Linear(8, 1)).to('cpu')\n"
        "torch.save(net.state_dict(), 'net.pt')\n");
}

TEST_CASE("ML709: no fix for a pickled lambda", "[rules][fix]") {
  const std::string text =
      "import pickle\n"
      "clip = lambda s: s.clip(0, 1)\n"
      "pickle.dump(clip, open('clip.pkl', 'wb'))\n";
  auto findings = run("ML709", text);
  REQUIRE(findings.size() == 1);
  CHECK_FALSE(findings[0].fix.has_value());
}

TEST_CASE("ML713 fix: column then rows becomes one .loc", "[rules][fix]") {
  const std::string before =
      "import pandas as pd\n"
      "df = pd.read_csv('telco.csv')\n"
      "df['TotalCharges'][df['TotalCharges'] == ' '] = '0'\n";
  CHECK(fixed("ML713", before) ==
        "import pandas as pd\n"
        "df = pd.read_csv('telco.csv')\n"
        "df.loc[df['TotalCharges'] == ' ', 'TotalCharges'] = '0'\n");
}

TEST_CASE("ML713 fix: rows then column becomes one .loc", "[rules][fix]") {
  const std::string before =
      "import pandas as pd\n"
      "df = pd.read_csv('telco.csv')\n"
      "df[df['tenure'] == 0]['segment'] = 'new'\n";
  CHECK(fixed("ML713", before) ==
        "import pandas as pd\n"
        "df = pd.read_csv('telco.csv')\n"
        "df.loc[df['tenure'] == 0, 'segment'] = 'new'\n");
}

TEST_CASE("ML713: no fix when neither key is a column literal", "[rules][fix]") {
  const std::string text =
      "import pandas as pd\n"
      "df = pd.read_csv('telco.csv')\n"
      "df['MonthlyCharges'].iloc[0] = 0\n";
  auto findings = run("ML713", text);
  REQUIRE(findings.size() == 1);
  CHECK_FALSE(findings[0].fix.has_value());
}

TEST_CASE("ML714 fix: Flask debug and uvicorn reload are switched off", "[rules][fix]") {
  const std::string flask =
      "from flask import Flask\n"
      "app = Flask(__name__)\n"
      "app.run(host='0.0.0.0', debug=True)\n";
  CHECK(fixed("ML714", flask) ==
        "from flask import Flask\n"
        "app = Flask(__name__)\n"
        "app.run(host='0.0.0.0', debug=False)\n");
  const std::string uv =
      "import uvicorn\n"
      "uvicorn.run('svc:app', port=8000, reload=True)\n";
  CHECK(fixed("ML714", uv) ==
        "import uvicorn\n"
        "uvicorn.run('svc:app', port=8000, reload=False)\n");
}
