// The `full` format, modelled on ruff's: the header line, then a code frame quoting the lines of
// the finding with up to two lines of context, carets under the range labelled with the code,
// and notes (related locations, the fix, the rule's documentation link); a summary at the end.
//
//   train.py:4:1: ML703 [*] Bare `except:` also catches KeyboardInterrupt ...
//     |
//   3 |     frames.append(pd.read_csv(path))
//   4 | except:
//     | ^^^^^^ ML703
//   5 |     pass
//     |
//     = help: Replace `except:` with `except Exception:` (unsafe fix)
//     = docs: file:///.../docs/rules/ML703.md
//
// A notebook finding quotes its cell with the cell's own line numbers. Columns are display cells: one per code point, four per tab. Very long lines (minified code)
// are clipped to a window around the range so a 10 MB line never floods the terminal.
#include <algorithm>

#include "analysis/rules/rule.hpp"
#include "cli/output.hpp"

namespace mlroast::cli {

namespace {

constexpr int kTabWidth = 4;
constexpr std::size_t kContext = 2;         // lines shown before and after the range
constexpr std::size_t kMaxSpan = 6;         // longer ranges show only their first/last 2 lines
constexpr std::size_t kMaxLineBytes = 240;  // longer lines are clipped around the range
constexpr std::string_view kEllipsis = "\xE2\x80\xA6";  // U+2026

std::size_t width_of(std::string_view bytes) {
  return count_code_points(printable(bytes, kTabWidth));
}

// Moves `i` back to the start of the code point it falls in (at most 3 continuation bytes).
std::size_t snap(std::string_view s, std::size_t i) {
  for (int k = 0; k < 3 && i > 0 && i < s.size(); ++k) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80 || c > 0xBF) break;
    --i;
  }
  return i;
}

// One source line as shown: possibly clipped to a window of bytes [begin, end).
class ShownLine {
 public:
  ShownLine(std::string_view line, std::size_t focus) : line_(line), end_(line.size()) {
    if (line.size() <= kMaxLineBytes) return;
    begin_ = focus <= kMaxLineBytes / 2 ? 0 : snap(line, focus - kMaxLineBytes / 4);
    end_ = std::min(line.size(), snap(line, begin_ + kMaxLineBytes));
  }
  std::string text() const {
    std::string s = begin_ > 0 ? std::string(kEllipsis) : std::string();
    s += printable(line_.substr(begin_, end_ - begin_), kTabWidth);
    if (end_ < line_.size()) s += kEllipsis;
    return s;
  }
  // Display column of byte `b` of the line within text().
  std::size_t column(std::size_t b) const {
    b = std::clamp(b, begin_, end_);
    return width_of(line_.substr(begin_, b - begin_)) + (begin_ > 0 ? 1 : 0);
  }

 private:
  std::string_view line_;
  std::size_t begin_ = 0, end_;
};

std::string rstrip(std::string s) {
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

std::string pad_left(const std::string& s, std::size_t width) {
  return std::string(width > s.size() ? width - s.size() : 0, ' ') + s;
}

// The frame quotes `text` (the file, or in a notebook the finding's cell) around the bytes
// [start_byte, end_byte) of it; notes are located in the whole file through `file_index`.
void write_frame(std::ostream& out, const FileReport& file, const SourceIndex& file_index,
                 std::string_view text, const SourceIndex& index, std::size_t start_byte,
                 std::size_t end_byte, const Finding& f) {
  std::size_t start_row = index.location(start_byte).row - 1;
  std::size_t start_col = std::min<std::size_t>(start_byte, text.size()) - index.line_start(start_row);
  end_byte = std::clamp<std::size_t>(end_byte, start_byte, text.size());
  std::size_t end_row = index.location(end_byte).row - 1;
  std::size_t end_col = end_byte - index.line_start(end_row);
  if (end_row > start_row && end_col == 0) {  // a range ending with a newline ends on its line
    --end_row;
    end_col = index.line(end_row).size();
  }
  // The empty "line" after a final newline is shown only when the finding is on it.
  std::size_t last_row = index.line_count() - 1;
  if (last_row > 0 && index.line(last_row).empty()) --last_row;
  last_row = std::max(last_row, end_row);
  std::size_t first = start_row - std::min(kContext, start_row);
  std::size_t last = std::min(end_row + kContext, last_row);

  std::size_t width = std::to_string(last + 1).size();
  std::string gutter(width + 1, ' ');
  out << gutter << "|\n";
  bool elide = end_row - start_row + 1 > kMaxSpan;
  for (std::size_t row = first; row <= last; ++row) {
    if (elide && row == start_row + 2) {
      out << "...\n";
      row = end_row - 2;
      continue;
    }
    std::string_view line = index.line(row);
    bool in_range = row >= start_row && row <= end_row;
    std::size_t from = 0, to = line.size();
    if (in_range) {
      from = row == start_row ? start_col : line.find_first_not_of(" \t");
      if (from == std::string_view::npos) from = 0;
      to = row == end_row ? end_col : line.size();
    }
    ShownLine shown(line, from);
    out << rstrip(pad_left(std::to_string(row + 1), width) + " | " + shown.text()) << '\n';
    if (!in_range) continue;
    std::size_t c0 = shown.column(from), c1 = shown.column(std::max(from, to));
    out << gutter << "| " << std::string(c0, ' ')
        << std::string(std::max<std::size_t>(1, c1 - c0), '^');
    if (row == end_row) out << ' ' << f.code;
    out << '\n';
  }
  out << gutter << "|\n";

  for (const RelatedLocation& r : f.related)
    out << gutter << "= note: " << printable(r.message) << " ("
        << location_text(file, file_index, r.range.start_byte) << ")\n";
  if (f.fix) {
    out << gutter << "= help: " << printable(f.fix->title);
    if (f.fix->applicability == Applicability::Unsafe) out << " (unsafe fix)";
    out << '\n';
  }
  if (const RuleInfo* info = find_rule(f.code))
    out << gutter << "= docs: " << rule_url(*info) << '\n';
}

}  // namespace

void write_full(std::ostream& out, const CheckReport& report) {
  for (const FileReport& file : report.files) {
    SourceIndex index(file.text);
    for (const Finding& f : file.findings) {
      out << header_line(file, index, f) << '\n';
      auto at = file.notebook ? file.notebook->locate(f.range.start_byte) : std::nullopt;
      if (at) {  // a notebook: quote the finding's cell, with the cell's own line numbers
        const notebook::Segment* seg = file.notebook->segment_of_cell(at->cell);
        std::string_view cell = file.notebook->cell_source(at->cell);
        std::size_t end = std::min<std::size_t>(f.range.end_byte - std::min(f.range.end_byte, seg->start), seg->length);
        SourceIndex cell_index(cell);
        write_frame(out, file, index, cell, cell_index, at->offset, end, f);
      } else {
        write_frame(out, file, index, file.text, index, f.range.start_byte, f.range.end_byte, f);
      }
      out << '\n';
    }
  }
  write_summary(out, report);
}

}  // namespace mlroast::cli
