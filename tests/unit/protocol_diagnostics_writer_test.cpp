// The direct publishDiagnostics writer must produce exactly what the nlohmann path produces:
// same keys in the same order, same escapes, U+FFFD for invalid UTF-8 in the same places.
#include <catch2/catch.hpp>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "protocol/diagnostics_writer.hpp"
#include "protocol/lsp_types.hpp"

namespace proto = mlroast::protocol;
using proto::json;

namespace {

std::string reference(const std::string& uri, std::optional<std::int32_t> version,
                      const std::vector<proto::Diagnostic>& items) {
  return proto::serialize(proto::make_notification(
      "textDocument/publishDiagnostics", json(proto::PublishDiagnosticsParams{uri, version, items})));
}

proto::DiagnosticRelatedInformation related(const std::string& uri, std::uint32_t line,
                                            const std::string& message) {
  proto::DiagnosticRelatedInformation r;
  r.location.uri = uri;
  r.location.range.start = {line, 2};
  r.location.range.end = {line, 18};
  r.message = message;
  return r;
}

proto::Diagnostic full(std::string message) {
  proto::Diagnostic d;
  d.range = {{12, 4}, {12, 40}};
  d.severity = proto::DiagnosticSeverity::Error;
  d.code = "ML101";
  d.code_description = proto::CodeDescription{"file:///opt/mlroast/docs/rules/ML101.md"};
  d.message = std::move(message);
  d.related_information.push_back(related("file:///w/train.py", 3, "the split happens here"));
  d.related_information.push_back(related("file:///w/train.py", 1, "and `X` is loaded"));
  d.data = json{{"fix", {{"title", "Move fit to X_train"}, {"edits", json::array()}}}};
  return d;
}

}  // namespace

TEST_CASE("publish body: empty list, with and without a version") {
  CHECK(proto::publish_diagnostics_body("file:///w/a.py", 7, {}) ==
        reference("file:///w/a.py", 7, {}));
  CHECK(proto::publish_diagnostics_body("file:///w/a.py", std::nullopt, {}) ==
        reference("file:///w/a.py", std::nullopt, {}));
  CHECK(json::parse(proto::publish_diagnostics_body("file:///w/a.py", -3, {}))["params"]["version"] ==
        -3);
}

TEST_CASE("publish body: every field, and the optional ones left out") {
  std::vector<proto::Diagnostic> items{full("`StandardScaler.fit` sees the test rows")};
  proto::Diagnostic bare;
  bare.code.clear();
  bare.source.clear();
  bare.message = "plain";
  bare.severity = proto::DiagnosticSeverity::Hint;
  items.push_back(bare);
  CHECK(proto::publish_diagnostics_body("file:///w/t.py", 1, items) ==
        reference("file:///w/t.py", 1, items));
}

TEST_CASE("publish body: escapes and non-ASCII text") {
  std::vector<proto::Diagnostic> items{
      full("quote \" backslash \\ slash / tab \t newline \n cr \r bs \b ff \f"),
      full("controls \x01\x02\x1f and DEL \x7f"),
      full("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\xa5 \xe4\xb8\xad"),  // é € 🔥 中
      full(std::string("a NUL \0 inside", 14)),
  };
  items[1].related_information[0].message = "rel \"q\"\n";
  CHECK(proto::publish_diagnostics_body("file:///w/%C3%A9.py", 2, items) ==
        reference("file:///w/%C3%A9.py", 2, items));
}

TEST_CASE("publish body: invalid UTF-8 becomes U+FFFD exactly where serialize() puts it") {
  for (const std::string& bad :
       {std::string("\xff"), std::string("x\xe2\x82"), std::string("\xc0\xaf"),
        std::string("\xed\xa0\x80 surrogate"), std::string("\xf4\x90\x80\x80"),
        std::string("\xe2\x82\xac\x80 trailing continuation"), std::string("\xf0\x9f\x94 cut 4-byte")}) {
    std::vector<proto::Diagnostic> items{full("message " + bad)};
    items[0].related_information[1].message = bad;
    CAPTURE(bad);
    CHECK(proto::publish_diagnostics_body("file:///w/b.py", 4, items) ==
          reference("file:///w/b.py", 4, items));
  }
}

TEST_CASE("publish body: random messages match the reference") {
  std::mt19937 rng(20261126);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<int> len(0, 40);
  std::uniform_int_distribution<int> plain_run(0, 30);  // ASCII that needs no escape
  std::uniform_int_distribution<std::uint32_t> pos(0, 100000);
  for (int round = 0; round < 200; ++round) {
    std::vector<proto::Diagnostic> items;
    for (int i = 0; i < 5; ++i) {
      std::string m;
      for (int k = len(rng); k > 0; --k) {
        // Mostly printable ASCII, some control bytes, some high bytes (valid or not).
        int b = byte(rng);
        m += static_cast<char>(b < 160 ? 32 + b % 95 : b);
        // Runs of plain ASCII put the special bytes at every position of an 8-byte word.
        if (round % 2 == 1)
          for (int r = plain_run(rng); r > 0; --r) m += static_cast<char>('a' + r % 26);
      }
      proto::Diagnostic d = full(m);
      d.range = {{pos(rng), pos(rng)}, {pos(rng), pos(rng)}};
      if (i % 2 == 0) d.data.reset();
      if (i % 3 == 0) d.related_information.clear();
      items.push_back(d);
    }
    CHECK(proto::publish_diagnostics_body("file:///w/r.py", round, items) ==
          reference("file:///w/r.py", round, items));
  }
}
