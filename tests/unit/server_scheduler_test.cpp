// Tests of server/scheduler and server/diagnostics driven step by step: the test thread plays the
// main thread and runs the io_context one handler at a time, so debounce coalescing, the hand-off
// to workers and the dropping of stale results are observed deterministically, without sleeping.
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "server/diagnostics.hpp"
#include "server/document_store.hpp"
#include "server/scheduler.hpp"

namespace proto = mlroast::protocol;
using mlroast::server::DiagnosticsEngine;
using mlroast::server::DocumentStore;
using mlroast::server::NotebookStore;
using mlroast::server::Scheduler;
using proto::json;
using namespace std::chrono_literals;

namespace {

// Keeps an io_context running while the only outstanding work sits on a worker thread (in the
// server the pending read of stdin plays this part).
using WorkGuard = boost::asio::executor_work_guard<boost::asio::io_context::executor_type>;

// Runs handlers of `io` one at a time until `done()` holds; fails instead of hanging.
template <class Done>
void run_until(boost::asio::io_context& io, Done done) {
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) FAIL("timed out running the io_context");
    io.run_one_for(1s);
  }
}

const std::string kUri = "file:///p/job.py";
const std::string kBareExcept = "try:\n    x = 1\nexcept:\n    x = 2\n";

}  // namespace

TEST_CASE("scheduler: synchronous mode runs the three steps inline, in order", "[server]") {
  boost::asio::io_context io;
  Scheduler scheduler(io, true, 4);
  std::vector<std::string> steps;
  const auto main_thread = std::this_thread::get_id();
  scheduler.schedule("k", 500ms, [&] {
    steps.emplace_back("prepare");
    return Scheduler::Work([&] {
      steps.emplace_back(std::this_thread::get_id() == main_thread ? "work inline" : "work elsewhere");
      return Scheduler::Continuation([&] { steps.emplace_back("done"); });
    });
  });
  CHECK(steps == std::vector<std::string>{"prepare", "work inline", "done"});
  CHECK(io.poll() == 0);  // nothing was left for the io_context
}

TEST_CASE("scheduler: a burst on one key runs one job, on a worker", "[server]") {
  boost::asio::io_context io;
  WorkGuard guard = boost::asio::make_work_guard(io);
  Scheduler scheduler(io, false, 2);
  int prepared = 0;
  int finished = 0;
  std::thread::id worker;
  for (int i = 0; i < 3; ++i) {
    scheduler.schedule("doc", 20ms, [&, i] {
      ++prepared;
      CHECK(i == 2);  // only the last schedule of the burst survives the debounce
      return Scheduler::Work([&] {
        worker = std::this_thread::get_id();
        return Scheduler::Continuation([&] { ++finished; });
      });
    });
  }
  run_until(io, [&] { return finished == 1; });
  CHECK(prepared == 1);
  CHECK(worker != std::this_thread::get_id());
}

TEST_CASE("scheduler: cancel abandons a pending job; stop refuses new ones", "[server]") {
  boost::asio::io_context io;
  WorkGuard guard = boost::asio::make_work_guard(io);
  Scheduler scheduler(io, false, 1);
  bool cancelled_ran = false;
  bool other_done = false;
  scheduler.schedule("a", 0ms, [&] {
    cancelled_ran = true;
    return Scheduler::Work();
  });
  scheduler.cancel("a");
  scheduler.schedule("b", 0ms, [&] {
    return Scheduler::Work([&] { return Scheduler::Continuation([&] { other_done = true; }); });
  });
  run_until(io, [&] { return other_done; });
  CHECK_FALSE(cancelled_ran);

  scheduler.stop();
  bool after_stop = false;
  scheduler.schedule("c", 0ms, [&] {
    after_stop = true;
    return Scheduler::Work();
  });
  io.restart();
  io.poll();
  CHECK_FALSE(after_stop);
}

TEST_CASE("diagnostics: a result for an older version is dropped, never published", "[server]") {
  boost::asio::io_context io;
  WorkGuard guard = boost::asio::make_work_guard(io);
  DocumentStore store;
  Scheduler scheduler(io, false, 1);
  std::vector<json> sent;
  proto::Dispatcher dispatcher([&](const json& message) { sent.push_back(message); });
  dispatcher.set_initialized(true);
  NotebookStore notebooks(store);
  DiagnosticsEngine engine(store, notebooks, scheduler, dispatcher, mlroast::RuleSelection{}, 10s);
  dispatcher.on_request("textDocument/diagnostic",
                        [&](const json& params, proto::RequestContext& context) {
                          return engine.pull(params["textDocument"]["uri"], context.id());
                        });

  store.open(proto::TextDocumentItem{kUri, "python", 1, kBareExcept});
  engine.document_opened(kUri);
  REQUIRE(io.run_one_for(5s) == 1);  // the debounce expires: version 1 goes to a worker

  // The user types before the worker is done: version 2 removes the bare except.
  store.change(kUri, 2, {{proto::Range{{2, 6}, {2, 6}}, " ValueError"}});
  engine.document_changed(kUri);     // waits out a 10 s debounce
  REQUIRE(io.run_one_for(5s) == 1);  // version 1's result arrives: stale
  CHECK(sent.empty());

  // A pull skips the debounce and is answered with version 2's (empty) diagnostics.
  dispatcher.handle_message({{"jsonrpc", "2.0"},
                             {"id", 7},
                             {"method", "textDocument/diagnostic"},
                             {"params", {{"textDocument", {{"uri", kUri}}}}}});
  CHECK(sent.empty());  // deferred
  run_until(io, [&] { return sent.size() == 2; });
  CHECK(sent[0]["method"] == "textDocument/publishDiagnostics");
  CHECK(sent[0]["params"]["version"] == 2);
  CHECK(sent[0]["params"]["diagnostics"] == json::array());
  CHECK(sent[1]["id"] == 7);
  CHECK(sent[1]["result"] == json{{"kind", "full"}, {"items", json::array()}});

  // The version is analysed now: a second pull is answered at once from the cache.
  dispatcher.handle_message({{"jsonrpc", "2.0"},
                             {"id", 8},
                             {"method", "textDocument/diagnostic"},
                             {"params", {{"textDocument", {{"uri", kUri}}}}}});
  REQUIRE(sent.size() == 3);
  CHECK(sent[2]["id"] == 8);
}

TEST_CASE("diagnostics: cancelled and closed documents' pulls are answered once", "[server]") {
  boost::asio::io_context io;
  WorkGuard guard = boost::asio::make_work_guard(io);
  DocumentStore store;
  Scheduler scheduler(io, false, 1);
  std::vector<json> sent;
  proto::Dispatcher dispatcher([&](const json& message) { sent.push_back(message); });
  dispatcher.set_initialized(true);
  NotebookStore notebooks(store);
  DiagnosticsEngine engine(store, notebooks, scheduler, dispatcher, mlroast::RuleSelection{}, 10s);
  dispatcher.on_request("textDocument/diagnostic",
                        [&](const json& params, proto::RequestContext& context) {
                          return engine.pull(params["textDocument"]["uri"], context.id());
                        });
  dispatcher.on_cancel([&](const json& id) { engine.cancelled(id); });
  const auto pull = [&](int id) {
    dispatcher.handle_message({{"jsonrpc", "2.0"},
                               {"id", id},
                               {"method", "textDocument/diagnostic"},
                               {"params", {{"textDocument", {{"uri", kUri}}}}}});
  };

  store.open(proto::TextDocumentItem{kUri, "python", 1, kBareExcept});
  pull(1);
  dispatcher.handle_message(
      {{"jsonrpc", "2.0"}, {"method", "$/cancelRequest"}, {"params", {{"id", 1}}}});
  REQUIRE(sent.size() == 1);
  CHECK(sent[0]["error"]["code"] == proto::ErrorCode::RequestCancelled);
  run_until(io, [&] { return sent.size() == 2; });
  CHECK(sent[1]["method"] == "textDocument/publishDiagnostics");  // no second reply to id 1
  CHECK(sent[1]["params"]["diagnostics"].size() == 1);

  store.change(kUri, 2, {{std::nullopt, kBareExcept + "y = 3\n"}});
  engine.document_changed(kUri);
  pull(2);  // waits for version 2...
  store.close(kUri);
  engine.document_closed(kUri);  // ...which will never come: answered empty, then cleared
  REQUIRE(sent.size() == 4);
  CHECK(sent[2]["id"] == 2);
  CHECK(sent[2]["result"]["items"] == json::array());
  CHECK(sent[3]["params"]["diagnostics"] == json::array());
  io.restart();
  io.poll();  // the abandoned debounce of the closed document runs nothing
  CHECK(sent.size() == 4);
}
