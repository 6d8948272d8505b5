#include "server/document_store.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <utility>

#include "protocol/uri.hpp"

namespace mlroast::server {
namespace {

bool ends_with_python_suffix(std::string_view path) {
  return path.ends_with(".py") || path.ends_with(".pyi");
}

std::string path_of(const std::string& uri) {
  if (auto path = protocol::uri_to_path(uri)) return *path;
  return uri;
}

}  // namespace

bool is_python_document(std::string_view language_id, std::string_view path) {
  return language_id == "python" || ends_with_python_suffix(path);
}

syntax::Point point_at(std::string_view text, std::size_t byte_offset) {
  const std::string_view prefix = text.substr(0, std::min(byte_offset, text.size()));
  const auto rows = static_cast<std::uint32_t>(std::count(prefix.begin(), prefix.end(), '\n'));
  const std::size_t last_newline = prefix.rfind('\n');
  const std::size_t line_start = last_newline == std::string_view::npos ? 0 : last_newline + 1;
  return syntax::Point{rows, static_cast<std::uint32_t>(prefix.size() - line_start)};
}

syntax::Point advance_point(syntax::Point start, std::string_view inserted) {
  const std::size_t last_newline = inserted.rfind('\n');
  if (last_newline == std::string_view::npos) {
    return syntax::Point{start.row, start.column + static_cast<std::uint32_t>(inserted.size())};
  }
  const auto rows = static_cast<std::uint32_t>(std::count(inserted.begin(), inserted.end(), '\n'));
  return syntax::Point{start.row + rows,
                       static_cast<std::uint32_t>(inserted.size() - last_newline - 1)};
}

syntax::InputEdit input_edit(std::string_view old_text, std::size_t start, std::size_t old_end,
                             std::string_view inserted) {
  syntax::InputEdit edit;
  edit.start_byte = static_cast<std::uint32_t>(start);
  edit.old_end_byte = static_cast<std::uint32_t>(old_end);
  edit.new_end_byte = static_cast<std::uint32_t>(start + inserted.size());
  edit.start_point = point_at(old_text, start);
  edit.old_end_point = advance_point(edit.start_point, old_text.substr(start, old_end - start));
  edit.new_end_point = advance_point(edit.start_point, inserted);
  return edit;
}

const Document& DocumentStore::open(const protocol::TextDocumentItem& item) {
  Document doc;
  doc.uri = item.uri;
  doc.language_id = item.language_id;
  doc.version = item.version;
  doc.generation = next_generation_++;
  doc.text = item.text;
  doc.path = path_of(item.uri);
  doc.python = is_python_document(doc.language_id, doc.path);
  doc.tree = parser_.parse(doc.text);
  auto [it, inserted] = documents_.insert_or_assign(item.uri, std::move(doc));
  if (!inserted) spdlog::debug("store: {} reopened without a close", item.uri);
  return it->second;
}

void DocumentStore::set_notebook(const std::string& uri, const std::string& notebook_uri) {
  const auto found = documents_.find(uri);
  if (found != documents_.end()) found->second.notebook = notebook_uri;
}

const Document* DocumentStore::change(
    const std::string& uri, std::int32_t version,
    const std::vector<protocol::TextDocumentContentChangeEvent>& changes) {
  const auto found = documents_.find(uri);
  if (found == documents_.end()) return nullptr;
  Document& doc = found->second;
  if (version <= doc.version) {
    spdlog::debug("store: {} version {} does not follow {}", uri, version, doc.version);
  }
  const syntax::Tree before = doc.tree.copy();  // no edits recorded: its statements only
  bool reusable_tree = true;
  for (const auto& change : changes) {
    if (!apply(doc, change)) reusable_tree = false;
  }
  // After a whole-text replacement the edits recorded on the old tree describe nothing useful,
  // but its unchanged statements can still be reused (clients that sync the full text).
  doc.tree = parser_.parse(doc.text, reusable_tree ? &doc.tree : &before);
  doc.version = version;
  doc.generation = next_generation_++;
  return &doc;
}

bool DocumentStore::apply(Document& doc, const protocol::TextDocumentContentChangeEvent& change) {
  if (!change.range) {
    doc.text = change.text;
    return false;
  }
  const protocol::LineIndex index(doc.text);
  std::size_t start = index.to_offset(doc.text, change.range->start, encoding_);
  std::size_t end = index.to_offset(doc.text, change.range->end, encoding_);
  if (end < start) {
    spdlog::debug("store: {} change range ends before it starts; swapping", doc.uri);
    std::swap(start, end);
  }

  doc.tree.edit(input_edit(doc.text, start, end, change.text));
  doc.text.replace(start, end - start, change.text);
  return true;
}

bool DocumentStore::close(const std::string& uri) { return documents_.erase(uri) > 0; }

const Document* DocumentStore::find(const std::string& uri) const {
  const auto found = documents_.find(uri);
  return found == documents_.end() ? nullptr : &found->second;
}

std::optional<DocumentSnapshot> DocumentStore::snapshot(const std::string& uri) const {
  const Document* doc = find(uri);
  if (doc == nullptr) return std::nullopt;
  return DocumentSnapshot{doc->uri,        doc->path, doc->version,
                          doc->generation, doc->text, doc->tree.copy()};
}

}  // namespace mlroast::server
