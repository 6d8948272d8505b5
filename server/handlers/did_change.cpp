// `textDocument/didChange`: applies the content changes (incremental ranges in the negotiated
// encoding, or whole-text replacements) to the store, which reparses incrementally, then
// schedules an analysis after the debounce. A change to a document that is not open is logged and
// ignored.
#include <spdlog/spdlog.h>

#include <vector>

#include "server/handlers/handlers.hpp"
#include "server/server.hpp"

namespace mlroast::server::handlers {

void did_change(Server& server, const json& params) {
  const auto document =
      protocol::require<protocol::VersionedTextDocumentIdentifier>(params, "textDocument");
  const auto changes = protocol::require<std::vector<protocol::TextDocumentContentChangeEvent>>(
      params, "contentChanges");
  if (server.documents().change(document.uri, document.version, changes) == nullptr) {
    spdlog::warn("didChange for {}, which is not open: ignored", document.uri);
    return;
  }
  server.diagnostics().document_changed(document.uri);
}

}  // namespace mlroast::server::handlers
