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

namespace {
// `text` cut at its statement starts, as the parser keeps it.
std::vector<std::string> pieces(const std::string& text) {
  std::vector<std::string> out;
  const Starts starts = statement_starts(text);
  for (size_t k = 0; k < starts.size(); ++k) {
    const size_t end = k + 1 < starts.size() ? starts[k + 1] : text.size();
    out.push_back(text.substr(starts[k], end - starts[k]));
  }
  return out;
}
}  // namespace

// The keystroke path: statement_starts(text, old pieces) scans only around the change. Every
// one-byte insertion and deletion at every offset of a text full of the scanner's cases (a
// decorator, else/except, strings of both kinds, brackets, a continuation, comments) must give
// the starts a full scan gives, including edits that open or close a string or a bracket (the
// rest of the file changes meaning) and ones that make a line continue the statement before.
TEST_CASE("statement starts after an edit: the incremental scan gives the full scan's starts",
          "[syntax][statements]") {
  const std::string text =
      "import os\n"
      "@decorator(x)\n"
      "def f(a,\n"
      "      b):\n"
      "    return '''doc\n"
      "x = 1'''\n"
      "# comment\n"
      "if a:\n"
      "    pass\n"
      "else:\n"
      "    y = [1,\n"
      "2]\n"
      "z = \"s#\" + \\\n"
      "    3\n"
      "try:\n"
      "    w = {'k': (1)}\n"
      "except E:\n"
      "    pass\n"
      "v = 2\n";
  const std::vector<std::string> kept = pieces(text);
  const std::vector<std::string_view> old(kept.begin(), kept.end());
  size_t checked = 0;
  for (size_t at = 0; at <= text.size(); ++at) {
    std::vector<std::string> edited;
    if (at < text.size()) edited.push_back(text.substr(0, at) + text.substr(at + 1));
    for (const char c : std::string("x\n'\"()[\\#@ e"))
      edited.push_back(text.substr(0, at) + c + text.substr(at));
    edited.push_back(text.substr(0, at) + "else:" + text.substr(at));
    for (const std::string& after : edited) {
      INFO("edit at byte " << at << ":\n" << after);
      REQUIRE(statement_starts(after, old) == statement_starts(after));
      ++checked;
    }
  }
  CHECK(checked > 2000);
  // Unchanged, emptied, and from an unrelated text.
  CHECK(statement_starts(text, old) == statement_starts(text));
  CHECK(statement_starts("", old) == statement_starts(""));
  CHECK(statement_starts("a = 1\nb = 2\n", old) == statement_starts("a = 1\nb = 2\n"));
}
