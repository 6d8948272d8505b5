#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "protocol/framing.hpp"

using mlroast::protocol::frame;
using mlroast::protocol::FramingErrorKind;
using mlroast::protocol::MessageReader;
using mlroast::protocol::ReadResult;

namespace {

// Drains every available result.
std::vector<ReadResult> drain(MessageReader& reader) {
  std::vector<ReadResult> out;
  while (auto result = reader.next()) out.push_back(std::move(*result));
  return out;
}

std::vector<std::string> bodies(const std::vector<ReadResult>& results) {
  std::vector<std::string> out;
  for (const auto& r : results) {
    REQUIRE(r.is_message());
    out.push_back(r.body());
  }
  return out;
}

}  // namespace

TEST_CASE("frame writes a Content-Length header and the body", "[protocol][framing]") {
  CHECK(frame("{}") == "Content-Length: 2\r\n\r\n{}");
  CHECK(frame("") == "Content-Length: 0\r\n\r\n");
  CHECK(frame("h\xC3\xA9") == "Content-Length: 3\r\n\r\nh\xC3\xA9");  // bytes, not characters
}

TEST_CASE("a single framed message is read back", "[protocol][framing]") {
  MessageReader reader;
  CHECK_FALSE(reader.next());
  reader.feed(frame(R"({"jsonrpc":"2.0"})"));
  auto result = reader.next();
  REQUIRE(result);
  REQUIRE(result->is_message());
  CHECK(result->body() == R"({"jsonrpc":"2.0"})");
  CHECK_FALSE(reader.next());
  CHECK(reader.buffered() == 0);
}

TEST_CASE("an empty body is a message", "[protocol][framing]") {
  MessageReader reader;
  reader.feed("Content-Length: 0\r\n\r\n");
  CHECK(bodies(drain(reader)) == std::vector<std::string>{""});
}

TEST_CASE("a message fed one byte at a time is read once complete", "[protocol][framing]") {
  const std::string body = R"({"method":"initialize","params":{"x":"\u00e9"}})";
  const std::string wire = frame(body);
  MessageReader reader;
  for (std::size_t i = 0; i + 1 < wire.size(); ++i) {
    reader.feed(wire.substr(i, 1));
    REQUIRE_FALSE(reader.next());
  }
  reader.feed(wire.substr(wire.size() - 1));
  CHECK(bodies(drain(reader)) == std::vector<std::string>{body});
}

TEST_CASE("header and body split at every position", "[protocol][framing]") {
  const std::string wire = frame("abc") + frame("defgh");
  for (std::size_t split = 0; split <= wire.size(); ++split) {
    MessageReader reader;
    reader.feed(wire.substr(0, split));
    auto results = drain(reader);
    reader.feed(wire.substr(split));
    auto rest = drain(reader);
    results.insert(results.end(), rest.begin(), rest.end());
    INFO("split at " << split);
    CHECK(bodies(results) == std::vector<std::string>{"abc", "defgh"});
  }
}

TEST_CASE("several messages in one feed come out in order", "[protocol][framing]") {
  MessageReader reader;
  reader.feed(frame("1") + frame("22") + frame("333"));
  CHECK(bodies(drain(reader)) == std::vector<std::string>{"1", "22", "333"});
}

TEST_CASE("body bytes that look like headers are taken verbatim", "[protocol][framing]") {
  const std::string body = "Content-Length: 99\r\n\r\nnot a header";
  MessageReader reader;
  reader.feed(frame(body) + frame("next"));
  CHECK(bodies(drain(reader)) == std::vector<std::string>{body, "next"});
}

TEST_CASE("header names are case-insensitive and other headers are ignored",
          "[protocol][framing]") {
  MessageReader reader;
  reader.feed(
      "Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n"
      "content-length:   5  \r\n"
      "X-Custom: a:b:c\r\n"
      "\r\nhello"
      "CONTENT-LENGTH: 2\r\n\r\nhi");
  CHECK(bodies(drain(reader)) == std::vector<std::string>{"hello", "hi"});
}

TEST_CASE("bare \\n line endings are tolerated in headers", "[protocol][framing]") {
  MessageReader reader;
  reader.feed("Content-Length: 3\n\nabcContent-Length: 1\r\n\nz");
  CHECK(bodies(drain(reader)) == std::vector<std::string>{"abc", "z"});
}

TEST_CASE("a missing Content-Length is reported and the stream recovers", "[protocol][framing]") {
  MessageReader reader;
  reader.feed("Content-Type: text/plain\r\n\r\n{\"lost\":true}" + frame("ok"));
  auto results = drain(reader);
  REQUIRE(results.size() == 2);
  REQUIRE(results[0].is_error());
  CHECK(results[0].error().kind == FramingErrorKind::MissingContentLength);
  CHECK_FALSE(results[0].error().description.empty());
  REQUIRE(results[1].is_message());
  CHECK(results[1].body() == "ok");
}

TEST_CASE("invalid Content-Length values are reported", "[protocol][framing]") {
  const auto [value, kind] = GENERATE(table<std::string, FramingErrorKind>({
      {"abc", FramingErrorKind::InvalidContentLength},
      {"12abc", FramingErrorKind::InvalidContentLength},
      {"-5", FramingErrorKind::InvalidContentLength},
      {"+5", FramingErrorKind::InvalidContentLength},
      {"1.5", FramingErrorKind::InvalidContentLength},
      {"", FramingErrorKind::InvalidContentLength},
      {"99999999999999999999999999", FramingErrorKind::ContentLengthTooLarge},
      {"67108865", FramingErrorKind::ContentLengthTooLarge},  // 64 MiB + 1
  }));
  INFO("Content-Length: '" << value << "'");
  MessageReader reader;
  reader.feed("Content-Length: " + value + "\r\n\r\n{\"garbage\":1}" + frame("after"));
  auto results = drain(reader);
  REQUIRE(results.size() == 2);
  REQUIRE(results[0].is_error());
  CHECK(results[0].error().kind == kind);
  REQUIRE(results[1].is_message());
  CHECK(results[1].body() == "after");
}

TEST_CASE("exactly the maximum Content-Length is accepted", "[protocol][framing]") {
  MessageReader reader(10);
  reader.feed("Content-Length: 10\r\n\r\n0123456789");
  CHECK(bodies(drain(reader)) == std::vector<std::string>{"0123456789"});
  reader.feed("Content-Length: 11\r\n\r\n01234567890");
  auto results = drain(reader);
  REQUIRE(results.size() == 1);
  CHECK(results[0].error().kind == FramingErrorKind::ContentLengthTooLarge);
}

TEST_CASE("an absurd Content-Length does not make the reader wait for the body",
          "[protocol][framing]") {
  MessageReader reader;
  reader.feed("Content-Length: 4000000000\r\n\r\n");
  auto first = reader.next();
  REQUIRE(first);
  CHECK(first->error().kind == FramingErrorKind::ContentLengthTooLarge);
  // The next valid message arrives later, in pieces, and is still found.
  reader.feed("{\"partial\":");
  CHECK_FALSE(reader.next());
  reader.feed("1}Content-Le");
  CHECK_FALSE(reader.next());
  reader.feed("ngth: 2\r\n\r\n{}");
  CHECK(bodies(drain(reader)) == std::vector<std::string>{"{}"});
}

TEST_CASE("a malformed header line is reported and its body skipped", "[protocol][framing]") {
  MessageReader reader;
  reader.feed("Content-Length: 4\r\nthis line has no colon\r\n\r\nbody" + frame("good"));
  auto results = drain(reader);
  REQUIRE(results.size() == 2);
  REQUIRE(results[0].is_error());
  CHECK(results[0].error().kind == FramingErrorKind::MalformedHeader);
  CHECK_THAT(results[0].error().description, Catch::Contains("this line has no colon"));
  REQUIRE(results[1].is_message());
  CHECK(results[1].body() == "good");
}

TEST_CASE("a malformed block's body is skipped by length even if it looks like a header",
          "[protocol][framing]") {
  const std::string body = "Content-Length: 1\r\n\r\nX";  // 22 bytes that must not be parsed
  MessageReader reader;
  reader.feed("Content-Length: 22\r\nno colon\r\n\r\n" + body + frame("real"));
  auto results = drain(reader);
  REQUIRE(results.size() == 2);
  CHECK(results[0].error().kind == FramingErrorKind::MalformedHeader);
  REQUIRE(results[1].is_message());
  CHECK(results[1].body() == "real");
}

TEST_CASE("a blank line where headers are expected is an empty header block",
          "[protocol][framing]") {
  MessageReader reader;
  reader.feed("\r\n" + frame("ok"));
  auto results = drain(reader);
  REQUIRE(results.size() == 2);
  CHECK(results[0].error().kind == FramingErrorKind::MissingContentLength);
  CHECK(results[1].body() == "ok");
}

TEST_CASE("the body of a malformed header block is skipped across feeds", "[protocol][framing]") {
  MessageReader reader;
  reader.feed("Content-Length: 6\r\nbroken\r\n\r\nab");
  auto first = reader.next();
  REQUIRE(first);
  CHECK(first->error().kind == FramingErrorKind::MalformedHeader);
  CHECK_FALSE(reader.next());
  reader.feed("cdef" + frame("x"));
  CHECK(bodies(drain(reader)) == std::vector<std::string>{"x"});
}

TEST_CASE("conflicting Content-Length headers are invalid", "[protocol][framing]") {
  MessageReader reader;
  reader.feed("Content-Length: 2\r\nContent-Length: 3\r\n\r\nabc" + frame("ok"));
  auto results = drain(reader);
  REQUIRE(results.size() == 2);
  CHECK(results[0].error().kind == FramingErrorKind::InvalidContentLength);
  CHECK(results[1].body() == "ok");
}

TEST_CASE("a repeated identical Content-Length header is accepted", "[protocol][framing]") {
  MessageReader reader;
  reader.feed("Content-Length: 2\r\ncontent-length: 2\r\n\r\nok");
  CHECK(bodies(drain(reader)) == std::vector<std::string>{"ok"});
}

TEST_CASE("a header block that never ends is reported instead of buffered forever",
          "[protocol][framing]") {
  MessageReader reader;
  reader.feed(std::string(mlroast::protocol::kMaxHeaderBlockBytes + 100, 'x'));
  auto first = reader.next();
  REQUIRE(first);
  CHECK(first->error().kind == FramingErrorKind::MalformedHeader);
  CHECK(reader.buffered() < 100);
  reader.feed("yyy" + frame("recovered"));
  CHECK(bodies(drain(reader)) == std::vector<std::string>{"recovered"});
}

TEST_CASE("garbage without any header name is discarded while resynchronising",
          "[protocol][framing]") {
  MessageReader reader;
  reader.feed("Content-Length: x\r\n\r\n");
  REQUIRE(reader.next()->is_error());
  for (int i = 0; i < 1000; ++i) {
    reader.feed("garbage bytes without the header name ");
    CHECK_FALSE(reader.next());
  }
  CHECK(reader.buffered() < 64);  // nothing unbounded accumulates
  reader.feed(frame("fine"));
  CHECK(bodies(drain(reader)) == std::vector<std::string>{"fine"});
}

TEST_CASE("framing error kinds have names", "[protocol][framing]") {
  CHECK(mlroast::protocol::to_string(FramingErrorKind::MissingContentLength) ==
        "missing Content-Length");
  CHECK(mlroast::protocol::to_string(FramingErrorKind::ContentLengthTooLarge) ==
        "Content-Length too large");
}
