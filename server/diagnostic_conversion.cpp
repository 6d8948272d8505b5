#include "server/diagnostic_conversion.hpp"

#include "analysis/rules/rule.hpp"

namespace mlroast::server {

protocol::DiagnosticSeverity to_lsp_severity(Severity severity) noexcept {
  switch (severity) {
    case Severity::Error:
      return protocol::DiagnosticSeverity::Error;
    case Severity::Warning:
      return protocol::DiagnosticSeverity::Warning;
    case Severity::Info:
      return protocol::DiagnosticSeverity::Information;
  }
  return protocol::DiagnosticSeverity::Warning;
}

protocol::Range to_lsp_range(const ConversionContext& context, std::uint32_t start_byte,
                             std::uint32_t end_byte) {
  if (end_byte < start_byte) end_byte = start_byte;
  return protocol::Range{context.index.to_position(context.text, start_byte, context.encoding),
                         context.index.to_position(context.text, end_byte, context.encoding)};
}

protocol::json to_lsp_fix(const ConversionContext& context, const Fix& fix) {
  protocol::json edits = protocol::json::array();
  for (const TextEdit& edit : fix.edits) {
    edits.push_back({{"range", to_lsp_range(context, edit.start_byte, edit.end_byte)},
                     {"newText", edit.replacement}});
  }
  return {{"title", fix.title},
          {"applicability", fix.applicability == Applicability::Safe ? "safe" : "unsafe"},
          {"edits", std::move(edits)}};
}

protocol::Diagnostic to_lsp_diagnostic(const ConversionContext& context, const Finding& finding) {
  protocol::Diagnostic diagnostic;
  diagnostic.range = to_lsp_range(context, finding.range.start_byte, finding.range.end_byte);
  diagnostic.severity = to_lsp_severity(finding.severity);
  diagnostic.code = finding.code;
  if (const RuleInfo* rule = find_rule(finding.code)) {
    diagnostic.code_description = protocol::CodeDescription{rule_url(*rule)};
  }
  diagnostic.source = "mlroast";
  diagnostic.message = finding.message;
  for (const RelatedLocation& related : finding.related) {
    diagnostic.related_information.push_back(protocol::DiagnosticRelatedInformation{
        protocol::Location{std::string(context.uri),
                           to_lsp_range(context, related.range.start_byte, related.range.end_byte)},
        related.message});
  }
  if (finding.fix) diagnostic.data = protocol::json{{"fix", to_lsp_fix(context, *finding.fix)}};
  return diagnostic;
}

std::vector<protocol::Diagnostic> to_lsp_diagnostics(const ConversionContext& context,
                                                     const std::vector<Finding>& findings) {
  std::vector<protocol::Diagnostic> out;
  out.reserve(findings.size());
  for (const Finding& finding : findings) out.push_back(to_lsp_diagnostic(context, finding));
  return out;
}

}  // namespace mlroast::server
