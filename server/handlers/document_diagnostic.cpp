// `textDocument/diagnostic` (pull diagnostics): answers `{kind: "full", items}` for the
// document's current version, deferring the reply while that version is still being analysed.
// Documents that are not open Python files get an empty report.
#include <string>

#include "server/handlers/handlers.hpp"
#include "server/server.hpp"

namespace mlroast::server::handlers {

HandlerResult document_diagnostic(Server& server, const json& params, RequestContext& context) {
  const auto uri = protocol::require<std::string>(params, "textDocument.uri");
  return server.diagnostics().pull(uri, context.id());
}

}  // namespace mlroast::server::handlers
