// A Parser's result must not depend on what it parsed before. The grammar's external scanner
// kept `inside_f_string` set after a parse that stopped inside an f-string, and withheld the
// dedents of nested blocks in the next parse by the same parser (fixed in
// analysis/syntax/python_scanner.c). The document store keeps one parser per store and the
// batch check one per thread, so text typed half-way in one place changed the tree elsewhere.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "analysis/syntax/tree.hpp"

using mlroast::syntax::Parser;

namespace {

// Texts that stop inside an f-string: what an editor sends while `f"...` is being typed.
const std::vector<std::string> kUnfinished = {
    "s = f\"{x\n",
    "s = f'{x}\n",
    "label = f\"accuracy: {acc:.3f\n",
    "s = f'''{x\n",
    "print(f\"{a!r:>{w}}\n",
    "if f'{x:\n",
    "f\"\"\"\n{x}\n",
    "s = f'{x}' f'{\n",
};

// Valid code with dedents inside one top-level statement, and a file of several statements.
const std::vector<std::string> kValid = {
    "if a:\n    if b:\n        c = 1\n    d = 2\n",
    "for epoch in range(10):\n    for batch in loader:\n        loss = step(batch)\n"
    "    print(f\"epoch {epoch}: {loss:.4f}\")\n",
    "def train(model, X, y):\n    if model is None:\n        model = make()\n"
    "    model.fit(X, y)\n    return model\n\nscore = train(None, X, y)\n",
    "try:\n    import torch\nexcept ImportError:\n    torch = None\n",
};

}  // namespace

TEST_CASE("a parse does not depend on an unfinished f-string parsed before it",
          "[syntax][parser]") {
  for (const std::string& valid : kValid) {
    Parser fresh;
    const std::string expected = fresh.parse(valid).root().sexp();
    REQUIRE(expected.find("ERROR") == std::string::npos);
    for (const std::string& unfinished : kUnfinished) {
      Parser reused;
      (void)reused.parse(unfinished);
      INFO("after parsing " << unfinished);
      CHECK(reused.parse(valid).root().sexp() == expected);
    }
  }
}

TEST_CASE("the whole-text fallback does not depend on what the parser saw before",
          "[syntax][parser]") {
  // A statement with a syntax error makes the parser parse the whole text at once.
  const std::string broken = "if a:\n    if b:\n        c = 1\n    d = (2\n";
  Parser fresh;
  const std::string expected = fresh.parse(broken).root().sexp();
  for (const std::string& unfinished : kUnfinished) {
    Parser reused;
    (void)reused.parse(unfinished);
    INFO("after parsing " << unfinished);
    CHECK(reused.parse(broken).root().sexp() == expected);
  }
}
