// The document store: the text and the tree-sitter tree of every document the client has open,
// keyed by URI string. It applies textDocument/didChange events (incremental ranges in the
// negotiated position encoding, or whole-text replacements), tells the cached tree about each
// edit in byte offsets and (row, byte-column) points, and reparses incrementally with the old
// tree. Every change bumps a store-wide generation counter, which is what the scheduler compares
// to drop stale analysis results (client versions are echoed back but never trusted to grow).
// Snapshots copy the text and the tree (Tree::copy is cheap) so a worker thread can analyse a
// version while the main thread keeps editing. Thread rules: a DocumentStore, and the Documents
// it hands out, belong to the main thread; a DocumentSnapshot is an independent value that may
// move to and be read from any one thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "analysis/syntax/tree.hpp"
#include "protocol/lsp_types.hpp"
#include "protocol/position_encoding.hpp"

namespace mlroast::server {

struct Document {
  std::string uri;
  std::string language_id;
  std::int32_t version = 0;      // the client's version of the last open/change
  std::uint64_t generation = 0;  // store-wide counter, strictly increasing with every update
  std::string text;              // UTF-8 bytes as the client sent them
  syntax::Tree tree;             // always parsed from `text`
  std::string path;              // filesystem path of a file:// URI, else the URI itself
  bool python = false;           // analysed: languageId "python" or a .py/.pyi path
  std::string notebook;          // a notebook cell: the notebook's URI (analysed with it, not alone)
};

// What a worker needs to analyse one version of a document, independent of the store.
struct DocumentSnapshot {
  std::string uri;
  std::string path;
  std::int32_t version = 0;
  std::uint64_t generation = 0;
  std::string text;
  syntax::Tree tree;  // a copy of the document's tree, parsed from `text`
};

// True for languageId "python", or when the path of `uri` ends in .py or .pyi.
bool is_python_document(std::string_view language_id, std::string_view path);

// The tree-sitter point of `byte_offset` in `text`: rows count '\n' only (as tree-sitter's
// lexer does, so "\r\n" is one row break and a lone '\r' is an ordinary column byte), columns
// count bytes since the last '\n'. Offsets past the end clamp to the end. Pure.
syntax::Point point_at(std::string_view text, std::size_t byte_offset);
// The point reached from `start` after the bytes of `inserted`. Pure.
syntax::Point advance_point(syntax::Point start, std::string_view inserted);
// The tree-sitter edit replacing bytes [start, old_end) of `old_text` by `inserted`.
// Precondition: start <= old_end <= old_text.size(). Pure.
syntax::InputEdit input_edit(std::string_view old_text, std::size_t start, std::size_t old_end,
                             std::string_view inserted);

class DocumentStore {
 public:
  DocumentStore() = default;
  DocumentStore(const DocumentStore&) = delete;
  DocumentStore& operator=(const DocumentStore&) = delete;

  // The encoding of the `character` fields in incremental change ranges; set once the
  // initialize handshake has negotiated it (UTF-16 until then, the LSP default).
  void set_encoding(protocol::PositionEncoding encoding) noexcept { encoding_ = encoding; }
  protocol::PositionEncoding encoding() const noexcept { return encoding_; }

  // Opens (or, when the URI is already open, replaces) a document and parses it from scratch.
  // The reference stays valid until the document is changed, closed or reopened.
  const Document& open(const protocol::TextDocumentItem& item);

  // Applies `changes` in order (each range is relative to the text left by the previous ones),
  // records them on the tree and reparses once. Out-of-range positions clamp to the text (see
  // LineIndex::to_offset); a range whose end precedes its start is read with the two swapped.
  // Returns nullptr, changing nothing, when `uri` is not open.
  const Document* change(const std::string& uri, std::int32_t version,
                         const std::vector<protocol::TextDocumentContentChangeEvent>& changes);

  // Marks a document as a cell of the notebook `notebook_uri` (see NotebookStore).
  void set_notebook(const std::string& uri, const std::string& notebook_uri);

  // Forgets the document; false when it was not open.
  bool close(const std::string& uri);

  const Document* find(const std::string& uri) const;
  // A copy of the document's current version, or nullopt when it is not open.
  std::optional<DocumentSnapshot> snapshot(const std::string& uri) const;

 private:
  // Splices one change into `doc.text` and tells `doc.tree` about it. Returns false when the
  // change replaced the whole text (the old tree is then of no use for reparsing).
  bool apply(Document& doc, const protocol::TextDocumentContentChangeEvent& change);

  syntax::Parser parser_;
  std::unordered_map<std::string, Document> documents_;
  protocol::PositionEncoding encoding_ = protocol::PositionEncoding::Utf16;
  std::uint64_t next_generation_ = 1;
};

}  // namespace mlroast::server
