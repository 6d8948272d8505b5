#include "protocol/position_encoding.hpp"

#include <algorithm>
#include <cassert>
#include <cstring>
#include <nlohmann/json.hpp>

#include "protocol/byte_scan.hpp"
#include "protocol/utf8.hpp"

namespace mlroast::protocol {
namespace {

// One decoded code point (or one invalid byte standing for U+FFFD).
struct CodePoint {
  std::size_t bytes;
  std::uint32_t utf16_units;
};

// Decodes the UTF-8 sequence starting at `i`, reading no byte at or past `end`. An invalid or
// truncated sequence yields its first byte alone, so decoding always makes progress.
CodePoint decode(std::string_view text, std::size_t i, std::size_t end) noexcept {
  const std::size_t len = utf8_sequence_length(text, i, end);
  if (len == 0) return {1, 1};
  return {len, len == 4 ? 2u : 1u};
}

std::uint32_t width(CodePoint cp, PositionEncoding encoding) noexcept {
  return encoding == PositionEncoding::Utf8 ? static_cast<std::uint32_t>(cp.bytes) : cp.utf16_units;
}

}  // namespace

std::string_view to_string(PositionEncoding encoding) noexcept {
  return encoding == PositionEncoding::Utf8 ? "utf-8" : "utf-16";
}

PositionEncoding negotiate(const nlohmann::json& client_capabilities) noexcept {
  if (!client_capabilities.is_object()) return PositionEncoding::Utf16;
  const auto general = client_capabilities.find("general");
  if (general == client_capabilities.end() || !general->is_object()) return PositionEncoding::Utf16;
  const auto offered = general->find("positionEncodings");
  if (offered == general->end() || !offered->is_array()) return PositionEncoding::Utf16;
  for (const auto& encoding : *offered) {
    if (encoding.is_string() && encoding.get_ref<const std::string&>() == "utf-8") {
      return PositionEncoding::Utf8;
    }
  }
  return PositionEncoding::Utf16;
}

LineIndex::LineIndex(std::string_view text) : text_size_(text.size()) {
  line_starts_.push_back(0);
  // The common text has no '\r': memchr finds each '\n' many bytes per step (a byte-by-byte
  // loop was ~11 instructions per byte, and the server builds an index on every keystroke).
  if (text.empty()) return;  // memchr must not see the null data() of an empty view
  if (std::memchr(text.data(), '\r', text.size()) == nullptr) {
    const char* const begin = text.data();
    const char* const end = begin + text.size();
    for (const char* p = begin;
         (p = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)))) !=
         nullptr;) {
      ++p;
      line_starts_.push_back(static_cast<std::size_t>(p - begin));
    }
    return;
  }
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
    if (text[i] == '\n' || text[i] == '\r') line_starts_.push_back(i + 1);
  }
}

std::size_t LineIndex::line_start(std::uint32_t line) const noexcept {
  return line < line_starts_.size() ? line_starts_[line] : text_size_;
}

std::size_t LineIndex::line_end(std::string_view text, std::uint32_t line) const noexcept {
  assert(text.size() == text_size_ && "LineIndex used with a different text");
  if (line >= line_starts_.size()) return text.size();
  const std::size_t start = std::min(line_starts_[line], text.size());
  std::size_t end = line + 1 < line_starts_.size() ? line_starts_[line + 1] : text.size();
  end = std::min(end, text.size());
  if (end > start && text[end - 1] == '\n') --end;
  if (end > start && text[end - 1] == '\r') --end;
  return end;
}

Position LineIndex::to_position(std::string_view text, std::size_t byte_offset,
                                PositionEncoding encoding) const noexcept {
  assert(text.size() == text_size_ && "LineIndex used with a different text");
  const std::size_t offset = std::min(byte_offset, text.size());
  // The last line starting at or before the offset.
  const auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  const auto line = static_cast<std::uint32_t>(it - line_starts_.begin() - 1);
  const std::size_t start = line_starts_[line];
  const std::size_t end = line_end(text, line);
  const std::size_t target = std::min(offset, end);  // between \r and \n: snap to the \r

  // An ASCII stretch counts one unit per byte in both encodings: skip it 8 bytes at a time.
  std::size_t i = skip_ascii(text, start, target);
  auto character = static_cast<std::uint32_t>(i - start);
  while (i < target) {
    const CodePoint cp = decode(text, i, end);
    if (i + cp.bytes > target) break;  // the offset is inside this code point: snap to its start
    character += width(cp, encoding);
    i += cp.bytes;
  }
  return {line, character};
}

std::size_t LineIndex::to_offset(std::string_view text, Position position,
                                 PositionEncoding encoding) const noexcept {
  assert(text.size() == text_size_ && "LineIndex used with a different text");
  if (position.line >= line_starts_.size()) return text.size();
  const std::size_t end = line_end(text, position.line);
  std::size_t i = std::min(line_starts_[position.line], end);
  std::uint32_t units = 0;
  while (i < end && units < position.character) {
    const CodePoint cp = decode(text, i, end);
    const std::uint32_t w = width(cp, encoding);
    if (units + w > position.character) break;  // inside a code point (e.g. a surrogate pair)
    units += w;
    i += cp.bytes;
  }
  return i;
}

Position to_position(std::string_view text, std::size_t byte_offset, PositionEncoding encoding) {
  return LineIndex(text).to_position(text, byte_offset, encoding);
}

std::size_t to_offset(std::string_view text, Position position, PositionEncoding encoding) {
  return LineIndex(text).to_offset(text, position, encoding);
}

}  // namespace mlroast::protocol
