#include "support/lsp_client.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

extern char** environ;

namespace mlroast::test {
namespace {

using Clock = std::chrono::steady_clock;

[[noreturn]] void fail(const std::string& what) {
  throw std::runtime_error(what + ": " + std::strerror(errno));
}

int remaining_ms(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return left.count() < 0 ? 0 : static_cast<int>(left.count());
}

std::filesystem::path unique_stderr_path() {
  static int counter = 0;
  return std::filesystem::temp_directory_path() /
         ("mlroast-lsp-" + std::to_string(::getpid()) + "-" + std::to_string(++counter) + ".err");
}

}  // namespace

std::string frame(const json& message) {
  const std::string body = message.dump();
  return "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

LspClient::LspClient(std::vector<std::string> server_args) : stderr_path_(unique_stderr_path()) {
  int to_server[2];
  int from_server[2];
  if (::pipe2(to_server, O_CLOEXEC) != 0 || ::pipe2(from_server, O_CLOEXEC) != 0) fail("pipe2");

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, to_server[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, from_server[1], STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, stderr_path_.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);

  std::vector<std::string> argv_store{MLROAST_BINARY, "server"};
  argv_store.insert(argv_store.end(), server_args.begin(), server_args.end());
  std::vector<char*> argv;
  argv.reserve(argv_store.size() + 1);
  for (auto& arg : argv_store) argv.push_back(arg.data());
  argv.push_back(nullptr);
  const int spawned = ::posix_spawn(&pid_, MLROAST_BINARY, &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(to_server[0]);
  ::close(from_server[1]);
  if (spawned != 0) {
    errno = spawned;
    fail(std::string("spawning ") + MLROAST_BINARY);
  }
  stdin_fd_ = to_server[1];
  stdout_fd_ = from_server[0];
  // A server that dies must surface as a failed read or write, not kill the test process.
  ::signal(SIGPIPE, SIG_IGN);
}

LspClient::~LspClient() {
  if (stdin_fd_ >= 0) ::close(stdin_fd_);
  if (pid_ > 0 && !exit_status_) {
    if (!wait_exit(2s)) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  if (stdout_fd_ >= 0) ::close(stdout_fd_);
  std::error_code ignored;
  std::filesystem::remove(stderr_path_, ignored);
}

void LspClient::send(const json& message) { send_raw(frame(message)); }

void LspClient::send_raw(std::string_view bytes) {
  if (stdin_fd_ < 0) throw std::runtime_error("send after close_stdin");
  while (!bytes.empty()) {
    const ssize_t written = ::write(stdin_fd_, bytes.data(), bytes.size());
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) fail("writing to the server's stdin");
    bytes.remove_prefix(static_cast<std::size_t>(written));
  }
}

int LspClient::request(std::string_view method, json params) {
  const int id = next_id_++;
  json message = {{"jsonrpc", "2.0"}, {"id", id}, {"method", method}};
  if (!params.is_null()) message["params"] = std::move(params);
  send(message);
  return id;
}

void LspClient::notify(std::string_view method, json params) {
  json message = {{"jsonrpc", "2.0"}, {"method", method}};
  if (!params.is_null()) message["params"] = std::move(params);
  send(message);
}

void LspClient::close_stdin() {
  if (stdin_fd_ >= 0) ::close(stdin_fd_);
  stdin_fd_ = -1;
}

bool LspClient::fill(Clock::time_point deadline) {
  if (stdout_eof_) return false;
  pollfd ready{stdout_fd_, POLLIN, 0};
  const int polled = ::poll(&ready, 1, remaining_ms(deadline));
  if (polled < 0 && errno == EINTR) return true;
  if (polled < 0) fail("poll on the server's stdout");
  if (polled == 0) return false;
  char chunk[65536];
  const ssize_t got = ::read(stdout_fd_, chunk, sizeof chunk);
  if (got < 0 && errno == EINTR) return true;
  if (got < 0) fail("reading the server's stdout");
  if (got == 0) {
    stdout_eof_ = true;
    if (!buffer_.empty()) violations_.push_back("stdout ended inside a frame: " + buffer_);
    return false;
  }
  buffer_.append(chunk, static_cast<std::size_t>(got));
  raw_stdout_.append(chunk, static_cast<std::size_t>(got));
  return true;
}

std::optional<json> LspClient::next_buffered() {
  static constexpr std::string_view kPrefix = "Content-Length: ";
  const std::size_t header_end = buffer_.find("\r\n\r\n");
  if (header_end == std::string::npos) {
    if (buffer_.size() >= kPrefix.size() && !buffer_.starts_with(kPrefix)) {
      violations_.push_back("bytes that are not a frame header: " + buffer_.substr(0, 80));
      buffer_.clear();
    }
    return std::nullopt;
  }
  const std::string header = buffer_.substr(0, header_end);
  std::size_t length = 0;
  const bool well_formed =
      header.starts_with(kPrefix) && header.size() > kPrefix.size() &&
      header.find_first_not_of("0123456789", kPrefix.size()) == std::string::npos;
  if (!well_formed) {
    violations_.push_back("unexpected frame header: " + header);
    buffer_.erase(0, header_end + 4);
    return std::nullopt;
  }
  length = std::stoul(header.substr(kPrefix.size()));
  if (buffer_.size() < header_end + 4 + length) return std::nullopt;
  const std::string body = buffer_.substr(header_end + 4, length);
  buffer_.erase(0, header_end + 4 + length);
  json message = json::parse(body, nullptr, false);
  if (message.is_discarded() || !message.is_object() || message.value("jsonrpc", "") != "2.0") {
    violations_.push_back("a frame whose body is not a JSON-RPC 2.0 message: " + body);
    return std::nullopt;
  }
  return message;
}

std::optional<json> LspClient::try_read(std::chrono::milliseconds wait) {
  if (!pending_.empty()) {
    json message = std::move(pending_.front());
    pending_.pop_front();
    return message;
  }
  const auto deadline = Clock::now() + wait;
  for (;;) {
    const std::size_t before = violations_.size();
    if (auto message = next_buffered()) return message;
    if (violations_.size() != before) continue;  // skipped garbage: look at what follows
    if (!fill(deadline)) return std::nullopt;
  }
}

std::runtime_error LspClient::timeout(std::string_view what, std::chrono::milliseconds wait) const {
  std::string seen;
  for (const auto& message : pending_) seen += "\n  " + message.dump();
  return std::runtime_error("timed out after " + std::to_string(wait.count()) +
                            " ms (or stdout closed) waiting for " + std::string(what) +
                            (seen.empty() ? "" : "; other messages received:" + seen) +
                            "\nserver stderr:\n" + stderr_text());
}

json LspClient::read(std::string_view what, std::chrono::milliseconds wait) {
  if (auto message = try_read(wait)) return *message;
  throw timeout(what, wait);
}

json LspClient::response(int id, std::chrono::milliseconds wait) {
  const auto deadline = Clock::now() + wait;
  for (auto it = pending_.begin(); it != pending_.end(); ++it) {
    if (!it->contains("method") && it->value("id", json()) == id) {
      json message = std::move(*it);
      pending_.erase(it);
      return message;
    }
  }
  std::deque<json> skipped;
  for (;;) {
    auto message = try_read(std::chrono::duration_cast<std::chrono::milliseconds>(
        std::max(deadline - Clock::now(), Clock::duration::zero())));
    if (!message) {
      pending_.insert(pending_.begin(), skipped.begin(), skipped.end());
      throw timeout("the response to request " + std::to_string(id), wait);
    }
    if (!message->contains("method") && message->value("id", json()) == id) {
      pending_.insert(pending_.begin(), skipped.begin(), skipped.end());
      return *message;
    }
    skipped.push_back(std::move(*message));
  }
}

json LspClient::notification(std::string_view method, std::chrono::milliseconds wait) {
  const auto deadline = Clock::now() + wait;
  std::deque<json> skipped;
  for (;;) {
    auto message = try_read(std::chrono::duration_cast<std::chrono::milliseconds>(
        std::max(deadline - Clock::now(), Clock::duration::zero())));
    if (!message) {
      pending_.insert(pending_.begin(), skipped.begin(), skipped.end());
      throw timeout("a " + std::string(method) + " notification", wait);
    }
    if (message->value("method", "") == method && !message->contains("id")) {
      pending_.insert(pending_.begin(), skipped.begin(), skipped.end());
      return *message;
    }
    skipped.push_back(std::move(*message));
  }
}

json LspClient::initialize(std::vector<std::string> encodings) {
  const int id =
      request("initialize", {{"processId", ::getpid()},
                             {"clientInfo", {{"name", "mlroast-tests"}}},
                             {"rootUri", nullptr},
                             {"capabilities", {{"general", {{"positionEncodings", encodings}}}}}});
  json reply = response(id);
  if (!reply.contains("result")) throw std::runtime_error("initialize failed: " + reply.dump());
  notify("initialized", json::object());
  return reply["result"];
}

std::optional<int> LspClient::wait_exit(std::chrono::milliseconds wait) {
  if (exit_status_) return exit_status_;
  const auto deadline = Clock::now() + wait;
  for (;;) {
    int status = 0;
    const pid_t done = ::waitpid(pid_, &status, WNOHANG);
    if (done == pid_) {
      exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      return exit_status_;
    }
    if (done < 0 && errno != EINTR) fail("waitpid");
    if (Clock::now() >= deadline) return std::nullopt;
    // No child-exit descriptor to poll portably: check again shortly (bounded by the deadline).
    const timespec pause{0, 2'000'000};
    ::nanosleep(&pause, nullptr);
  }
}

bool LspClient::drain_stdout(std::chrono::milliseconds wait) {
  const auto deadline = Clock::now() + wait;
  while (!stdout_eof_) {
    while (auto message = next_buffered()) pending_.push_back(std::move(*message));
    if (!fill(deadline) && !stdout_eof_) return false;
  }
  while (auto message = next_buffered()) pending_.push_back(std::move(*message));
  return true;
}

std::string LspClient::stderr_text() const {
  std::ifstream in(stderr_path_, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace mlroast::test
