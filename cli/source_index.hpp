// Positions as the command line shows them. Analysis locates findings by byte offset and
// tree-sitter point (0-based row, 0-based byte column); users and ruff-compatible tools expect
// 1-based rows and 1-based columns counted in Unicode code points. SourceIndex owns only the
// line-start table of one text (the caller keeps the text alive and passes it to the index at
// construction; the index keeps a view of it). Rows follow tree-sitter: only `\n` ends a line.
// Every conversion is total: offsets past the end clamp, invalid UTF-8 counts one column per
// byte. Immutable after construction; safe to read from several threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mlroast::cli {

// A 1-based row and a 1-based column counted in code points.
struct Location {
  uint32_t row = 1;
  uint32_t column = 1;
  bool operator==(const Location&) const = default;
};

class SourceIndex {
 public:
  explicit SourceIndex(std::string_view text);

  // The 1-based location of a byte offset (clamped to the text size).
  Location location(std::size_t byte_offset) const;
  // Number of lines: `\n` count + 1.
  std::size_t line_count() const { return starts_.size(); }
  // The content of a 0-based line without its `\n` (and without a trailing `\r`).
  std::string_view line(std::size_t row) const;
  // Byte offset where a 0-based line starts (text size past the last line).
  std::size_t line_start(std::size_t row) const;
  std::string_view text() const { return text_; }

 private:
  std::string_view text_;
  std::vector<std::size_t> starts_;  // always holds offset 0
};

// Number of code points in `bytes`; each byte of an invalid UTF-8 sequence counts as one.
std::size_t count_code_points(std::string_view bytes);

// `bytes` made safe for a terminal: invalid UTF-8 becomes U+FFFD, NUL and other C0 control
// characters (except tab) become U+FFFD too, tabs become `tab_width` spaces when tab_width > 0.
std::string printable(std::string_view bytes, int tab_width = 0);

}  // namespace mlroast::cli
