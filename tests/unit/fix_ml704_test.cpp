// ML704's fix: the default becomes None and `if x is None: x = <default>` opens the body.
// Each case applies the fix's edits (back to front) and checks the exact text, that the result
// parses without errors and that the finding is gone.
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

using mlroast::Applicability;
using mlroast::Finding;

std::vector<Finding> ml704(const std::string& text) {
  mlroast::RuleSelection sel;
  sel.select = {"ML704"};
  return mlroast::analyze_text("features.py", text, sel);
}

// Applies the only finding's fix and checks the outcome.
void check_fix(const std::string& before, const std::string& after, Applicability applicability) {
  auto findings = ml704(before);
  REQUIRE(findings.size() == 1);
  REQUIRE(findings[0].fix.has_value());
  CHECK(findings[0].fix->applicability == applicability);
  std::string fixed = apply_fix(before, *findings[0].fix);
  CHECK(fixed == after);
  CHECK(parses_cleanly(fixed));
  CHECK(ml704(fixed).empty());
}

}  // namespace

TEST_CASE("ML704 fix: list default moved into the body", "[rules][fix]") {
  check_fix(
      "def add_lags(df, lags=[1, 7, 28]):\n"
      "    for lag in lags:\n"
      "        df[f\"sales_lag_{lag}\"] = df[\"sales\"].shift(lag)\n"
      "    return df\n",
      "def add_lags(df, lags=None):\n"
      "    if lags is None:\n"
      "        lags = [1, 7, 28]\n"
      "    for lag in lags:\n"
      "        df[f\"sales_lag_{lag}\"] = df[\"sales\"].shift(lag)\n"
      "    return df\n",
      Applicability::Safe);
}

TEST_CASE("ML704 fix: method with docstring, keyword-only typed parameter", "[rules][fix]") {
  check_fix(
      "class FeatureBuilder:\n"
      "    def build(self, df, *, drop_cols: list = []):\n"
      "        \"\"\"Build model features.\n"
      "\n"
      "        Drops `drop_cols` first.\n"
      "        \"\"\"\n"
      "        # identifiers never reach the model\n"
      "        return df.drop(columns=drop_cols)\n",
      "class FeatureBuilder:\n"
      "    def build(self, df, *, drop_cols: list = None):\n"
      "        \"\"\"Build model features.\n"
      "\n"
      "        Drops `drop_cols` first.\n"
      "        \"\"\"\n"
      "        if drop_cols is None:\n"
      "            drop_cols = []\n"
      "        # identifiers never reach the model\n"
      "        return df.drop(columns=drop_cols)\n",
      Applicability::Safe);
}

TEST_CASE("ML704 fix: indentation follows the file (two spaces, tabs)", "[rules][fix]") {
  check_fix("def encode(df, mapping={}):\n  return df.replace(mapping)\n",
            "def encode(df, mapping=None):\n  if mapping is None:\n    mapping = {}\n"
            "  return df.replace(mapping)\n",
            Applicability::Safe);
  check_fix("def encode(df, mapping=dict()):\n\treturn df.replace(mapping)\n",
            "def encode(df, mapping=None):\n\tif mapping is None:\n\t\tmapping = dict()\n"
            "\treturn df.replace(mapping)\n",
            Applicability::Safe);
}

TEST_CASE("ML704 fix: imported constructor is safe, multi-line default kept", "[rules][fix]") {
  check_fix(
      "from collections import defaultdict\n"
      "\n"
      "def count_by_segment(rows, counts=defaultdict(int)):\n"
      "    for r in rows:\n"
      "        counts[r.segment] += 1\n"
      "    return counts\n",
      "from collections import defaultdict\n"
      "\n"
      "def count_by_segment(rows, counts=None):\n"
      "    if counts is None:\n"
      "        counts = defaultdict(int)\n"
      "    for r in rows:\n"
      "        counts[r.segment] += 1\n"
      "    return counts\n",
      Applicability::Safe);
  check_fix(
      "def rename(df, columns={\n"
      "    \"Cust_ID\": \"customer_id\",\n"
      "}):\n"
      "    return df.rename(columns=columns)\n",
      "def rename(df, columns=None):\n"
      "    if columns is None:\n"
      "        columns = {\n"
      "    \"Cust_ID\": \"customer_id\",\n"
      "}\n"
      "    return df.rename(columns=columns)\n",
      Applicability::Safe);
}

TEST_CASE("ML704 fix: unsafe when the default's meaning could change", "[rules][fix]") {
  // The comprehension mentions a module constant: re-evaluated per call.
  check_fix(
      "BASE = [\"age\", \"tenure\"]\n"
      "def select(df, cols=[c.lower() for c in BASE]):\n"
      "    return df[cols]\n",
      "BASE = [\"age\", \"tenure\"]\n"
      "def select(df, cols=None):\n"
      "    if cols is None:\n"
      "        cols = [c.lower() for c in BASE]\n"
      "    return df[cols]\n",
      Applicability::Unsafe);
  // A deliberate memo.
  check_fix(
      "def embed(text, _cache={}):\n"
      "    return _cache.setdefault(text, len(text))\n",
      "def embed(text, _cache=None):\n"
      "    if _cache is None:\n"
      "        _cache = {}\n"
      "    return _cache.setdefault(text, len(text))\n",
      Applicability::Unsafe);
  // The body already gives an explicit None a meaning.
  auto findings =
      ml704("def f(cols=[]):\n    if cols is None:\n        cols = ALL\n    return cols\n");
  REQUIRE(findings.size() == 1);
  REQUIRE(findings[0].fix.has_value());
  CHECK(findings[0].fix->applicability == Applicability::Unsafe);
}

TEST_CASE("ML704 fix: none when the body shares the def's line", "[rules][fix]") {
  auto findings = ml704("def f(x=[]): return x\n");
  REQUIRE(findings.size() == 1);
  CHECK_FALSE(findings[0].fix.has_value());
}

TEST_CASE("ML704 fix: two mutable defaults get one fix each", "[rules][fix]") {
  std::string src = "def f(a=[], b={}):\n    return a, b\n";
  auto findings = ml704(src);
  REQUIRE(findings.size() == 2);
  std::string once = apply_fix(src, *findings[1].fix);
  CHECK(once == "def f(a=[], b=None):\n    if b is None:\n        b = {}\n    return a, b\n");
  auto again = ml704(once);
  REQUIRE(again.size() == 1);
  std::string twice = apply_fix(once, *again[0].fix);
  CHECK(twice ==
        "def f(a=None, b=None):\n    if a is None:\n        a = []\n    if b is None:\n"
        "        b = {}\n    return a, b\n");
  CHECK(parses_cleanly(twice));
  CHECK(ml704(twice).empty());
}

TEST_CASE("ML704 fix: comment after the colon, decorated method", "[rules][fix]") {
  check_fix("def f(x=[]):  # shared?\n    return x\n",
            "def f(x=None):  # shared?\n    if x is None:\n        x = []\n    return x\n",
            Applicability::Safe);
  check_fix(
      "class Scaler:\n"
      "    @staticmethod\n"
      "    def clip(df, bounds={}):\n"
      "        return df.clip(**bounds)\n",
      "class Scaler:\n"
      "    @staticmethod\n"
      "    def clip(df, bounds=None):\n"
      "        if bounds is None:\n"
      "            bounds = {}\n"
      "        return df.clip(**bounds)\n",
      Applicability::Safe);
}
