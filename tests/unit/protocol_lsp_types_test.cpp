#include <catch2/catch.hpp>
#include <string>

#include "protocol/lsp_types.hpp"

namespace proto = mlroast::protocol;
using proto::json;

namespace {

// The field named by the InvalidParamsError that parsing `params[root]` as T throws.
template <class T>
std::string failing_field(const json& params, const std::string& root) {
  try {
    (void)proto::require<T>(params, root);
  } catch (const proto::InvalidParamsError& e) {
    CHECK(e.code() == proto::ErrorCode::InvalidParams);
    return e.field();
  } catch (const std::exception& e) {
    FAIL("unexpected exception type: " << e.what());
  }
  return "<parsed>";
}

proto::Diagnostic full_diagnostic() {
  proto::Diagnostic d;
  d.range = {{3, 4}, {3, 20}};
  d.severity = proto::DiagnosticSeverity::Error;
  d.code = "ML101";
  d.code_description = proto::CodeDescription{"https://mlroast.dev/rules/ML101"};
  d.message = "scaler fitted on the full dataset before train_test_split";
  // push_back rather than a braced list: GCC 12 -O2 warns (falsely) on the initializer_list
  proto::DiagnosticRelatedInformation fitted, split;
  fitted.location = {"file:///p/train.py", {{3, 0}, {3, 25}}};
  fitted.message = "fitted here";
  split.location = {"file:///p/train.py", {{7, 0}, {7, 40}}};
  split.message = "split here";
  d.related_information.push_back(fitted);
  d.related_information.push_back(split);
  d.data = json{{"fixes", json::array({{{"title", "move fit after split"}}})}};
  return d;
}

}  // namespace

TEST_CASE("positions and ranges use LSP field names", "[protocol][lsp_types]") {
  const proto::Range range{{1, 2}, {3, 4}};
  const json j = range;
  CHECK(j == json::parse(R"({"start":{"line":1,"character":2},"end":{"line":3,"character":4}})"));
  CHECK(j.get<proto::Range>() == range);
  const proto::Location location{"file:///a.py", range};
  CHECK(json(location).at("uri") == "file:///a.py");
  CHECK(json(location).get<proto::Location>() == location);
}

TEST_CASE("text document structures round-trip", "[protocol][lsp_types]") {
  const proto::TextDocumentItem item{"file:///a.py", "python", 7, "import numpy as np\n"};
  const json j = item;
  CHECK(j.at("languageId") == "python");
  CHECK(j.at("version") == 7);
  CHECK(j.get<proto::TextDocumentItem>() == item);

  const proto::TextDocumentIdentifier id{"file:///b.py"};
  CHECK(json(id) == json{{"uri", "file:///b.py"}});
  CHECK(json(id).get<proto::TextDocumentIdentifier>() == id);

  const proto::VersionedTextDocumentIdentifier versioned{"file:///b.py", -1};
  CHECK(json(versioned).get<proto::VersionedTextDocumentIdentifier>() == versioned);
}

TEST_CASE("content changes with and without a range", "[protocol][lsp_types]") {
  const proto::TextDocumentContentChangeEvent full{std::nullopt, "all new text"};
  const json full_json = full;
  CHECK_FALSE(full_json.contains("range"));
  CHECK(full_json.get<proto::TextDocumentContentChangeEvent>() == full);

  const proto::TextDocumentContentChangeEvent partial{proto::Range{{0, 1}, {0, 3}}, "xy"};
  const json partial_json = partial;
  CHECK(partial_json.at("range").at("end").at("character") == 3);
  CHECK(partial_json.get<proto::TextDocumentContentChangeEvent>() == partial);

  const json with_range_length = json::parse(
      R"({"range":{"start":{"line":0,"character":0},"end":{"line":0,"character":1}},
          "rangeLength":1,"text":""})");
  CHECK(with_range_length.get<proto::TextDocumentContentChangeEvent>().range.has_value());
  CHECK_FALSE(json::parse(R"({"range":null,"text":"t"})")
                  .get<proto::TextDocumentContentChangeEvent>()
                  .range.has_value());
}

TEST_CASE("a full diagnostic round-trips", "[protocol][lsp_types]") {
  const proto::Diagnostic d = full_diagnostic();
  const json j = d;
  CHECK(j.at("severity") == 1);
  CHECK(j.at("code") == "ML101");
  CHECK(j.at("codeDescription").at("href") == "https://mlroast.dev/rules/ML101");
  CHECK(j.at("source") == "mlroast");
  CHECK(j.at("relatedInformation").size() == 2);
  CHECK(j.at("relatedInformation")[1].at("message") == "split here");
  CHECK(j.at("data").at("fixes")[0].at("title") == "move fit after split");
  CHECK(j.get<proto::Diagnostic>() == d);
}

TEST_CASE("a minimal diagnostic omits absent optional fields", "[protocol][lsp_types]") {
  proto::Diagnostic d;
  d.range = {{0, 0}, {0, 1}};
  d.message = "m";
  const json j = d;
  CHECK(j == json::parse(R"({"range":{"start":{"line":0,"character":0},
                                      "end":{"line":0,"character":1}},
                             "severity":2,"source":"mlroast","message":"m"})"));
  CHECK(j.get<proto::Diagnostic>() == d);
}

TEST_CASE("diagnostics from other servers are read leniently", "[protocol][lsp_types]") {
  const auto d = json::parse(R"({"range":{"start":{"line":1,"character":0},
                                          "end":{"line":1,"character":5}},
                                 "code":404,"message":"other"})")
                     .get<proto::Diagnostic>();
  CHECK(d.code == "404");
  CHECK(d.source.empty());
  CHECK(d.severity == proto::DiagnosticSeverity::Warning);
  CHECK_FALSE(d.code_description.has_value());
  CHECK(d.related_information.empty());
  CHECK_FALSE(d.data.has_value());
  CHECK(json(d).at("code") == "404");
  CHECK_FALSE(json(d).contains("source"));
}

TEST_CASE("publishDiagnostics params round-trip", "[protocol][lsp_types]") {
  proto::PublishDiagnosticsParams params{"file:///a.py", 4, {full_diagnostic()}};
  json j = params;
  CHECK(j.at("version") == 4);
  CHECK(j.at("diagnostics").size() == 1);
  CHECK(j.get<proto::PublishDiagnosticsParams>() == params);

  const proto::PublishDiagnosticsParams cleared{"file:///a.py", std::nullopt, {}};
  j = cleared;
  CHECK_FALSE(j.contains("version"));
  CHECK(j.at("diagnostics") == json::array());  // always present: an empty list clears
  CHECK(j.get<proto::PublishDiagnosticsParams>() == cleared);
}

TEST_CASE("severities map to the LSP numbers", "[protocol][lsp_types]") {
  CHECK(json(proto::DiagnosticSeverity::Error) == 1);
  CHECK(json(proto::DiagnosticSeverity::Hint) == 4);
  CHECK(json(3).get<proto::DiagnosticSeverity>() == proto::DiagnosticSeverity::Information);
}

TEST_CASE("missing or mistyped fields name their full path", "[protocol][lsp_types]") {
  const json did_open =
      json::parse(R"({"textDocument":{"languageId":"python","version":1,"text":""}})");
  CHECK(failing_field<proto::TextDocumentItem>(did_open, "textDocument") == "textDocument.uri");

  const json wrong_version = json::parse(
      R"({"textDocument":{"uri":"file:///a","languageId":"python","version":"1","text":""}})");
  CHECK(failing_field<proto::TextDocumentItem>(wrong_version, "textDocument") ==
        "textDocument.version");

  const json not_an_object = json::parse(R"({"textDocument":"file:///a"})");
  CHECK(failing_field<proto::TextDocumentIdentifier>(not_an_object, "textDocument") ==
        "textDocument");
  CHECK(failing_field<proto::TextDocumentIdentifier>(json::object(), "textDocument") ==
        "textDocument");

  const json change = json::parse(
      R"({"contentChanges":[{"text":"ok"},
                            {"range":{"start":{"line":0,"character":0},"end":{"line":-1,"character":0}},
                             "text":"x"}]})");
  CHECK(failing_field<std::vector<proto::TextDocumentContentChangeEvent>>(
            change, "contentChanges") == "contentChanges[1].range.end.line");

  json diagnostic = full_diagnostic();
  diagnostic["relatedInformation"][1]["location"].erase("uri");
  CHECK(failing_field<proto::Diagnostic>(json{{"d", diagnostic}}, "d") ==
        "d.relatedInformation[1].location.uri");

  diagnostic = full_diagnostic();
  diagnostic["severity"] = 7;
  CHECK(failing_field<proto::Diagnostic>(json{{"d", diagnostic}}, "d") == "d.severity");
  diagnostic["severity"] = "error";
  CHECK(failing_field<proto::Diagnostic>(json{{"d", diagnostic}}, "d") == "d.severity");

  diagnostic = full_diagnostic();
  diagnostic["code"] = json::array();
  CHECK(failing_field<proto::Diagnostic>(json{{"d", diagnostic}}, "d") == "d.code");

  diagnostic = full_diagnostic();
  diagnostic.erase("message");
  CHECK(failing_field<proto::Diagnostic>(json{{"d", diagnostic}}, "d") == "d.message");

  diagnostic = full_diagnostic();
  diagnostic["codeDescription"] = json::object();
  CHECK(failing_field<proto::Diagnostic>(json{{"d", diagnostic}}, "d") == "d.codeDescription.href");

  const json publish = json::parse(R"({"p":{"uri":"file:///a","version":1}})");
  CHECK(failing_field<proto::PublishDiagnosticsParams>(publish, "p") == "p.diagnostics");
}

TEST_CASE("json::get reports the relative field when used directly", "[protocol][lsp_types]") {
  const json range = json::parse(R"({"start":{"line":0,"character":0}})");
  try {
    (void)range.get<proto::Range>();
    FAIL("expected InvalidParamsError");
  } catch (const proto::InvalidParamsError& e) {
    CHECK(e.field() == "end");
  }
}
