#include "protocol/lsp_types.hpp"

namespace mlroast::protocol {

// Reading a structure from a non-object fails in its first require(), which reports the value
// itself (an empty field path) as "must be an object"; the caller's require<T>() re-roots it.

void to_json(json& j, const Position& value) {
  j = {{"line", value.line}, {"character", value.character}};
}

void from_json(const json& j, Position& value) {
  value.line = require<std::uint32_t>(j, "line");
  value.character = require<std::uint32_t>(j, "character");
}

void to_json(json& j, const Range& value) { j = {{"start", value.start}, {"end", value.end}}; }

void from_json(const json& j, Range& value) {
  value.start = require<Position>(j, "start");
  value.end = require<Position>(j, "end");
}

void to_json(json& j, const Location& value) { j = {{"uri", value.uri}, {"range", value.range}}; }

void from_json(const json& j, Location& value) {
  value.uri = require<std::string>(j, "uri");
  value.range = require<Range>(j, "range");
}

void to_json(json& j, const TextDocumentIdentifier& value) { j = {{"uri", value.uri}}; }

void from_json(const json& j, TextDocumentIdentifier& value) {
  value.uri = require<std::string>(j, "uri");
}

void to_json(json& j, const VersionedTextDocumentIdentifier& value) {
  j = {{"uri", value.uri}, {"version", value.version}};
}

void from_json(const json& j, VersionedTextDocumentIdentifier& value) {
  value.uri = require<std::string>(j, "uri");
  value.version = require<std::int32_t>(j, "version");
}

void to_json(json& j, const TextDocumentItem& value) {
  j = {{"uri", value.uri},
       {"languageId", value.language_id},
       {"version", value.version},
       {"text", value.text}};
}

void from_json(const json& j, TextDocumentItem& value) {
  value.uri = require<std::string>(j, "uri");
  value.language_id = require<std::string>(j, "languageId");
  value.version = require<std::int32_t>(j, "version");
  value.text = require<std::string>(j, "text");
}

void to_json(json& j, const TextDocumentContentChangeEvent& value) {
  j = {{"text", value.text}};
  if (value.range) j["range"] = *value.range;
}

void from_json(const json& j, TextDocumentContentChangeEvent& value) {
  value.range = optional_field<Range>(j, "range");
  value.text = require<std::string>(j, "text");
}

void to_json(json& j, DiagnosticSeverity value) { j = static_cast<int>(value); }

void from_json(const json& j, DiagnosticSeverity& value) {
  const int raw = detail::convert<int>(j, "");
  if (raw < 1 || raw > 4) throw InvalidParamsError("", "must be between 1 and 4");
  value = static_cast<DiagnosticSeverity>(raw);
}

void to_json(json& j, const DiagnosticRelatedInformation& value) {
  j = {{"location", value.location}, {"message", value.message}};
}

void from_json(const json& j, DiagnosticRelatedInformation& value) {
  value.location = require<Location>(j, "location");
  value.message = require<std::string>(j, "message");
}

void to_json(json& j, const CodeDescription& value) { j = {{"href", value.href}}; }

void from_json(const json& j, CodeDescription& value) {
  value.href = require<std::string>(j, "href");
}

void to_json(json& j, const Diagnostic& value) {
  j = {{"range", value.range}, {"severity", value.severity}};
  if (!value.code.empty()) j["code"] = value.code;
  if (value.code_description) j["codeDescription"] = *value.code_description;
  if (!value.source.empty()) j["source"] = value.source;
  j["message"] = value.message;
  if (!value.related_information.empty()) j["relatedInformation"] = value.related_information;
  if (value.data) j["data"] = *value.data;
}

void from_json(const json& j, Diagnostic& value) {
  value.range = require<Range>(j, "range");
  if (auto severity = optional_field<DiagnosticSeverity>(j, "severity")) value.severity = *severity;
  const auto code = optional_field<json>(j, "code");
  if (!code) {
    value.code.clear();
  } else if (code->is_string()) {
    value.code = code->get<std::string>();
  } else if (code->is_number_integer()) {
    value.code = code->dump();
  } else {
    throw InvalidParamsError("code", "must be a string or an integer");
  }
  value.code_description = optional_field<CodeDescription>(j, "codeDescription");
  value.source = optional_field<std::string>(j, "source").value_or("");
  value.message = require<std::string>(j, "message");
  value.related_information =
      optional_field<std::vector<DiagnosticRelatedInformation>>(j, "relatedInformation")
          .value_or(std::vector<DiagnosticRelatedInformation>{});
  value.data = j.contains("data") ? std::optional<json>(j["data"]) : std::nullopt;
}

void to_json(json& j, const PublishDiagnosticsParams& value) {
  j = {{"uri", value.uri}, {"diagnostics", value.diagnostics}};
  if (value.version) j["version"] = *value.version;
}

void from_json(const json& j, PublishDiagnosticsParams& value) {
  value.uri = require<std::string>(j, "uri");
  value.version = optional_field<std::int32_t>(j, "version");
  value.diagnostics = require<std::vector<Diagnostic>>(j, "diagnostics");
}

}  // namespace mlroast::protocol
