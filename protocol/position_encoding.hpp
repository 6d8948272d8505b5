// Conversion between byte offsets into a document's UTF-8 text and LSP positions (line plus
// character counted in the negotiated encoding: UTF-8 bytes or UTF-16 code units), and the
// negotiation of that encoding from the client's capabilities. LineIndex owns only the line-start
// offsets of one version of a text, never the text itself: callers pass the same text back on each
// conversion. Line terminators follow LSP: `\n`, `\r\n` and a lone `\r`. Every conversion is total:
// out-of-range input clamps, offsets inside a code point or between `\r` and `\n` snap back to the
// code point start, and invalid UTF-8 counts one unit per byte (like U+FFFD per byte).
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string_view>
#include <vector>

#include "protocol/position.hpp"

namespace mlroast::protocol {

enum class PositionEncoding { Utf8, Utf16 };

// "utf-8" or "utf-16", as written in `positionEncoding` of the server capabilities.
std::string_view to_string(PositionEncoding encoding) noexcept;

// Reads `general.positionEncodings` (an array of strings) from the client capabilities object of
// `initialize`: UTF-8 when offered, otherwise UTF-16 (the LSP default). Never throws: missing or
// ill-typed fields mean UTF-16.
PositionEncoding negotiate(const nlohmann::json& client_capabilities) noexcept;

// Line-start table of one text. Immutable after construction and therefore safe to share between
// threads; build a new one for every new version of the text (construction is O(size)).
class LineIndex {
 public:
  explicit LineIndex(std::string_view text);

  // Number of lines: terminators + 1 (a text ending in a terminator has a last, empty line).
  std::size_t line_count() const noexcept { return line_starts_.size(); }
  // Byte offset where `line` starts; a line past the last gives the text size.
  std::size_t line_start(std::uint32_t line) const noexcept;
  // Byte offset where `line`'s content ends, before its terminator; past the last line, the size.
  std::size_t line_end(std::string_view text, std::uint32_t line) const noexcept;

  // `text` must be the text this index was built from. Offsets past the end clamp to the end.
  Position to_position(std::string_view text, std::size_t byte_offset,
                       PositionEncoding encoding) const noexcept;
  // `text` must be the text this index was built from. A character past the line's content clamps
  // to the line end (before the terminator); a line past the last clamps to the end of the text.
  std::size_t to_offset(std::string_view text, Position position,
                        PositionEncoding encoding) const noexcept;

 private:
  std::vector<std::size_t> line_starts_;  // always holds at least offset 0
  std::size_t text_size_;
};

// One-shot conversions that build a LineIndex internally (O(size) each): for repeated conversions
// on the same text keep a LineIndex instead.
Position to_position(std::string_view text, std::size_t byte_offset, PositionEncoding encoding);
std::size_t to_offset(std::string_view text, Position position, PositionEncoding encoding);

}  // namespace mlroast::protocol
