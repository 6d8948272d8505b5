// What the LSP latency benchmarks (lsp_latency.cpp: a script; notebook_latency.cpp: a notebook)
// share: the real `mlroast server` as a child process on pipes, a JSON-RPC session over it with
// every wait bounded by a deadline, and the statistics they print.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <deque>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "protocol/framing.hpp"

namespace mlroast::bench {

using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

double ms_between(Clock::time_point from, Clock::time_point to);

// Nearest-rank percentile (p in 0..100) and mean; 0 for an empty vector.
double percentile(std::vector<double> v, double p);
double mean(const std::vector<double>& v);

struct Received {
  std::string body;
  Clock::time_point arrived;  // when the read that completed the frame returned
};

// `binary server <args>` with pipes on stdin and stdout; stderr is inherited (the server runs
// with --log-level off, so anything there is a crash report worth seeing). Both pipe ends are
// non-blocking and every wait goes through poll() with a deadline.
class ServerProcess {
 public:
  ServerProcess(const std::string& binary, const std::vector<std::string>& args);
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // Writes one framed message, reading whatever the server writes meanwhile (so a server
  // blocked on a full stdout can never deadlock us). Throws on a broken pipe or at the deadline.
  void send(const json& message, Clock::time_point deadline);
  // The next complete message, or nullopt when none arrived before the deadline. Throws when the
  // server closed its stdout.
  std::optional<Received> next(Clock::time_point deadline);
  void close_stdin();
  // Exit status (128 + signal when killed), or nullopt if still running at the deadline.
  std::optional<int> wait_exit(std::chrono::milliseconds wait);
  // Kills the server (by its pid) when it is still running and reaps it.
  void kill_and_reap();
  std::size_t framing_errors() const noexcept { return framing_errors_; }

 private:
  void read_once();

  pid_t pid_ = -1;
  int in_ = -1;
  int out_ = -1;
  bool eof_ = false;
  std::optional<int> status_;
  mlroast::protocol::MessageReader reader_;
  std::deque<Received> ready_;
  std::size_t framing_errors_ = 0;
};

// A notification as the session read it: its params, the size of its body and when it arrived.
struct Notification {
  json params;
  std::size_t bytes = 0;
  Clock::time_point arrived;
};

// A JSON-RPC client session over a ServerProcess. Requests from the server are answered with a
// null result; error responses are counted in `unexpected` and printed to stderr.
class Session {
 public:
  explicit Session(ServerProcess& server) : server_(server) {}

  // Sends a request and returns its result; throws on an error reply or at the deadline.
  json request(const std::string& method, json params, std::chrono::milliseconds wait);
  void notify(const std::string& method, json params, Clock::time_point deadline);
  // The next notification named `method`; nullopt at the deadline.
  std::optional<Notification> next_notification(const std::string& method,
                                                Clock::time_point deadline);
  // Sends a request and returns the notifications named `method` read before its reply (in
  // order); nullopt at the deadline. The reply's result is not looked at.
  std::optional<std::vector<Notification>> notifications_until_reply(
      const std::string& request_method, json params, const std::string& method,
      Clock::time_point deadline);
  // initialize (offering UTF-8 and UTF-16 positions) and initialized; the negotiated encoding.
  std::string initialize(const std::string& client_name, std::chrono::milliseconds wait);

  int unexpected = 0;  // error responses

 private:
  // Sends a request and returns its whole reply; nullopt at the deadline. Notifications named
  // `collect` read meanwhile go to `collected` when given; other messages to handle_other().
  std::optional<json> exchange(const std::string& request_method, json params,
                               Clock::time_point deadline, const std::string& collect,
                               std::vector<Notification>* collected);
  void handle_other(const json& m);

  ServerProcess& server_;
  int next_id_ = 1;
};

// How a measured session ended.
struct SessionEnd {
  double shutdown_ms = 0;
  std::optional<int> exit_status;  // nullopt: it did not exit and was killed
  std::string error;               // a fatal problem that cut the session short
  int unexpected = 0;              // error responses and framing errors
  bool ok() const { return error.empty() && unexpected == 0 && exit_status == 0; }
};

// Starts `binary server <flags> --log-level off`, initializes a session and runs `body` with it
// and the negotiated position encoding, then shutdown (timed) and exit. Anything `body` throws
// ends the session early and lands in `error`; a server that does not exit is killed.
SessionEnd run_session(const std::string& binary, std::vector<std::string> flags,
                       std::chrono::milliseconds wait, const std::string& client_name,
                       const std::function<void(Session&, const std::string&)>& body);

// The typist's pause before an edit (`--pace-ms`): sleeps `pace_ms` (nothing when 0).
void pause_before_edit(int pace_ms);
// How the edits are paced, for the report: "back to back" or "each N ms after the previous
// publish".
std::string pacing(int pace_ms);

// The flags as one string, for the report ("--debounce-ms 0").
std::string join_flags(const std::vector<std::string>& flags);
// "  <label>: p50 .. p95 .. p99 .. max .. (mean .., min ..)" for a non-empty sample of ms.
void print_latencies(const char* label, const std::vector<double>& ms);
// The shutdown time and the server's exit status, then an empty line.
void print_end(const SessionEnd& end);

}  // namespace mlroast::bench
