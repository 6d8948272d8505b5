// statement_starts(): where the parser cuts a text into top-level statements. A cut inside a
// statement would change the tree (the node-by-node comparison in syntax_flat_tree_test would
// catch it on the fixtures); these cases pin the scanner's rules one by one.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "analysis/syntax/statements.hpp"
#include "analysis/syntax/tree.hpp"

using mlroast::syntax::statement_starts;
using Starts = std::vector<uint32_t>;

namespace {
// The first line of each statement, for readable expectations.
std::vector<std::string> heads(const std::string& text) {
  std::vector<std::string> out;
  for (uint32_t s : statement_starts(text)) out.push_back(text.substr(s, text.find('\n', s) - s));
  return out;
}
}  // namespace

TEST_CASE("statement starts: one per top-level statement, comments stay with the one before",
          "[syntax][statements]") {
  std::string text =
      "# header comment\n"
      "import pandas as pd\n"
      "\n"
      "df = pd.read_csv('train.csv')  # load\n"
      "# a comment between statements\n"
      "def clean(frame):\n"
      "    frame = frame.dropna()\n"
      "# a column-0 comment inside the body\n"
      "    return frame\n"
      "\n"
      "X = clean(df)\n";
  CHECK(heads(text) == std::vector<std::string>{"# header comment", "df = pd.read_csv('train.csv')  # load",
                                                "def clean(frame):", "X = clean(df)"});
  CHECK(statement_starts("").size() == 1);
  CHECK(statement_starts("x = 1").size() == 1);
}

TEST_CASE("statement starts: brackets, strings and continuations never cut", "[syntax][statements]") {
  std::string text =
      "params = {\n"
      "'max_depth': 4,\n"
      "}\n"
      "doc = \"\"\"\n"
      "import os\n"
      "x = 'not code'\n"
      "\"\"\"\n"
      "total = 1 + \\\n"
      "2\n"
      "s = 'it''s'  # two literals\n"
      "t = 'unterminated\n"
      "u = f\"{params['max_depth']}\"\n";
  CHECK(heads(text) == std::vector<std::string>{"params = {", "doc = \"\"\"", "total = 1 + \\",
                                                "s = 'it''s'  # two literals", "t = 'unterminated",
                                                "u = f\"{params['max_depth']}\""});
}

TEST_CASE("statement starts: decorators and else/elif/except/finally continue a statement",
          "[syntax][statements]") {
  std::string text =
      "@dataclass\n"
      "# comment between decorator and class\n"
      "@frozen\n"
      "class Config:\n"
      "    seed: int = 0\n"
      "try:\n"
      "    import torch\n"
      "except ImportError:\n"
      "    torch = None\n"
      "else:\n"
      "    pass\n"
      "finally:\n"
      "    pass\n"
      "if a:\n"
      "    pass\n"
      "elif b:\n"
      "    pass\n"
      "else_value = 3\n";
  CHECK(heads(text) == std::vector<std::string>{"@dataclass", "try:", "if a:", "else_value = 3"});
}

TEST_CASE("a reparse after an edit gives the tree a fresh parse gives", "[syntax][statements]") {
  mlroast::syntax::Parser parser;
  std::string before = "import numpy as np\nx = np.ones(3)\ndef f(a):\n    return a\ny = f(x)\n";
  auto old = parser.parse(before);
  // Edit inside the second statement, then break the third (a syntax error: whole-text parse),
  // then repair it (statement by statement again).
  for (const std::string& after : {std::string("import numpy as np\nxs = np.ones(3)\ndef f(a):\n    return a\ny = f(x)\n"),
                            std::string("import numpy as np\nxs = np.ones(3)\ndef f(a:\n    return a\ny = f(x)\n"),
                            std::string("import numpy as np\nxs = np.ones(3)\ndef f(a, b):\n    return a\ny = f(x)\n")}) {
    auto next = parser.parse(after, &old);
    CHECK(next.root().sexp() == mlroast::syntax::Parser().parse(after).root().sexp());
    CHECK(next.root().end_byte() == after.size());
    old = std::move(next);
  }
}
