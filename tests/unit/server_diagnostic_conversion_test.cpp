// Tests of server/diagnostic_conversion: Finding -> LSP Diagnostic (ranges in both encodings,
// severity numbers, code and documentation link, related information, the fix in `data`).
#include <catch2/catch.hpp>
#include <string>

#include "analysis/rules/rule.hpp"
#include "server/diagnostic_conversion.hpp"

namespace proto = mlroast::protocol;
using mlroast::Finding;
using mlroast::server::ConversionContext;
using mlroast::server::to_lsp_diagnostic;
using proto::json;
using proto::PositionEncoding;

namespace {

const std::string kUri = "file:///p/train.py";
// Line 1 holds a 4-byte emoji (2 UTF-16 units) before `[]`.
const std::string kText = "import pickle\r\nx = '😀'; y = []\nz = 1\n";

mlroast::TextRange bytes(std::uint32_t start, std::uint32_t end) {
  mlroast::TextRange range;
  range.start_byte = start;
  range.end_byte = end;
  return range;  // points are not used by the conversion: offsets are
}

Finding sample() {
  Finding f;
  f.code = "ML704";
  f.message = "mutable default";
  const auto at = static_cast<std::uint32_t>(kText.find("[]"));
  f.range = bytes(at, at + 2);
  f.severity = mlroast::Severity::Warning;
  f.related.push_back({bytes(0, 6), "imported here"});
  mlroast::Fix fix;
  fix.title = "Use None";
  fix.applicability = mlroast::Applicability::Safe;
  fix.edits.push_back({at, at + 2, "None"});
  f.fix = fix;
  return f;
}

json position(int line, int character) { return {{"line", line}, {"character", character}}; }

}  // namespace

TEST_CASE("conversion: ranges follow the encoding across an emoji", "[server]") {
  const proto::LineIndex index(kText);
  const auto diag16 =
      to_lsp_diagnostic(ConversionContext{kUri, kText, index, PositionEncoding::Utf16}, sample());
  const auto diag8 =
      to_lsp_diagnostic(ConversionContext{kUri, kText, index, PositionEncoding::Utf8}, sample());
  // "x = '" is 5, the emoji 2 UTF-16 units or 4 bytes, then "'; y = " is 7.
  CHECK(json(diag16.range) == json{{"start", position(1, 14)}, {"end", position(1, 16)}});
  CHECK(json(diag8.range) == json{{"start", position(1, 16)}, {"end", position(1, 18)}});
  CHECK(json(diag8.data->at("fix")["edits"][0]["range"]) ==
        json{{"start", position(1, 16)}, {"end", position(1, 18)}});
}

TEST_CASE("conversion: code, link, source, related information and fix", "[server]") {
  const proto::LineIndex index(kText);
  const ConversionContext context{kUri, kText, index, PositionEncoding::Utf16};
  const json diag = to_lsp_diagnostic(context, sample());
  CHECK(diag["code"] == "ML704");
  CHECK(diag["severity"] == 2);
  CHECK(diag["source"] == "mlroast");
  CHECK(diag["message"] == "mutable default");
  CHECK(diag["codeDescription"]["href"] == mlroast::rule_url(*mlroast::find_rule("ML704")));
  CHECK(diag["relatedInformation"] ==
        json::array(
            {{{"location",
               {{"uri", kUri}, {"range", {{"start", position(0, 0)}, {"end", position(0, 6)}}}}},
              {"message", "imported here"}}}));
  CHECK(diag["data"]["fix"]["title"] == "Use None");
  CHECK(diag["data"]["fix"]["applicability"] == "safe");
  CHECK(diag["data"]["fix"]["edits"][0]["newText"] == "None");
}

TEST_CASE("conversion: severities, unknown codes, findings without a fix", "[server]") {
  using mlroast::server::to_lsp_severity;
  CHECK(to_lsp_severity(mlroast::Severity::Error) == proto::DiagnosticSeverity::Error);
  CHECK(to_lsp_severity(mlroast::Severity::Warning) == proto::DiagnosticSeverity::Warning);
  CHECK(to_lsp_severity(mlroast::Severity::Info) == proto::DiagnosticSeverity::Information);

  const proto::LineIndex index(kText);
  const ConversionContext context{kUri, kText, index, PositionEncoding::Utf16};
  Finding f;
  f.code = "XX999";
  f.message = "m";
  f.severity = mlroast::Severity::Info;
  f.range = bytes(static_cast<std::uint32_t>(kText.size()) + 50, 0);  // past the end, reversed
  const json diag = to_lsp_diagnostic(context, f);
  CHECK(diag["severity"] == 3);
  CHECK_FALSE(diag.contains("codeDescription"));
  CHECK_FALSE(diag.contains("data"));
  CHECK_FALSE(diag.contains("relatedInformation"));
  // Clamped to the end of the text, and never an end before the start.
  CHECK(diag["range"] == json{{"start", position(3, 0)}, {"end", position(3, 0)}});
}
