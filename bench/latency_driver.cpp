// The server process, the JSON-RPC session and the statistics of the LSP latency benchmarks
// (see latency_driver.hpp).
#include "latency_driver.hpp"

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
#include <cmath>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string_view>
#include <thread>

extern char** environ;

namespace mlroast::bench {

using namespace std::chrono_literals;

namespace {

int remaining_ms(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return left.count() < 0 ? 0 : static_cast<int>(std::min<long long>(left.count(), 1'000'000));
}

[[noreturn]] void fail_errno(const std::string& what) {
  throw std::runtime_error(what + ": " + std::strerror(errno));
}

}  // namespace

double ms_between(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double, std::milli>(to - from).count();
}

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

ServerProcess::ServerProcess(const std::string& binary, const std::vector<std::string>& args) {
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

ServerProcess::~ServerProcess() {
  close_stdin();
  if (pid_ > 0 && !status_ && !wait_exit(2s)) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  if (out_ >= 0) ::close(out_);
}

void ServerProcess::send(const json& message, Clock::time_point deadline) {
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

std::optional<Received> ServerProcess::next(Clock::time_point deadline) {
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

void ServerProcess::close_stdin() {
  if (in_ >= 0) ::close(in_);
  in_ = -1;
}

std::optional<int> ServerProcess::wait_exit(std::chrono::milliseconds wait) {
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

void ServerProcess::kill_and_reap() {
  if (pid_ <= 0 || status_) return;
  ::kill(pid_, SIGKILL);
  wait_exit(5s);
}

void ServerProcess::read_once() {
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

// --- the session -----------------------------------------------------------------------------

json Session::request(const std::string& method, json params, std::chrono::milliseconds wait) {
  auto reply = exchange(method, std::move(params), Clock::now() + wait, "", nullptr);
  if (!reply) throw std::runtime_error("no response to " + method + " in time");
  if (reply->contains("error")) throw std::runtime_error(method + " failed: " + reply->dump());
  return (*reply)["result"];
}

std::optional<json> Session::exchange(const std::string& request_method, json params,
                                      Clock::time_point deadline, const std::string& collect,
                                      std::vector<Notification>* collected) {
  const int id = next_id_++;
  json message = {{"jsonrpc", "2.0"}, {"id", id}, {"method", request_method}};
  if (!params.is_null()) message["params"] = std::move(params);
  server_.send(message, deadline);
  for (;;) {
    auto r = server_.next(deadline);
    if (!r) return std::nullopt;
    json m = json::parse(r->body);
    if (!m.contains("method") && m.value("id", json()) == id) return m;
    if (collected != nullptr && m.value("method", "") == collect && !m.contains("id"))
      collected->push_back(Notification{std::move(m["params"]), r->body.size(), r->arrived});
    else
      handle_other(m);
  }
}

void Session::notify(const std::string& method, json params, Clock::time_point deadline) {
  json message = {{"jsonrpc", "2.0"}, {"method", method}};
  if (!params.is_null()) message["params"] = std::move(params);
  server_.send(message, deadline);
}

std::optional<Notification> Session::next_notification(const std::string& method,
                                                       Clock::time_point deadline) {
  for (;;) {
    auto r = server_.next(deadline);
    if (!r) return std::nullopt;
    json m = json::parse(r->body);
    if (m.value("method", "") == method && !m.contains("id"))
      return Notification{std::move(m["params"]), r->body.size(), r->arrived};
    handle_other(m);
  }
}

std::optional<std::vector<Notification>> Session::notifications_until_reply(
    const std::string& request_method, json params, const std::string& method,
    Clock::time_point deadline) {
  std::vector<Notification> out;
  if (!exchange(request_method, std::move(params), deadline, method, &out)) return std::nullopt;
  return out;
}

std::string Session::initialize(const std::string& client_name, std::chrono::milliseconds wait) {
  const json init = request(
      "initialize",
      {{"processId", ::getpid()},
       {"clientInfo", {{"name", client_name}}},
       {"rootUri", nullptr},
       {"capabilities", {{"general", {{"positionEncodings", {"utf-8", "utf-16"}}}}}}},
      wait);
  notify("initialized", json::object(), Clock::now() + wait);
  return init["capabilities"].value("positionEncoding", "utf-16");
}

void Session::handle_other(const json& m) {
  if (m.contains("method") && m.contains("id")) {  // a server->client request: answer null
    server_.send({{"jsonrpc", "2.0"}, {"id", m["id"]}, {"result", nullptr}}, Clock::now() + 5s);
  } else if (m.contains("error")) {
    ++unexpected;
    std::fprintf(stderr, "server error response: %s\n", m.dump().c_str());
  }
}

// --- a whole session -------------------------------------------------------------------------

SessionEnd run_session(const std::string& binary, std::vector<std::string> flags,
                       std::chrono::milliseconds wait, const std::string& client_name,
                       const std::function<void(Session&, const std::string&)>& body) {
  flags.emplace_back("--log-level");
  flags.emplace_back("off");
  SessionEnd end;
  ServerProcess server(binary, flags);
  Session session(server);
  try {
    body(session, session.initialize(client_name, wait));
    const auto stopping = Clock::now();
    session.request("shutdown", nullptr, wait);
    end.shutdown_ms = ms_between(stopping, Clock::now());
    session.notify("exit", nullptr, Clock::now() + wait);
    server.close_stdin();
    end.exit_status = server.wait_exit(5s);
  } catch (const std::exception& e) {
    end.error = e.what();
    server.close_stdin();
    end.exit_status = server.wait_exit(2s);
  }
  if (!end.exit_status) server.kill_and_reap();  // exit_status stays empty: report it
  end.unexpected = session.unexpected + static_cast<int>(server.framing_errors());
  return end;
}

void pause_before_edit(int pace_ms) {
  if (pace_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(pace_ms));
}

std::string pacing(int pace_ms) {
  if (pace_ms <= 0) return "back to back";
  return "each " + std::to_string(pace_ms) + " ms after the previous publish";
}

std::string join_flags(const std::vector<std::string>& flags) {
  std::string out;
  for (const auto& f : flags) out += (out.empty() ? "" : " ") + f;
  return out;
}

void print_latencies(const char* label, const std::vector<double>& ms) {
  std::printf("  %s: p50 %.2f  p95 %.2f  p99 %.2f  max %.2f  (mean %.2f, min %.2f)\n", label,
              percentile(ms, 50), percentile(ms, 95), percentile(ms, 99), percentile(ms, 100),
              mean(ms), *std::min_element(ms.begin(), ms.end()));
}

void print_end(const SessionEnd& end) {
  if (end.shutdown_ms > 0) std::printf("  shutdown answered in %.1f ms\n", end.shutdown_ms);
  std::printf("  server exit status: %s\n\n",
              end.exit_status ? std::to_string(*end.exit_status).c_str()
                              : "none: it did not exit in time and was killed");
}

}  // namespace mlroast::bench
