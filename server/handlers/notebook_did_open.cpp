// `notebookDocument/didOpen`: the notebook's cell list and its cells' text documents. The cells
// are stored as text documents owned by the notebook, and the notebook is analysed at once.
#include "server/handlers/handlers.hpp"
#include "server/server.hpp"

namespace mlroast::server::handlers {

void notebook_did_open(Server& server, const json& params) {
  const NotebookDocument& nb = server.notebooks().open(params);
  server.diagnostics().notebook_opened(nb.uri);
}

}  // namespace mlroast::server::handlers
