// Logging set-up shared by every mode: spdlog writing to stderr only (stdout belongs to the
// protocol in server mode and to reports in CLI mode). Call once at start-up, before threads.
#pragma once

#include <optional>
#include <string_view>

namespace mlroast::server {

// Configures the default logger to stderr at `level` ("trace", "debug", "info", "warn",
// "error", "off"); returns false (and keeps "warn") when the level is not recognised.
bool init_logging(std::string_view level);

}  // namespace mlroast::server
