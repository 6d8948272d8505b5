// The LSP Position value type: a zero-based line and a zero-based character offset within that
// line, counted in the units of the negotiated position encoding (UTF-8 bytes or UTF-16 code
// units). It is a plain value; conversion to and from byte offsets lives in position_encoding.hpp
// and JSON conversion in lsp_types.hpp.
#pragma once

#include <compare>
#include <cstdint>

namespace mlroast::protocol {

struct Position {
  std::uint32_t line = 0;
  std::uint32_t character = 0;

  // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 sees a literal 0 in the defaulted <=>
  friend auto operator<=>(const Position&, const Position&) = default;
};

}  // namespace mlroast::protocol
