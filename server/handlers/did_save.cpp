// `textDocument/didSave` (registered with includeText false): the saved content is what the
// store already holds, so a save only cuts the debounce short: the current version is analysed
// now unless it already has been.
#include <spdlog/spdlog.h>

#include "server/handlers/handlers.hpp"
#include "server/server.hpp"

namespace mlroast::server::handlers {

void did_save(Server& server, const json& params) {
  const auto document = protocol::require<protocol::TextDocumentIdentifier>(params, "textDocument");
  if (server.documents().find(document.uri) == nullptr) {
    spdlog::debug("didSave for {}, which is not open: ignored", document.uri);
    return;
  }
  server.diagnostics().document_saved(document.uri);
}

}  // namespace mlroast::server::handlers
