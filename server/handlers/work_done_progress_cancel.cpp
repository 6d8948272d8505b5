// `window/workDoneProgress/cancel`: the user pressed cancel on a review's progress. The review's
// flag is set; the worker stops before its next file and the command answers RequestCancelled.
#include <spdlog/spdlog.h>

#include "server/handlers/handlers.hpp"
#include "server/server.hpp"

namespace mlroast::server::handlers {

void work_done_progress_cancel(Server& server, const json& params) {
  const json token = params.value("token", json());
  const std::string key = token.is_string() ? token.get<std::string>() : token.dump();
  auto found = server.reviews().find(key);
  if (found == server.reviews().end()) {
    spdlog::debug("workDoneProgress/cancel for unknown token {}", key);
    return;
  }
  found->second->store(true);
}

}  // namespace mlroast::server::handlers
