// Loading one discovered file for analysis, whatever its kind: a .py file is its bytes; a .ipynb
// notebook is read (nbformat 4), its Python code cells joined into a virtual program
// (analysis/notebook/) and the program is what gets analysed, with the map back to cells kept
// for the report and for --fix. Problems are values: a file that cannot be read or a notebook
// that is not valid JSON comes back with an error message for `error: PATH: ...`.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/config/selection.hpp"
#include "analysis/finding.hpp"
#include "analysis/notebook/reader.hpp"
#include "analysis/notebook/virtual_program.hpp"
#include "cli/discover.hpp"

namespace mlroast::cli {

struct LoadedSource {
  std::string bytes;  // the file as read (the notebook's JSON for a notebook)
  std::optional<notebook::Notebook> notebook;
  std::shared_ptr<const notebook::VirtualProgram> program;  // set for notebooks

  // What the analysis reads: the file bytes, or the notebook's virtual program.
  std::string_view text() const { return program ? std::string_view(program->text()) : bytes; }
};

// Reads `path`; nullopt with `error` set when it cannot be read or is not a valid notebook.
std::optional<LoadedSource> load_source(const SourcePath& path, std::string& error);

// Analyses what load_source returned (the program of a notebook, the text of a .py file).
std::vector<Finding> analyze_source(const SourcePath& path, const LoadedSource& source,
                                    const RuleSelection& selection);

// Warnings worth showing about a loaded notebook: code cells left out because they do not parse
// ("notebook.ipynb:cell 4: not analysed: the cell has a syntax error").
std::vector<std::string> load_warnings(const SourcePath& path, const LoadedSource& source);

}  // namespace mlroast::cli
