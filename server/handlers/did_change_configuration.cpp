// `workspace/didChangeConfiguration`: new client settings (params.settings, nested under
// "mlroast" or not; server/settings.hpp). They replace the previous ones, the configuration
// files are read again and open documents are re-analysed. Bad values are logged and ignored.
#include <spdlog/spdlog.h>

#include "server/handlers/handlers.hpp"
#include "server/server.hpp"

namespace mlroast::server::handlers {

void did_change_configuration(Server& server, const json& params) {
  std::vector<std::string> problems;
  ServerSettings settings = parse_settings(params.value("settings", json()), problems);
  for (const auto& p : problems) spdlog::warn("didChangeConfiguration: {}", p);
  server.set_settings(std::move(settings));
}

}  // namespace mlroast::server::handlers
