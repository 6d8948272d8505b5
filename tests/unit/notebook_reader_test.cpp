// Reading .ipynb files and masking IPython syntax: every byte keeps its place, magics and shell
// escapes become blanks, cell magics with non-Python bodies are skipped, and broken notebooks
// come back as clear error values.
#include <catch2/catch.hpp>

#include "analysis/notebook/ipython_mask.hpp"
#include "analysis/notebook/reader.hpp"
#include "analysis/syntax/tree.hpp"

using namespace mlroast::notebook;

namespace {

bool parses(const std::string& text) {
  mlroast::syntax::Parser p;
  return !p.parse(text).root().has_error();
}

}  // namespace

TEST_CASE("read_notebook reads code, markdown and raw cells of nbformat 4", "[notebook][reader]") {
  const std::string text = R"NB({
 "cells": [
  {"cell_type": "markdown", "metadata": {}, "source": ["# Churn\n", "First look."]},
  {"cell_type": "code", "execution_count": 3, "metadata": {}, "outputs": [],
   "source": ["import pandas as pd\n", "df = pd.read_csv(\"churn.csv\")"]},
  {"cell_type": "raw", "metadata": {}, "source": "raw text"},
  {"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [], "source": "df.head()"}
 ],
 "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
 "nbformat": 4, "nbformat_minor": 5
})NB";
  ReadResult r = read_notebook(text);
  REQUIRE(r.notebook);
  CHECK(r.error.empty());
  const Notebook& nb = *r.notebook;
  CHECK(nb.nbformat == 4);
  CHECK(nb.nbformat_minor == 5);
  CHECK(nb.language == "python");
  REQUIRE(nb.cells.size() == 4);
  CHECK(nb.cells[0].type == CellType::Markdown);
  CHECK(nb.cells[1].type == CellType::Code);
  CHECK(nb.cells[1].source == "import pandas as pd\ndf = pd.read_csv(\"churn.csv\")");
  CHECK_FALSE(nb.cells[1].source_is_string);
  CHECK(nb.cells[1].execution_count == 3);
  CHECK(nb.cells[2].type == CellType::Raw);
  // nbformat's multiline_string allows one string as well as a list of lines.
  CHECK(nb.cells[3].source == "df.head()");
  CHECK(nb.cells[3].source_is_string);
  CHECK_FALSE(nb.cells[3].execution_count.has_value());
  CHECK(nb.cells[3].language == "python");
}

TEST_CASE("read_notebook explains what is wrong with a broken notebook", "[notebook][reader]") {
  SECTION("broken JSON") {
    ReadResult r = read_notebook("{\"cells\": [ {\"cell_type\": \"code\", ");
    CHECK_FALSE(r.notebook);
    CHECK(r.error.find("broken JSON") != std::string::npos);
    CHECK(r.error.find("line 1") != std::string::npos);
  }
  SECTION("a number too large for a double") {  // found by rpc_fuzz in the Dispatcher
    ReadResult r;
    CHECK_NOTHROW(r = read_notebook(R"NB({"cells": [], "x": 1e999, "nbformat": 4})NB"));
    CHECK_FALSE(r.notebook);
    CHECK(r.error.find("broken JSON (number overflow") != std::string::npos);
  }
  SECTION("missing cells") {
    ReadResult r = read_notebook(R"NB({"metadata": {}, "nbformat": 4, "nbformat_minor": 2})NB");
    CHECK_FALSE(r.notebook);
    CHECK(r.error == "not a valid notebook: it has no `cells` list");
  }
  SECTION("cells is not a list") {
    ReadResult r = read_notebook(R"NB({"cells": {}, "nbformat": 4})NB");
    CHECK(r.error == "not a valid notebook: `cells` is an object, expected a list");
  }
  SECTION("source of the wrong type") {
    ReadResult r = read_notebook(
        R"NB({"cells": [{"cell_type": "code", "source": []}, {"cell_type": "code", "source": 42}], "nbformat": 4})NB");
    CHECK(r.error ==
          "not a valid notebook: cell 2: `source` is a number, expected a string or a list of strings");
  }
  SECTION("a line of source that is not a string") {
    ReadResult r = read_notebook(
        R"NB({"cells": [{"cell_type": "code", "source": ["x = 1\n", null]}], "nbformat": 4})NB");
    CHECK(r.error == "not a valid notebook: cell 1: `source` line 2 is null, expected a string");
  }
  SECTION("no source") {
    ReadResult r = read_notebook(R"NB({"cells": [{"cell_type": "code"}], "nbformat": 4})NB");
    CHECK(r.error == "not a valid notebook: cell 1: no `source`");
  }
  SECTION("not an object") {
    CHECK(read_notebook("[1, 2]").error ==
          "not a valid notebook: the top level is a list, expected an object");
  }
  SECTION("nbformat 3") {
    ReadResult r = read_notebook(
        R"NB({"worksheets": [{"cells": [{"cell_type": "code", "input": ["x = 1"]}]}], "nbformat": 3, "nbformat_minor": 0})NB");
    CHECK_FALSE(r.notebook);
    CHECK(r.error.find("nbformat 3 notebooks are not supported") == 0);
    CHECK(r.error.find("jupyter nbconvert --to notebook") != std::string::npos);
  }
}

TEST_CASE("read_notebook takes a cell's own language over the kernel's", "[notebook][reader]") {
  ReadResult r = read_notebook(R"NB({"cells": [
    {"cell_type": "code", "metadata": {"vscode": {"languageId": "sql"}}, "source": "SELECT 1"},
    {"cell_type": "code", "metadata": {}, "source": "x = 1"}],
    "metadata": {"language_info": {"name": "Python"}}, "nbformat": 4, "nbformat_minor": 4})NB");
  REQUIRE(r.notebook);
  CHECK(r.notebook->cells[0].language == "sql");
  CHECK(r.notebook->cells[1].language == "python");
  CHECK(is_python_language("python3"));
  CHECK(is_python_language(""));
  CHECK_FALSE(is_python_language("r"));
}

TEST_CASE("mask_ipython blanks line magics and shell escapes in place", "[notebook][mask]") {
  const std::string src =
      "%matplotlib inline\n"
      "!pip install -q lightgbm\n"
      "import pandas as pd\n"
      "files = !ls data/*.csv\n"
      "t = %timeit -o pd.read_csv('a.csv')\n"
      "for f in files:\n"
      "    !wc -l {f}\n"
      "df = pd.read_csv(files[0])\n";
  MaskedCell m = mask_ipython(src);
  REQUIRE(m.text.size() == src.size());
  CHECK_FALSE(m.skipped);
  CHECK(m.text ==
        "                  \n"
        "                        \n"
        "import pandas as pd\n"
        "files = 0             \n"
        "t = 0                              \n"
        "for f in files:\n"
        "    0         \n"
        "df = pd.read_csv(files[0])\n");
  CHECK(parses(m.text));
}

TEST_CASE("mask_ipython blanks help syntax but not question marks in strings or comments",
          "[notebook][mask]") {
  const std::string src =
      "df.merge?\n"
      "??np.where\n"
      "pd.DataFrame.pivot_table??\n"
      "print(\"why?\")\n"
      "x = 1  # really?\n";
  MaskedCell m = mask_ipython(src);
  CHECK(m.text ==
        "         \n"
        "          \n"
        "                          \n"
        "print(\"why?\")\n"
        "x = 1  # really?\n");
  CHECK(parses(m.text));
}

TEST_CASE("mask_ipython blanks automagic pip/conda/cd lines but not Python using those names",
          "[notebook][mask]") {
  const std::string src =
      "pip install pandas scikit-learn\n"
      "conda install -y lightgbm\n"
      "cd ~/data\n"
      "pip = 3\n"
      "cd = pip + 1\n"
      "print(cd)\n";
  MaskedCell m = mask_ipython(src);
  CHECK(m.text ==
        "                               \n"
        "                         \n"
        "         \n"
        "pip = 3\n"
        "cd = pip + 1\n"
        "print(cd)\n");
  CHECK(parses(m.text));
}

TEST_CASE("mask_ipython keeps the Python body of %%time and %%capture", "[notebook][mask]") {
  MaskedCell t = mask_ipython("%%time\nmodel.fit(X_train, y_train)\n");
  CHECK_FALSE(t.skipped);
  CHECK(t.text == "      \nmodel.fit(X_train, y_train)\n");

  MaskedCell c = mask_ipython("\n%%capture --no-stderr fit_log\nhistory = model.fit(X, y)\n");
  CHECK_FALSE(c.skipped);
  CHECK(c.text == "\n                             \nhistory = model.fit(X, y)\n");
  CHECK(c.binds == std::vector<std::string>{"fit_log"});
}

TEST_CASE("mask_ipython skips cells whose cell magic body is not Python", "[notebook][mask]") {
  for (const char* src : {"%%bash\nls -la data/\nwc -l data/*.csv\n",
                          "%%sql\nSELECT customer_id, churned FROM customers\n",
                          "%%writefile train.py\nimport pandas as pd\n"}) {
    MaskedCell m = mask_ipython(src);
    CHECK(m.skipped);
    CHECK(m.skip_reason.starts_with("%%"));
  }
  CHECK(mask_ipython("%%bash\nls\n").skip_reason == "%%bash cell");
}

TEST_CASE("mask_ipython leaves magic-looking lines inside strings and brackets alone",
          "[notebook][mask]") {
  const std::string src =
      "query = \"\"\"\n"
      "%(table)s\n"
      "!important\n"
      "\"\"\"\n"
      "cols = [\n"
      "    'a',\n"
      "]\n"
      "ratio = (a\n"
      "         % b)\n"
      "total = a + \\\n"
      "    b\n";
  MaskedCell m = mask_ipython(src);
  CHECK(m.text == src);
}

TEST_CASE("mask_ipython records magics that bind names it cannot see", "[notebook][mask]") {
  CHECK(mask_ipython("%run prepare_features.py\n").binds_unknown);
  CHECK(mask_ipython("%store -r X_train\n").binds_unknown);
  CHECK_FALSE(mask_ipython("%load_ext autoreload\n%autoreload 2\n").binds_unknown);
}
