#include "server/logging.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace mlroast::server {

bool init_logging(std::string_view level) {
  auto logger = spdlog::stderr_color_mt("mlroast");
  logger->set_pattern("[%H:%M:%S.%e] [%^%l%$] %v");
  spdlog::set_default_logger(logger);
  auto lvl = spdlog::level::from_str(std::string(level));
  bool known = lvl != spdlog::level::off || level == "off";
  spdlog::set_level(known ? lvl : spdlog::level::warn);
  return known;
}

}  // namespace mlroast::server
