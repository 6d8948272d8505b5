// Fixes next to a syntax error are withheld (the finding stays); fixes away from it are kept.
// Found by fuzz/analysis_fuzz.cpp: 660 of 6,552 corpus inputs under 1 KB never converged, each
// round of fix_text adding the same keyword again inside text the parser had put in an ERROR node.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "analysis/analyzer.hpp"
#include "analysis/fix/apply.hpp"

namespace {

std::vector<mlroast::Finding> only(const std::string& code, const std::string& text) {
  mlroast::RuleSelection sel;
  sel.select = {code};
  return mlroast::analyze_text("train.py", text, sel);
}

}  // namespace

TEST_CASE("no fix inside an argument list the parser could not read", "[fix]") {
  // An unterminated f-string: inserting `, weights_only=True` before `)` lands inside it.
  const std::string text =
      "import torch\n"
      "feats = torch.load(\"data/sst2_pooled.pt\", weif\"{ghts_only-True)\n"
      "print(feats.shape)\n";
  auto findings = only("ML708", text);
  REQUIRE(findings.size() == 1);
  CHECK_FALSE(findings[0].fix.has_value());
  auto outcome = mlroast::fix_text("train.py", text, mlroast::RuleSelection{}, true);
  CHECK(outcome.applied == 0);
  CHECK(outcome.remaining.has_value());
}

TEST_CASE("no fix in an argument list whose ERROR swallows the added keyword", "[fix]") {
  // The ERROR node starts well before the insertion point but the quotes pair differently after
  // each insertion, so the keyword never appears as an argument.
  const std::string text =
      "from sklearn.preprocessing import OrdinalEncoder\n"
      "enc = OrdinalEncoder(ha\"o\"\"ndle_unknown=\"use_encoded_value\", unknown_value=-0)\n"
      "enc.fit(train[[\"plan\"]])\n";
  auto outcome = mlroast::fix_text("train.py", text, mlroast::RuleSelection{}, true);
  CHECK(outcome.remaining.has_value());
  CHECK(outcome.text.find("unknown_value=-1") == std::string::npos);
}

TEST_CASE("a syntax error in another statement leaves the fix available", "[fix]") {
  // Typing in progress further down: the load above still gets its fix.
  const std::string text =
      "import torch\n"
      "state = torch.load(ckpt_path, map_location=\"cpu\")\n"
      "model.load_state_dict(state)\n"
      "for epoch in range(\n";
  auto findings = only("ML708", text);
  REQUIRE(findings.size() == 1);
  REQUIRE(findings[0].fix.has_value());
  auto outcome = mlroast::fix_text("train.py", text, mlroast::RuleSelection{}, true);
  CHECK(outcome.text.find("map_location=\"cpu\", weights_only=True)") != std::string::npos);
}

TEST_CASE("no fix inside a token where a cut-short argument list ends", "[fix]") {
  // analysis_fuzz (session 20): a MISSING ")" left the argument list ending inside `px` and
  // inside a string; `, shuffle=False` was inserted there again every round.
  const std::string head =
      "import pandas as pd\n"
      "from sklearn.model_selection import train_test_split\n"
      "px = pd.read_csv(\"data/AAPL.csv\", index_col=\"Date\", parse_dates=True)\n";
  for (const std::string& split : {
           std::string("train, test = train_test_split(px;features], px[\"up_next\"],\n  \"test\"],\n"),
           std::string("train, test = train_test_split(px, \"a\";b\"\n")}) {
    const std::string text = head + split;
    auto findings = only("ML201", text);
    REQUIRE(findings.size() == 1);
    CHECK_FALSE(findings[0].fix.has_value());
    auto outcome = mlroast::fix_text("train.py", text, mlroast::RuleSelection{}, true);
    CHECK(outcome.remaining.has_value());
    CHECK(outcome.text.find("shuffle=False") == std::string::npos);
  }
}

TEST_CASE("a fix next to a clean token of a statement with a syntax error stays", "[fix]") {
  // A stray ")" after the call: the keyword goes after the last argument, inside a clean call.
  const std::string text =
      "from sklearn.ensemble import RandomForestClassifier\n"
      "clf = RandomForestClassifier(n_estimators=300, max_depth=8))\n";
  auto findings = only("ML601", text);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].fix.has_value());
}
