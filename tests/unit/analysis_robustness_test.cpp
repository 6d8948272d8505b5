// No input crashes the analysis: empty text, binary bytes, invalid UTF-8, NUL bytes, syntax
// errors mid-edit (the valid parts are still analysed), deep nesting and large files.
#include <catch2/catch.hpp>

#include <string>

#include "analysis/analyzer.hpp"
#include "analysis/noqa.hpp"

using mlroast::analyze_text;
using mlroast::RuleSelection;
using namespace std::string_literals;

TEST_CASE("empty, binary and invalid UTF-8 input", "[analysis][robustness]") {
  CHECK(analyze_text("empty.py", "", RuleSelection{}).empty());
  std::string binary;
  for (int i = 0; i < 4096; ++i) binary += static_cast<char>((i * 37) & 0xff);
  CHECK_NOTHROW(analyze_text("binary.py", binary, RuleSelection{}));
  // A std::string literal: a plain one would end at the first NUL and drop the rest.
  std::string bad = "x = '\xff\xfe\xc3'\n\0\0try:\n    pass\nexcept:\n    pass\n"s;
  bad.push_back('\0');
  CHECK_NOTHROW(analyze_text("bad.py", bad, RuleSelection{}));
}

TEST_CASE("a syntax error mid-edit leaves the valid parts analysed", "[analysis][robustness]") {
  std::string text = R"(import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

df = pd.read_csv("train.csv")
X = df.drop(columns=["y"])
X_s = StandardScaler().fit_transform(X)
X_tr, X_te, y_tr, y_te = train_test_split(X_s, df["y"])
model = (
try:
    open("x")
except:
    pass
)";
  auto findings = analyze_text("edit.py", text, RuleSelection{});
  bool leak = false;
  for (const auto& f : findings) leak = leak || (f.code == "ML101" && f.range.start.row == 6);
  CHECK(leak);
}

TEST_CASE("deeply nested expressions do not exhaust the stack", "[analysis][robustness]") {
  std::string text = "x = ";
  for (int i = 0; i < 10000; ++i) text += "(";
  text += "1";
  for (int i = 0; i < 10000; ++i) text += ")";
  text += "\ny = " + std::string(5000, '-') + "1\n";
  std::string calls = "z = ";
  for (int i = 0; i < 3000; ++i) calls += "f(";
  for (int i = 0; i < 3000; ++i) calls += ")";
  text += calls + "\n";
  CHECK_NOTHROW(analyze_text("deep.py", text, RuleSelection{}));
}

TEST_CASE("a 10 MB file and a 1 MB line are analysed", "[analysis][robustness]") {
  std::string big;
  big.reserve(10 * 1024 * 1024 + 100);
  int i = 0;
  while (big.size() < 10 * 1024 * 1024) big += "value_" + std::to_string(i++) + " = df['c'].fillna(0)\n";
  CHECK_NOTHROW(analyze_text("big.py", big, RuleSelection{}));
  std::string line = "s = '" + std::string(1024 * 1024, 'a') + "'\n";
  CHECK(analyze_text("line.py", line, RuleSelection{}).empty());
}

TEST_CASE("noqa directives", "[analysis][noqa]") {
  mlroast::NoqaDirective d;
  REQUIRE(mlroast::parse_noqa("# noqa", d));
  CHECK(d.all);
  REQUIRE(mlroast::parse_noqa("#noqa: ML703, ML708", d));
  CHECK_FALSE(d.all);
  CHECK(d.codes == std::vector<std::string>{"ML703", "ML708"});
  REQUIRE(mlroast::parse_noqa("# type: ignore  # NOQA:ML1", d));
  CHECK(d.codes == std::vector<std::string>{"ML1"});
  CHECK_FALSE(mlroast::parse_noqa("# no quality assurance", d));
  CHECK_FALSE(mlroast::parse_noqa("# just a comment", d));

  std::string text =
      "try:\n    x = 1\nexcept:  # noqa: ML703\n    pass\n"
      "try:\n    x = 1\nexcept:  # noqa: ML708\n    pass\n"
      "try:\n    x = 1\nexcept:  # noqa\n    pass\n"
      "s = '# noqa'\ntry:\n    x = 1\nexcept:\n    pass\n";
  auto findings = analyze_text("n.py", text, RuleSelection{});
  REQUIRE(findings.size() == 2);
  CHECK(findings[0].range.start.row == 6);   // suppressed only for another code
  CHECK(findings[1].range.start.row == 15);  // a noqa inside a string is not a directive
}
