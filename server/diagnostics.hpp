// The diagnostics engine: decides when each open Python document is analysed and what happens
// to the result. An edit schedules an analysis of the document after the debounce (opening and
// saving schedule it at once); the scheduler takes a snapshot on the main thread, analyses it on
// a worker (analysis, then conversion to LSP in the encoding captured with the snapshot) and
// hands the diagnostics back to the main thread. There a result is kept only when its snapshot's
// generation is still the document's current one: anything older is stale and dropped, never
// published. A kept result is cached, pushed with textDocument/publishDiagnostics (carrying the
// document version) and given to pull requests (textDocument/diagnostic) that were waiting for
// it; a pull for a version already analysed is answered at once. Closing a document publishes an
// empty list. Thread rules: every member function runs on the main thread; diagnose() is pure
// and runs on workers.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "analysis/analyzer.hpp"
#include "analysis/config/selection.hpp"
#include "analysis/syntax/tree.hpp"
#include "protocol/jsonrpc.hpp"
#include "protocol/lsp_types.hpp"
#include "protocol/position_encoding.hpp"
#include "server/document_store.hpp"
#include "server/notebook_store.hpp"
#include "server/scheduler.hpp"

namespace mlroast::server {

// The analysis options of the server: a document's analysis runs on two threads
// (AnalysisOptions::parallel) when the machine has more than one core.
AnalysisOptions server_analysis_options(bool fixes, std::shared_ptr<const void>* leftovers);

// Analyses one snapshot and converts its findings to LSP diagnostics; with `fixes`, each fixable
// diagnostic carries its fix in `data.fix`. `leftovers`, when given, receives the analysis'
// working state to free later, off the latency path (AnalysisOptions::leftovers). Pure; any
// thread.
std::vector<protocol::Diagnostic> diagnose(const DocumentSnapshot& snapshot,
                                           const RuleSelection& selection,
                                           protocol::PositionEncoding encoding, bool fixes,
                                           std::shared_ptr<const void>* leftovers = nullptr);

// Analyses a notebook as one program and converts its findings to LSP diagnostics of the cells
// they fall in: one entry per cell of the snapshot (in order, an empty list for a cell without
// findings). Related locations may point into other cells; a fix is carried only when all its
// edits fall in the diagnostic's own cell. `previous`: the notebook's tree from its last
// analysis, whose unchanged statements are reused; `tree`, when given, receives this program's;
// `leftovers` as for diagnose(); with `fixes`, each fixable diagnostic carries its fix. Pure; any
// thread.
std::vector<std::pair<std::string, std::vector<protocol::Diagnostic>>> diagnose_notebook(
    const NotebookSnapshot& snapshot, const RuleSelection& selection,
    protocol::PositionEncoding encoding, const syntax::Tree* previous = nullptr,
    syntax::Tree* tree = nullptr, std::shared_ptr<const void>* leftovers = nullptr,
    bool fixes = false);

// `{"kind": "full", "items": [...]}`, the answer to textDocument/diagnostic.
protocol::json full_report(const std::vector<protocol::Diagnostic>& items);

class DiagnosticsEngine {
 public:
  // All references must outlive the engine. Replies and notifications go through `dispatcher`.
  DiagnosticsEngine(DocumentStore& documents, NotebookStore& notebooks, Scheduler& scheduler,
                    protocol::Dispatcher& dispatcher, RuleSelection selection,
                    std::chrono::milliseconds debounce);
  DiagnosticsEngine(const DiagnosticsEngine&) = delete;
  DiagnosticsEngine& operator=(const DiagnosticsEngine&) = delete;

  // Where each document's rule selection comes from (the server's configuration resolver); main
  // thread, called with the document's path when its analysis is prepared. Without a provider
  // the selection given at construction is used.
  void set_selection_provider(std::function<RuleSelection(const std::string& path)> provider) {
    selection_for_ = std::move(provider);
  }
  // The configuration changed: every open document is analysed again (and republished).
  void reanalyse_all();

  void document_opened(const std::string& uri);   // analyse now
  void document_changed(const std::string& uri);  // analyse after the debounce
  void document_saved(const std::string& uri);    // analyse now
  // Call after the store forgot the document: drops pending work, publishes an empty list and
  // answers waiting pull requests with an empty report.
  void document_closed(const std::string& uri);

  // Notebooks (server/notebook_diagnostics.cpp): any change re-analyses the whole notebook
  // (after the debounce for edits, at once on open and save); results are published per cell,
  // every cell of the notebook each time, so a cell that lost its findings gets an empty list.
  void notebook_opened(const std::string& uri);
  void notebook_changed(const std::string& uri, const std::vector<std::string>& closed_cells);
  void notebook_saved(const std::string& uri);
  // Call after the store forgot the notebook, with its cells' URIs: each gets an empty list.
  void notebook_closed(const std::string& uri, const std::vector<std::string>& cells);

  // Serves textDocument/diagnostic for `uri`: the report now when the current version has been
  // analysed (or the document is not an open Python file: an empty report), else kDeferred and
  // the request is answered through the dispatcher once the analysis lands.
  protocol::HandlerResult pull(const std::string& uri, const protocol::json& request_id);
  // The client cancelled a request (the dispatcher has already answered it).
  void cancelled(const protocol::json& request_id);
  // Shutdown: answers every waiting pull request with ServerCancelled; nothing more is published.
  void shutdown();
  // Whether results are pushed with textDocument/publishDiagnostics. Off when the client pulls
  // (it declared textDocument.diagnostic): a client doing both would show every finding twice.
  void set_push(bool push) noexcept { push_ = push; }
  // The diagnostics of the document's current text, or nullptr when its latest version has not
  // been analysed yet (a fix computed for an older text must not be applied to this one).
  const std::vector<protocol::Diagnostic>* current(const std::string& uri) const;
  // The diagnostics of the document's current text WITH their fixes (`data.fix`), or nullptr
  // when the document is not an open Python file. Fixes are not computed by the per-keystroke
  // analysis (some cost more than the rest of the analysis); this analyses the current version
  // again, on the calling (main) thread, the first time code actions are asked for it, and
  // caches the result until the next edit. For a notebook cell: the cell's part of such an
  // analysis of the whole current notebook, cached the same way.
  const std::vector<protocol::Diagnostic>* with_fixes(const std::string& uri);

 private:
  struct State {
    std::uint64_t analysed = 0;   // generation of `items`; 0 = nothing analysed yet
    std::uint64_t scheduled = 0;  // generation of the latest snapshot sent to a worker
    std::vector<protocol::Diagnostic> items;
    std::vector<protocol::json> waiting;  // ids of pull requests for the current generation
    std::uint64_t fixed = 0;  // generation of `fixed_items`; 0 = none
    std::vector<protocol::Diagnostic> fixed_items;
  };

  struct NotebookState {
    std::uint64_t analysed = 0;   // revision of `items`
    std::uint64_t scheduled = 0;
    // By cell URI: the lists of the last analysis, all published, and their cells' versions.
    std::unordered_map<std::string, std::vector<protocol::Diagnostic>> items;
    std::unordered_map<std::string, std::int32_t> versions;
    std::vector<std::pair<protocol::json, std::string>> waiting;  // (request id, cell URI)
    // The tree of the last program analysed, for the next analysis to reuse its statements.
    std::shared_ptr<const syntax::Tree> tree;
    std::uint64_t fixed = 0;  // revision of `fixed_items`; 0 = none
    std::unordered_map<std::string, std::vector<protocol::Diagnostic>> fixed_items;  // by cell
  };

  void schedule(const std::string& uri, std::chrono::milliseconds delay);
  void schedule_notebook(const std::string& uri, std::chrono::milliseconds delay);
  Scheduler::Work prepare_notebook(const std::string& uri);
  void notebook_completed(const std::string& uri, std::uint64_t revision,
                          std::vector<std::pair<std::string, std::vector<protocol::Diagnostic>>>&& items,
                          std::unordered_map<std::string, std::int32_t> versions,
                          std::shared_ptr<const syntax::Tree> tree);
  void clear_cell(const std::string& cell_uri);
  protocol::HandlerResult pull_cell(const std::string& notebook_uri, const std::string& cell_uri,
                                    const protocol::json& request_id);
  const std::vector<protocol::Diagnostic>* cell_with_fixes(const std::string& notebook_uri,
                                                          const std::string& cell_uri);
  const std::vector<protocol::Diagnostic>* current_cell(const std::string& notebook_uri,
                                                        const std::string& cell_uri) const;
  Scheduler::Work prepare(const std::string& uri);
  void completed(const std::string& uri, std::uint64_t generation, std::int32_t version,
                 std::vector<protocol::Diagnostic> items);
  void failed(const std::string& uri, std::uint64_t generation, const std::string& why);

  DocumentStore& documents_;
  NotebookStore& notebooks_;
  Scheduler& scheduler_;
  protocol::Dispatcher& dispatcher_;
  RuleSelection selection_of(const std::string& path) const;

  RuleSelection selection_;
  std::function<RuleSelection(const std::string& path)> selection_for_;
  std::chrono::milliseconds debounce_;
  std::unordered_map<std::string, State> states_;
  std::unordered_map<std::string, NotebookState> notebook_states_;
  bool shut_down_ = false;
  bool push_ = true;
};

}  // namespace mlroast::server
