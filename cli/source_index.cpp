#include "cli/source_index.hpp"

#include <algorithm>

#include "protocol/utf8.hpp"

namespace mlroast::cli {

namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

}  // namespace

SourceIndex::SourceIndex(std::string_view text) : text_(text) {
  starts_.push_back(0);
  for (std::size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n') starts_.push_back(i + 1);
}

std::size_t SourceIndex::line_start(std::size_t row) const {
  return row < starts_.size() ? starts_[row] : text_.size();
}

std::string_view SourceIndex::line(std::size_t row) const {
  if (row >= starts_.size()) return {};
  std::size_t begin = starts_[row];
  std::size_t end = row + 1 < starts_.size() ? starts_[row + 1] - 1 : text_.size();
  if (end > begin && text_[end - 1] == '\r') --end;
  return text_.substr(begin, end - begin);
}

Location SourceIndex::location(std::size_t byte_offset) const {
  byte_offset = std::min(byte_offset, text_.size());
  // The last line start at or before the offset.
  auto it = std::upper_bound(starts_.begin(), starts_.end(), byte_offset);
  std::size_t row = static_cast<std::size_t>(it - starts_.begin()) - 1;
  std::size_t begin = starts_[row];
  std::size_t column = count_code_points(text_.substr(begin, byte_offset - begin));
  return Location{static_cast<uint32_t>(row + 1), static_cast<uint32_t>(column + 1)};
}

std::size_t count_code_points(std::string_view bytes) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < bytes.size(); ++count) {
    std::size_t len = protocol::utf8_sequence_length(bytes, i, bytes.size());
    i += len == 0 ? 1 : len;
  }
  return count;
}

std::string printable(std::string_view bytes, int tab_width) {
  std::string out;
  out.reserve(bytes.size());
  for (std::size_t i = 0; i < bytes.size();) {
    std::size_t len = protocol::utf8_sequence_length(bytes, i, bytes.size());
    unsigned char c = static_cast<unsigned char>(bytes[i]);
    if (len == 0) {
      out += kReplacement;
      i += 1;
    } else if (c == '\t' && tab_width > 0) {
      out.append(static_cast<std::size_t>(tab_width), ' ');
      i += 1;
    } else if ((c < 0x20 && c != '\t') || c == 0x7F) {
      out += kReplacement;
      i += 1;
    } else {
      out.append(bytes.substr(i, len));
      i += len;
    }
  }
  return out;
}

}  // namespace mlroast::cli
