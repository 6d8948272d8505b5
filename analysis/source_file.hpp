// One file as the analysis sees it: its path, text and syntax tree, plus what kind of file it is
// (script, test, notebook) since several rules depend on that. The text and tree are borrowed:
// the caller (CLI or document store) owns them and keeps them alive for the analysis.
#pragma once

#include <string>
#include <string_view>

#include "analysis/syntax/tree.hpp"

namespace mlroast {

namespace notebook {
class VirtualProgram;
}

struct SourceFile {
  std::string path;        // as shown to users (relative to the run's root where possible)
  std::string_view text;   // the exact bytes the tree was parsed from
  const syntax::Tree* tree = nullptr;
  bool is_notebook = false;
  // For a notebook: its cells joined into `text` and the map back to cells (is_notebook is set).
  const notebook::VirtualProgram* notebook = nullptr;
  bool is_test = false;    // under tests/ or test/, or named test_*.py / conftest.py
};

// True when `path` looks like test code: under tests/ or test/, test_*.py, conftest.py.
bool is_test_path(std::string_view path);

}  // namespace mlroast
