// `initialized`: the client has received the initialize result. When the client supports it,
// mlroast registers file watchers for its configuration files (pyproject.toml, mlroast.toml) so
// workspace/didChangeWatchedFiles reloads the configuration.
#include <spdlog/spdlog.h>

#include "server/handlers/handlers.hpp"
#include "server/server.hpp"

namespace mlroast::server::handlers {

void initialized(Server& server, const json&) {
  spdlog::info("initialized: position encoding {}, {} analysis",
               protocol::to_string(server.encoding()),
               server.options().synchronous ? "synchronous" : "background");
  if (!server.watch_registration()) return;
  json watchers = json::array({{{"globPattern", "**/pyproject.toml"}}, {{"globPattern", "**/mlroast.toml"}}});
  json registration = {{"id", "mlroast-config-files"},
                       {"method", "workspace/didChangeWatchedFiles"},
                       {"registerOptions", {{"watchers", watchers}}}};
  server.dispatcher().send_request("client/registerCapability",
                                   {{"registrations", json::array({registration})}},
                                   [](const json& reply) {
                                     if (reply.contains("error"))
                                       spdlog::warn("the client refused the config file watchers: {}",
                                                    reply["error"].dump());
                                   });
}

}  // namespace mlroast::server::handlers
