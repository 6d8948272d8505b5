// Conversion of analysis findings into LSP diagnostics: byte ranges become positions in the
// negotiated encoding (through a LineIndex of the exact text that was analysed), severities map
// to LSP numbers (error 1, warning 2, info 3), the rule code gets its documentation link in
// codeDescription.href, related locations become relatedInformation in the same document, and a
// fix travels in `data.fix` (title, applicability, edits as LSP ranges + newText) for code
// actions to pick up later. Pure functions of their arguments; safe on any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "analysis/finding.hpp"
#include "protocol/lsp_types.hpp"
#include "protocol/position_encoding.hpp"

namespace mlroast::server {

// What a conversion needs to know about the analysed text. `text` and `index` must describe the
// same bytes the findings' offsets refer to; offsets past the end clamp to the end.
struct ConversionContext {
  std::string_view uri;
  std::string_view text;
  const protocol::LineIndex& index;
  protocol::PositionEncoding encoding;
};

protocol::DiagnosticSeverity to_lsp_severity(Severity severity) noexcept;

// The LSP range of the bytes [start_byte, end_byte).
protocol::Range to_lsp_range(const ConversionContext& context, std::uint32_t start_byte,
                             std::uint32_t end_byte);

// `{"title", "applicability": "safe"|"unsafe", "edits": [{"range", "newText"}]}`.
protocol::json to_lsp_fix(const ConversionContext& context, const Fix& fix);

protocol::Diagnostic to_lsp_diagnostic(const ConversionContext& context, const Finding& finding);

std::vector<protocol::Diagnostic> to_lsp_diagnostics(const ConversionContext& context,
                                                     const std::vector<Finding>& findings);

}  // namespace mlroast::server
