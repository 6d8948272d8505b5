// Reading Jupyter notebooks (.ipynb, nbformat 4.x): the JSON document becomes a list of cells
// with their type, source text, execution count and language. Nothing is executed or imported.
// Every problem is a value: read_notebook never throws, and an unreadable notebook comes back as
// an error message that names what is wrong ("not valid JSON at byte 812: ...", "no `cells`
// list", "cell 3: `source` is a number, expected a string or a list of strings", "nbformat 3 ...").
// nbformat allows a multiline field to be a list of strings or one string; both are read, and
// Cell::source_is_string remembers which so a write-back keeps the form.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mlroast::notebook {

enum class CellType { Code, Markdown, Raw, Other };

struct Cell {
  CellType type = CellType::Code;
  std::string source;                      // the source lines joined, exactly as stored
  bool source_is_string = false;           // stored as one string rather than a list of lines
  std::optional<std::int64_t> execution_count;
  std::string language;                    // lower case; the notebook's unless the cell says
};

struct Notebook {
  int nbformat = 4;
  int nbformat_minor = 0;
  std::string language;  // metadata.kernelspec.language / language_info.name, lower case
  std::vector<Cell> cells;
};

struct ReadResult {
  std::optional<Notebook> notebook;  // set on success
  std::string error;                 // set on failure: what is wrong, for "error: PATH: ..."
};

ReadResult read_notebook(std::string_view json_text);

// True for the language names a Python kernel reports ("python", "python3", "ipython3", ...),
// and for "" (a notebook that does not say is assumed to be Python, as Jupyter does).
bool is_python_language(std::string_view language);

}  // namespace mlroast::notebook
