// `workspace/didChangeWatchedFiles`: when a pyproject.toml or mlroast.toml was created, changed
// or deleted, the configuration is read again and open documents are re-analysed. Other files
// are ignored.
#include <spdlog/spdlog.h>

#include "server/handlers/handlers.hpp"
#include "server/server.hpp"

namespace mlroast::server::handlers {

namespace {
bool is_config(const std::string& uri) {
  auto ends = [&](std::string_view s) {
    return uri.size() >= s.size() && uri.compare(uri.size() - s.size(), s.size(), s) == 0;
  };
  return ends("/pyproject.toml") || ends("/mlroast.toml");
}
}  // namespace

void did_change_watched_files(Server& server, const json& params) {
  const json changes = params.value("changes", json::array());
  if (!changes.is_array()) return;
  for (const auto& change : changes) {
    if (change.is_object() && change.contains("uri") && change["uri"].is_string() &&
        is_config(change["uri"].get<std::string>())) {
      spdlog::info("configuration file changed: {}", change["uri"].get<std::string>());
      server.reload_configuration();
      return;
    }
  }
}

}  // namespace mlroast::server::handlers
