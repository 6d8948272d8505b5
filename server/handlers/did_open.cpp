// `textDocument/didOpen`: the client now owns the document's content. The store parses it and,
// for a Python document, an analysis is scheduled at once (no debounce: the user just opened it).
#include "server/handlers/handlers.hpp"
#include "server/server.hpp"

namespace mlroast::server::handlers {

void did_open(Server& server, const json& params) {
  const auto item = protocol::require<protocol::TextDocumentItem>(params, "textDocument");
  server.documents().open(item);
  server.diagnostics().document_opened(item.uri);
}

}  // namespace mlroast::server::handlers
