#include "server/notebook_store.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "protocol/uri.hpp"

namespace mlroast::server {

NotebookCellRef NotebookStore::read_cell(const protocol::json& j) {
  NotebookCellRef cell;
  cell.kind = protocol::require<int>(j, "kind");
  cell.document = protocol::require<std::string>(j, "document");
  cell.execution_order = protocol::optional_field<std::int64_t>(j, "executionSummary.executionOrder");
  return cell;
}

void NotebookStore::open_cell_text(const protocol::TextDocumentItem& item,
                                   const std::string& notebook) {
  documents_.open(item);
  documents_.set_notebook(item.uri, notebook);
  cell_owner_[item.uri] = notebook;
}

const NotebookDocument& NotebookStore::open(const protocol::json& params) {
  const protocol::json nb = protocol::require<protocol::json>(params, "notebookDocument");
  NotebookDocument doc;
  doc.uri = protocol::require<std::string>(nb, "uri");
  doc.notebook_type = protocol::optional_field<std::string>(nb, "notebookType").value_or("");
  doc.version = protocol::optional_field<std::int32_t>(nb, "version").value_or(0);
  doc.revision = next_revision_++;
  for (const auto& c : protocol::optional_field<protocol::json>(nb, "cells").value_or(protocol::json::array()))
    doc.cells.push_back(read_cell(c));
  if (find(doc.uri) != nullptr) close(doc.uri);
  for (const auto& item : protocol::optional_field<std::vector<protocol::TextDocumentItem>>(
                              params, "cellTextDocuments")
                              .value_or(std::vector<protocol::TextDocumentItem>{}))
    open_cell_text(item, doc.uri);
  auto [it, _] = notebooks_.insert_or_assign(doc.uri, std::move(doc));
  return it->second;
}

std::optional<std::vector<std::string>> NotebookStore::change(const protocol::json& params) {
  const auto uri = protocol::require<std::string>(params, "notebookDocument.uri");
  auto found = notebooks_.find(uri);
  if (found == notebooks_.end()) return std::nullopt;
  NotebookDocument& doc = found->second;
  doc.version = protocol::optional_field<std::int32_t>(params, "notebookDocument.version")
                    .value_or(doc.version + 1);
  doc.revision = next_revision_++;
  std::vector<std::string> closed;
  const protocol::json cells =
      protocol::optional_field<protocol::json>(params, "change.cells").value_or(protocol::json::object());
  if (auto structure = protocol::optional_field<protocol::json>(cells, "structure")) {
    const auto start = protocol::require<std::size_t>(*structure, "array.start");
    const auto count = protocol::require<std::size_t>(*structure, "array.deleteCount");
    std::vector<NotebookCellRef> inserted;
    for (const auto& c : protocol::optional_field<protocol::json>(*structure, "array.cells")
                             .value_or(protocol::json::array()))
      inserted.push_back(read_cell(c));
    const std::size_t at = std::min(start, doc.cells.size());
    const std::size_t n = std::min(count, doc.cells.size() - at);
    doc.cells.erase(doc.cells.begin() + static_cast<std::ptrdiff_t>(at),
                    doc.cells.begin() + static_cast<std::ptrdiff_t>(at + n));
    doc.cells.insert(doc.cells.begin() + static_cast<std::ptrdiff_t>(at), inserted.begin(),
                     inserted.end());
    for (const auto& item : protocol::optional_field<std::vector<protocol::TextDocumentItem>>(
                                *structure, "didOpen")
                                .value_or(std::vector<protocol::TextDocumentItem>{}))
      open_cell_text(item, uri);
    for (const auto& id : protocol::optional_field<std::vector<protocol::TextDocumentIdentifier>>(
                              *structure, "didClose")
                              .value_or(std::vector<protocol::TextDocumentIdentifier>{})) {
      documents_.close(id.uri);
      cell_owner_.erase(id.uri);
      closed.push_back(id.uri);
    }
  }
  // `data`: cells whose kind or execution summary changed (cells are matched by document).
  for (const auto& c : protocol::optional_field<protocol::json>(cells, "data")
                           .value_or(protocol::json::array())) {
    NotebookCellRef updated = read_cell(c);
    for (auto& cell : doc.cells)
      if (cell.document == updated.document) cell = updated;
  }
  for (const auto& t : protocol::optional_field<protocol::json>(cells, "textContent")
                           .value_or(protocol::json::array())) {
    const auto id = protocol::require<protocol::VersionedTextDocumentIdentifier>(t, "document");
    const auto changes =
        protocol::require<std::vector<protocol::TextDocumentContentChangeEvent>>(t, "changes");
    if (documents_.change(id.uri, id.version, changes) == nullptr)
      spdlog::warn("notebook {}: change to cell {}, which is not open: ignored", uri, id.uri);
  }
  return closed;
}

bool NotebookStore::touch_cell(const std::string& cell_uri) {
  auto owner = cell_owner_.find(cell_uri);
  if (owner == cell_owner_.end()) return false;
  auto found = notebooks_.find(owner->second);
  if (found == notebooks_.end()) return false;
  found->second.revision = next_revision_++;
  return true;
}

std::vector<std::string> NotebookStore::close(const std::string& uri) {
  std::vector<std::string> cells;
  auto found = notebooks_.find(uri);
  if (found == notebooks_.end()) return cells;
  for (const auto& cell : found->second.cells) cells.push_back(cell.document);
  // Cell documents opened for this notebook but no longer in its list are closed too.
  for (auto it = cell_owner_.begin(); it != cell_owner_.end();) {
    if (it->second != uri) {
      ++it;
      continue;
    }
    if (std::find(cells.begin(), cells.end(), it->first) == cells.end()) cells.push_back(it->first);
    it = cell_owner_.erase(it);
  }
  for (const auto& cell : cells) documents_.close(cell);
  notebooks_.erase(found);
  return cells;
}

const NotebookDocument* NotebookStore::find(const std::string& uri) const {
  auto it = notebooks_.find(uri);
  return it == notebooks_.end() ? nullptr : &it->second;
}

const NotebookDocument* NotebookStore::of_cell(const std::string& cell_uri) const {
  auto it = cell_owner_.find(cell_uri);
  return it == cell_owner_.end() ? nullptr : find(it->second);
}

std::optional<NotebookSnapshot> NotebookStore::snapshot(const std::string& uri) const {
  const NotebookDocument* doc = find(uri);
  if (doc == nullptr) return std::nullopt;
  NotebookSnapshot snap;
  snap.uri = doc->uri;
  snap.path = protocol::uri_to_path(doc->uri).value_or(doc->uri);
  snap.revision = doc->revision;
  for (const auto& cell : doc->cells) {
    NotebookCellSnapshot c;
    c.uri = cell.document;
    c.kind = cell.kind;
    c.execution_order = cell.execution_order;
    if (const Document* text = documents_.find(cell.document)) {
      c.language = text->language_id;
      c.version = text->version;
      c.text = text->text;
    }
    snap.cells.push_back(std::move(c));
  }
  return snap;
}

}  // namespace mlroast::server
