#include "server/transport.hpp"

#include <poll.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "protocol/framing.hpp"

namespace mlroast::server {

bool MessageWriter::send(const protocol::json& message) {
  return send_body(protocol::serialize(message));
}

bool MessageWriter::send_body(std::string_view body) {
  const std::string frame = protocol::frame(body);
  std::lock_guard lock(mutex_);
  if (broken_.load()) return false;
  if (!write_all(frame)) {
    broken_.store(true);
    return false;
  }
  spdlog::trace("transport: sent {}", body);
  return true;
}

bool MessageWriter::write_all(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t written = ::write(fd_, bytes.data(), bytes.size());
    if (written > 0) {
      bytes.remove_prefix(static_cast<std::size_t>(written));
      continue;
    }
    if (written < 0 && errno == EINTR) continue;
    if (written < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      // The descriptor may share its open file description with a non-blocking stdin (as when
      // a client hands the server one socket for both): wait until it can take more.
      pollfd ready{fd_, POLLOUT, 0};
      if (::poll(&ready, 1, -1) < 0 && errno != EINTR) {
        spdlog::error("transport: poll on the output failed: {}", std::strerror(errno));
        return false;
      }
      continue;
    }
    spdlog::error("transport: writing to the client failed: {}; dropping further output",
                  written < 0 ? std::strerror(errno) : "nothing written");
    return false;
  }
  return true;
}

}  // namespace mlroast::server
