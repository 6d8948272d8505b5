#include "analysis/notebook/analyze.hpp"

#include <algorithm>
#include <map>

#include "analysis/analyzer.hpp"
#include "analysis/fix/apply.hpp"
#include "analysis/source_file.hpp"
#include "analysis/syntax/tree.hpp"

namespace mlroast::notebook {

namespace {
constexpr int kMaxRounds = 10;

bool word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

}  // namespace

// Messages name other places by program line ("split into train/test at line 20"); in a notebook
// that line is "cell 7, line 2".
std::string cell_lines(const VirtualProgram& program, const std::string& message) {
  // The matches of \bline (\d{1,9})\b, scanned by hand: std::regex here was a fifth of a
  // notebook keystroke (it is run on every message and related message of ~1,200 findings).
  std::string out;
  std::size_t last = 0;
  for (std::size_t at = message.find("line "); at != std::string::npos;
       at = message.find("line ", at + 1)) {
    if (at > 0 && word_char(message[at - 1])) continue;
    std::size_t digits = at + 5, end = digits;
    while (end < message.size() && end - digits < 10 && message[end] >= '0' && message[end] <= '9')
      ++end;
    if (end == digits || end - digits > 9 || (end < message.size() && word_char(message[end])))
      continue;
    const auto line = static_cast<std::uint32_t>(std::stoul(message.substr(digits, end - digits)));
    if (line == 0) continue;
    std::uint32_t row = line - 1;
    const auto& segs = program.segments();
    auto seg = std::upper_bound(segs.begin(), segs.end(), row,
                                [](std::uint32_t r, const Segment& s) { return r < s.first_row; });
    if (seg == segs.begin()) continue;
    --seg;
    out += message.substr(last, at - last);
    out += "cell " + std::to_string(seg->cell + 1) + ", line " +
           std::to_string(row - seg->first_row + 1);
    last = end;
  }
  return last == 0 ? message : out + message.substr(last);
}

std::vector<Finding> analyze_program(const std::string& path, const VirtualProgram& program,
                                     const RuleSelection& selection,
                                     const AnalysisOptions& options) {
  SourceFile file;
  file.path = path;
  file.text = program.text();
  file.tree = &program.tree();
  file.is_notebook = true;
  file.notebook = &program;
  file.is_test = is_test_path(path);
  std::vector<Finding> findings = analyze(file, selection, options);
  for (Finding& f : findings) {
    f.message = cell_lines(program, f.message);
    for (RelatedLocation& r : f.related) r.message = cell_lines(program, r.message);
  }
  return findings;
}

std::optional<std::vector<CellEdit>> cell_edits(const VirtualProgram& program, const Fix& fix) {
  std::vector<CellEdit> out;
  for (const TextEdit& e : fix.edits) {
    const Segment* s = program.segment_at(e.start_byte);
    if (s == nullptr || e.end_byte < e.start_byte || e.end_byte > s->start + s->length)
      return std::nullopt;
    std::uint32_t b = e.start_byte - s->start, n = e.end_byte - e.start_byte;
    // The replaced bytes must be the cell's own: masked magics are not Python to rewrite.
    if (program.text().compare(e.start_byte, n, program.cell_source(s->cell), b, n) != 0)
      return std::nullopt;
    // Nor may an insertion split a masked line, or go above a cell magic (`%%time` must stay
    // the cell's first line).
    std::string_view src = program.cell_source(s->cell);
    std::size_t line_start = 0;
    if (b > 0) {
      std::size_t nl = src.rfind('\n', b - 1);
      line_start = nl == std::string_view::npos ? 0 : nl + 1;
    }
    std::size_t line_end = src.find('\n', b);
    if (line_end == std::string_view::npos) line_end = src.size();
    std::string_view shown = std::string_view(program.text()).substr(s->start + line_start, line_end - line_start);
    std::string_view original = src.substr(line_start, line_end - line_start);
    if (shown != original) {
      std::size_t first = original.find_first_not_of(" \t");
      bool cell_magic = first != std::string_view::npos && original.substr(first, 2) == "%%";
      if (b != line_start || cell_magic) return std::nullopt;
    }
    // An insertion at the very end of a cell that does not end with a newline goes after its
    // last line; the separator newline the program adds is not in the cell.
    out.push_back(CellEdit{s->cell, b, b + n, e.replacement});
  }
  return out;
}

NotebookFixOutcome fix_notebook(const std::string& path, const Notebook& notebook,
                                const RuleSelection& selection, bool include_unsafe) {
  NotebookFixOutcome outcome{notebook, {}, 0};
  for (int round = 0; round < kMaxRounds; ++round) {
    VirtualProgram program(outcome.notebook);
    std::vector<TextEdit> taken;
    std::map<std::uint32_t, std::vector<TextEdit>> per_cell;
    std::size_t fixes = 0;
    for (const Finding& f : analyze_program(path, program, selection)) {
      if (!f.fix || f.fix->edits.empty()) continue;
      if (f.fix->applicability == Applicability::Unsafe && !include_unsafe) continue;
      bool clash = false;
      for (const TextEdit& e : f.fix->edits)
        for (const TextEdit& t : taken)
          clash = clash || (e.start_byte < t.end_byte && t.start_byte < e.end_byte) ||
                  e.start_byte == t.start_byte;
      if (clash) continue;
      auto edits = cell_edits(program, *f.fix);
      if (!edits) continue;
      taken.insert(taken.end(), f.fix->edits.begin(), f.fix->edits.end());
      for (const CellEdit& e : *edits)
        per_cell[e.cell].push_back(TextEdit{e.start, e.end, e.replacement});
      ++fixes;
    }
    if (fixes == 0) break;
    for (auto& [cell, edits] : per_cell) {
      std::string& src = outcome.notebook.cells[cell].source;
      src = apply_edits(src, std::move(edits));
      if (std::find(outcome.changed.begin(), outcome.changed.end(), cell) == outcome.changed.end())
        outcome.changed.push_back(cell);
    }
    outcome.applied += fixes;
  }
  std::sort(outcome.changed.begin(), outcome.changed.end());
  // A cell edited back to its original text is not changed.
  std::erase_if(outcome.changed, [&](std::uint32_t c) {
    return outcome.notebook.cells[c].source == notebook.cells[c].source;
  });
  return outcome;
}

}  // namespace mlroast::notebook
