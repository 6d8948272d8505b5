// Analysing and fixing a notebook as one program: the entry points the CLI and the server share
// for .ipynb input, next to analyze()/fix_text() for .py files. Findings come back in program
// coordinates (bytes of VirtualProgram::text()); VirtualProgram::locate maps them to cells.
// Pure functions of their inputs; safe to call from several threads at once.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "analysis/analyzer.hpp"
#include "analysis/config/selection.hpp"
#include "analysis/finding.hpp"
#include "analysis/notebook/reader.hpp"
#include "analysis/notebook/virtual_program.hpp"

namespace mlroast::notebook {

// A message's program lines as cell lines: "split at line 20" -> "split at cell 3, line 2".
std::string cell_lines(const VirtualProgram& program, const std::string& message);

// Analyses the program (its tree, parsed when the program was built) with SourceFile::is_notebook
// set; messages name cell lines (cell_lines).
std::vector<Finding> analyze_program(const std::string& path, const VirtualProgram& program,
                                     const RuleSelection& selection,
                                     const AnalysisOptions& options = {});

// A fix's edits as edits of single cells; nullopt when an edit crosses a cell boundary or would
// overwrite masked IPython syntax (such a fix is not offered for the notebook).
struct CellEdit {
  std::uint32_t cell = 0;
  std::uint32_t start = 0, end = 0;  // byte offsets in the cell's source
  std::string replacement;
};
std::optional<std::vector<CellEdit>> cell_edits(const VirtualProgram& program, const Fix& fix);

struct NotebookFixOutcome {
  Notebook notebook;   // the notebook with fixed cell sources
  std::vector<std::uint32_t> changed;  // indices of cells whose source changed, ascending
  std::size_t applied = 0;
};

// fix_text for notebooks: applies the non-overlapping safe (and, when asked, unsafe) fixes, maps
// them to cells, rebuilds the program and repeats until nothing changes (at most 10 rounds).
NotebookFixOutcome fix_notebook(const std::string& path, const Notebook& notebook,
                                const RuleSelection& selection, bool include_unsafe);

}  // namespace mlroast::notebook
