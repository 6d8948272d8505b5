// The notebook half of the diagnostics engine (see diagnostics.hpp): a notebook is analysed as
// one program (analysis/notebook/) whenever any of its cells or its structure changes, and the
// findings are converted and published per cell URI, for the cells whose list or version
// changed since the last publish. The keystroke analysis computes no quick
// fixes; code actions ask for an analysis with fixes of the current revision (cell_with_fixes).
#include <spdlog/spdlog.h>

#include <exception>
#include <memory>
#include <utility>

#include "analysis/notebook/analyze.hpp"
#include "protocol/diagnostics_writer.hpp"
#include "server/diagnostic_conversion.hpp"
#include "server/diagnostics.hpp"

namespace mlroast::server {

namespace {

std::string scheduler_key(const std::string& notebook_uri) { return "notebook:" + notebook_uri; }

notebook::Notebook to_notebook(const NotebookSnapshot& snapshot) {
  notebook::Notebook nb;
  for (const auto& c : snapshot.cells) {
    notebook::Cell cell;
    cell.type = c.kind == 2 ? notebook::CellType::Code : notebook::CellType::Markdown;
    cell.source = c.text;
    cell.language = c.language;
    cell.execution_count = c.execution_order;
    nb.cells.push_back(std::move(cell));
  }
  return nb;
}

}  // namespace

std::vector<std::pair<std::string, std::vector<protocol::Diagnostic>>> diagnose_notebook(
    const NotebookSnapshot& snapshot, const RuleSelection& selection,
    protocol::PositionEncoding encoding, const syntax::Tree* previous, syntax::Tree* tree,
    std::shared_ptr<const void>* leftovers, bool fixes) {
  const notebook::VirtualProgram program(to_notebook(snapshot), previous);
  if (tree != nullptr) *tree = program.tree().copy();
  const std::vector<Finding> findings = notebook::analyze_program(
      snapshot.path, program, selection, server_analysis_options(fixes, leftovers));
  std::vector<std::pair<std::string, std::vector<protocol::Diagnostic>>> out;
  std::vector<protocol::LineIndex> indexes;
  indexes.reserve(snapshot.cells.size());
  for (const auto& c : snapshot.cells) {
    out.emplace_back(c.uri, std::vector<protocol::Diagnostic>{});
    indexes.emplace_back(c.text);
  }
  auto context = [&](std::uint32_t cell) {
    return ConversionContext{snapshot.cells[cell].uri, snapshot.cells[cell].text, indexes[cell],
                             encoding};
  };
  for (const Finding& f : findings) {
    auto at = program.locate(f.range.start_byte);
    if (!at) continue;
    const notebook::Segment* seg = program.segment_of_cell(at->cell);
    Finding local = f;
    local.range.start_byte = at->offset;
    local.range.end_byte = std::min(f.range.end_byte - std::min(f.range.end_byte, seg->start), seg->length);
    local.related.clear();
    local.fix.reset();
    if (f.fix) {
      auto edits = notebook::cell_edits(program, *f.fix);
      bool own_cell = edits.has_value();
      if (edits)
        for (const auto& e : *edits) own_cell = own_cell && e.cell == at->cell;
      if (own_cell) {
        Fix fix{f.fix->title, f.fix->applicability, {}};
        for (const auto& e : *edits) fix.edits.push_back(TextEdit{e.start, e.end, e.replacement});
        local.fix = std::move(fix);
      }
    }
    protocol::Diagnostic d = to_lsp_diagnostic(context(at->cell), local);
    for (const RelatedLocation& r : f.related) {
      auto rat = program.locate(r.range.start_byte);
      if (!rat) continue;
      const notebook::Segment* rseg = program.segment_of_cell(rat->cell);
      std::uint32_t rend = std::min(r.range.end_byte - std::min(r.range.end_byte, rseg->start), rseg->length);
      auto ctx = context(rat->cell);
      d.related_information.push_back(protocol::DiagnosticRelatedInformation{
          protocol::Location{snapshot.cells[rat->cell].uri, to_lsp_range(ctx, rat->offset, rend)},
          r.message});
    }
    out[at->cell].second.push_back(std::move(d));
  }
  return out;
}

void DiagnosticsEngine::notebook_opened(const std::string& uri) {
  schedule_notebook(uri, std::chrono::milliseconds::zero());
}

void DiagnosticsEngine::notebook_saved(const std::string& uri) {
  schedule_notebook(uri, std::chrono::milliseconds::zero());
}

void DiagnosticsEngine::notebook_changed(const std::string& uri,
                                         const std::vector<std::string>& closed_cells) {
  for (const auto& cell : closed_cells) clear_cell(cell);
  auto found = notebook_states_.find(uri);
  if (found != notebook_states_.end())
    for (const auto& cell : closed_cells) {
      found->second.items.erase(cell);  // cleared: the next analysis publishes it if it is back
      found->second.versions.erase(cell);
    }
  schedule_notebook(uri, debounce_);
}

void DiagnosticsEngine::notebook_closed(const std::string& uri,
                                        const std::vector<std::string>& cells) {
  scheduler_.cancel(scheduler_key(uri));
  auto found = notebook_states_.find(uri);
  if (found != notebook_states_.end()) {
    for (const auto& w : found->second.waiting) dispatcher_.reply(w.first, full_report({}));
    notebook_states_.erase(found);
  }
  for (const auto& cell : cells) clear_cell(cell);
}

void DiagnosticsEngine::clear_cell(const std::string& cell_uri) {
  if (shut_down_ || !push_) return;
  dispatcher_.send_body(protocol::publish_diagnostics_body(cell_uri, std::nullopt, {}));
}

void DiagnosticsEngine::schedule_notebook(const std::string& uri, std::chrono::milliseconds delay) {
  if (shut_down_ || notebooks_.find(uri) == nullptr) return;
  scheduler_.schedule(scheduler_key(uri),
                      scheduler_.synchronous() ? std::chrono::milliseconds::zero() : delay,
                      [this, uri] { return prepare_notebook(uri); });
}

Scheduler::Work DiagnosticsEngine::prepare_notebook(const std::string& uri) {
  auto snapshot = notebooks_.snapshot(uri);
  if (!snapshot) return {};
  auto& state = notebook_states_[uri];
  if (state.analysed == snapshot->revision || state.scheduled == snapshot->revision) return {};
  state.scheduled = snapshot->revision;
  auto shared = std::make_shared<const NotebookSnapshot>(std::move(*snapshot));
  auto leftovers = std::make_shared<std::shared_ptr<const void>>();  // freed after the publish
  return [this, shared, selection = selection_of(shared->path), encoding = documents_.encoding(),
          previous = state.tree, leftovers] {
    try {
      auto tree = std::make_shared<syntax::Tree>();
      auto items = diagnose_notebook(*shared, selection, encoding, previous.get(), tree.get(),
                                     leftovers.get());
      std::unordered_map<std::string, std::int32_t> versions;
      for (const auto& c : shared->cells) versions[c.uri] = c.version;
      return Scheduler::Continuation([this, shared, items = std::move(items),
                                      versions = std::move(versions), tree]() mutable {
        notebook_completed(shared->uri, shared->revision, std::move(items), std::move(versions),
                           std::move(tree));
      });
    } catch (const std::exception& e) {
      std::string why = e.what();
      return Scheduler::Continuation([this, shared, why] {
        spdlog::error("diagnostics: analysing notebook {} failed: {}", shared->uri, why);
        auto found = notebook_states_.find(shared->uri);
        if (found == notebook_states_.end() || found->second.scheduled != shared->revision) return;
        found->second.scheduled = 0;
        for (const auto& w : std::exchange(found->second.waiting, {}))
          dispatcher_.reply_error(w.first, protocol::ErrorCode::InternalError,
                                  "analysis failed: " + why);
      });
    }
  };
}

void DiagnosticsEngine::notebook_completed(
    const std::string& uri, std::uint64_t revision,
    std::vector<std::pair<std::string, std::vector<protocol::Diagnostic>>>&& items,
    std::unordered_map<std::string, std::int32_t> versions,
    std::shared_ptr<const syntax::Tree> tree) {
  const NotebookDocument* doc = notebooks_.find(uri);
  if (shut_down_ || doc == nullptr || doc->revision != revision) {
    spdlog::debug("diagnostics: dropping stale result for notebook {}", uri);
    return;
  }
  auto& state = notebook_states_[uri];
  state.analysed = revision;
  state.tree = std::move(tree);
  // Publish only the cells whose list or text version changed: the client still shows the
  // others' last lists, which are the same (an edit rarely changes more than a few cells, and
  // re-sending all of them was ~700 KB per keystroke on a 300-cell notebook).
  auto before = std::exchange(state.items, {});
  auto versions_before = std::exchange(state.versions, {});
  for (auto& [cell, diagnostics] : items) {
    const std::int32_t version = versions[cell];
    auto old = before.find(cell);
    auto old_version = versions_before.find(cell);
    const bool unchanged = old != before.end() && old_version != versions_before.end() &&
                           old_version->second == version && old->second == diagnostics;
    if (push_ && !unchanged)
      dispatcher_.send_body(protocol::publish_diagnostics_body(cell, version, diagnostics));
    state.items[cell] = std::move(diagnostics);
    state.versions[cell] = version;
  }
  for (const auto& [id, cell] : std::exchange(state.waiting, {})) {
    auto it = state.items.find(cell);
    dispatcher_.reply(id, full_report(it == state.items.end() ? std::vector<protocol::Diagnostic>{}
                                                              : it->second));
  }
}

protocol::HandlerResult DiagnosticsEngine::pull_cell(const std::string& notebook_uri,
                                                     const std::string& cell_uri,
                                                     const protocol::json& request_id) {
  const NotebookDocument* doc = notebooks_.find(notebook_uri);
  if (doc == nullptr) return full_report({});
  auto& state = notebook_states_[notebook_uri];
  if (state.analysed == doc->revision) {
    auto it = state.items.find(cell_uri);
    return full_report(it == state.items.end() ? std::vector<protocol::Diagnostic>{} : it->second);
  }
  state.waiting.emplace_back(request_id, cell_uri);
  if (state.scheduled != doc->revision) schedule_notebook(notebook_uri, std::chrono::milliseconds::zero());
  return protocol::kDeferred;
}

const std::vector<protocol::Diagnostic>* DiagnosticsEngine::current_cell(
    const std::string& notebook_uri, const std::string& cell_uri) const {
  const NotebookDocument* doc = notebooks_.find(notebook_uri);
  auto found = notebook_states_.find(notebook_uri);
  if (doc == nullptr || found == notebook_states_.end() || found->second.analysed != doc->revision)
    return nullptr;
  auto it = found->second.items.find(cell_uri);
  static const std::vector<protocol::Diagnostic> kNone;
  return it == found->second.items.end() ? &kNone : &it->second;
}

const std::vector<protocol::Diagnostic>* DiagnosticsEngine::cell_with_fixes(
    const std::string& notebook_uri, const std::string& cell_uri) {
  const NotebookDocument* doc = notebooks_.find(notebook_uri);
  if (doc == nullptr) return nullptr;
  auto& state = notebook_states_[notebook_uri];
  if (state.fixed != doc->revision) {
    auto snapshot = notebooks_.snapshot(notebook_uri);
    if (!snapshot) return nullptr;
    state.fixed_items.clear();
    auto cells = diagnose_notebook(*snapshot, selection_of(snapshot->path), documents_.encoding(),
                                   state.tree.get(), nullptr, nullptr, /*fixes=*/true);
    for (auto& [cell, items] : cells) state.fixed_items[cell] = std::move(items);
    state.fixed = doc->revision;
  }
  auto it = state.fixed_items.find(cell_uri);
  static const std::vector<protocol::Diagnostic> kNone;
  return it == state.fixed_items.end() ? &kNone : &it->second;
}

}  // namespace mlroast::server
