#include "analysis/notebook/virtual_program.hpp"

#include <algorithm>

#include "analysis/notebook/ipython_mask.hpp"
#include "analysis/syntax/tree.hpp"

namespace mlroast::notebook {

VirtualProgram::VirtualProgram(const Notebook& notebook, const syntax::Tree* previous) {
  thread_local syntax::Parser parser;
  struct Candidate {
    std::uint32_t cell = 0;
    MaskedCell masked;
    bool broken = false;
  };
  std::vector<Candidate> candidates;
  for (std::uint32_t i = 0; i < notebook.cells.size(); ++i) {
    const Cell& cell = notebook.cells[i];
    sources_.push_back(cell.source);
    if (cell.type != CellType::Code) continue;
    if (!is_python_language(cell.language)) {
      skipped_.push_back({i, "language " + cell.language});
      continue;
    }
    MaskedCell masked = mask_ipython(cell.source);
    if (masked.skipped) {
      skipped_.push_back({i, masked.skip_reason});
      continue;
    }
    candidates.push_back(Candidate{i, std::move(masked), false});
  }
  auto build = [&] {
    text_.clear();
    segments_.clear();
    std::uint32_t row = 0;
    for (const Candidate& c : candidates) {
      if (c.broken) continue;
      Segment seg;
      seg.cell = c.cell;
      seg.start = static_cast<std::uint32_t>(text_.size());
      seg.length = static_cast<std::uint32_t>(c.masked.text.size());
      seg.first_row = row;
      seg.execution_count = notebook.cells[c.cell].execution_count;
      seg.binds = c.masked.binds;
      seg.binds_unknown = c.masked.binds_unknown;
      text_ += c.masked.text;
      text_ += '\n';
      row += static_cast<std::uint32_t>(std::count(c.masked.text.begin(), c.masked.text.end(), '\n')) + 1;
      segments_.push_back(std::move(seg));
    }
    tree_ = parser.parse(text_, previous);
  };
  build();
  // A syntax error that stays inside its cell is analysed like an error in a .py file (tree-sitter
  // recovers around it). One that swallows what follows (an unclosed bracket or string makes a
  // top-level node run past its cell's end) is not: the cells are then parsed one by one and
  // those broken on their own are left out. One parse of the whole program in the common case.
  if (tree_.root().has_error() && swallows_cells()) {
    bool any = false;
    for (Candidate& c : candidates)
      if (parser.parse(c.masked.text).root().has_error()) {
        c.broken = any = true;
        skipped_.push_back({c.cell, "syntax error"});
      }
    if (any) build();
    std::sort(skipped_.begin(), skipped_.end(),
              [](const SkippedCell& a, const SkippedCell& b) { return a.cell < b.cell; });
  }
}

bool VirtualProgram::swallows_cells() const {
  for (syntax::Node n : syntax::children(tree_.root(), false)) {
    const Segment* s = segment_at(n.start_byte());
    if (s == nullptr || n.end_byte() > s->start + s->length + 1) return true;
  }
  return false;
}

std::string_view VirtualProgram::cell_source(std::uint32_t cell) const {
  return cell < sources_.size() ? std::string_view(sources_[cell]) : std::string_view();
}

const Segment* VirtualProgram::segment_at(std::uint32_t byte) const {
  // The last segment starting at or before `byte`; its span includes its separator newline.
  auto it = std::upper_bound(segments_.begin(), segments_.end(), byte,
                             [](std::uint32_t b, const Segment& s) { return b < s.start; });
  if (it == segments_.begin()) return nullptr;
  const Segment& s = *(it - 1);
  return byte <= s.start + s.length + 1 ? &s : nullptr;  // +1: the end of its separator
}

const Segment* VirtualProgram::segment_of_cell(std::uint32_t cell) const {
  auto it = std::lower_bound(segments_.begin(), segments_.end(), cell,
                             [](const Segment& s, std::uint32_t c) { return s.cell < c; });
  return it != segments_.end() && it->cell == cell ? &*it : nullptr;
}

CellPosition position_in(std::string_view text, std::uint32_t offset) {
  offset = std::min<std::uint32_t>(offset, static_cast<std::uint32_t>(text.size()));
  CellPosition p;
  p.offset = offset;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < offset; ++i)
    if (text[i] == '\n') {
      ++p.line;
      line_start = i + 1;
    }
  p.column = static_cast<std::uint32_t>(offset - line_start);
  return p;
}

std::optional<CellPosition> VirtualProgram::locate(std::uint32_t byte) const {
  const Segment* s = segment_at(byte);
  if (s == nullptr) return std::nullopt;
  CellPosition p = position_in(sources_[s->cell], std::min(byte - s->start, s->length));
  p.cell = s->cell;
  return p;
}

std::optional<std::uint32_t> VirtualProgram::to_program(std::uint32_t cell,
                                                        std::uint32_t offset) const {
  const Segment* s = segment_of_cell(cell);
  if (s == nullptr) return std::nullopt;
  return s->start + std::min(offset, s->length);
}

std::optional<std::uint32_t> VirtualProgram::to_program(std::uint32_t cell, std::uint32_t line,
                                                        std::uint32_t column) const {
  const Segment* s = segment_of_cell(cell);
  if (s == nullptr) return std::nullopt;
  std::string_view src = sources_[cell];
  std::size_t at = 0;
  for (std::uint32_t l = 0; l < line; ++l) {
    std::size_t nl = src.find('\n', at);
    if (nl == std::string_view::npos) return s->start + s->length;
    at = nl + 1;
  }
  std::size_t end = src.find('\n', at);
  if (end == std::string_view::npos) end = src.size();
  return s->start + static_cast<std::uint32_t>(std::min<std::size_t>(at + column, end));
}

}  // namespace mlroast::notebook
