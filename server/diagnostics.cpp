#include "server/diagnostics.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <exception>
#include <memory>
#include <thread>
#include <utility>

#include "analysis/analyzer.hpp"
#include "analysis/source_file.hpp"
#include "protocol/diagnostics_writer.hpp"
#include "server/diagnostic_conversion.hpp"

namespace mlroast::server {
namespace {

// LSP 3.17: the server cancelled the request (here: because it is shutting down).
constexpr int kServerCancelled = -32802;

}  // namespace

AnalysisOptions server_analysis_options(bool fixes, std::shared_ptr<const void>* leftovers) {
  static const bool parallel = std::thread::hardware_concurrency() > 1;
  AnalysisOptions options;
  options.fixes = fixes;
  options.leftovers = leftovers;
  options.parallel = parallel;
  return options;
}

std::vector<protocol::Diagnostic> diagnose(const DocumentSnapshot& snapshot,
                                           const RuleSelection& selection,
                                           protocol::PositionEncoding encoding, bool fixes,
                                           std::shared_ptr<const void>* leftovers) {
  SourceFile file;
  file.path = snapshot.path;
  file.text = snapshot.text;
  file.tree = &snapshot.tree;
  file.is_test = is_test_path(snapshot.path);
  const std::vector<Finding> findings =
      analyze(file, selection, server_analysis_options(fixes, leftovers));
  const protocol::LineIndex index(snapshot.text);
  const ConversionContext context{snapshot.uri, snapshot.text, index, encoding};
  return to_lsp_diagnostics(context, findings);
}

protocol::json full_report(const std::vector<protocol::Diagnostic>& items) {
  return {{"kind", "full"}, {"items", items}};
}

DiagnosticsEngine::DiagnosticsEngine(DocumentStore& documents, NotebookStore& notebooks,
                                     Scheduler& scheduler,
                                     protocol::Dispatcher& dispatcher, RuleSelection selection,
                                     std::chrono::milliseconds debounce)
    : documents_(documents),
      notebooks_(notebooks),
      scheduler_(scheduler),
      dispatcher_(dispatcher),
      selection_(std::move(selection)),
      debounce_(debounce) {}

void DiagnosticsEngine::document_opened(const std::string& uri) {
  schedule(uri, std::chrono::milliseconds::zero());
}

void DiagnosticsEngine::document_changed(const std::string& uri) {
  const Document* doc = documents_.find(uri);
  if (doc != nullptr && !doc->notebook.empty() && notebooks_.touch_cell(uri)) {
    schedule_notebook(doc->notebook, debounce_);  // a cell edited as a plain text document
    return;
  }
  schedule(uri, debounce_);
}

RuleSelection DiagnosticsEngine::selection_of(const std::string& path) const {
  return selection_for_ ? selection_for_(path) : selection_;
}

void DiagnosticsEngine::reanalyse_all() {
  std::vector<std::string> uris;
  for (auto& [uri, state] : states_) {
    state.analysed = 0;
    state.scheduled = 0;
    state.fixed = 0;  // fixes were computed under the old selection
    uris.push_back(uri);
  }
  for (const std::string& uri : uris) schedule(uri, std::chrono::milliseconds::zero());
  uris.clear();
  for (auto& [uri, state] : notebook_states_) {
    state.analysed = 0;
    state.scheduled = 0;
    state.fixed = 0;
    uris.push_back(uri);
  }
  for (const std::string& uri : uris) schedule_notebook(uri, std::chrono::milliseconds::zero());
}

void DiagnosticsEngine::document_saved(const std::string& uri) {
  schedule(uri, std::chrono::milliseconds::zero());
}

void DiagnosticsEngine::schedule(const std::string& uri, std::chrono::milliseconds delay) {
  const Document* doc = documents_.find(uri);
  if (shut_down_ || doc == nullptr || !doc->python || !doc->notebook.empty()) return;
  scheduler_.schedule(uri, scheduler_.synchronous() ? std::chrono::milliseconds::zero() : delay,
                      [this, uri] { return prepare(uri); });
}

Scheduler::Work DiagnosticsEngine::prepare(const std::string& uri) {
  auto snapshot = documents_.snapshot(uri);
  if (!snapshot) return {};
  auto& state = states_[uri];
  if (state.analysed == snapshot->generation || state.scheduled == snapshot->generation) {
    return {};  // this version is already analysed or being analysed
  }
  state.scheduled = snapshot->generation;
  auto shared = std::make_shared<const DocumentSnapshot>(std::move(*snapshot));
  RuleSelection selection = selection_of(shared->path);
  // The analysis' working state is freed when this job is, after its continuation is posted:
  // the publish does not wait for it.
  auto leftovers = std::make_shared<std::shared_ptr<const void>>();
  return [this, shared, selection = std::move(selection), encoding = documents_.encoding(),
          leftovers] {
    try {
      auto items = diagnose(*shared, selection, encoding, /*fixes=*/false, leftovers.get());
      return Scheduler::Continuation([this, shared, items = std::move(items)]() mutable {
        completed(shared->uri, shared->generation, shared->version, std::move(items));
      });
    } catch (const std::exception& e) {
      std::string why = e.what();
      return Scheduler::Continuation(
          [this, shared, why] { failed(shared->uri, shared->generation, why); });
    }
  };
}

void DiagnosticsEngine::completed(const std::string& uri, std::uint64_t generation,
                                  std::int32_t version, std::vector<protocol::Diagnostic> items) {
  const Document* doc = documents_.find(uri);
  if (shut_down_ || doc == nullptr || doc->generation != generation) {
    spdlog::debug("diagnostics: dropping stale result for {} version {}", uri, version);
    return;
  }
  auto& state = states_[uri];
  state.analysed = generation;
  state.items = std::move(items);
  spdlog::debug("diagnostics: {} version {}: {} diagnostics", uri, version, state.items.size());
  if (push_) dispatcher_.send_body(protocol::publish_diagnostics_body(uri, version, state.items));
  if (state.waiting.empty()) return;  // the common case: no pull request is waiting
  const auto report = full_report(state.items);
  for (const auto& id : std::exchange(state.waiting, {})) dispatcher_.reply(id, report);
}

void DiagnosticsEngine::failed(const std::string& uri, std::uint64_t generation,
                               const std::string& why) {
  spdlog::error("diagnostics: analysing {} failed: {}", uri, why);
  const Document* doc = documents_.find(uri);
  if (doc == nullptr || doc->generation != generation) return;
  auto& state = states_[uri];
  state.scheduled = 0;  // the next edit or save may try again
  for (const auto& id : std::exchange(state.waiting, {})) {
    dispatcher_.reply_error(id, protocol::ErrorCode::InternalError, "analysis failed: " + why);
  }
}

void DiagnosticsEngine::document_closed(const std::string& uri) {
  scheduler_.cancel(uri);
  const auto found = states_.find(uri);
  if (found != states_.end()) {
    for (const auto& id : found->second.waiting) dispatcher_.reply(id, full_report({}));
    states_.erase(found);
  }
  if (shut_down_ || !push_) return;
  dispatcher_.send_body(protocol::publish_diagnostics_body(uri, std::nullopt, {}));
}

protocol::HandlerResult DiagnosticsEngine::pull(const std::string& uri,
                                                const protocol::json& request_id) {
  const Document* doc = documents_.find(uri);
  if (doc != nullptr && !doc->notebook.empty()) return pull_cell(doc->notebook, uri, request_id);
  if (doc == nullptr || !doc->python) return full_report({});
  auto& state = states_[uri];
  if (state.analysed == doc->generation) return full_report(state.items);
  state.waiting.push_back(request_id);
  // Skip what is left of the debounce: someone is waiting for this version now.
  if (state.scheduled != doc->generation) schedule(uri, std::chrono::milliseconds::zero());
  // A synchronous scheduler may have answered already (through dispatcher_.reply).
  return protocol::kDeferred;
}

void DiagnosticsEngine::cancelled(const protocol::json& request_id) {
  for (auto& [uri, state] : states_) {
    std::erase(state.waiting, request_id);
  }
  for (auto& [uri, state] : notebook_states_)
    std::erase_if(state.waiting, [&](const auto& w) { return w.first == request_id; });
}

void DiagnosticsEngine::shutdown() {
  shut_down_ = true;
  for (auto& [uri, state] : states_) {
    for (const auto& id : std::exchange(state.waiting, {})) {
      dispatcher_.reply_error(id, kServerCancelled, "the server is shutting down");
    }
  }
  for (auto& [uri, state] : notebook_states_)
    for (const auto& w : std::exchange(state.waiting, {}))
      dispatcher_.reply_error(w.first, kServerCancelled, "the server is shutting down");
}

}  // namespace mlroast::server

namespace mlroast::server {

const std::vector<protocol::Diagnostic>* DiagnosticsEngine::current(const std::string& uri) const {
  const Document* doc = documents_.find(uri);
  if (doc != nullptr && !doc->notebook.empty()) return current_cell(doc->notebook, uri);
  const auto found = states_.find(uri);
  if (doc == nullptr || found == states_.end() || found->second.analysed != doc->generation)
    return nullptr;
  return &found->second.items;
}

const std::vector<protocol::Diagnostic>* DiagnosticsEngine::with_fixes(const std::string& uri) {
  const Document* doc = documents_.find(uri);
  // A notebook cell: its part of an analysis of the whole notebook, with fixes.
  if (doc != nullptr && !doc->notebook.empty()) return cell_with_fixes(doc->notebook, uri);
  if (doc == nullptr || !doc->python) return nullptr;
  auto& state = states_[uri];
  if (state.fixed != doc->generation) {
    auto snapshot = documents_.snapshot(uri);
    if (!snapshot) return nullptr;
    state.fixed_items =
        diagnose(*snapshot, selection_of(snapshot->path), documents_.encoding(), /*fixes=*/true);
    state.fixed = doc->generation;
  }
  return &state.fixed_items;
}

}  // namespace mlroast::server
