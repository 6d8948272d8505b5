// Golden tests of the data-quality and reproducibility fixes (all unsafe): ML601 adds
// `random_state=42`, ML301 adds `handle_unknown`, ML306 guards the denominator, ML309 calls
// `transform` on a loaded transformer. Each applies the only finding's fix and checks the exact
// text, that it parses, and that the finding is gone.
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

std::vector<mlroast::Finding> only(const std::string& code, const std::string& text) {
  mlroast::RuleSelection sel;
  sel.select = {code};
  return mlroast::analyze_text("train.py", text, sel);
}

void check_fix(const std::string& code, const std::string& before, const std::string& after) {
  auto findings = only(code, before);
  REQUIRE(findings.size() == 1);
  REQUIRE(findings[0].fix.has_value());
  CHECK(findings[0].fix->applicability == mlroast::Applicability::Unsafe);
  const std::string fixed = apply_fix(before, *findings[0].fix);
  CHECK(fixed == after);
  mlroast::syntax::Parser parser;
  CHECK_FALSE(parser.parse(fixed).root().has_error());
  CHECK(only(code, fixed).empty());
}

const std::string kImports = R"(import joblib
import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import OneHotEncoder
)";

}  // namespace

TEST_CASE("ML601 fix: random_state after the last argument, trailing comma kept", "[fix]") {
  check_fix("ML601", kImports + "rf = RandomForestClassifier(\n    n_estimators=300,\n)\n",
            kImports + "rf = RandomForestClassifier(\n    n_estimators=300, random_state=42,\n)\n");
  check_fix("ML601", kImports + "rf = RandomForestClassifier()\n",
            kImports + "rf = RandomForestClassifier(random_state=42)\n");
  check_fix("ML601", kImports + "df = pd.read_csv(\"d.csv\")\nparts = train_test_split(df, test_size=0.2)\n",
            kImports + "df = pd.read_csv(\"d.csv\")\nparts = train_test_split(df, test_size=0.2, random_state=42)\n");
}

TEST_CASE("ML301 fix: handle_unknown is added", "[fix]") {
  check_fix("ML301", kImports + "enc = OneHotEncoder(sparse_output=False)\n",
            kImports + "enc = OneHotEncoder(sparse_output=False, handle_unknown=\"ignore\")\n");
}

TEST_CASE("ML306 fix: the denominator's zeros become NaN", "[fix]") {
  check_fix("ML306",
            kImports + "df = pd.read_csv(\"loans.csv\")\ndf[\"dti\"] = df[\"debt\"] / df[\"income\"]\n",
            kImports + "df = pd.read_csv(\"loans.csv\")\n"
                       "df[\"dti\"] = df[\"debt\"] / df[\"income\"].replace(0, float(\"nan\"))\n");
}

TEST_CASE("ML309 fix: a loaded transformer is applied, not refitted", "[fix]") {
  const std::string body = "enc = joblib.load(\"enc.joblib\")\nmodel = joblib.load(\"m.joblib\")\n"
                           "batch = pd.read_csv(\"batch.csv\")\n";
  check_fix("ML309", kImports + body + "print(model.predict(enc.fit_transform(batch)))\n",
            kImports + body + "print(model.predict(enc.transform(batch)))\n");
}
