// Edit-to-diagnostics latency of the real language server, end to end over pipes. Starts
// `mlroast server --debounce-ms 0 --log-level off` (and, for comparison, `--sync`), initializes
// with UTF-8 positions, opens a generated 2,000-line leaky ML script and replays 1,000
// single-character incremental didChange edits: 500 pairs of "insert a letter, then delete it
// again", at seeded random positions inside identifiers, string literals and comments, so the text
// stays parseable and returns to the original after every pair. For each edit it measures the
// time from starting to write the didChange to having read the whole publishDiagnostics frame
// carrying that edit's version (stamped before the JSON is parsed, so the client's own parsing is
// not counted). An edit is sent only after the previous one's diagnostics arrived, so the server
// never has a reason to coalesce versions. Every wait is bounded by poll(): a version that never
// arrives is reported as a timeout, never a hang. The session ends with shutdown + exit and the
// server's exit status is checked.
//
// A third section replays the same edits in process through the server's own building blocks
// (DocumentStore, SemanticModel, lineage::Program, analyze, the LSP conversion, the JSON
// serialisation) and prints how the time splits between parse, analysis and protocol work.
//
// Usage: mlroast_lsp_latency_bench [SERVER_BINARY] [--mode async|sync|both|none]
//        [--lines N] [--edits N] [--seed N] [--timeout-ms N] [--breakdown-edits N]
// SERVER_BINARY defaults to build/mlroast. Prints figures; asserts nothing about time. Exits 1
// when an edit timed out, the server died, misbehaved or did not exit with status 0.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/analyzer.hpp"
#include "analysis/lineage/program.hpp"
#include "analysis/semantic/model.hpp"
#include "generate.hpp"
#include "protocol/framing.hpp"
#include "protocol/jsonrpc.hpp"
#include "protocol/lsp_types.hpp"
#include "server/diagnostic_conversion.hpp"
#include "server/document_store.hpp"

extern char** environ;

namespace {

using json = nlohmann::json;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr double kGoalP99Ms = 5.0;
constexpr const char* kUri = "file:///bench/leaky_experiments.py";

double ms_between(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double, std::milli>(to - from).count();
}

int remaining_ms(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return left.count() < 0 ? 0 : static_cast<int>(std::min<long long>(left.count(), 1'000'000));
}

[[noreturn]] void fail_errno(const std::string& what) {
  throw std::runtime_error(what + ": " + std::strerror(errno));
}

// --- options ---------------------------------------------------------------------------------

struct Options {
  std::string binary = "build/mlroast";
  std::string mode = "both";  // async | sync | both
  int lines = 2000;
  int edits = 1000;
  unsigned seed = 1;
  int timeout_ms = 10'000;  // per edit
  int breakdown_edits = 200;
};

Options parse_options(int argc, char** argv) {
  Options o;
  bool binary_seen = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::runtime_error(arg + " needs a value");
      return argv[++i];
    };
    if (arg == "--mode") {
      o.mode = value();
      if (o.mode != "async" && o.mode != "sync" && o.mode != "both" && o.mode != "none")
        throw std::runtime_error("--mode must be async, sync, both or none");
    } else if (arg == "--lines") {
      o.lines = std::stoi(value());
    } else if (arg == "--edits") {
      o.edits = std::stoi(value());
    } else if (arg == "--seed") {
      o.seed = static_cast<unsigned>(std::stoul(value()));
    } else if (arg == "--timeout-ms") {
      o.timeout_ms = std::stoi(value());
    } else if (arg == "--breakdown-edits") {
      o.breakdown_edits = std::stoi(value());
    } else if (arg == "-h" || arg == "--help") {
      std::printf(
          "usage: %s [SERVER_BINARY] [--mode async|sync|both|none] [--lines N] [--edits N]\n"
          "          [--seed N]\n"
          "          [--timeout-ms N] [--breakdown-edits N (0: skip the in-process breakdown)]\n",
          argv[0]);
      std::exit(0);
    } else if (!arg.starts_with("--") && !binary_seen) {
      o.binary = arg;
      binary_seen = true;
    } else {
      throw std::runtime_error("unknown argument " + arg);
    }
  }
  if (o.lines < 50 || o.edits < 2 || o.timeout_ms < 1 || o.breakdown_edits < 0)
    throw std::runtime_error("--lines >= 50, --edits >= 2, --timeout-ms >= 1 please");
  return o;
}

// --- the edits -------------------------------------------------------------------------------

enum class Where { Identifier, String, Comment };
constexpr std::array<const char*, 3> kWhereNames{"identifier", "string", "comment"};

struct Edit {
  std::uint32_t line = 0;
  std::uint32_t character = 0;  // UTF-8 bytes (the generated text is ASCII: UTF-16 is the same)
  std::size_t offset = 0;       // byte offset, for the in-process replay
  char letter = 'a';
  bool insert = true;  // false: delete the letter inserted by the previous edit
  Where where = Where::Identifier;
};

bool is_identifier_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool is_identifier_char(char c) { return is_identifier_start(c) || (c >= '0' && c <= '9'); }

bool is_keyword(std::string_view word) {
  static constexpr std::array<std::string_view, 38> kKeywords{
      "False",   "None",     "True",     "and",    "as",   "assert", "async",  "await",
      "break",   "class",    "continue", "def",    "del",  "elif",   "else",   "except",
      "finally", "for",      "from",     "global", "if",   "import", "in",     "is",
      "lambda",  "nonlocal", "not",      "or",     "pass", "raise",  "return", "try",
      "while",   "with",     "yield",    "match",  "case", "type"};
  return std::find(kKeywords.begin(), kKeywords.end(), word) != kKeywords.end();
}

// Byte offsets where inserting a letter keeps the code parseable: strictly inside a non-keyword
// identifier, inside a one-line string literal, or inside a comment. A light line scanner is
// enough for the generated code (no triple-quoted strings; those lines are skipped).
std::array<std::vector<std::size_t>, 3> insertion_points(const std::string& text) {
  std::array<std::vector<std::size_t>, 3> points;
  std::size_t line_start = 0;
  while (line_start < text.size()) {
    std::size_t line_end = text.find('\n', line_start);
    if (line_end == std::string::npos) line_end = text.size();
    std::size_t i = line_start;
    while (i < line_end) {
      const char c = text[i];
      if (c == '#') {
        for (std::size_t p = i + 1; p <= line_end; ++p)
          points[static_cast<int>(Where::Comment)].push_back(p);
        break;
      }
      if (c == '"' || c == '\'') {
        if (text.compare(i, 3, std::string(3, c)) == 0) break;  // triple quote: skip the line
        std::size_t close = i + 1;
        while (close < line_end && text[close] != c) close += text[close] == '\\' ? 2 : 1;
        if (close >= line_end) break;  // unterminated on this line: leave it alone
        for (std::size_t p = i + 1; p <= close; ++p)
          points[static_cast<int>(Where::String)].push_back(p);
        i = close + 1;
        continue;
      }
      if (is_identifier_start(c)) {
        std::size_t end = i;
        while (end < line_end && is_identifier_char(text[end])) ++end;
        const bool string_prefix = end < line_end && (text[end] == '"' || text[end] == '\'');
        if (!string_prefix && end - i >= 2 &&
            !is_keyword(std::string_view(text).substr(i, end - i)))
          for (std::size_t p = i + 1; p < end; ++p)
            points[static_cast<int>(Where::Identifier)].push_back(p);
        i = end;
        continue;
      }
      if (c >= '0' && c <= '9') {  // a number: skip it whole (1e5, 0x1F, 3_000)
        while (i < line_end && is_identifier_char(text[i])) ++i;
        continue;
      }
      ++i;
    }
    line_start = line_end + 1;
  }
  return points;
}

// `count` edits (rounded down to pairs): insert a random letter, then delete it, cycling through
// identifiers, strings and comments at seeded random positions.
std::vector<Edit> make_edits(const std::string& text, int count, unsigned seed) {
  const auto points = insertion_points(text);
  for (const auto& p : points)
    if (p.empty()) throw std::runtime_error("the generated text has no insertion point of a kind");
  std::vector<std::size_t> line_starts{0};
  for (std::size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n') line_starts.push_back(i + 1);
  std::mt19937 rng(seed);
  std::vector<Edit> edits;
  for (int pair = 0; pair < count / 2; ++pair) {
    Edit e;
    e.where = static_cast<Where>(pair % 3);
    const auto& candidates = points[static_cast<int>(e.where)];
    e.offset = candidates[rng() % candidates.size()];
    const auto line = std::upper_bound(line_starts.begin(), line_starts.end(), e.offset) - 1;
    e.line = static_cast<std::uint32_t>(line - line_starts.begin());
    e.character = static_cast<std::uint32_t>(e.offset - *line);
    e.letter = static_cast<char>('a' + rng() % 26);
    e.insert = true;
    edits.push_back(e);
    e.insert = false;
    edits.push_back(e);
  }
  return edits;
}

json change_params(const Edit& e, int version) {
  const json start = {{"line", e.line}, {"character", e.character}};
  const json end = {{"line", e.line}, {"character", e.character + (e.insert ? 0 : 1)}};
  return {{"textDocument", {{"uri", kUri}, {"version", version}}},
          {"contentChanges",
           json::array({{{"range", {{"start", start}, {"end", end}}},
                         {"text", e.insert ? std::string(1, e.letter) : std::string()}}})}};
}

// --- statistics ------------------------------------------------------------------------------

double percentile(std::vector<double> v, double p) {  // nearest rank
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(v.size())));
  return v[std::clamp<std::size_t>(rank, 1, v.size()) - 1];
}

double mean(const std::vector<double>& v) {
  double sum = 0;
  for (double x : v) sum += x;
  return v.empty() ? 0 : sum / static_cast<double>(v.size());
}

// --- the server process ----------------------------------------------------------------------

struct Received {
  std::string body;
  Clock::time_point arrived;  // when the read that completed the frame returned
};

// `binary server <args>` with pipes on stdin and stdout; stderr is inherited (the server runs
// with --log-level off, so anything there is a crash report worth seeing). Both pipe ends are
// non-blocking and every wait goes through poll() with a deadline.
class ServerProcess {
 public:
  ServerProcess(const std::string& binary, const std::vector<std::string>& args) {
    int to_server[2];
    int from_server[2];
    if (::pipe2(to_server, O_CLOEXEC) != 0) fail_errno("pipe2");
    if (::pipe2(from_server, O_CLOEXEC) != 0) fail_errno("pipe2");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, to_server[0], STDIN_FILENO);
    posix_spawn_file_actions_adddup2(&actions, from_server[1], STDOUT_FILENO);
    std::vector<std::string> store{binary, "server"};
    store.insert(store.end(), args.begin(), args.end());
    std::vector<char*> argv;
    argv.reserve(store.size() + 1);
    for (auto& a : store) argv.push_back(a.data());
    argv.push_back(nullptr);
    const int spawned =
        ::posix_spawn(&pid_, binary.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(to_server[0]);
    ::close(from_server[1]);
    if (spawned != 0) {
      ::close(to_server[1]);
      ::close(from_server[0]);
      errno = spawned;
      fail_errno("starting " + binary);
    }
    in_ = to_server[1];
    out_ = from_server[0];
    ::fcntl(in_, F_SETFL, ::fcntl(in_, F_GETFL) | O_NONBLOCK);
    ::fcntl(out_, F_SETFL, ::fcntl(out_, F_GETFL) | O_NONBLOCK);
  }

  ~ServerProcess() {
    close_stdin();
    if (pid_ > 0 && !status_ && !wait_exit(2s)) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (out_ >= 0) ::close(out_);
  }
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // Writes one framed message, reading whatever the server writes meanwhile (so a server
  // blocked on a full stdout can never deadlock us). Throws on a broken pipe or at the deadline.
  void send(const json& message, Clock::time_point deadline) {
    const std::string bytes = mlroast::protocol::frame(message.dump());
    std::string_view rest = bytes;
    while (!rest.empty()) {
      const ssize_t written = ::write(in_, rest.data(), rest.size());
      if (written > 0) {
        rest.remove_prefix(static_cast<std::size_t>(written));
        continue;
      }
      if (written < 0 && errno == EINTR) continue;
      if (written < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
        fail_errno("writing to the server");
      std::array<pollfd, 2> fds{pollfd{in_, POLLOUT, 0}, pollfd{out_, POLLIN, 0}};
      const int polled = ::poll(fds.data(), eof_ ? 1 : 2, remaining_ms(deadline));
      if (polled < 0 && errno == EINTR) continue;
      if (polled < 0) fail_errno("poll");
      if (polled == 0) throw std::runtime_error("timed out writing to the server");
      if (!eof_ && (fds[1].revents & (POLLIN | POLLHUP))) read_once();
    }
  }

  // The next complete message, or nullopt when none arrived before the deadline. Throws when the
  // server closed its stdout.
  std::optional<Received> next(Clock::time_point deadline) {
    for (;;) {
      if (!ready_.empty()) {
        Received r = std::move(ready_.front());
        ready_.pop_front();
        return r;
      }
      if (eof_) throw std::runtime_error("the server closed its stdout (it exited or crashed)");
      pollfd fd{out_, POLLIN, 0};
      const int polled = ::poll(&fd, 1, remaining_ms(deadline));
      if (polled < 0 && errno == EINTR) continue;
      if (polled < 0) fail_errno("poll");
      if (polled == 0) return std::nullopt;
      read_once();
    }
  }

  void close_stdin() {
    if (in_ >= 0) ::close(in_);
    in_ = -1;
  }

  // Exit status (128 + signal when killed), or nullopt if still running at the deadline.
  std::optional<int> wait_exit(std::chrono::milliseconds wait) {
    const auto deadline = Clock::now() + wait;
    while (!status_) {
      int status = 0;
      const pid_t done = ::waitpid(pid_, &status, WNOHANG);
      if (done == pid_) {
        status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        break;
      }
      if (done < 0 && errno != EINTR) fail_errno("waitpid");
      if (Clock::now() >= deadline) break;
      const timespec pause{0, 1'000'000};
      ::nanosleep(&pause, nullptr);
    }
    return status_;
  }

  // Kills the server (by its pid) when it is still running and reaps it.
  void kill_and_reap() {
    if (pid_ <= 0 || status_) return;
    ::kill(pid_, SIGKILL);
    wait_exit(5s);
  }

  std::size_t framing_errors() const noexcept { return framing_errors_; }

 private:
  void read_once() {
    char chunk[65536];
    const ssize_t got = ::read(out_, chunk, sizeof chunk);
    const auto now = Clock::now();
    if (got < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)) return;
    if (got < 0) fail_errno("reading from the server");
    if (got == 0) {
      eof_ = true;
      return;
    }
    reader_.feed(std::string_view(chunk, static_cast<std::size_t>(got)));
    while (auto result = reader_.next()) {
      if (result->is_error()) {
        ++framing_errors_;
        continue;
      }
      ready_.push_back(Received{std::move(*result).take_body(), now});
    }
  }

  pid_t pid_ = -1;
  int in_ = -1;
  int out_ = -1;
  bool eof_ = false;
  std::optional<int> status_;
  mlroast::protocol::MessageReader reader_;
  std::deque<Received> ready_;
  std::size_t framing_errors_ = 0;
};

// --- one measured session --------------------------------------------------------------------

struct ModeResult {
  std::string name;
  std::string flags;
  double open_ms = 0;
  std::vector<double> latencies;  // ms, one per edit that got its diagnostics
  std::array<std::vector<double>, 3> by_where;
  int timeouts = 0;
  int stale_skipped = 0;  // publishes for an older version seen while waiting
  int unexpected = 0;     // publishes for a newer version, error responses, framing errors
  std::vector<double> payload_kb;
  std::vector<double> diagnostic_counts;
  double shutdown_ms = 0;
  std::optional<int> exit_status;  // nullopt: it did not exit and was killed
  std::string encoding;
  std::string error;  // a fatal problem that cut the session short
};

struct Publish {
  int version;
  std::size_t diagnostics;
  std::size_t bytes;
  Clock::time_point arrived;
};

class Session {
 public:
  Session(ServerProcess& server, ModeResult& result) : server_(server), result_(result) {}

  json request(const std::string& method, json params, std::chrono::milliseconds wait) {
    const int id = next_id_++;
    const auto deadline = Clock::now() + wait;
    json message = {{"jsonrpc", "2.0"}, {"id", id}, {"method", method}};
    if (!params.is_null()) message["params"] = std::move(params);
    server_.send(message, deadline);
    for (;;) {
      auto r = server_.next(deadline);
      if (!r) throw std::runtime_error("no response to " + method + " in time");
      json m = json::parse(r->body);
      if (!m.contains("method") && m.value("id", json()) == id) {
        if (m.contains("error")) throw std::runtime_error(method + " failed: " + m.dump());
        return m["result"];
      }
      handle_other(m);
    }
  }

  void notify(const std::string& method, json params, Clock::time_point deadline) {
    json message = {{"jsonrpc", "2.0"}, {"method", method}};
    if (!params.is_null()) message["params"] = std::move(params);
    server_.send(message, deadline);
  }

  // The publishDiagnostics for `version`, skipping older ones; nullopt at the deadline.
  std::optional<Publish> await_publish(int version, Clock::time_point deadline) {
    for (;;) {
      auto r = server_.next(deadline);
      if (!r) return std::nullopt;
      json m = json::parse(r->body);
      if (m.value("method", "") != "textDocument/publishDiagnostics") {
        handle_other(m);
        continue;
      }
      const json& params = m["params"];
      if (params.value("uri", "") != kUri) continue;
      const int got = params.value("version", -1);
      if (got == version)
        return Publish{got, params["diagnostics"].size(), r->body.size(), r->arrived};
      if (got < version) {
        ++result_.stale_skipped;
      } else {
        ++result_.unexpected;
      }
    }
  }

 private:
  void handle_other(const json& m) {
    if (m.contains("method") && m.contains("id")) {  // a server->client request: answer null
      server_.send({{"jsonrpc", "2.0"}, {"id", m["id"]}, {"result", nullptr}}, Clock::now() + 5s);
    } else if (m.contains("error")) {
      ++result_.unexpected;
      std::fprintf(stderr, "server error response: %s\n", m.dump().c_str());
    }
  }

  ServerProcess& server_;
  ModeResult& result_;
  int next_id_ = 1;
};

ModeResult run_mode(const Options& opt, const std::string& name, std::vector<std::string> flags,
                    const std::string& text, const std::vector<Edit>& edits) {
  ModeResult result;
  result.name = name;
  for (const auto& f : flags) result.flags += (result.flags.empty() ? "" : " ") + f;
  flags.emplace_back("--log-level");
  flags.emplace_back("off");
  const auto wait = std::chrono::milliseconds(opt.timeout_ms);
  ServerProcess server(opt.binary, flags);
  Session session(server, result);
  try {
    const json init = session.request(
        "initialize",
        {{"processId", ::getpid()},
         {"clientInfo", {{"name", "mlroast_lsp_latency_bench"}}},
         {"rootUri", nullptr},
         {"capabilities", {{"general", {{"positionEncodings", {"utf-8", "utf-16"}}}}}}},
        wait);
    result.encoding = init["capabilities"].value("positionEncoding", "utf-16");
    session.notify("initialized", json::object(), Clock::now() + wait);

    const auto opened = Clock::now();
    session.notify("textDocument/didOpen",
                   {{"textDocument",
                     {{"uri", kUri}, {"languageId", "python"}, {"version", 1}, {"text", text}}}},
                   opened + wait);
    const auto first = session.await_publish(1, opened + wait);
    if (!first) throw std::runtime_error("no diagnostics for the opened document");
    result.open_ms = ms_between(opened, first->arrived);

    int version = 1;
    int consecutive_timeouts = 0;
    for (const Edit& e : edits) {
      ++version;
      const json params = change_params(e, version);
      const auto sent = Clock::now();
      session.notify("textDocument/didChange", params, sent + wait);
      const auto got = session.await_publish(version, sent + wait);
      if (!got) {
        ++result.timeouts;
        std::fprintf(stderr, "%s: timeout: no diagnostics for version %d within %d ms\n",
                     name.c_str(), version, opt.timeout_ms);
        if (++consecutive_timeouts == 5) throw std::runtime_error("5 timeouts in a row: giving up");
        continue;
      }
      consecutive_timeouts = 0;
      const double ms = ms_between(sent, got->arrived);
      result.latencies.push_back(ms);
      result.by_where[static_cast<int>(e.where)].push_back(ms);
      result.payload_kb.push_back(static_cast<double>(got->bytes) / 1024.0);
      result.diagnostic_counts.push_back(static_cast<double>(got->diagnostics));
    }

    const auto stopping = Clock::now();
    session.request("shutdown", nullptr, wait);
    result.shutdown_ms = ms_between(stopping, Clock::now());
    session.notify("exit", nullptr, Clock::now() + wait);
    server.close_stdin();
    result.exit_status = server.wait_exit(5s);
  } catch (const std::exception& e) {
    result.error = e.what();
    server.close_stdin();
    result.exit_status = server.wait_exit(2s);
  }
  if (!result.exit_status) server.kill_and_reap();  // exit_status stays empty: report it
  result.unexpected += static_cast<int>(server.framing_errors());
  return result;
}

bool report(const ModeResult& r, std::size_t planned) {
  const auto& v = r.latencies;
  std::printf("mode %s (server %s --log-level off), position encoding %s\n", r.name.c_str(),
              r.flags.c_str(), r.encoding.empty() ? "?" : r.encoding.c_str());
  if (!r.error.empty()) std::printf("  FAILED: %s\n", r.error.c_str());
  if (r.open_ms > 0) std::printf("  didOpen -> first diagnostics: %.1f ms\n", r.open_ms);
  std::printf(
      "  edits: %zu of %zu measured, %d timeouts, %d stale publishes skipped, %d unexpected\n",
      v.size(), planned, r.timeouts, r.stale_skipped, r.unexpected);
  if (!v.empty()) {
    const double p99 = percentile(v, 99);
    std::printf("  latency ms: p50 %.2f  p95 %.2f  p99 %.2f  max %.2f  (mean %.2f, min %.2f)\n",
                percentile(v, 50), percentile(v, 95), p99, percentile(v, 100), mean(v),
                *std::min_element(v.begin(), v.end()));
    for (int w = 0; w < 3; ++w) {
      const auto& s = r.by_where[w];
      if (s.empty()) continue;
      std::printf("    in %-10s p50 %.2f  p99 %.2f  (%zu edits)\n", kWhereNames[w],
                  percentile(s, 50), percentile(s, 99), s.size());
    }
    std::printf("  publishDiagnostics: median %.0f diagnostics, %.1f KB\n",
                percentile(r.diagnostic_counts, 50), percentile(r.payload_kb, 50));
    if (r.timeouts > 0) {
      std::printf(
          "  goal p99 <= %.0f ms: MISSED (%d edits timed out; percentiles above leave "
          "them out)\n",
          kGoalP99Ms, r.timeouts);
    } else {
      std::printf("  goal p99 <= %.0f ms: %s (p99 is %.1fx the goal)\n", kGoalP99Ms,
                  p99 <= kGoalP99Ms ? "met" : "MISSED", p99 / kGoalP99Ms);
    }
  }
  if (r.shutdown_ms > 0) std::printf("  shutdown answered in %.1f ms\n", r.shutdown_ms);
  std::printf("  server exit status: %s\n\n", r.exit_status
                                                  ? std::to_string(*r.exit_status).c_str()
                                                  : "none: it did not exit in time and was killed");
  return r.error.empty() && r.timeouts == 0 && r.unexpected == 0 && r.exit_status == 0;
}

// --- in-process breakdown --------------------------------------------------------------------

// Replays the first `count` edits through the same steps the server runs for one didChange, each
// timed on its own: DocumentStore::change (LineIndex, splice, tree edit, incremental reparse),
// snapshot(), the analysis split into semantic model / lineage program / the rest of analyze()
// (rule walk, lazy leak search, noqa), the LSP conversion (the rest of diagnose()) and the JSON
// serialisation and framing of the publishDiagnostics notification. A shadow copy of the document
// splits DocumentStore::change into its splice and its reparse; a from-scratch parse and one
// syntax::walk over the tree are timed for reference.
void breakdown(const std::string& text, const std::vector<Edit>& edits, int count) {
  namespace proto = mlroast::protocol;
  mlroast::server::DocumentStore store;
  store.set_encoding(proto::PositionEncoding::Utf8);
  store.open(proto::TextDocumentItem{kUri, "python", 1, text});
  mlroast::syntax::Parser fresh;
  mlroast::RuleSelection selection;
  enum {
    kChange,
    kSplice,
    kReparse,
    kFullParse,
    kWalk,
    kSnapshot,
    kSemantic,
    kLineage,
    kAnalyze,
    kRules,
    kConversion,
    kJson,
    kN
  };
  // A shadow of the store's document, to time its two halves separately.
  std::string shadow_text = text;
  mlroast::syntax::Parser shadow_parser;
  mlroast::syntax::Tree shadow_tree = shadow_parser.parse(shadow_text);
  std::array<std::vector<double>, kN> t;
  std::size_t sink = 0;
  int version = 1;
  for (int i = 0; i < count && i < static_cast<int>(edits.size()); ++i) {
    const Edit& e = edits[static_cast<std::size_t>(i)];
    proto::TextDocumentContentChangeEvent change;
    change.range = proto::Range{{e.line, e.character}, {e.line, e.character + (e.insert ? 0 : 1)}};
    change.text = e.insert ? std::string(1, e.letter) : std::string();
    auto t0 = Clock::now();
    const auto* doc = store.change(kUri, ++version, {change});
    t[kChange].push_back(ms_between(t0, Clock::now()));

    // The same change on the shadow: LineIndex + tree edit + splice, then the reparse.
    t0 = Clock::now();
    {
      const proto::LineIndex index(shadow_text);
      const std::size_t start =
          index.to_offset(shadow_text, change.range->start, proto::PositionEncoding::Utf8);
      const std::size_t end =
          index.to_offset(shadow_text, change.range->end, proto::PositionEncoding::Utf8);
      shadow_tree.edit(mlroast::server::input_edit(shadow_text, start, end, change.text));
      shadow_text.replace(start, end - start, change.text);
    }
    t[kSplice].push_back(ms_between(t0, Clock::now()));
    t0 = Clock::now();
    shadow_tree = shadow_parser.parse(shadow_text, &shadow_tree);
    t[kReparse].push_back(ms_between(t0, Clock::now()));
    if (shadow_text != doc->text) throw std::runtime_error("breakdown: shadow text diverged");

    t0 = Clock::now();
    auto reparsed = fresh.parse(doc->text);
    t[kFullParse].push_back(ms_between(t0, Clock::now()));
    sink += reparsed.root().child_count();

    t0 = Clock::now();
    std::size_t nodes = 0;
    mlroast::syntax::walk(doc->tree.root(), [&](mlroast::syntax::Node) { return ++nodes > 0; });
    t[kWalk].push_back(ms_between(t0, Clock::now()));
    sink += nodes;

    t0 = Clock::now();
    const auto snapshot = store.snapshot(kUri);
    t[kSnapshot].push_back(ms_between(t0, Clock::now()));

    const auto root = snapshot->tree.root();
    t0 = Clock::now();
    mlroast::semantic::SemanticModel sem(root, snapshot->text);
    t[kSemantic].push_back(ms_between(t0, Clock::now()));
    t0 = Clock::now();
    mlroast::lineage::Program program(root, sem);
    t[kLineage].push_back(ms_between(t0, Clock::now()));
    sink += program.uses().size();

    mlroast::SourceFile file;
    file.path = snapshot->path;
    file.text = snapshot->text;
    file.tree = &snapshot->tree;
    t0 = Clock::now();
    const auto findings = mlroast::analyze(file, selection);
    t[kAnalyze].push_back(ms_between(t0, Clock::now()));

    // analyze() builds its own model and program: the rest is the rule walk, the lazy leak
    // search and noqa.
    t[kRules].push_back(
        std::max(0.0, t[kAnalyze].back() - t[kSemantic].back() - t[kLineage].back()));

    // The rest of diagnose(): a LineIndex of the text and the conversion of every finding.
    t0 = Clock::now();
    const proto::LineIndex index(snapshot->text);
    const mlroast::server::ConversionContext context{snapshot->uri, snapshot->text, index,
                                                     proto::PositionEncoding::Utf8};
    auto items = mlroast::server::to_lsp_diagnostics(context, findings);
    t[kConversion].push_back(ms_between(t0, Clock::now()));
    sink += findings.size() + items.size();

    t0 = Clock::now();
    const std::string frame = proto::frame(proto::serialize(proto::make_notification(
        "textDocument/publishDiagnostics",
        proto::PublishDiagnosticsParams{kUri, version, std::move(items)})));
    t[kJson].push_back(ms_between(t0, Clock::now()));
    sink += frame.size();
  }
  const auto med = [&](int k) { return percentile(t[k], 50); };
  const auto p99 = [&](int k) { return percentile(t[k], 99); };
  const double total = med(kChange) + med(kSnapshot) + med(kSemantic) + med(kLineage) +
                       med(kRules) + med(kConversion) + med(kJson);
  std::printf(
      "in-process breakdown of one edit (%zu edits replayed through the server's steps, with the\n"
      "analysis code this benchmark was built from; median / p99 ms, share of the sum)\n",
      t[kChange].size());
  const auto row = [&](const char* what, double m, double p, const char* note) {
    std::printf("  %-50s %7.2f %7.2f  %4.0f%%%s%s\n", what, m, p, 100.0 * m / total,
                *note != '\0' ? "  " : "", note);
  };
  row("didChange: LineIndex + splice + incremental reparse", med(kChange), p99(kChange),
      "main thread");
  row("  of which LineIndex + tree edit + splice", med(kSplice), p99(kSplice), "");
  row("  of which incremental reparse", med(kReparse), p99(kReparse), "");
  row("snapshot (copy text + tree)", med(kSnapshot), p99(kSnapshot), "main thread");
  row("analysis: semantic model", med(kSemantic), p99(kSemantic), "worker");
  row("analysis: lineage program", med(kLineage), p99(kLineage), "worker");
  row("analysis: rules, leak search, noqa (rest)", med(kRules), p99(kRules), "worker");
  row("  = analyze() as a whole", med(kAnalyze), p99(kAnalyze), "worker");
  row("LSP conversion (LineIndex + to_lsp_diagnostics)", med(kConversion), p99(kConversion),
      "worker");
  row("publishDiagnostics JSON + frame", med(kJson), p99(kJson), "main thread");
  std::printf("  %-50s %7.2f\n", "sum of the medians", total);
  std::printf("  %-50s %7.2f %7.2f  (not on the server's path)\n",
              "reference: full parse from scratch", med(kFullParse), p99(kFullParse));
  std::printf("  %-50s %7.2f %7.2f  (analysis walks the tree several times)\n\n",
              "reference: one syntax::walk over every node", med(kWalk), p99(kWalk));
  if (sink == 0) std::printf("(nothing analysed)\n");
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const Options opt = parse_options(argc, argv);
    ::signal(SIGPIPE, SIG_IGN);
    const std::string text = mlroast::bench::leaky_script(opt.lines, opt.seed);
    const auto edits = make_edits(text, opt.edits, opt.seed);
    const auto line_count = std::count(text.begin(), text.end(), '\n');
    std::printf("mlroast LSP latency benchmark\n");
    std::printf("server: %s\n", opt.binary.c_str());
    std::printf("input: generated leaky script, %ld lines, %.1f KB (%zu bytes)\n",
                static_cast<long>(line_count), static_cast<double>(text.size()) / 1024.0,
                text.size());
    std::printf(
        "edits: %zu single-character didChange edits (%zu insert+delete pairs, cycling "
        "identifier / string / comment positions), sent one at a time\n",
        edits.size(), edits.size() / 2);
    std::printf("measured: didChange write -> publishDiagnostics with that version read\n");
    std::printf("goal: p99 <= %.0f ms\n\n", kGoalP99Ms);

    bool ok = true;
    std::vector<ModeResult> results;
    if (opt.mode == "async" || opt.mode == "both") {
      results.push_back(run_mode(opt, "async", {"--debounce-ms", "0"}, text, edits));
      ok = report(results.back(), edits.size()) && ok;
    }
    if (opt.mode == "sync" || opt.mode == "both") {
      results.push_back(run_mode(opt, "sync", {"--sync"}, text, edits));
      ok = report(results.back(), edits.size()) && ok;
    }
    const bool measured = std::any_of(results.begin(), results.end(),
                                      [](const ModeResult& r) { return !r.latencies.empty(); });
    if (results.size() > 1 && measured) {
      std::printf("summary (ms)    p50     p95     p99     max  timeouts  goal p99 <= %.0f\n",
                  kGoalP99Ms);
      for (const auto& r : results) {
        if (r.latencies.empty()) continue;
        const double p99 = percentile(r.latencies, 99);
        std::printf("  %-8s %7.2f %7.2f %7.2f %7.2f  %8d  %s\n", r.name.c_str(),
                    percentile(r.latencies, 50), percentile(r.latencies, 95), p99,
                    percentile(r.latencies, 100), r.timeouts,
                    p99 <= kGoalP99Ms && r.timeouts == 0 ? "met" : "missed");
      }
      std::printf("\n");
    }
    if (opt.breakdown_edits > 0) breakdown(text, edits, opt.breakdown_edits);
    if (!ok) std::printf("problems above: the figures are incomplete\n");
    return ok ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 2;
  }
}
