#include "server/server.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <boost/asio/buffer.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>
#include <csignal>
#include <string_view>
#include <system_error>
#include <utility>

#include "server/allocator.hpp"
#include "server/handlers/handlers.hpp"
#include "server/logging.hpp"

namespace mlroast::server {
namespace {

int duplicate(int fd) {
  const int copy = ::dup(fd);
  if (copy < 0) throw std::system_error(errno, std::generic_category(), "dup of the input");
  return copy;
}

// Points spdlog at stderr at `level`. The CLI may already have created the stderr logger; then
// only the level changes (spdlog's own default logger writes to stdout and must never be used).
void configure_logging(const std::string& level) {
  if (spdlog::get("mlroast") == nullptr) {
    if (!init_logging(level)) spdlog::warn("unknown log level '{}': using warn", level);
    return;
  }
  const auto parsed = spdlog::level::from_str(level);
  if (parsed == spdlog::level::off && level != "off") {
    spdlog::warn("unknown log level '{}': using warn", level);
    spdlog::set_level(spdlog::level::warn);
    return;
  }
  spdlog::set_level(parsed);
}

}  // namespace

int run_server(const ServerOptions& options) {
  return run_server(options, STDIN_FILENO, STDOUT_FILENO);
}

int run_server(const ServerOptions& options, int input_fd, int output_fd) {
  configure_logging(options.log_level);
  spdlog::info("{}", tune_allocator_for_typing());
  std::signal(SIGPIPE, SIG_IGN);
  boost::asio::io_context io;
  MessageWriter output(output_fd);
  Server server(io, options, input_fd, output);
  return server.run();
}

Server::Server(boost::asio::io_context& io, const ServerOptions& options, int input_fd,
               MessageWriter& output)
    : io_(io),
      options_(options),
      output_(output),
      dispatcher_([this](const protocol::json& message) { output_.send(message); },
                  [this](std::string_view body) { output_.send_body(body); }),
      scheduler_(io, options.synchronous, options.workers),
      diagnostics_(documents_, notebooks_, scheduler_, dispatcher_, RuleSelection{}, options.debounce),
      input_(io, duplicate(input_fd)) {
  diagnostics_.set_selection_provider([this](const std::string& path) { return selection_for(path); });
  register_handlers();
}

RuleSelection Server::selection_for(const std::string& path) {
  std::filesystem::path p(path);
  if (!p.is_absolute()) return combine(nullptr, settings_.overrides(), path);  // untitled: documents
  if (resolver_.excluded(p)) {
    RuleSelection none;
    none.select.clear();
    return none;
  }
  std::size_t known = resolver_.errors().size();
  RuleSelection s = resolver_.selection_for(p);
  for (std::size_t i = known; i < resolver_.errors().size(); ++i) {
    spdlog::error("configuration: {}", resolver_.errors()[i]);
    dispatcher_.send_notification("window/showMessage",
                                  {{"type", 1}, {"message", "mlroast: " + resolver_.errors()[i]}});
  }
  return s;
}

void Server::set_settings(ServerSettings settings) {
  settings_ = std::move(settings);
  resolver_.set_overrides(settings_.overrides());
  reload_configuration();
}

void Server::reload_configuration() {
  resolver_.clear();
  diagnostics_.reanalyse_all();
}

void Server::on_main_thread(std::function<void()> f) {
  if (std::this_thread::get_id() == main_thread_) {
    f();
    return;
  }
  boost::asio::post(io_, std::move(f));
}

void Server::register_handlers() {
  // Requests after `shutdown` are refused; `exit` is a notification and always accepted.
  const auto request = [this](const std::string& method, auto handler) {
    dispatcher_.on_request(
        method, [this, handler](const protocol::json& params, protocol::RequestContext& context) {
          if (shutdown_requested_) {
            throw protocol::RpcException(protocol::ErrorCode::InvalidRequest,
                                         "the server is shutting down: only exit is accepted");
          }
          return handler(*this, params, context);
        });
  };
  const auto notification = [this](const std::string& method, auto handler) {
    dispatcher_.on_notification(method, [this, method, handler](const protocol::json& params) {
      if (shutdown_requested_ && method != "exit") {
        spdlog::debug("dropping {} after shutdown", method);
        return;
      }
      handler(*this, params);
    });
  };

  request("initialize", handlers::initialize);
  notification("initialized", handlers::initialized);
  request("shutdown", handlers::shutdown);
  notification("exit", handlers::exit);
  notification("textDocument/didOpen", handlers::did_open);
  notification("textDocument/didChange", handlers::did_change);
  notification("textDocument/didClose", handlers::did_close);
  notification("textDocument/didSave", handlers::did_save);
  notification("notebookDocument/didOpen", handlers::notebook_did_open);
  notification("notebookDocument/didChange", handlers::notebook_did_change);
  notification("notebookDocument/didSave", handlers::notebook_did_save);
  notification("notebookDocument/didClose", handlers::notebook_did_close);
  request("textDocument/diagnostic", handlers::document_diagnostic);
  request("textDocument/codeAction", handlers::code_action);
  request("textDocument/hover", handlers::hover);
  request("workspace/executeCommand", handlers::execute_command);
  notification("workspace/didChangeConfiguration", handlers::did_change_configuration);
  notification("workspace/didChangeWatchedFiles", handlers::did_change_watched_files);
  notification("window/workDoneProgress/cancel", handlers::work_done_progress_cancel);
  dispatcher_.on_cancel([this](const protocol::json& id) {
    diagnostics_.cancelled(id);
    // A cancelled workspace review stops before its next file.
    if (auto found = reviews_.find("request:" + id.dump()); found != reviews_.end()) found->second->store(true);
  });
}

int Server::run() {
  read_more();
  io_.run();
  scheduler_.stop();
  return exit_code_;
}

void Server::read_more() {
  input_.async_read_some(boost::asio::buffer(buffer_),
                         [this](const boost::system::error_code& error, std::size_t bytes) {
                           on_input(error, bytes);
                         });
}

void Server::on_input(const boost::system::error_code& error, std::size_t bytes) {
  if (finished_) return;
  if (error) {
    if (error == boost::asio::error::eof) {
      spdlog::info("the client closed the input stream");
    } else if (error != boost::asio::error::operation_aborted) {
      spdlog::error("reading the input stream failed: {}", error.message());
    }
    finish(shutdown_requested_ ? 0 : 1);
    return;
  }
  reader_.feed(std::string_view(buffer_.data(), bytes));
  while (auto result = reader_.next()) {
    if (result->is_error()) {
      spdlog::warn("dropping a malformed frame: {} ({})", protocol::to_string(result->error().kind),
                   result->error().description);
      continue;
    }
    spdlog::trace("received {}", result->body());
    dispatcher_.handle(result->body());
    if (finished_) return;  // `exit`: leave the rest of the input unread
  }
  read_more();
}

void Server::request_shutdown() {
  shutdown_requested_ = true;
  for (auto& [key, cancelled] : reviews_) cancelled->store(true);  // reviews stop at the next file
  diagnostics_.shutdown();
  scheduler_.stop();
}

void Server::request_exit() { finish(shutdown_requested_ ? 0 : 1); }

void Server::finish(int exit_code) {
  if (finished_) return;
  finished_ = true;
  exit_code_ = exit_code;
  for (auto& [key, cancelled] : reviews_) cancelled->store(true);
  boost::system::error_code ignored;
  input_.close(ignored);
  diagnostics_.shutdown();
  scheduler_.stop();
  io_.stop();
}

}  // namespace mlroast::server
