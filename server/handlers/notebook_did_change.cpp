// `notebookDocument/didChange`: cell structure changes (cells inserted, deleted or moved, with
// their text documents opened and closed), cell data (kind, execution summary) and cell text
// edits. Any of them re-analyses the whole notebook after the debounce; closed cells get an empty
// diagnostics list at once. A change to a notebook that is not open is logged and ignored.
#include <spdlog/spdlog.h>

#include "server/handlers/handlers.hpp"
#include "server/server.hpp"

namespace mlroast::server::handlers {

void notebook_did_change(Server& server, const json& params) {
  const auto uri = protocol::require<std::string>(params, "notebookDocument.uri");
  auto closed = server.notebooks().change(params);
  if (!closed) {
    spdlog::warn("notebookDocument/didChange for {}, which is not open: ignored", uri);
    return;
  }
  server.diagnostics().notebook_changed(uri, *closed);
}

}  // namespace mlroast::server::handlers
