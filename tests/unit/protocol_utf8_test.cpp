// Tests of protocol/utf8.hpp: the one UTF-8 sequence check behind LSP positions, the
// publishDiagnostics writer and the CLI's terminal output, at every boundary RFC 3629 draws.
#include <catch2/catch.hpp>
#include <string>
#include <string_view>

#include "protocol/utf8.hpp"

using mlroast::protocol::utf8_sequence_length;

namespace {

std::size_t length_of(std::string_view s) { return utf8_sequence_length(s, 0, s.size()); }

}  // namespace

TEST_CASE("utf8: well-formed sequences at the edges of each length", "[protocol]") {
  CHECK(length_of("a") == 1);
  CHECK(length_of(std::string_view("\0", 1)) == 1);
  CHECK(length_of("\x7F") == 1);
  CHECK(length_of("\xC2\x80") == 2);          // U+0080, the first two-byte code point
  CHECK(length_of("\xDF\xBF") == 2);          // U+07FF
  CHECK(length_of("\xE0\xA0\x80") == 3);      // U+0800
  CHECK(length_of("\xED\x9F\xBF") == 3);      // U+D7FF, just below the surrogates
  CHECK(length_of("\xEE\x80\x80") == 3);      // U+E000, just above them
  CHECK(length_of("\xEF\xBF\xBF") == 3);      // U+FFFF
  CHECK(length_of("\xF0\x90\x80\x80") == 4);  // U+10000
  CHECK(length_of("\xF4\x8F\xBF\xBF") == 4);  // U+10FFFF, the last code point
  CHECK(length_of("\xC3\xA9tail") == 2);      // only the sequence at `i` counts
}

TEST_CASE("utf8: overlong forms, surrogates and values past U+10FFFF are rejected", "[protocol]") {
  CHECK(length_of("\xC0\x80") == 0);          // overlong NUL
  CHECK(length_of("\xC1\xBF") == 0);          // overlong U+007F
  CHECK(length_of("\xE0\x9F\xBF") == 0);      // overlong U+07FF
  CHECK(length_of("\xED\xA0\x80") == 0);      // U+D800
  CHECK(length_of("\xED\xBF\xBF") == 0);      // U+DFFF
  CHECK(length_of("\xF0\x8F\xBF\xBF") == 0);  // overlong U+FFFF
  CHECK(length_of("\xF4\x90\x80\x80") == 0);  // U+110000
  CHECK(length_of("\xF5\x80\x80\x80") == 0);
  CHECK(length_of("\xFF") == 0);
  CHECK(length_of("\x80") == 0);              // a continuation byte cannot lead
}

TEST_CASE("utf8: a bad continuation byte or a sequence cut short is rejected", "[protocol]") {
  CHECK(length_of("\xC3") == 0);
  CHECK(length_of("\xC3(") == 0);
  CHECK(length_of("\xE2\x82") == 0);
  CHECK(length_of("\xE2\x82(") == 0);
  CHECK(length_of("\xF0\x9F\x98") == 0);
  CHECK(length_of("\xF0\x9F\x98\xC0") == 0);
  // `end` bounds the read even when the bytes go on: a sequence straddling it is cut short.
  const std::string_view euro = "\xE2\x82\xAC";
  CHECK(utf8_sequence_length(euro, 0, 3) == 3);
  CHECK(utf8_sequence_length(euro, 0, 2) == 0);
  const std::string_view two = "x\xF0\x9F\x98\x80y";
  CHECK(utf8_sequence_length(two, 1, 6) == 4);
  CHECK(utf8_sequence_length(two, 1, 4) == 0);
  CHECK(utf8_sequence_length(two, 5, 6) == 1);
}
