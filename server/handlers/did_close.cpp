// `textDocument/didClose`: the document's content is the file on disk again. The store forgets
// it, pending analysis is dropped and its diagnostics are cleared with an empty publish.
#include <spdlog/spdlog.h>

#include "server/handlers/handlers.hpp"
#include "server/server.hpp"

namespace mlroast::server::handlers {

void did_close(Server& server, const json& params) {
  const auto document = protocol::require<protocol::TextDocumentIdentifier>(params, "textDocument");
  if (!server.documents().close(document.uri)) {
    spdlog::warn("didClose for {}, which is not open", document.uri);
  }
  server.diagnostics().document_closed(document.uri);
}

}  // namespace mlroast::server::handlers
