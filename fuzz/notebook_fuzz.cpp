// Fuzz target: arbitrary bytes as a .ipynb file. read_notebook must turn every input into a
// notebook or an error message (never throw). When it reads one, the rest of the notebook path
// runs on it and its promises are checked:
//  - the writer finds the `source` value of every cell read (source_spans), and that JSON value
//    decodes to exactly the cell's source in the form it was stored (string or list);
//  - writing every cell's unchanged source back (replace_sources) leaves every byte outside the
//    `source` values as it was and reads back as the same notebook;
//  - the virtual program tiles its text with one segment per analysed cell plus a separator
//    newline, each segment as long as its cell's source with its newlines at the same offsets
//    (IPython masking moves no byte); every Python code cell is either analysed or skipped, once;
//  - locate() and to_program() map sampled offsets of every segment to (cell, line, column) and
//    back exactly;
//  - every finding and related location lies inside the program text and lands in a cell, and
//    every fix that cell_edits maps into cells stays inside its cell's source;
//  - fix_notebook (unsafe fixes too) terminates, changes only code cells, and its result written
//    back into the JSON text (as `mlroast check --fix` does) reads back with exactly those sources.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/notebook/analyze.hpp"
#include "analysis/notebook/reader.hpp"
#include "analysis/notebook/virtual_program.hpp"
#include "analysis/notebook/writer.hpp"

namespace {

using namespace mlroast::notebook;

void check(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "invariant broken: %s\n", what);
  std::abort();
}

bool same_cells(const Notebook& a, const Notebook& b) {
  if (a.cells.size() != b.cells.size() || a.language != b.language) return false;
  for (std::size_t i = 0; i < a.cells.size(); ++i) {
    const Cell& x = a.cells[i];
    const Cell& y = b.cells[i];
    if (x.type != y.type || x.source != y.source || x.source_is_string != y.source_is_string ||
        x.execution_count != y.execution_count || x.language != y.language)
      return false;
  }
  return true;
}

// The JSON value at `span` decodes to the cell's source in its stored form.
void check_span(std::string_view text, const SourceSpan& span, const Cell& cell) {
  check(span.begin <= span.end && span.end <= text.size(), "source span outside the text");
  const auto value = nlohmann::json::parse(text.substr(span.begin, span.end - span.begin), nullptr,
                                           /*allow_exceptions=*/false);
  check(!value.is_discarded(), "source span is not one JSON value");
  check(value.is_string() == cell.source_is_string, "source span has another form than read");
  std::string joined;
  if (value.is_string()) {
    joined = value.get<std::string>();
  } else {
    check(value.is_array(), "source span is neither a string nor a list");
    for (const auto& line : value) {
      check(line.is_string(), "source span holds a line that is not a string");
      joined += line.get_ref<const std::string&>();
    }
  }
  check(joined == cell.source, "source span decodes to another source than the cell's");
}

// Bytes outside the `source` values of `a` and `b` are the same, in the same order.
void check_same_outside(std::string_view a, const std::vector<SourceSpan>& sa, std::string_view b,
                        const std::vector<SourceSpan>& sb) {
  check(sa.size() == sb.size(), "write-back changed the number of cells");
  std::size_t pa = 0, pb = 0;
  for (std::size_t i = 0; i <= sa.size(); ++i) {
    const std::size_t ea = i < sa.size() ? sa[i].begin : a.size();
    const std::size_t eb = i < sb.size() ? sb[i].begin : b.size();
    check(a.substr(pa, ea - pa) == b.substr(pb, eb - pb),
          "write-back changed bytes outside the cells' sources");
    if (i < sa.size()) {
      pa = sa[i].end;
      pb = sb[i].end;
    }
  }
}

// Writes `changes` into `text` and checks the result reads back as `expected`, every byte
// outside the sources kept.
void check_write_back(std::string_view text, const std::vector<SourceSpan>& spans,
                      const std::vector<SourceChange>& changes, const Notebook& expected) {
  std::string error;
  const auto out = replace_sources(text, changes, error);
  check(out.has_value(), "replace_sources refused a notebook that read_notebook accepted");
  const ReadResult again = read_notebook(*out);
  check(again.notebook.has_value(), "a written-back notebook does not read");
  check(same_cells(*again.notebook, expected), "a written-back notebook reads differently");
  const auto out_spans = source_spans(*out);
  check(out_spans.has_value(), "no source spans in a written-back notebook");
  check_same_outside(text, spans, *out, *out_spans);
}

// Where `offset` of `source` is, counted independently of position_in.
CellPosition expected_position(std::string_view source, std::uint32_t offset) {
  CellPosition p;
  p.offset = offset;
  const std::size_t nl = source.substr(0, offset).rfind('\n');
  for (std::size_t i = 0; i < offset; ++i) p.line += source[i] == '\n';
  p.column = static_cast<std::uint32_t>(nl == std::string_view::npos ? offset : offset - nl - 1);
  return p;
}

void check_round_trip(const VirtualProgram& program, const Segment& s, std::uint32_t offset) {
  const auto at = program.locate(s.start + offset);
  check(at.has_value(), "locate lost a byte of a segment");
  const CellPosition expect = expected_position(program.cell_source(s.cell), offset);
  check(at->cell == s.cell && at->offset == offset && at->line == expect.line &&
            at->column == expect.column,
        "locate maps a segment byte to the wrong cell position");
  check(program.to_program(s.cell, at->line, at->column) == s.start + offset,
        "to_program(cell, line, column) does not invert locate");
  check(program.to_program(s.cell, offset) == s.start + offset,
        "to_program(cell, offset) does not invert locate");
}

void check_program(const Notebook& nb, const VirtualProgram& program) {
  const std::string& text = program.text();
  std::vector<int> seen(nb.cells.size(), 0);
  std::uint32_t next = 0, row = 0;
  for (const Segment& s : program.segments()) {
    check(s.cell < nb.cells.size(), "segment of a cell that does not exist");
    check(nb.cells[s.cell].type == CellType::Code, "segment of a cell that is not code");
    ++seen[s.cell];
    check(s.start == next && s.first_row == row, "segments do not tile the program text");
    const std::string_view source = program.cell_source(s.cell);
    check(source == nb.cells[s.cell].source, "cell_source differs from the notebook's");
    check(s.length == source.size(), "masking changed the length of a cell");
    check(std::size_t{s.start} + s.length < text.size() && text[s.start + s.length] == '\n',
          "a segment is not followed by its separator newline");
    for (std::uint32_t i = 0; i < s.length; ++i) {
      const bool newline = source[i] == '\n';
      check((text[s.start + i] == '\n') == newline, "masking moved a newline");
      row += newline;
    }
    ++row;
    next = s.start + s.length + 1;
    check(program.segment_of_cell(s.cell) == &s, "segment_of_cell misses a segment");
    // Both ends, the separator and a few offsets between.
    check_round_trip(program, s, 0);
    check_round_trip(program, s, s.length);
    for (std::uint32_t k = 1; k < 8; ++k) check_round_trip(program, s, s.length * k / 8);
    const auto sep = program.locate(s.start + s.length);
    check(sep && sep->cell == s.cell && sep->offset == s.length,
          "the separator newline does not map to the end of its cell");
  }
  check(next == text.size(), "the program text is longer than its segments");
  check(!program.locate(static_cast<std::uint32_t>(text.size()) + 1),
        "locate found a byte past the end");
  std::uint32_t previous = 0;
  bool first = true;
  for (const SkippedCell& k : program.skipped()) {
    check(k.cell < nb.cells.size() && nb.cells[k.cell].type == CellType::Code,
          "skipped a cell that is not a code cell");
    check(!k.reason.empty(), "skipped a cell without a reason");
    check(first || k.cell > previous, "skipped cells are not sorted and unique");
    first = false;
    previous = k.cell;
    ++seen[k.cell];
  }
  for (std::size_t i = 0; i < nb.cells.size(); ++i)
    check(seen[i] == (nb.cells[i].type == CellType::Code ? 1 : 0),
          "a code cell is not exactly once analysed or skipped");
}

// A program range as the diagnostics engine maps it into a cell: it must land in one.
void check_lands(const VirtualProgram& program, const mlroast::TextRange& r) {
  check(r.start_byte <= r.end_byte && r.end_byte <= program.text().size(),
        "finding range outside the program text");
  const auto at = program.locate(r.start_byte);
  check(at.has_value(), "finding range lands in no cell");
  const Segment* s = program.segment_of_cell(at->cell);
  check(s != nullptr && at->offset <= s->length, "finding lands outside its cell's source");
}

void check_findings(const VirtualProgram& program, const std::vector<mlroast::Finding>& findings) {
  for (const auto& f : findings) {
    check(!f.code.empty(), "finding without a code");
    check_lands(program, f.range);
    for (const auto& r : f.related) check_lands(program, r.range);
    if (!f.fix) continue;
    std::uint32_t previous_end = 0;
    for (const auto& e : f.fix->edits) {
      check(e.start_byte >= previous_end && e.start_byte <= e.end_byte &&
                e.end_byte <= program.text().size(),
            "fix edits outside the text, unsorted or overlapping");
      previous_end = e.end_byte;
    }
    const auto edits = cell_edits(program, *f.fix);
    if (!edits) continue;
    for (const CellEdit& e : *edits) {
      const std::string_view source = program.cell_source(e.cell);
      check(program.segment_of_cell(e.cell) != nullptr, "cell edit in a cell not analysed");
      check(e.start <= e.end && e.end <= source.size(), "cell edit outside its cell's source");
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const ReadResult read = read_notebook(text);
  if (!read.notebook) {
    check(!read.error.empty(), "an unreadable notebook without an error message");
    return 0;
  }
  const Notebook& nb = *read.notebook;

  const auto spans = source_spans(text);
  check(spans.has_value(), "source_spans refused a notebook that read_notebook accepted");
  check(spans->size() == nb.cells.size(), "source_spans found another number of cells");
  for (std::size_t i = 0; i < spans->size(); ++i) check_span(text, (*spans)[i], nb.cells[i]);
  std::vector<SourceChange> unchanged;
  for (std::uint32_t i = 0; i < nb.cells.size(); ++i)
    unchanged.push_back({i, nb.cells[i].source, nb.cells[i].source_is_string});
  check_write_back(text, *spans, unchanged, nb);

  const VirtualProgram program(nb);
  check_program(nb, program);
  const mlroast::RuleSelection selection{};
  const auto findings = analyze_program("fuzz.ipynb", program, selection);
  check_findings(program, findings);

  bool any_fix = false;
  for (const auto& f : findings) any_fix = any_fix || f.fix.has_value();
  if (!any_fix) return 0;
  const NotebookFixOutcome fixed = fix_notebook("fuzz.ipynb", nb, selection, true);
  check(fixed.notebook.cells.size() == nb.cells.size(), "fix_notebook changed the cell count");
  std::vector<SourceChange> changes;
  for (std::uint32_t i = 0; i < nb.cells.size(); ++i) {
    const Cell& c = fixed.notebook.cells[i];
    const bool changed = c.source != nb.cells[i].source;
    check(!changed || nb.cells[i].type == CellType::Code, "fix_notebook changed a non-code cell");
    if (changed) changes.push_back({i, c.source, c.source_is_string});
  }
  check(changes.size() == fixed.changed.size(), "fix_notebook's changed list is wrong");
  for (std::size_t i = 0; i < changes.size(); ++i)
    check(changes[i].cell == fixed.changed[i], "fix_notebook's changed list is wrong");
  if (!changes.empty()) check_write_back(text, *spans, changes, fixed.notebook);
  return 0;
}
