// UTF-8 validation of one sequence, shared by everything that turns the client's bytes into
// positions, JSON or terminal text (position_encoding, diagnostics_writer, cli/source_index).
#pragma once

#include <cstddef>
#include <string_view>

namespace mlroast::protocol {

// Length (1-4) of the well-formed UTF-8 sequence starting at `i` (RFC 3629: no overlong forms,
// no surrogates, nothing above U+10FFFF), reading no byte at or past `end`; 0 when the bytes
// there are not one (an invalid lead byte, a bad continuation byte, or a sequence cut at `end`).
// Requires i < end <= s.size().
inline std::size_t utf8_sequence_length(std::string_view s, std::size_t i,
                                        std::size_t end) noexcept {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char lead = byte(i);
  if (lead < 0x80) return 1;
  std::size_t len = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (lead >= 0xC2 && lead <= 0xDF) {
    len = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    len = 3;
    if (lead == 0xE0) lo = 0xA0;  // overlong below U+0800
    if (lead == 0xED) hi = 0x9F;  // surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    len = 4;
    if (lead == 0xF0) lo = 0x90;  // overlong below U+10000
    if (lead == 0xF4) hi = 0x8F;  // above U+10FFFF
  } else {
    return 0;
  }
  if (end - i < len) return 0;
  if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (std::size_t k = 2; k < len; ++k)
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  return len;
}

}  // namespace mlroast::protocol
