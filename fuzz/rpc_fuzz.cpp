// Fuzz target: arbitrary bytes on the server's input stream. Each input is written into a pipe
// that the real server (run_server: the Content-Length MessageReader, the JSON-RPC Dispatcher and
// every registered LSP handler) reads until `exit` or end of input; its output goes to
// /dev/null. Analysis runs synchronously so every didOpen/didChange is analysed inside the run.
// No process is started: the pipe is the seam. An input longer than the pipe's capacity is cut
// there (the writer never blocks); scripts/fuzz.sh keeps -max_len well below it.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "server/server.hpp"

namespace {

int dev_null() {
  static const int fd = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  if (fd < 0) std::abort();
  return fd;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) std::abort();
  const int capacity = ::fcntl(fds[1], F_SETPIPE_SZ, 1 << 20);
  const std::size_t room = capacity > 0 ? static_cast<std::size_t>(capacity) : 65536;
  std::size_t written = 0;
  const std::size_t total = std::min(size, room);
  while (written < total) {
    const ssize_t n = ::write(fds[1], data + written, total - written);
    if (n <= 0) std::abort();
    written += static_cast<std::size_t>(n);
  }
  ::close(fds[1]);

  mlroast::server::ServerOptions options;
  options.log_level = "off";
  options.synchronous = true;
  options.debounce = std::chrono::milliseconds(0);
  mlroast::server::run_server(options, fds[0], dev_null());
  ::close(fds[0]);
  return 0;
}
