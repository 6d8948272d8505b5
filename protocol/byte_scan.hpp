// Word-at-a-time scans over text bytes for the conversions the server runs on every keystroke
// (positions of a few hundred findings, the JSON of their diagnostics): they look at 8 bytes per
// step for the rare byte that needs attention instead of deciding byte by byte. Pure inline
// functions; any alignment, any length.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace mlroast::protocol {

namespace byte_scan_detail {

constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
constexpr std::uint64_t kHigh = 0x8080808080808080ULL;

inline std::uint64_t load8(const char* p) noexcept {
  std::uint64_t w = 0;
  std::memcpy(&w, p, sizeof w);
  return w;
}

// Nonzero when some byte of `w` is zero (exact for the "some byte" question).
constexpr std::uint64_t has_zero(std::uint64_t w) noexcept { return (w - kOnes) & ~w & kHigh; }

// Nonzero when some byte of `w` is a control character (< 0x20), '"', '\\' or >= 0x80.
constexpr std::uint64_t has_json_special(std::uint64_t w) noexcept {
  return ((w - kOnes * 0x20) & ~w & kHigh) | has_zero(w ^ (kOnes * '"')) |
         has_zero(w ^ (kOnes * '\\')) | (w & kHigh);
}

constexpr bool is_json_special(unsigned char c) noexcept {
  return c < 0x20 || c == '"' || c == '\\' || c >= 0x80;
}

}  // namespace byte_scan_detail

// The first index in [from, end) whose byte is not ASCII (>= 0x80), or `end`.
inline std::size_t skip_ascii(std::string_view s, std::size_t from, std::size_t end) noexcept {
  using namespace byte_scan_detail;
  std::size_t i = from;
  while (i + 8 <= end && (load8(s.data() + i) & kHigh) == 0) i += 8;
  while (i < end && static_cast<unsigned char>(s[i]) < 0x80) ++i;
  return i;
}

// The first index at or after `from` whose byte a JSON string writer must look at (a control
// character, '"', '\\' or a non-ASCII byte), or s.size().
inline std::size_t skip_json_plain(std::string_view s, std::size_t from) noexcept {
  using namespace byte_scan_detail;
  std::size_t i = from;
  while (i + 8 <= s.size() && has_json_special(load8(s.data() + i)) == 0) i += 8;
  while (i < s.size() && !is_json_special(static_cast<unsigned char>(s[i]))) ++i;
  return i;
}

}  // namespace mlroast::protocol
