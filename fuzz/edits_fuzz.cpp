// Fuzz target: incremental document edits. Opens a document with fuzzed text in the real
// DocumentStore, then applies a fuzzed sequence of didChange batches: ranges anywhere (past the
// last line, past a line's end, inside a multi-byte character or a UTF-16 surrogate pair, between
// '\r' and '\n', end before start), fuzzed replacement bytes (invalid UTF-8 and lone '\r'
// included) and occasional whole-text replacements, under both position encodings. After every
// batch the store's text must equal a reference model's (a deliberately naive re-implementation
// of LSP positions: split into lines, walk code points), and the incrementally reparsed tree must
// span the same text as a from-scratch parse, see a syntax error exactly when it does, and have the
// same S-expression when there is none (see the check below). The from-scratch parse
// costs as much as the edit itself (more on garbage, where tree-sitter's error recovery dominates),
// so it is compared after the last batch of every input and after about one batch in eight before
// it, chosen by a hash of the input and the version: a wrong incremental tree is the base of every
// later reparse, so it is still seen at the end, and the sampled versions catch one that a later
// whole-text replacement would hide.
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "analysis/syntax/tree.hpp"
#include "server/document_store.hpp"

namespace {

using mlroast::protocol::PositionEncoding;

[[noreturn]] void fail(const char* what, const std::string& expected, const std::string& actual) {
  std::fprintf(stderr, "%s\n--- expected (%zu bytes)\n%s\n--- actual (%zu bytes)\n%s\n", what,
               expected.size(), expected.c_str(), actual.size(), actual.c_str());
  std::abort();
}

// The length of the well-formed UTF-8 sequence at `i` (within the line), or 1 for a byte that
// starts none: the same tolerance the LSP layer promises (one unit per invalid byte).
std::size_t sequence_length(const std::string& line, std::size_t i) {
  const auto at = [&](std::size_t k) -> unsigned {
    return i + k < line.size() ? static_cast<unsigned char>(line[i + k]) : 0u;
  };
  const unsigned b0 = at(0);
  const auto cont = [&](std::size_t k) { return at(k) >= 0x80 && at(k) <= 0xBF; };
  if (b0 < 0x80) return 1;
  if (b0 >= 0xC2 && b0 <= 0xDF && cont(1)) return 2;
  if (b0 >= 0xE0 && b0 <= 0xEF && cont(1) && cont(2)) {
    const unsigned cp = ((b0 & 0x0F) << 12) | ((at(1) & 0x3F) << 6) | (at(2) & 0x3F);
    if (cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF)) return 3;
  }
  if (b0 >= 0xF0 && b0 <= 0xF4 && cont(1) && cont(2) && cont(3)) {
    const unsigned cp = ((b0 & 0x07) << 18) | ((at(1) & 0x3F) << 12) | ((at(2) & 0x3F) << 6) |
                        (at(3) & 0x3F);
    if (cp >= 0x10000 && cp <= 0x10FFFF) return 4;
  }
  return 1;
}

// Reference: the byte offset of an LSP position. Lines end at "\r\n", "\n" or a lone "\r"; a
// line past the last is the end of the text; a character past the content is the content's end;
// a character inside a code point (or between the halves of a surrogate pair) snaps back.
std::size_t reference_offset(const std::string& text, std::uint32_t line, std::uint32_t character,
                             PositionEncoding encoding) {
  struct Line {
    std::size_t start, content_end;
  };
  std::vector<Line> lines;
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') {
      lines.push_back({start, i});
      start = i + 1;
    } else if (text[i] == '\r') {
      const bool crlf = i + 1 < text.size() && text[i + 1] == '\n';
      lines.push_back({start, i});
      if (crlf) ++i;
      start = i + 1;
    }
  }
  lines.push_back({start, text.size()});
  if (line >= lines.size()) return text.size();
  const std::string content =
      text.substr(lines[line].start, lines[line].content_end - lines[line].start);
  std::size_t i = 0;
  std::uint64_t units = 0;
  while (i < content.size()) {
    const std::size_t n = sequence_length(content, i);
    const std::uint64_t w = encoding == PositionEncoding::Utf8 ? n : (n == 4 ? 2 : 1);
    if (units + w > character) break;
    units += w;
    i += n;
  }
  return lines[line].start + i;
}

std::uint32_t pick_line(FuzzedDataProvider& fdp, const std::string& text) {
  const auto lines = static_cast<std::uint32_t>(std::count(text.begin(), text.end(), '\n') +
                                                std::count(text.begin(), text.end(), '\r') + 1);
  switch (fdp.ConsumeIntegralInRange<int>(0, 7)) {
    case 0: return fdp.ConsumeIntegral<std::uint32_t>();  // anywhere, usually far out
    default: return fdp.ConsumeIntegralInRange<std::uint32_t>(0, lines + 1);
  }
}

std::uint32_t pick_character(FuzzedDataProvider& fdp) {
  switch (fdp.ConsumeIntegralInRange<int>(0, 7)) {
    case 0: return fdp.ConsumeIntegral<std::uint32_t>();
    default: return fdp.ConsumeIntegralInRange<std::uint32_t>(0, 40);
  }
}

// FNV-1a of the input: picks the versions compared with a fresh parse, reproducibly.
std::uint64_t hash_of(const std::uint8_t* data, std::size_t size) {
  std::uint64_t h = 1469598103934665603ull;
  for (std::size_t i = 0; i < size; ++i) h = (h ^ data[i]) * 1099511628211ull;
  return h;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::uint64_t input_hash = hash_of(data, size);
  FuzzedDataProvider fdp(data, size);
  const PositionEncoding encoding =
      fdp.ConsumeBool() ? PositionEncoding::Utf8 : PositionEncoding::Utf16;
  mlroast::server::DocumentStore store;
  store.set_encoding(encoding);

  mlroast::protocol::TextDocumentItem item;
  item.uri = "file:///fuzz/edits.py";
  item.language_id = "python";
  item.version = 1;
  item.text = fdp.ConsumeRandomLengthString(4096);
  std::string reference = item.text;
  store.open(item);

  mlroast::syntax::Parser fresh_parser;
  std::int32_t version = 1;
  while (fdp.remaining_bytes() > 0 && version < 64) {
    std::vector<mlroast::protocol::TextDocumentContentChangeEvent> batch;
    const int changes = fdp.ConsumeIntegralInRange<int>(1, 4);
    for (int c = 0; c < changes; ++c) {
      mlroast::protocol::TextDocumentContentChangeEvent change;
      if (fdp.ConsumeIntegralInRange<int>(0, 15) == 0) {  // whole-text replacement
        change.text = fdp.ConsumeRandomLengthString(512);
        reference = change.text;
        batch.push_back(std::move(change));
        continue;
      }
      mlroast::protocol::Range range;
      range.start.line = pick_line(fdp, reference);
      range.start.character = pick_character(fdp);
      range.end.line = fdp.ConsumeBool() ? range.start.line : pick_line(fdp, reference);
      range.end.character = pick_character(fdp);
      change.range = range;
      change.text = fdp.ConsumeRandomLengthString(64);

      std::size_t start = reference_offset(reference, range.start.line, range.start.character,
                                           encoding);
      std::size_t end = reference_offset(reference, range.end.line, range.end.character, encoding);
      if (end < start) std::swap(start, end);
      reference.replace(start, end - start, change.text);
      batch.push_back(std::move(change));
    }
    ++version;
    const mlroast::server::Document* doc = store.change(item.uri, version, batch);
    if (doc == nullptr) fail("change on an open document returned nullptr", "", "");
    if (doc->text != reference) fail("text differs from the reference model", reference, doc->text);
    const bool last = fdp.remaining_bytes() == 0 || version >= 64;
    const std::uint64_t pick = (input_hash ^ static_cast<std::uint64_t>(version)) * 0x9E3779B97F4A7C15ull;
    if (!last && (pick >> 61) != 0) continue;

    const mlroast::syntax::Tree fresh = fresh_parser.parse(reference);
    const mlroast::syntax::Node incremental_root = doc->tree.root();
    const mlroast::syntax::Node fresh_root = fresh.root();
    if (incremental_root.end_byte() != fresh_root.end_byte() ||
        !(incremental_root.end_point() == fresh_root.end_point())) {
      fail("the incremental tree spans different text than a fresh parse", fresh_root.sexp(),
           incremental_root.sexp());
    }
    // Both trees see the syntax error, or neither does. With an error, the S-expressions may
    // differ: tree-sitter's incremental error recovery can attach the error differently than a
    // fresh parse: in `f(self, max_tokens=16, api_:None)` a fresh parse kept `api_` as an
    // argument and put `:None` in the ERROR node, the incremental one put both in it. That is
    // tree-sitter's own behaviour (the bare API, no mlroast code, differed at the same edit; twice
    // in ~109,000 random edits that left an error), so only texts without one are compared node
    // for node.
    if (incremental_root.has_error() != fresh_root.has_error()) {
      fail("the incremental tree and a fresh parse disagree on a syntax error", fresh_root.sexp(),
           incremental_root.sexp());
    }
    if (!fresh_root.has_error() && incremental_root.sexp() != fresh_root.sexp()) {
      fail("the incremental tree differs from a fresh parse", fresh_root.sexp(),
           incremental_root.sexp());
    }
  }
  return 0;
}
