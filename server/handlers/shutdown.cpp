// `shutdown`: the client asks the server to stop working but not to exit yet. Pending pull
// requests are answered, nothing more is analysed or published, and later requests are refused
// with InvalidRequest (see Server::register_handlers). The result is null.
#include <spdlog/spdlog.h>

#include "server/handlers/handlers.hpp"
#include "server/server.hpp"

namespace mlroast::server::handlers {

HandlerResult shutdown(Server& server, const json&, RequestContext&) {
  spdlog::info("shutdown requested");
  server.request_shutdown();
  return json();
}

}  // namespace mlroast::server::handlers
