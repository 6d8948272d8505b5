// The LSP structures mlroast exchanges, as plain structs with nlohmann `to_json`/`from_json`
// (found by ADL, so `json j = diag;` and `j.get<Range>()` work). Only the types and fields the
// server uses are here; add more when a handler needs them. C++ members are snake_case, JSON keys
// are the LSP camelCase names. Optional fields absent from a struct are omitted from its JSON.
// from_json never lets a nlohmann exception escape: a missing or mistyped field throws
// InvalidParamsError naming it, and `require<T>(params, "textDocument")` re-roots that name to
// the full path ("textDocument.uri"), ready to become an InvalidParams reply. Plain values: no
// shared state, usable from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "protocol/jsonrpc.hpp"
#include "protocol/position.hpp"

namespace mlroast::protocol {

using DocumentUri = std::string;

struct Range {
  Position start;
  Position end;
  bool operator==(const Range&) const = default;
};

struct Location {
  DocumentUri uri;
  Range range;
  bool operator==(const Location&) const = default;
};

struct TextDocumentIdentifier {
  DocumentUri uri;
  bool operator==(const TextDocumentIdentifier&) const = default;
};

struct VersionedTextDocumentIdentifier {
  DocumentUri uri;
  std::int32_t version = 0;
  bool operator==(const VersionedTextDocumentIdentifier&) const = default;
};

struct TextDocumentItem {
  DocumentUri uri;
  std::string language_id;
  std::int32_t version = 0;
  std::string text;
  bool operator==(const TextDocumentItem&) const = default;
};

// One change of textDocument/didChange: replaces `range` with `text`, or the whole document when
// `range` is absent.
struct TextDocumentContentChangeEvent {
  std::optional<Range> range;
  std::string text;
  bool operator==(const TextDocumentContentChangeEvent&) const = default;
};

enum class DiagnosticSeverity { Error = 1, Warning = 2, Information = 3, Hint = 4 };

struct DiagnosticRelatedInformation {
  Location location;
  std::string message;
  bool operator==(const DiagnosticRelatedInformation&) const = default;
};

struct CodeDescription {
  std::string href;
  bool operator==(const CodeDescription&) const = default;
};

// `code`, `source` and `related_information` are omitted from JSON when empty. Reading accepts an
// integer code (as diagnostics of other servers may carry) and turns it into its decimal text;
// an absent severity keeps the default.
struct Diagnostic {
  Range range;
  DiagnosticSeverity severity = DiagnosticSeverity::Warning;
  std::string code;
  std::optional<CodeDescription> code_description;
  std::string source = "mlroast";
  std::string message;
  std::vector<DiagnosticRelatedInformation> related_information;
  std::optional<json> data;
  bool operator==(const Diagnostic&) const = default;
};

struct PublishDiagnosticsParams {
  DocumentUri uri;
  std::optional<std::int32_t> version;
  std::vector<Diagnostic> diagnostics;  // always serialised: an empty list clears the file
  bool operator==(const PublishDiagnosticsParams&) const = default;
};

void to_json(json& j, const Position& value);
void from_json(const json& j, Position& value);
void to_json(json& j, const Range& value);
void from_json(const json& j, Range& value);
void to_json(json& j, const Location& value);
void from_json(const json& j, Location& value);
void to_json(json& j, const TextDocumentIdentifier& value);
void from_json(const json& j, TextDocumentIdentifier& value);
void to_json(json& j, const VersionedTextDocumentIdentifier& value);
void from_json(const json& j, VersionedTextDocumentIdentifier& value);
void to_json(json& j, const TextDocumentItem& value);
void from_json(const json& j, TextDocumentItem& value);
void to_json(json& j, const TextDocumentContentChangeEvent& value);
void from_json(const json& j, TextDocumentContentChangeEvent& value);
void to_json(json& j, DiagnosticSeverity value);
void from_json(const json& j, DiagnosticSeverity& value);
void to_json(json& j, const DiagnosticRelatedInformation& value);
void from_json(const json& j, DiagnosticRelatedInformation& value);
void to_json(json& j, const CodeDescription& value);
void from_json(const json& j, CodeDescription& value);
void to_json(json& j, const Diagnostic& value);
void from_json(const json& j, Diagnostic& value);
void to_json(json& j, const PublishDiagnosticsParams& value);
void from_json(const json& j, PublishDiagnosticsParams& value);

}  // namespace mlroast::protocol
