// ML708's fix for `torch.load` without `weights_only`: adds `weights_only=True` (unsafe).
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

std::vector<mlroast::Finding> ml708(const std::string& text) {
  mlroast::RuleSelection sel;
  sel.select = {"ML708"};
  return mlroast::analyze_text("serve.py", text, sel);
}

std::string fixed(const std::string& before) {
  auto findings = ml708(before);
  REQUIRE(findings.size() == 1);
  REQUIRE(findings[0].fix.has_value());
  CHECK(findings[0].fix->applicability == mlroast::Applicability::Unsafe);
  std::string after = apply_fix(before, *findings[0].fix);
  mlroast::syntax::Parser parser;
  CHECK_FALSE(parser.parse(after).root().has_error());
  CHECK(ml708(after).empty());
  return after;
}

}  // namespace

TEST_CASE("ML708 fix: weights_only=True appended to torch.load", "[rules][fix]") {
  CHECK(fixed("import torch\nstate = torch.load(ckpt_path, map_location=\"cpu\")\n") ==
        "import torch\nstate = torch.load(ckpt_path, map_location=\"cpu\", weights_only=True)\n");
  CHECK(fixed("import torch as T\nstate = T.load(\n    ckpt_path,\n)\n") ==
        "import torch as T\nstate = T.load(\n    ckpt_path, weights_only=True,\n)\n");
}

TEST_CASE("ML708 fix: none for weights_only=False or pickle loads", "[rules][fix]") {
  auto a = ml708("import torch\nm = torch.load(p, weights_only=False)\n");
  REQUIRE(a.size() == 1);
  CHECK_FALSE(a[0].fix.has_value());
  auto b = ml708("import pickle\nm = pickle.load(f)\n");
  REQUIRE(b.size() == 1);
  CHECK_FALSE(b[0].fix.has_value());
}
