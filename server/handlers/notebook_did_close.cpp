// `notebookDocument/didClose`: forgets the notebook and its cells' text documents, and publishes
// an empty diagnostics list for every cell.
#include "server/handlers/handlers.hpp"
#include "server/server.hpp"

namespace mlroast::server::handlers {

void notebook_did_close(Server& server, const json& params) {
  const auto uri = protocol::require<std::string>(params, "notebookDocument.uri");
  std::vector<std::string> cells = server.notebooks().close(uri);
  // Cells listed in the params but unknown to the store (opened out of order) are closed too.
  for (const auto& id : protocol::optional_field<std::vector<protocol::TextDocumentIdentifier>>(
                            params, "cellTextDocuments")
                            .value_or(std::vector<protocol::TextDocumentIdentifier>{}))
    if (server.documents().close(id.uri)) cells.push_back(id.uri);
  server.diagnostics().notebook_closed(uri, cells);
}

}  // namespace mlroast::server::handlers
