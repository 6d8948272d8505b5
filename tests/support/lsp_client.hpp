// A test client for the [lsp] tests: spawns the real `mlroast server` executable (MLROAST_BINARY)
// with pipes on its stdin and stdout (stderr goes to a temporary file), writes framed JSON-RPC
// messages and reads framed messages back with a bounded wait. Every wait has a deadline: a
// server that stays silent or never exits makes the test fail with a message saying what was
// awaited, instead of hanging. The client also keeps every byte the server wrote to stdout, so a
// test can check that nothing but well-formed frames ever appeared there, and it is strict about
// framing: any byte that is not part of a `Content-Length` frame with a JSON-RPC 2.0 body is a
// protocol violation. Thread rules: single-threaded; one client per test.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <deque>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace mlroast::test {

using json = nlohmann::json;
using namespace std::chrono_literals;

inline constexpr std::chrono::milliseconds kDefaultWait = 5s;

class LspClient {
 public:
  // Starts `MLROAST_BINARY server <args...>`; the default is the deterministic test mode.
  explicit LspClient(std::vector<std::string> server_args = {"--sync", "--log-level", "off"});
  // Kills the server (by its pid) if it is still running and reaps it.
  ~LspClient();
  LspClient(const LspClient&) = delete;
  LspClient& operator=(const LspClient&) = delete;

  // --- writing ----------------------------------------------------------------------------------
  void send(const json& message);         // frames and writes one message
  void send_raw(std::string_view bytes);  // writes bytes as they are (for malformed input)
  int request(std::string_view method, json params);  // sends a request; returns its id
  void notify(std::string_view method, json params);
  void close_stdin();  // the client "disappears"

  // --- reading ----------------------------------------------------------------------------------
  // The next message, or nullopt when none arrives before the deadline or stdout ended.
  std::optional<json> try_read(std::chrono::milliseconds wait = kDefaultWait);
  // The next message; throws std::runtime_error naming `what` when none arrives in time.
  json read(std::string_view what, std::chrono::milliseconds wait = kDefaultWait);
  // The response to request `id`. Messages read meanwhile are kept for later reads.
  json response(int id, std::chrono::milliseconds wait = kDefaultWait);
  // The next notification named `method` (other messages read meanwhile are kept).
  json notification(std::string_view method, std::chrono::milliseconds wait = kDefaultWait);
  // The standard handshake: initialize (offering `encodings`) then initialized. Returns the
  // initialize result.
  json initialize(std::vector<std::string> encodings = {"utf-16"});

  // --- the process ------------------------------------------------------------------------------
  // The exit status, or nullopt when the server is still running at the deadline. A server killed
  // by a signal reports 128 + the signal number.
  std::optional<int> wait_exit(std::chrono::milliseconds wait = kDefaultWait);
  // Reads stdout to its end (the server must have exited or be about to), so that raw_stdout()
  // holds everything; returns false when it did not end before the deadline.
  bool drain_stdout(std::chrono::milliseconds wait = kDefaultWait);
  const std::string& raw_stdout() const noexcept { return raw_stdout_; }
  // Framing problems seen so far in stdout (empty when every byte belonged to a valid frame).
  const std::vector<std::string>& violations() const noexcept { return violations_; }
  std::string stderr_text() const;
  pid_t pid() const noexcept { return pid_; }

 private:
  bool fill(std::chrono::steady_clock::time_point deadline);  // one read; false at EOF/timeout
  std::optional<json> next_buffered();                        // one frame out of buffer_
  std::runtime_error timeout(std::string_view what, std::chrono::milliseconds wait) const;

  pid_t pid_ = -1;
  int stdin_fd_ = -1;
  int stdout_fd_ = -1;
  bool stdout_eof_ = false;
  std::optional<int> exit_status_;
  std::filesystem::path stderr_path_;
  std::string buffer_;      // unparsed stdout bytes
  std::string raw_stdout_;  // every stdout byte ever read
  std::vector<std::string> violations_;
  std::deque<json> pending_;  // read but not yet consumed by the test
  int next_id_ = 1;
};

// Framing helpers shared by tests that hand-craft input.
std::string frame(const json& message);

}  // namespace mlroast::test
