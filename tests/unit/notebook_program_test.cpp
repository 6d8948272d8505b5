// The virtual program of a notebook: code cells joined with exact byte maps both ways, cells that
// are not analysed left out (and said why), and fixed sources spliced back into the JSON text.
#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>
#include <regex>
#include <string>
#include <vector>

#include "analysis/notebook/analyze.hpp"
#include "analysis/notebook/reader.hpp"
#include "analysis/notebook/virtual_program.hpp"
#include "analysis/notebook/writer.hpp"

using namespace mlroast::notebook;

namespace {

Cell code(std::string source, std::optional<std::int64_t> count = std::nullopt) {
  Cell c;
  c.type = CellType::Code;
  c.source = std::move(source);
  c.execution_count = count;
  return c;
}

Cell markdown(std::string source) {
  Cell c;
  c.type = CellType::Markdown;
  c.source = std::move(source);
  return c;
}

}  // namespace

TEST_CASE("the virtual program joins code cells and maps every byte back", "[notebook][program]") {
  Notebook nb;
  nb.cells = {markdown("# Churn model\n"), code("%matplotlib inline\nimport pandas as pd", 1),
              code("%%bash\nls data\n", 2), code("df = pd.read_csv('c.csv')\ndf.head()\n", 3),
              code("model.fit(X_train, y_train\n", 4), code("print(df.shape)", 5)};
  VirtualProgram p(nb);
  CHECK(p.text() ==
        "                  \nimport pandas as pd\n"
        "df = pd.read_csv('c.csv')\ndf.head()\n\n"
        "print(df.shape)\n");
  REQUIRE(p.segments().size() == 3);
  CHECK(p.segments()[0].cell == 1);
  CHECK(p.segments()[1].cell == 3);
  CHECK(p.segments()[2].cell == 5);
  CHECK(p.segments()[1].first_row == 2);
  CHECK(p.segments()[2].execution_count == 5);
  REQUIRE(p.skipped().size() == 2);
  CHECK(p.skipped()[0].cell == 2);
  CHECK(p.skipped()[0].reason == "%%bash cell");
  CHECK(p.skipped()[1].cell == 4);
  CHECK(p.skipped()[1].reason == "syntax error");  // its unclosed `(` would swallow cell 6

  // Every byte of every segment maps to its cell and back.
  for (const Segment& s : p.segments()) {
    std::string_view src = p.cell_source(s.cell);
    for (std::uint32_t off = 0; off <= s.length; ++off) {
      auto at = p.locate(s.start + off);
      REQUIRE(at);
      CHECK(at->cell == s.cell);
      CHECK(at->offset == off);
      CellPosition expect = position_in(src, off);
      CHECK(at->line == expect.line);
      CHECK(at->column == expect.column);
      CHECK(p.to_program(s.cell, at->line, at->column) == s.start + off);
      CHECK(p.to_program(s.cell, off) == s.start + off);
    }
  }
  // "df.head()" in cell 4 (index 3) is line 1, column 0.
  auto head = p.locate(static_cast<std::uint32_t>(p.text().find("df.head")));
  REQUIRE(head);
  CHECK(head->cell == 3);
  CHECK(head->line == 1);
  CHECK(head->column == 0);
  CHECK_FALSE(p.locate(static_cast<std::uint32_t>(p.text().size()) + 1));
  CHECK_FALSE(p.to_program(2, 0, 0));  // the %%bash cell is not in the program
  CHECK(p.to_program(3, 9, 9) == p.segments()[1].start + p.segments()[1].length);  // clamps
}

TEST_CASE("a syntax error that stays inside its cell keeps the cell in the program",
          "[notebook][program]") {
  Notebook nb;
  nb.cells = {code("import pandas as pd\n"), code("df = pd.read_csv('a.csv')\nthreshold = = 0.5\n"),
              code("X = df.drop(columns=['y'])\n")};
  VirtualProgram p(nb);
  CHECK(p.skipped().empty());
  CHECK(p.segments().size() == 3);
  CHECK(p.tree().root().has_error());
}

TEST_CASE("cells in other languages are left out of the program", "[notebook][program]") {
  Notebook nb;
  Cell r = code("library(dplyr)\n");
  r.language = "r";
  nb.cells = {r, code("x = 1\n")};
  VirtualProgram p(nb);
  CHECK(p.text() == "x = 1\n\n");
  REQUIRE(p.skipped().size() == 1);
  CHECK(p.skipped()[0].reason == "language r");
}

TEST_CASE("replace_sources splices new cell sources into the JSON text", "[notebook][writer]") {
  const std::string text =
      "{\n"
      " \"cells\": [\n"
      "  {\n"
      "   \"cell_type\": \"code\",\n"
      "   \"execution_count\": 1,\n"
      "   \"metadata\": {\"tags\": [\"setup\"]},\n"
      "   \"outputs\": [{\"name\": \"stdout\", \"output_type\": \"stream\", \"text\": [\"\\u001b[1mok\\n\"]}],\n"
      "   \"source\": [\n"
      "    \"import json\\n\",\n"
      "    \"def f(x={}):\\n\",\n"
      "    \"    return x\"\n"
      "   ]\n"
      "  },\n"
      "  {\n"
      "   \"cell_type\": \"code\",\n"
      "   \"source\": \"y = 'caf\xc3\xa9'\",\n"
      "   \"metadata\": {}\n"
      "  },\n"
      "  {\"cell_type\": \"code\", \"source\": [], \"metadata\": {}}\n"
      " ],\n"
      " \"metadata\": {},\n"
      " \"nbformat\": 4,\n"
      " \"nbformat_minor\": 5\n"
      "}\n";
  REQUIRE(read_notebook(text).notebook);
  auto spans = source_spans(text);
  REQUIRE(spans);
  REQUIRE(spans->size() == 3);
  CHECK(text.substr((*spans)[1].begin, (*spans)[1].end - (*spans)[1].begin) ==
        "\"y = 'caf\xc3\xa9'\"");

  std::string error;
  auto out = replace_sources(
      text,
      {{0, "import json\ndef f(x=None):\n    \"\"\"Doc.\"\"\"\n    return x", false},
       {1, "y = \"caf\xc3\xa9\"\n", true},
       {2, "z = 2\n", false}},
      error);
  REQUIRE(out);
  CHECK(error.empty());
  CHECK(*out ==
        "{\n"
        " \"cells\": [\n"
        "  {\n"
        "   \"cell_type\": \"code\",\n"
        "   \"execution_count\": 1,\n"
        "   \"metadata\": {\"tags\": [\"setup\"]},\n"
        "   \"outputs\": [{\"name\": \"stdout\", \"output_type\": \"stream\", \"text\": [\"\\u001b[1mok\\n\"]}],\n"
        "   \"source\": [\n"
        "    \"import json\\n\",\n"
        "    \"def f(x=None):\\n\",\n"
        "    \"    \\\"\\\"\\\"Doc.\\\"\\\"\\\"\\n\",\n"
        "    \"    return x\"\n"
        "   ]\n"
        "  },\n"
        "  {\n"
        "   \"cell_type\": \"code\",\n"
        "   \"source\": \"y = \\\"caf\xc3\xa9\\\"\\n\",\n"
        "   \"metadata\": {}\n"
        "  },\n"
        "  {\"cell_type\": \"code\", \"source\": [\n"
        "   \"z = 2\\n\"\n"
        "  ], \"metadata\": {}}\n"
        " ],\n"
        " \"metadata\": {},\n"
        " \"nbformat\": 4,\n"
        " \"nbformat_minor\": 5\n"
        "}\n");
  auto again = read_notebook(*out);
  REQUIRE(again.notebook);
  CHECK(again.notebook->cells[0].source ==
        "import json\ndef f(x=None):\n    \"\"\"Doc.\"\"\"\n    return x");
  CHECK(again.notebook->cells[1].source_is_string);
}

TEST_CASE("cell_edits maps fixes into cells and refuses those that would break IPython syntax",
          "[notebook][program]") {
  Notebook nb;
  nb.cells = {code("%%time\nx = 1\n"), code("%matplotlib inline\ny = 2\n")};
  VirtualProgram p(nb);
  const std::uint32_t c2 = p.segments()[1].start;
  auto edits = [&](std::uint32_t b, std::uint32_t e, std::string r) {
    return cell_edits(p, mlroast::Fix{"t", mlroast::Applicability::Safe, {{b, e, std::move(r)}}});
  };
  auto ok = edits(7, 8, "z");  // `x` in cell 1
  REQUIRE(ok);
  CHECK(ok->at(0).cell == 0);
  CHECK(ok->at(0).start == 7);
  CHECK(ok->at(0).end == 8);
  CHECK(edits(7, 7, "import numpy as np\n"));   // below the cell magic: fine
  CHECK_FALSE(edits(0, 0, "import numpy as np\n"));  // above %%time: the magic would break
  CHECK(edits(c2, c2, "import numpy as np\n"));      // above a line magic: fine
  CHECK_FALSE(edits(c2 + 3, c2 + 3, "x"));             // inside the masked line
  CHECK_FALSE(edits(c2 + 1, c2 + 5, ""));              // replaces masked bytes
  CHECK_FALSE(edits(9, c2 + 2, ""));                   // crosses from cell 1 into cell 2
}

TEST_CASE("replace_sources refuses absurdly nested JSON instead of overflowing the stack",
          "[notebook][writer]") {
  std::string deep = "{\"cells\": [{\"cell_type\": \"code\", \"source\": \"x\", \"metadata\": ";
  deep += std::string(100000, '[') + std::string(100000, ']') + "}], \"nbformat\": 4}";
  std::string error;
  CHECK_FALSE(replace_sources(deep, {{0, "y", true}}, error));
  CHECK(error == "cannot find the cells' `source` fields in the notebook text");
}

// Found by fuzz/notebook_fuzz.cpp: the JSON reader decodes escaped keys and keeps the last of
// duplicated ones, so the writer must find the same `cells` and `source` values, or a fix would be
// spliced into another cell's source (or refused for a notebook that reads fine).
TEST_CASE("source_spans finds the values read_notebook read, whatever the keys look like",
          "[notebook][writer]") {
  auto source_at = [](const std::string& text, std::size_t cell) {
    auto spans = source_spans(text);
    REQUIRE(spans);
    REQUIRE(cell < spans->size());
    return text.substr((*spans)[cell].begin, (*spans)[cell].end - (*spans)[cell].begin);
  };
  SECTION("a repeated `cells` key: the last list counts") {
    const std::string text =
        "{\"cells\": [{\"cell_type\": \"code\", \"source\": \"a = 1\"}, 7], "
        "\"cells\": [{\"cell_type\": \"code\", \"source\": \"b = 2\"}], \"nbformat\": 4}";
    REQUIRE(read_notebook(text).notebook->cells.at(0).source == "b = 2");
    auto spans = source_spans(text);
    REQUIRE(spans);
    CHECK(spans->size() == 1);
    CHECK(source_at(text, 0) == "\"b = 2\"");
    std::string error;
    auto out = replace_sources(text, {{0, "c = 3", true}}, error);
    REQUIRE(out);
    CHECK(read_notebook(*out).notebook->cells.at(0).source == "c = 3");
  }
  SECTION("an earlier `cells` that is not a list") {
    const std::string text =
        "{\"cells\": 1, \"cells\": [{\"cell_type\": \"code\", \"source\": [\"b\"]}], "
        "\"nbformat\": 4}";
    REQUIRE(read_notebook(text).notebook);
    CHECK(source_at(text, 0) == "[\"b\"]");
  }
  SECTION("escaped keys") {
    const std::string text =
        "{\"c\\u0065lls\": [{\"cell_type\": \"code\", \"sour\\u0063e\": \"x = 1\", "
        "\"source\": \"unused\", \"\\u0073ource\": \"y = 2\"}], \"nbformat\": 4}";
    REQUIRE(read_notebook(text).notebook->cells.at(0).source == "y = 2");
    CHECK(source_at(text, 0) == "\"y = 2\"");
  }
}

TEST_CASE("a deeply nested cell does not exhaust the stack", "[notebook][program]") {
  Notebook nb;
  nb.cells = {code("y = f(x)\n", 2),
              code("x = " + std::string(10000, '(') + "1" + std::string(10000, ')') + "\n", 1)};
  VirtualProgram p(nb);
  std::vector<mlroast::Finding> findings;
  CHECK_NOTHROW(findings = analyze_program("deep.ipynb", p, mlroast::RuleSelection{}));
  CHECK(findings.size() == 2);  // counts out of order; `x` used before the cell defining it
}

TEST_CASE("split_lines keeps each line's newline", "[notebook][writer]") {
  CHECK(split_lines("a\nb\n") == std::vector<std::string>{"a\n", "b\n"});
  CHECK(split_lines("a\n\nb") == std::vector<std::string>{"a\n", "\n", "b"});
  CHECK(split_lines("").empty());
}

TEST_CASE("a program built from the previous program's tree equals one built from scratch",
          "[notebook][program]") {
  Notebook nb;
  nb.cells = {code("import pandas as pd\nfrom sklearn.preprocessing import StandardScaler", 1),
              code("df = pd.read_csv('churn.csv')\nX = df.drop(columns=['churn'])", 2),
              code("X = StandardScaler().fit_transform(X)", 3)};
  VirtualProgram first(nb);
  // An edit inside one cell, a cell that breaks (the whole program is then parsed at once), the
  // repair, and a cell inserted in the middle: each built from the previous tree.
  std::vector<std::pair<std::uint32_t, std::string>> steps{
      {1, "df = pd.read_csv('churn_2024.csv')\nX = df.drop(columns=['churn'])"},
      {2, "X = StandardScaler().fit_transform(X"},
      {2, "X = StandardScaler().fit_transform(X)\nprint(X.shape)"}};
  const mlroast::syntax::Tree* previous = &first.tree();
  std::vector<std::unique_ptr<VirtualProgram>> programs;
  for (const auto& [cell, source] : steps) {
    nb.cells[cell].source = source;
    programs.push_back(std::make_unique<VirtualProgram>(nb, previous));
    VirtualProgram fresh(nb);
    CHECK(programs.back()->text() == fresh.text());
    CHECK(programs.back()->tree().root().sexp() == fresh.tree().root().sexp());
    previous = &programs.back()->tree();
  }
  nb.cells.insert(nb.cells.begin() + 1, code("df = df.dropna()", 4));
  VirtualProgram inserted(nb, previous), fresh(nb);
  CHECK(inserted.tree().root().sexp() == fresh.tree().root().sexp());
  CHECK(inserted.tree().root().end_byte() == fresh.tree().root().end_byte());
}

namespace {
// cell_lines() as it was written with std::regex: the hand-written scanner must agree with it.
std::string cell_lines_by_regex(const VirtualProgram& program, const std::string& message) {
  static const std::regex kLine(R"(\bline (\d{1,9})\b)");
  std::string out;
  std::size_t last = 0;
  for (auto it = std::sregex_iterator(message.begin(), message.end(), kLine);
       it != std::sregex_iterator(); ++it) {
    const std::smatch& m = *it;
    const auto line = static_cast<std::uint32_t>(std::stoul(m[1].str()));
    if (line == 0) continue;
    const std::uint32_t row = line - 1;
    const auto& segs = program.segments();
    auto seg = std::upper_bound(segs.begin(), segs.end(), row,
                                [](std::uint32_t r, const Segment& s) { return r < s.first_row; });
    if (seg == segs.begin()) continue;
    --seg;
    out += message.substr(last, static_cast<std::size_t>(m.position(0)) - last);
    out += "cell " + std::to_string(seg->cell + 1) + ", line " +
           std::to_string(row - seg->first_row + 1);
    last = static_cast<std::size_t>(m.position(0) + m.length(0));
  }
  return last == 0 ? message : out + message.substr(last);
}
}  // namespace

TEST_CASE("messages name cell lines, not program lines", "[notebook][program]") {
  Notebook nb;
  nb.cells = {markdown("# Churn\n"), code("import pandas as pd\ndf = pd.read_csv('x.csv')\n"),
              code("X = df.drop(columns=['y'])\ny = df['y']\nX_s = X / X.max()\n"),
              code("%time\nfit(X_s)\n")};
  VirtualProgram program(nb);
  // Each cell's lines are followed by one separator line in the program.
  CHECK(cell_lines(program, "split into train/test at line 5") ==
        "split into train/test at cell 3, line 2");
  CHECK(cell_lines(program, "line 1 and line 4, then line 9.") ==
        "cell 2, line 1 and cell 3, line 1, then cell 4, line 2.");
  for (std::string m :
       {"", "no lines here", "line 0 is not a line", "pipeline 3 is not either", "line 3x",
        "line_3", "(line 2)", "line 1234567890 has ten digits", "line 123456789 has nine",
        "line 99 past the end", "at line 3", "lines 3 and line", "line  3", "xline 2 line 2",
        "\nline 6\n", "line 2line 3", "line 06"}) {
    CAPTURE(m);
    CHECK(cell_lines(program, m) == cell_lines_by_regex(program, m));
  }
}
