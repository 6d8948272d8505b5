// The syntax layer: RAII parsing, cursor-based children, and the guards against tree-sitter
// 0.20.7's failure modes on long comment runs.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "analysis/analyzer.hpp"
#include "analysis/syntax/tree.hpp"

using mlroast::syntax::Parser;

TEST_CASE("children() lists named children in order", "[syntax]") {
  Parser p;
  std::string text = "a = 1\n# note\nb = [1, 2, 3]\nprint(a, b)\n";
  auto tree = p.parse(text);
  auto kids = mlroast::syntax::children(tree.root());
  REQUIRE(kids.size() == 4);
  CHECK(kids[0].kind() == "expression_statement");
  CHECK(kids[1].kind() == "comment");
  CHECK(kids[3].text(text) == "print(a, b)");
  CHECK(mlroast::syntax::children(tree.root(), false).size() == 4);
  CHECK(mlroast::syntax::children(mlroast::syntax::Node()).empty());
  // Iterating skips unnamed children (the brackets and commas of an argument list), and the
  // range converts to the vector it used to be.
  const mlroast::syntax::Node args = kids[3].child(0).field("arguments");
  std::vector<std::string> named, all;
  for (mlroast::syntax::Node c : mlroast::syntax::children(args)) named.emplace_back(c.text(text));
  for (mlroast::syntax::Node c : mlroast::syntax::children(args, false)) all.emplace_back(c.text(text));
  CHECK(named == std::vector<std::string>{"a", "b"});
  CHECK(all == std::vector<std::string>{"(", "a", ",", "b", ")"});
  const std::vector<mlroast::syntax::Node> kept = mlroast::syntax::children(args);
  REQUIRE(kept.size() == 2);
  CHECK(kept[1].text(text) == "b");
  CHECK(mlroast::syntax::children(args)[1].text(text) == "b");
  int none = 0;
  for (mlroast::syntax::Node c : mlroast::syntax::children(mlroast::syntax::Node())) none += c ? 1 : 0;
  CHECK(none == 0);
}

TEST_CASE("70,000 consecutive comment lines parse without corrupting memory", "[syntax]") {
  std::string text = "import pickle\n";
  for (int i = 0; i < 70000; ++i) text += "# generated log line\n";
  text += "try:\n    x = 1\nexcept:\n    pass\n";
  Parser p;
  auto tree = p.parse(text);
  REQUIRE(tree.valid());
  CHECK_FALSE(tree.root().has_error());
  // The code after the run is still analysed, at its real position.
  auto findings = mlroast::analyze_text("gen.py", text, mlroast::RuleSelection{});
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].code == "ML703");
  CHECK(findings[0].range.start.row == 70003);
}

TEST_CASE("comments kept before the blanking limit still carry noqa", "[syntax]") {
  std::string text = "def f():\n    x = 1\n";
  for (int i = 0; i < 5000; ++i) text += "    # note\n";
  text += "    try:\n        x = 2\n    except:  # noqa: ML703\n        pass\n    return x\n";
  auto findings = mlroast::analyze_text("f.py", text, mlroast::RuleSelection{});
  CHECK(findings.empty());
}
