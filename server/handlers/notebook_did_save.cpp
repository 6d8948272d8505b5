// `notebookDocument/didSave`: re-analyses the notebook at once (no debounce), like didSave.
#include "server/handlers/handlers.hpp"
#include "server/server.hpp"

namespace mlroast::server::handlers {

void notebook_did_save(Server& server, const json& params) {
  server.diagnostics().notebook_saved(
      protocol::require<std::string>(params, "notebookDocument.uri"));
}

}  // namespace mlroast::server::handlers
