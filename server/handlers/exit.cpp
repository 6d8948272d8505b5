// `exit`: ends the process's session. The exit code is 0 when `shutdown` came first and 1
// otherwise, as the LSP specification asks. Accepted even before `initialize`.
#include <spdlog/spdlog.h>

#include "server/handlers/handlers.hpp"
#include "server/server.hpp"

namespace mlroast::server::handlers {

void exit(Server& server, const json&) {
  if (!server.shutdown_requested()) spdlog::warn("exit without a preceding shutdown");
  server.request_exit();
}

}  // namespace mlroast::server::handlers
