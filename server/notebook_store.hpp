// The notebook store: the notebook documents the client has open (LSP 3.17 notebook sync), each
// an ordered list of cells (kind, text document URI, execution order). The cells' text lives in
// the DocumentStore as ordinary text documents, marked with their notebook so they are never
// analysed on their own: a notebook is analysed as a whole (analysis/notebook/), because a leak
// in cell 5 may start in cell 2. Every change to a notebook (cell text, cell structure, execution
// summaries) bumps its revision, which the diagnostics engine compares to drop stale results.
// Thread rules: main thread only; a NotebookSnapshot is an independent value for a worker.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "protocol/jsonrpc.hpp"
#include "server/document_store.hpp"

namespace mlroast::server {

struct NotebookCellRef {
  int kind = 2;                                 // 1 = markup, 2 = code (LSP NotebookCellKind)
  std::string document;                         // the cell's text document URI
  std::optional<std::int64_t> execution_order;  // executionSummary.executionOrder
};

struct NotebookDocument {
  std::string uri;
  std::string notebook_type;
  std::int32_t version = 0;
  std::uint64_t revision = 0;  // store-wide counter, bumped by every change
  std::vector<NotebookCellRef> cells;
};

struct NotebookCellSnapshot {
  std::string uri;
  int kind = 2;
  std::string language;
  std::int32_t version = 0;
  std::string text;
  std::optional<std::int64_t> execution_order;
};

struct NotebookSnapshot {
  std::string uri;
  std::string path;  // filesystem path of the notebook URI (or the URI)
  std::uint64_t revision = 0;
  std::vector<NotebookCellSnapshot> cells;
};

class NotebookStore {
 public:
  explicit NotebookStore(DocumentStore& documents) : documents_(documents) {}
  NotebookStore(const NotebookStore&) = delete;
  NotebookStore& operator=(const NotebookStore&) = delete;

  // notebookDocument/didOpen params. Throws protocol::InvalidParamsError on malformed params.
  const NotebookDocument& open(const protocol::json& params);
  // notebookDocument/didChange params; returns the cell URIs closed by the change (their
  // diagnostics must be cleared), or nullopt when the notebook is not open.
  std::optional<std::vector<std::string>> change(const protocol::json& params);
  // A cell's text changed outside notebookDocument/didChange (a client sending textDocument/
  // didChange for a cell URI): bumps the owning notebook's revision. False when not a cell.
  bool touch_cell(const std::string& cell_uri);
  // Forgets the notebook and closes its cells' text documents; returns the cells' URIs.
  std::vector<std::string> close(const std::string& uri);

  const NotebookDocument* find(const std::string& uri) const;
  // The notebook a cell text document belongs to, or nullptr.
  const NotebookDocument* of_cell(const std::string& cell_uri) const;
  std::optional<NotebookSnapshot> snapshot(const std::string& uri) const;

 private:
  static NotebookCellRef read_cell(const protocol::json& j);
  void open_cell_text(const protocol::TextDocumentItem& item, const std::string& notebook);

  DocumentStore& documents_;
  std::unordered_map<std::string, NotebookDocument> notebooks_;
  std::unordered_map<std::string, std::string> cell_owner_;  // cell URI -> notebook URI
  std::uint64_t next_revision_ = 1;
};

}  // namespace mlroast::server
