// The code cells of a notebook joined into one Python program, so the lineage engine sees a leak
// that starts in cell 2 and ends in cell 5. Every analysed cell's source is copied verbatim (with
// IPython syntax masked in place, see ipython_mask.hpp) and followed by a newline, so byte offsets
// inside a cell are the cell's own offsets shifted by the cell's start: mapping a finding back to
// (cell, line, column) and a cell position into the program are both exact and total. Cells that
// are not analysed are left out entirely: markdown and raw cells, code cells in another language,
// cell magics whose body is not Python (%%bash, %%sql, %%writefile, ...), and, when a syntax
// error would swallow the cells after it (an unclosed bracket), the cells that do not parse on
// their own. An error that stays inside its cell is analysed like one in a .py file. Built from a
// Notebook with its syntax tree; immutable afterwards.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/notebook/reader.hpp"
#include "analysis/syntax/tree.hpp"

namespace mlroast::notebook {

// One analysed cell inside the program text.
struct Segment {
  std::uint32_t cell = 0;    // index in Notebook::cells (0-based; users see cell + 1)
  std::uint32_t start = 0;   // byte offset of the cell's first byte in the program text
  std::uint32_t length = 0;  // bytes of the cell's source (the separator newline is not counted)
  std::uint32_t first_row = 0;  // program row of the cell's first line
  std::optional<std::int64_t> execution_count;
  std::vector<std::string> binds;  // names bound by masked IPython syntax (`%%capture out`)
  bool binds_unknown = false;      // `%run`/`%load`/`%store -r`: binds names nobody can see
};

struct SkippedCell {
  std::uint32_t cell = 0;
  std::string reason;  // "markdown", "%%bash cell", "syntax error", "language r"
};

// A position inside a cell: 0-based line, 0-based byte column, and the byte offset in the cell.
struct CellPosition {
  std::uint32_t cell = 0;
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  std::uint32_t offset = 0;
};

class VirtualProgram {
 public:
  // `previous`: the tree of an earlier program of the same notebook, whose unchanged statements
  // are reused (a cell edit reparses the statements it touched).
  explicit VirtualProgram(const Notebook& notebook, const syntax::Tree* previous = nullptr);

  const std::string& text() const { return text_; }
  // The syntax tree of text(), parsed once when the program was built.
  const syntax::Tree& tree() const { return tree_; }
  const std::vector<Segment>& segments() const { return segments_; }
  // Code cells that were left out, with why (markdown and raw cells are not listed).
  const std::vector<SkippedCell>& skipped() const { return skipped_; }
  // The original (unmasked) source of a notebook cell, by cell index.
  std::string_view cell_source(std::uint32_t cell) const;
  std::size_t cell_count() const { return sources_.size(); }

  // The segment whose bytes (or whose separator newline, or the end of the program after the
  // last one) contain `byte`; nullptr past the end or when there are no segments.
  const Segment* segment_at(std::uint32_t byte) const;
  const Segment* segment_of_cell(std::uint32_t cell) const;
  // Where a program byte lies in its cell. A separator newline maps to the end of its cell;
  // nullopt only past the end of the program.
  std::optional<CellPosition> locate(std::uint32_t byte) const;
  // The program byte of (cell, line, column); nullopt when the cell is not analysed. Positions
  // past a line's end or the cell's end clamp.
  std::optional<std::uint32_t> to_program(std::uint32_t cell, std::uint32_t line,
                                          std::uint32_t column) const;
  std::optional<std::uint32_t> to_program(std::uint32_t cell, std::uint32_t offset) const;

 private:
  std::string text_;
  std::vector<Segment> segments_;
  std::vector<SkippedCell> skipped_;
  // True when a top-level node of the tree runs from one cell into the next.
  bool swallows_cells() const;

  std::vector<std::string> sources_;  // every cell's original source, by cell index
  syntax::Tree tree_;
};

// (line, byte column) of `offset` in `text`; only '\n' breaks lines, as tree-sitter counts.
CellPosition position_in(std::string_view text, std::uint32_t offset);

}  // namespace mlroast::notebook
