// The result of one `mlroast check` run and the writers that print it. A CheckReport holds, for
// every file with findings, the findings and the file's text (the `full` format quotes source
// lines; positions are converted from bytes to 1-based rows and code-point columns here, at the
// edge). One writer per output format, each in its own file: output_full.cpp (ruff-like code
// frames), output_concise.cpp (one line per finding; also the header line and summary shared
// with `full`), output_json.cpp (ruff's JSON schema), output_sarif.cpp (SARIF 2.1.0 for code
// scanning), output_github.cpp (Actions annotations), output_junit.cpp (JUnit XML). Writers only write to the stream they are
// given (stdout in practice); they never log and never throw on odd bytes: invalid UTF-8 and
// control characters are replaced for terminals, and JSON is always valid UTF-8.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/finding.hpp"
#include "analysis/notebook/virtual_program.hpp"
#include "cli/discover.hpp"
#include "cli/source_index.hpp"

namespace mlroast::cli {

enum class OutputFormat { Full, Concise, Json, Sarif, Github, Junit };

// "full", "concise", "json", "sarif", "github" or "junit"; nullopt for anything else.
std::optional<OutputFormat> parse_output_format(std::string_view name);
// The accepted names, in the order shown in help.
const std::vector<std::string>& output_format_names();

struct FileReport {
  SourcePath path;
  std::string text;               // the analysed bytes, for code frames and position conversion
  std::vector<Finding> findings;  // sorted by position (as analysis returns them)
  // For a notebook: `text` is its virtual program, and this maps program bytes to cells.
  std::shared_ptr<const notebook::VirtualProgram> notebook = nullptr;
};

struct CheckReport {
  std::vector<FileReport> files;  // files with at least one finding, in discovery order
  std::size_t files_checked = 0;

  std::size_t finding_count() const;
  std::size_t fixable_count() const;
};

void write_full(std::ostream& out, const CheckReport& report);
void write_concise(std::ostream& out, const CheckReport& report);
void write_json(std::ostream& out, const CheckReport& report);
void write_sarif(std::ostream& out, const CheckReport& report);   // output_sarif.cpp
void write_github(std::ostream& out, const CheckReport& report);  // output_github.cpp
void write_junit(std::ostream& out, const CheckReport& report);   // output_junit.cpp
// `--statistics`: findings counted per rule (output_statistics.cpp); JSON when `as_json`.
void write_statistics(std::ostream& out, const CheckReport& report, bool as_json);
// Dispatches on `format`.
void write_report(std::ostream& out, const CheckReport& report, OutputFormat format);

// --- shared by the text formats (full and concise) ---------------------------------------

// Where a byte of the analysed text is as users see it: row and column in the file, or, in a
// notebook, the 1-based cell (counting every cell, markdown included, as they appear) and the
// row and column inside that cell.
struct ShownLocation {
  std::optional<uint32_t> cell;
  Location at;
};
ShownLocation shown_location(const FileReport& file, const SourceIndex& index, std::size_t byte);
// `path:row:col`, or `path:cell N:row:col` in a notebook.
std::string location_text(const FileReport& file, const SourceIndex& index, std::size_t byte);

// `path:row:col: CODE [*] message` (the `[*]` only when a fix is available), no newline; a
// notebook finding reads `path:cell N:row:col: CODE ...`.
std::string header_line(const FileReport& file, const SourceIndex& index, const Finding& f);
// "All checks passed!" or "Found N errors." plus a line on available fixes.
void write_summary(std::ostream& out, const CheckReport& report);

}  // namespace mlroast::cli
