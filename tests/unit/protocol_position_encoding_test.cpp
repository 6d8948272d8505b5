#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/position_encoding.hpp"

using mlroast::protocol::LineIndex;
using mlroast::protocol::Position;
using mlroast::protocol::PositionEncoding;
using mlroast::protocol::to_offset;
using mlroast::protocol::to_position;
using nlohmann::json;

namespace {

constexpr auto kUtf8 = PositionEncoding::Utf8;
constexpr auto kUtf16 = PositionEncoding::Utf16;

Position pos(std::uint32_t line, std::uint32_t character) { return {line, character}; }

// "a" "é" "中" "😀" "z" CRLF "😀" CR "last" LF LF "end"
// byte offsets: a=0 é=1 中=3 😀=6 z=10 \r=11 \n=12 | 😀=13 \r=17 | last=18..21 \n=22 | \n=23 |
// end=24..26, size 27
const std::string kMixed =
    "a\xC3\xA9\xE4\xB8\xAD\xF0\x9F\x98\x80z\r\n\xF0\x9F\x98\x80\rlast\n\nend";

bool is_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// Where an offset into valid UTF-8 should land: the start of its code point, or the \r of a CRLF.
std::size_t snapped(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  while (offset > 0 && offset < text.size() && is_continuation(text[offset])) --offset;
  if (offset > 0 && offset < text.size() && text[offset - 1] == '\r' && text[offset] == '\n') {
    --offset;
  }
  return offset;
}

}  // namespace

namespace Catch {
template <>
struct StringMaker<Position> {
  static std::string convert(const Position& p) {
    return "(" + std::to_string(p.line) + ", " + std::to_string(p.character) + ")";
  }
};
}  // namespace Catch

TEST_CASE("ASCII offsets map to line and column", "[protocol][position]") {
  const std::string text = "hello\nworld";
  for (auto encoding : {kUtf8, kUtf16}) {
    CHECK(to_position(text, 0, encoding) == pos(0, 0));
    CHECK(to_position(text, 5, encoding) == pos(0, 5));
    CHECK(to_position(text, 6, encoding) == pos(1, 0));
    CHECK(to_position(text, 7, encoding) == pos(1, 1));
    CHECK(to_position(text, 11, encoding) == pos(1, 5));
    CHECK(to_offset(text, pos(1, 1), encoding) == 7);
    CHECK(to_offset(text, pos(0, 5), encoding) == 5);
  }
}

TEST_CASE("two-byte characters count one UTF-16 unit", "[protocol][position]") {
  const std::string text = "\xC3\xA9=1";  // é=1
  CHECK(to_position(text, 2, kUtf16) == pos(0, 1));
  CHECK(to_position(text, 2, kUtf8) == pos(0, 2));
  CHECK(to_offset(text, pos(0, 1), kUtf16) == 2);
  CHECK(to_offset(text, pos(0, 2), kUtf8) == 2);
  // In the middle of é: snap to its start.
  CHECK(to_position(text, 1, kUtf16) == pos(0, 0));
  CHECK(to_position(text, 1, kUtf8) == pos(0, 0));
  CHECK(to_offset(text, pos(0, 1), kUtf8) == 0);
}

TEST_CASE("three-byte CJK characters count one UTF-16 unit", "[protocol][position]") {
  const std::string text = "\xE4\xB8\xAD\xE6\x96\x87x";  // 中文x
  CHECK(to_position(text, 6, kUtf16) == pos(0, 2));
  CHECK(to_position(text, 6, kUtf8) == pos(0, 6));
  CHECK(to_position(text, 4, kUtf16) == pos(0, 1));
  CHECK(to_position(text, 5, kUtf16) == pos(0, 1));
  CHECK(to_offset(text, pos(0, 2), kUtf16) == 6);
  CHECK(to_offset(text, pos(0, 3), kUtf16) == 7);
}

TEST_CASE("characters outside the BMP count two UTF-16 units", "[protocol][position]") {
  const std::string text = "\xF0\x9F\x98\x80x";  // 😀x
  CHECK(to_position(text, 4, kUtf16) == pos(0, 2));
  CHECK(to_position(text, 4, kUtf8) == pos(0, 4));
  CHECK(to_position(text, 5, kUtf16) == pos(0, 3));
  CHECK(to_offset(text, pos(0, 2), kUtf16) == 4);
  CHECK(to_offset(text, pos(0, 1), kUtf16) == 0);  // between the surrogates: snap to the start
  CHECK(to_offset(text, pos(0, 3), kUtf16) == 5);
  for (std::size_t inside = 1; inside < 4; ++inside) {
    CHECK(to_position(text, inside, kUtf16) == pos(0, 0));
  }
}

TEST_CASE("CRLF, lone CR and LF all end lines", "[protocol][position]") {
  const std::string crlf = "a\r\nb\r\n";
  const LineIndex index(crlf);
  CHECK(index.line_count() == 3);
  CHECK(index.line_start(1) == 3);
  CHECK(index.line_end(crlf, 0) == 1);
  CHECK(index.to_position(crlf, 1, kUtf16) == pos(0, 1));
  CHECK(index.to_position(crlf, 2, kUtf16) == pos(0, 1));  // between \r and \n
  CHECK(index.to_position(crlf, 3, kUtf16) == pos(1, 0));
  CHECK(index.to_position(crlf, 6, kUtf16) == pos(2, 0));
  CHECK(index.to_offset(crlf, pos(0, 5), kUtf16) == 1);  // clamps before the terminator
  CHECK(index.to_offset(crlf, pos(2, 0), kUtf16) == 6);

  const std::string cr = "a\rb\rc";
  const LineIndex cr_index(cr);
  CHECK(cr_index.line_count() == 3);
  CHECK(cr_index.to_position(cr, 2, kUtf8) == pos(1, 0));
  CHECK(cr_index.to_position(cr, 4, kUtf8) == pos(2, 0));
  CHECK(cr_index.to_offset(cr, pos(1, 9), kUtf8) == 3);

  const std::string lf_cr = "\n\r";  // LF then a lone CR: three empty lines
  const LineIndex lf_cr_index(lf_cr);
  CHECK(lf_cr_index.line_count() == 3);
  CHECK(lf_cr_index.to_position(lf_cr, 1, kUtf16) == pos(1, 0));
  CHECK(lf_cr_index.to_position(lf_cr, 2, kUtf16) == pos(2, 0));
}

TEST_CASE("empty text and a last line without newline", "[protocol][position]") {
  const LineIndex empty("");
  CHECK(empty.line_count() == 1);
  CHECK(empty.to_position("", 0, kUtf16) == pos(0, 0));
  CHECK(empty.to_position("", 5, kUtf16) == pos(0, 0));
  CHECK(empty.to_offset("", pos(3, 3), kUtf16) == 0);

  const std::string text = "x\nyz";
  const LineIndex index(text);
  CHECK(index.line_count() == 2);
  CHECK(index.to_position(text, 4, kUtf16) == pos(1, 2));
  CHECK(index.to_offset(text, pos(1, 99), kUtf16) == 4);
  CHECK(index.line_end(text, 1) == 4);

  const std::string trailing = "x\n";
  CHECK(LineIndex(trailing).line_count() == 2);
  CHECK(to_position(trailing, 2, kUtf16) == pos(1, 0));
}

TEST_CASE("out-of-range input clamps", "[protocol][position]") {
  const std::string text = "ab\ncd";
  const LineIndex index(text);
  CHECK(index.to_position(text, 1000, kUtf16) == pos(1, 2));
  CHECK(index.to_offset(text, pos(0, 1000), kUtf16) == 2);
  CHECK(index.to_offset(text, pos(2, 0), kUtf16) == 5);  // line past the last: end of text
  CHECK(index.to_offset(text, pos(4000000000u, 4000000000u), kUtf16) == 5);
  CHECK(index.line_start(9) == 5);
  CHECK(index.line_end(text, 9) == 5);
}

TEST_CASE("a mixed text maps to the expected positions", "[protocol][position]") {
  const LineIndex index(kMixed);
  REQUIRE(kMixed.size() == 27);
  CHECK(index.line_count() == 5);
  const auto [offset, utf16, utf8] = GENERATE(table<std::size_t, Position, Position>({
      {0, {0, 0}, {0, 0}},
      {1, {0, 1}, {0, 1}},
      {2, {0, 1}, {0, 1}},
      {3, {0, 2}, {0, 3}},
      {6, {0, 3}, {0, 6}},
      {9, {0, 3}, {0, 6}},
      {10, {0, 5}, {0, 10}},
      {11, {0, 6}, {0, 11}},
      {12, {0, 6}, {0, 11}},
      {13, {1, 0}, {1, 0}},
      {15, {1, 0}, {1, 0}},
      {17, {1, 2}, {1, 4}},
      {18, {2, 0}, {2, 0}},
      {22, {2, 4}, {2, 4}},
      {23, {3, 0}, {3, 0}},
      {24, {4, 0}, {4, 0}},
      {27, {4, 3}, {4, 3}},
      {100, {4, 3}, {4, 3}},
  }));
  INFO("offset " << offset);
  CHECK(index.to_position(kMixed, offset, kUtf16) == utf16);
  CHECK(index.to_position(kMixed, offset, kUtf8) == utf8);
}

TEST_CASE("positions in the mixed text map back to offsets", "[protocol][position]") {
  const LineIndex index(kMixed);
  CHECK(index.to_offset(kMixed, pos(0, 4), kUtf16) == 6);  // inside the surrogate pair
  CHECK(index.to_offset(kMixed, pos(0, 5), kUtf16) == 10);
  CHECK(index.to_offset(kMixed, pos(0, 6), kUtf16) == 11);
  CHECK(index.to_offset(kMixed, pos(0, 99), kUtf16) == 11);
  CHECK(index.to_offset(kMixed, pos(1, 1), kUtf16) == 13);
  CHECK(index.to_offset(kMixed, pos(1, 2), kUtf16) == 17);
  CHECK(index.to_offset(kMixed, pos(3, 5), kUtf16) == 23);
  CHECK(index.to_offset(kMixed, pos(5, 0), kUtf16) == 27);
  CHECK(index.to_offset(kMixed, pos(0, 2), kUtf8) == 1);  // inside é
  CHECK(index.to_offset(kMixed, pos(0, 5), kUtf8) == 3);  // inside 中
  CHECK(index.to_offset(kMixed, pos(0, 10), kUtf8) == 10);
  CHECK(index.to_offset(kMixed, pos(1, 4), kUtf8) == 17);
}

TEST_CASE("every offset of a mixed text round-trips in both encodings", "[protocol][position]") {
  const std::string text = kMixed + "\r\n\xC3\xA9\xF0\x9F\x98\x80\r\r\n\xE4\xB8\xAD";
  const LineIndex index(text);
  for (auto encoding : {kUtf8, kUtf16}) {
    Position previous{0, 0};
    for (std::size_t offset = 0; offset <= text.size() + 2; ++offset) {
      INFO("offset " << offset << " encoding " << mlroast::protocol::to_string(encoding));
      const Position p = index.to_position(text, offset, encoding);
      const std::size_t back = index.to_offset(text, p, encoding);
      CHECK(back == snapped(text, offset));
      CHECK(index.to_position(text, back, encoding) == p);
      CHECK(previous <= p);  // positions never go backwards as offsets grow
      previous = p;
    }
  }
}

TEST_CASE("invalid UTF-8 counts one unit per byte and never crashes", "[protocol][position]") {
  SECTION("stray bytes") {
    const std::string text =
        "a\xFF\x80"
        "b";  // 0xFF and a lone continuation byte
    CHECK(to_position(text, 3, kUtf16) == pos(0, 3));
    CHECK(to_offset(text, pos(0, 2), kUtf16) == 2);
  }
  SECTION("truncated sequence before ASCII") {
    const std::string text =
        "\xE2\x82"
        "c";
    CHECK(to_position(text, 2, kUtf16) == pos(0, 2));
    CHECK(to_position(text, 1, kUtf16) == pos(0, 1));
    CHECK(to_offset(text, pos(0, 1), kUtf16) == 1);
  }
  SECTION("overlong form, surrogate and above U+10FFFF") {
    const std::string text = "\xC0\xAF\xED\xA0\x80\xF4\x90\x80\x80|";
    CHECK(to_position(text, 9, kUtf16) == pos(0, 9));
    CHECK(to_offset(text, pos(0, 9), kUtf16) == 9);
  }
  SECTION("overlong three- and four-byte forms") {
    const std::string text = "\xE0\x80\xAF\xF0\x80\x80\xAF|";
    CHECK(to_position(text, 7, kUtf16) == pos(0, 7));
    CHECK(to_position(text, 7, kUtf8) == pos(0, 7));
  }
  SECTION("the smallest valid three- and four-byte forms") {
    const std::string text = "\xE0\xA0\x80\xF0\x90\x80\x80|";  // U+0800, U+10000
    CHECK(to_position(text, 7, kUtf16) == pos(0, 3));
  }
  SECTION("the largest valid code point is still two units") {
    const std::string text = "\xF4\x8F\xBF\xBF|";
    CHECK(to_position(text, 4, kUtf16) == pos(0, 2));
  }
  SECTION("a sequence truncated by the end of the text or a line break") {
    const std::string text = "\xF0\x9F\x98\n\xF0\x9F\x98";
    CHECK(to_position(text, 3, kUtf16) == pos(0, 3));
    CHECK(to_position(text, 7, kUtf16) == pos(1, 3));
    CHECK(to_offset(text, pos(1, 2), kUtf16) == 6);
    for (std::size_t offset = 0; offset <= text.size(); ++offset) {
      const Position p = to_position(text, offset, kUtf16);
      CHECK(to_offset(text, p, kUtf16) == offset);  // every byte is its own unit
    }
  }
}

// A reference built the slow way, one byte and one code point at a time, for the fast paths
// (line starts found with memchr, ASCII stretches skipped 8 bytes at a time).
struct SlowIndex {
  std::vector<std::size_t> starts{0};
  explicit SlowIndex(std::string_view text) {
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      if (text[i] == '\n' || text[i] == '\r') starts.push_back(i + 1);
    }
  }
  // Bytes of the valid code point at i (reading nothing at or past `end`), else 0.
  static std::size_t valid_at(std::string_view t, std::size_t i, std::size_t end) {
    const auto b = [&](std::size_t k) { return static_cast<unsigned char>(t[i + k]); };
    const auto in = [&](std::size_t k, int lo, int hi) { return i + k < end && b(k) >= lo && b(k) <= hi; };
    if (b(0) < 0x80) return 1;
    if (b(0) >= 0xC2 && b(0) <= 0xDF) return in(1, 0x80, 0xBF) ? 2 : 0;
    if (b(0) >= 0xE0 && b(0) <= 0xEF)
      return in(1, b(0) == 0xE0 ? 0xA0 : 0x80, b(0) == 0xED ? 0x9F : 0xBF) && in(2, 0x80, 0xBF) ? 3 : 0;
    if (b(0) >= 0xF0 && b(0) <= 0xF4)
      return in(1, b(0) == 0xF0 ? 0x90 : 0x80, b(0) == 0xF4 ? 0x8F : 0xBF) && in(2, 0x80, 0xBF) &&
                     in(3, 0x80, 0xBF)
                 ? 4
                 : 0;
    return 0;
  }
  Position to_position(std::string_view text, std::size_t offset, PositionEncoding e) const {
    offset = std::min(offset, text.size());
    std::size_t line = 0;
    while (line + 1 < starts.size() && starts[line + 1] <= offset) ++line;
    std::size_t end = line + 1 < starts.size() ? starts[line + 1] : text.size();
    if (end > starts[line] && text[end - 1] == '\n') --end;
    if (end > starts[line] && text[end - 1] == '\r') --end;
    const std::size_t target = std::min(offset, end);
    std::uint32_t units = 0;
    for (std::size_t i = starts[line]; i < target;) {
      std::size_t n = valid_at(text, i, end);
      const std::uint32_t w = n == 4 && e == kUtf16 ? 2 : n == 0 ? 1 : e == kUtf8 ? static_cast<std::uint32_t>(n) : 1;
      if (n == 0) n = 1;
      if (i + n > target) break;
      units += w;
      i += n;
    }
    return {static_cast<std::uint32_t>(line), units};
  }
};

TEST_CASE("random texts with long ASCII runs map like the byte-by-byte reference",
          "[protocol][position]") {
  std::mt19937 rng(20261128);
  const std::vector<std::string> pieces{
      "\n", "\r\n", "\r", "\xC3\xA9", "\xE4\xB8\xAD", "\xF0\x9F\x98\x80", "\xFF", "\x80",
      "\xE2\x82", "\xED\xA0\x80", "\t", std::string(1, '\0')};
  std::uniform_int_distribution<int> ascii_len(0, 40);
  std::uniform_int_distribution<std::size_t> piece(0, pieces.size() - 1);
  for (int round = 0; round < 60; ++round) {
    std::string text;
    for (int k = 0; k < 30; ++k) {
      for (int n = ascii_len(rng); n > 0; --n) text += static_cast<char>('a' + (n * 7 + k) % 26);
      // Every third text has no '\r' at all (the memchr path of the line index).
      std::string p = pieces[piece(rng)];
      if (round % 3 == 0 && p.find('\r') != std::string::npos) p = "\n";
      text += p;
    }
    const LineIndex index(text);
    const SlowIndex slow(text);
    REQUIRE(index.line_count() == slow.starts.size());
    for (std::size_t line = 0; line < slow.starts.size(); ++line)
      CHECK(index.line_start(static_cast<std::uint32_t>(line)) == slow.starts[line]);
    for (auto encoding : {kUtf8, kUtf16}) {
      for (std::size_t offset = 0; offset <= text.size() + 1; ++offset) {
        INFO("round " << round << " offset " << offset);
        CHECK(index.to_position(text, offset, encoding) == slow.to_position(text, offset, encoding));
      }
    }
  }
}

TEST_CASE("position encoding negotiation", "[protocol][position]") {
  using mlroast::protocol::negotiate;
  CHECK(negotiate(json::parse(R"({"general":{"positionEncodings":["utf-16","utf-8"]}})")) == kUtf8);
  CHECK(negotiate(json::parse(R"({"general":{"positionEncodings":["utf-32","utf-16"]}})")) ==
        kUtf16);
  CHECK(negotiate(json::parse(R"({"general":{"positionEncodings":[1,"utf-8"]}})")) == kUtf8);
  CHECK(negotiate(json::parse(R"({"general":{"positionEncodings":"utf-8"}})")) == kUtf16);
  CHECK(negotiate(json::parse(R"({"general":5})")) == kUtf16);
  CHECK(negotiate(json::parse(R"({"textDocument":{}})")) == kUtf16);
  CHECK(negotiate(json()) == kUtf16);
  CHECK(negotiate(json::array()) == kUtf16);
  CHECK(mlroast::protocol::to_string(kUtf8) == "utf-8");
  CHECK(mlroast::protocol::to_string(kUtf16) == "utf-16");
}
