// The LSP session: the state one client connection owns (negotiated position encoding,
// lifecycle flags, the document store, the diagnostics engine and its scheduler), the Dispatcher
// with one handler per LSP method registered on it (the handlers live in server/handlers/, one
// file each), and the read loop. The main thread runs a Boost.Asio io_context that reads the input
// stream asynchronously, feeds a MessageReader and dispatches every complete message; debounce
// timers and analysis results arriving from worker threads run on that same thread, so session
// state needs no locks. Framing errors are logged and the frame dropped; a closed input stream or
// the `exit` notification ends the session. Output goes through one MessageWriter.
// Thread rules: a Server lives on the main thread; only run_server() is meant for callers
// outside server/.
#pragma once

#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "analysis/config/resolver.hpp"

#include "protocol/framing.hpp"
#include "protocol/jsonrpc.hpp"
#include "protocol/position_encoding.hpp"
#include "server/diagnostics.hpp"
#include "server/document_store.hpp"
#include "server/notebook_store.hpp"
#include "server/scheduler.hpp"
#include "server/settings.hpp"
#include "server/transport.hpp"

namespace mlroast::server {

struct ServerOptions {
  std::string log_level = "warn";           // spdlog level name; logs go to stderr
  std::chrono::milliseconds debounce{150};  // quiet time after an edit before analysis
  bool synchronous = false;                 // analyse inline, no debounce (tests)
  unsigned workers = 2;                     // analysis threads when not synchronous
};

// Serves one client over stdin/stdout until `exit` or end of input. Returns the process exit
// code: 0 when the client sent `shutdown` first, 1 otherwise (LSP's rule for `exit`, also applied
// when the client disappears). Main thread only; call once per process (it configures logging
// and ignores SIGPIPE so a vanished client is a write error, not a crash).
int run_server(const ServerOptions& options);
// The same over the given descriptors (borrowed, not closed).
int run_server(const ServerOptions& options, int input_fd, int output_fd);

class Server {
 public:
  // `io` and `output` must outlive the server; `input_fd` is duplicated, not taken.
  Server(boost::asio::io_context& io, const ServerOptions& options, int input_fd,
         MessageWriter& output);
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Reads and serves messages until `exit` or end of input; returns the exit code.
  int run();

  // --- for the handlers (main thread) ----------------------------------------------------------
  protocol::Dispatcher& dispatcher() noexcept { return dispatcher_; }
  DocumentStore& documents() noexcept { return documents_; }
  NotebookStore& notebooks() noexcept { return notebooks_; }
  DiagnosticsEngine& diagnostics() noexcept { return diagnostics_; }
  const ServerOptions& options() const noexcept { return options_; }

  protocol::PositionEncoding encoding() const noexcept { return documents_.encoding(); }
  // Whether the client accepts WorkspaceEdit.documentChanges (edits tied to a version).
  bool document_changes() const noexcept { return document_changes_; }
  void set_document_changes(bool on) noexcept { document_changes_ = on; }
  void set_encoding(protocol::PositionEncoding encoding) noexcept {
    documents_.set_encoding(encoding);
  }
  bool shutdown_requested() const noexcept { return shutdown_requested_; }
  Scheduler& scheduler() noexcept { return scheduler_; }

  // --- configuration (main thread): config files + client settings, one resolver ------------
  const ServerSettings& settings() const noexcept { return settings_; }
  // New client settings: the overrides change, config files are read again, open documents are
  // re-analysed.
  void set_settings(ServerSettings settings);
  // A config file (pyproject.toml / mlroast.toml) changed: read them again, re-analyse.
  void reload_configuration();
  // The rule selection of the file at `path` (an excluded file gets an empty selection).
  RuleSelection selection_for(const std::string& path);
  const std::vector<std::filesystem::path>& workspace_roots() const noexcept { return roots_; }
  // Also confines configuration lookups to these folders: the server never reads a config file
  // outside the workspace (with no folder at all, none is read: defaults plus settings).
  void set_workspace_roots(std::vector<std::filesystem::path> roots) {
    roots_ = std::move(roots);
    resolver_.set_boundaries(roots_);
  }
  bool work_done_progress() const noexcept { return work_done_progress_; }
  void set_work_done_progress(bool on) noexcept { work_done_progress_ = on; }
  bool watch_registration() const noexcept { return watch_registration_; }
  void set_watch_registration(bool on) noexcept { watch_registration_ = on; }
  // Runs `f` on the main thread: at once when called from it, else posted to the event loop.
  // Worker threads use it to send notifications (the dispatcher is single-threaded).
  void on_main_thread(std::function<void()> f);
  // Workspace reviews in flight, by progress token: window/workDoneProgress/cancel sets the flag.
  std::map<std::string, std::shared_ptr<std::atomic<bool>>>& reviews() noexcept { return reviews_; }
  std::uint64_t next_review_id() noexcept { return ++review_ids_; }
  // `shutdown`: stop publishing, answer waiting requests, refuse further requests.
  void request_shutdown();
  // `exit`: stop reading and end run() with 0 after shutdown, 1 without.
  void request_exit();

 private:
  void register_handlers();
  void read_more();
  void on_input(const boost::system::error_code& error, std::size_t bytes);
  void finish(int exit_code);

  boost::asio::io_context& io_;
  ServerOptions options_;
  MessageWriter& output_;
  protocol::Dispatcher dispatcher_;
  DocumentStore documents_;
  NotebookStore notebooks_{documents_};
  Scheduler scheduler_;
  DiagnosticsEngine diagnostics_;
  bool document_changes_ = false;
  boost::asio::posix::stream_descriptor input_;
  protocol::MessageReader reader_;
  std::array<char, 64 * 1024> buffer_{};
  bool shutdown_requested_ = false;
  ServerSettings settings_;
  ConfigResolver resolver_;
  std::vector<std::filesystem::path> roots_;
  bool work_done_progress_ = false;
  bool watch_registration_ = false;
  std::thread::id main_thread_ = std::this_thread::get_id();
  std::map<std::string, std::shared_ptr<std::atomic<bool>>> reviews_;
  std::uint64_t review_ids_ = 0;
  bool finished_ = false;
  int exit_code_ = 1;
};

}  // namespace mlroast::server
