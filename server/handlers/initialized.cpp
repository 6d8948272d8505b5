// `initialized`: the client has received the initialize result. mlroast registers nothing
// dynamically, so this only marks the end of the handshake in the log.
#include <spdlog/spdlog.h>

#include "server/handlers/handlers.hpp"
#include "server/server.hpp"

namespace mlroast::server::handlers {

void initialized(Server& server, const json&) {
  spdlog::info("initialized: position encoding {}, {} analysis",
               protocol::to_string(server.encoding()),
               server.options().synchronous ? "synchronous" : "background");
}

}  // namespace mlroast::server::handlers
