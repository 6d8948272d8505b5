// The outgoing half of the transport: the single writer of the protocol stream (stdout in
// production). It frames each JSON-RPC message with its Content-Length header and writes the
// whole frame with blocking writes under one mutex, so frames from different threads never
// interleave and nothing but framed messages ever reaches the stream. A write error (the client
// went away: EPIPE, since run_server ignores SIGPIPE) is logged once and later messages are
// dropped. The incoming half (reading and deframing) lives in server.cpp's read loop.
// Thread rules: send() may be called from any thread; the file descriptor is borrowed and must
// stay open for the writer's lifetime.
#pragma once

#include <atomic>
#include <mutex>
#include <string_view>

#include "protocol/jsonrpc.hpp"

namespace mlroast::server {

class MessageWriter {
 public:
  explicit MessageWriter(int fd) : fd_(fd) {}
  MessageWriter(const MessageWriter&) = delete;
  MessageWriter& operator=(const MessageWriter&) = delete;

  // Serialises, frames and writes one message. Returns false when the stream is broken.
  bool send(const protocol::json& message);
  // Writes one already serialised body. Returns false when the stream is broken.
  bool send_body(std::string_view body);

  bool broken() const noexcept { return broken_.load(); }

 private:
  bool write_all(std::string_view bytes);  // called with mutex_ held

  int fd_;
  std::mutex mutex_;
  std::atomic<bool> broken_{false};
};

}  // namespace mlroast::server
