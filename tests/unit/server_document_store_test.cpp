// Tests of server/document_store: incremental text edits in both position encodings keep the
// text equal to an independently maintained reference, and the incrementally reparsed tree equal
// (kinds, byte ranges and row/byte-column points of every node) to a from-scratch parse.
#include <catch2/catch.hpp>
#include <random>
#include <string>
#include <vector>

#include "protocol/position_encoding.hpp"
#include "server/document_store.hpp"

namespace proto = mlroast::protocol;
using mlroast::server::DocumentStore;
using mlroast::syntax::Node;
using mlroast::syntax::Parser;
using mlroast::syntax::Point;
using proto::PositionEncoding;
using proto::TextDocumentContentChangeEvent;

namespace {

const std::string kUri = "file:///work/project/train.py";

proto::TextDocumentItem item(std::string text) {
  return proto::TextDocumentItem{kUri, "python", 1, std::move(text)};
}

TextDocumentContentChangeEvent replace(proto::Position start, proto::Position end,
                                       std::string text) {
  return TextDocumentContentChangeEvent{proto::Range{start, end}, std::move(text)};
}

// Every node of a tree in pre-order, with its position and its parent's, as one comparable
// string (the parent link is an index the reparse moves when it reuses a block of nodes).
std::string dump_nodes(Node root) {
  std::string out;
  mlroast::syntax::walk(root, [&](Node n) {
    out += std::string(n.kind()) + "[" + std::to_string(n.start_byte()) + "-" +
           std::to_string(n.end_byte()) + " " + std::to_string(n.start_point().row) + ":" +
           std::to_string(n.start_point().column) + "-" + std::to_string(n.end_point().row) + ":" +
           std::to_string(n.end_point().column) + "]";
    const Node parent = n.parent();
    if (!parent.is_null())
      out += " in " + std::string(parent.kind()) + "@" + std::to_string(parent.start_byte());
    out += "\n";
    return true;
  });
  return out;
}

void check_matches_fresh_parse(const DocumentStore& store, const std::string& reference) {
  const auto* doc = store.find(kUri);
  REQUIRE(doc != nullptr);
  REQUIRE(doc->text == reference);
  Parser parser;
  const auto fresh = parser.parse(reference);
  REQUIRE(doc->tree.root().sexp() == fresh.root().sexp());
  REQUIRE(dump_nodes(doc->tree.root()) == dump_nodes(fresh.root()));
}

// Byte offsets where an edit may start or end: code point starts (and the end), never between
// the '\r' and '\n' of a CRLF (an LSP position cannot address that spot).
std::vector<std::size_t> boundaries(const std::string& text) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (i > 0 && i < text.size() && text[i - 1] == '\r' && text[i] == '\n') continue;
    out.push_back(i);
  }
  return out;
}

const std::vector<std::string> kFragments = {
    "x",
    "é",
    "😀",
    "中文",
    "\r\n",
    "\n",
    "    ",
    "\r",
    "(",
    ")",
    ":",
    "'s😀'",
    "# note ☃\n",
    "import numpy as np\r\n",
    "def f(a, b):\n    return a + b\n",
    "try:\n    pass\nexcept:\n    pass\n",
    "scaler.fit_transform(X)\n",
    "\"\"\"doc\n€\"\"\"",
    "if x:\r\n    y = [1,\n 2]\r\n",
};

const std::string kStart =
    "import pandas as pd\r\n"
    "from sklearn.preprocessing import StandardScaler  # café ☕\n"
    "\n"
    "df = pd.read_csv('données_😀.csv')\r\n"
    "def load(path):\n"
    "    try:\n"
    "        return pd.read_csv(path)\n"
    "    except:\n"
    "        return None\r\n"
    "X = StandardScaler().fit_transform(df)  # 中文\n";

// After `edit` (as the store computes it) is recorded on `tree`, every node at or after the end
// of the inserted text must sit at the byte and (row, byte-column) point it has in `new_text`:
// this is what tells tree-sitter which old subtrees it may reuse. A wrong point would otherwise
// go unnoticed, since the reparse recomputes positions of the nodes it re-lexes.
void check_edited_tree(const mlroast::syntax::Tree& tree, const mlroast::syntax::InputEdit& edit,
                       const std::string& new_text) {
  using mlroast::server::point_at;
  std::size_t mismatches = 0;
  std::string first;
  mlroast::syntax::walk(tree.root(), [&](Node n) {
    const auto check = [&](std::uint32_t byte, Point point) {
      if (byte < edit.new_end_byte || point_at(new_text, byte) == point) return;
      if (mismatches++ == 0) {
        first = std::string(n.kind()) + " at byte " + std::to_string(byte) + " has point " +
                std::to_string(point.row) + ":" + std::to_string(point.column);
      }
    };
    check(n.start_byte(), n.start_point());
    check(n.end_byte(), n.end_point());
    return true;
  });
  INFO(first);
  REQUIRE(mismatches == 0);
}

void random_edits(PositionEncoding encoding, unsigned seed, int steps) {
  std::mt19937 rng(seed);
  const auto pick = [&](std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng);
  };
  DocumentStore store;
  store.set_encoding(encoding);
  std::string reference = kStart;
  store.open(item(reference));
  std::int32_t version = 1;

  for (int step = 1; step <= steps; ++step) {
    std::vector<TextDocumentContentChangeEvent> changes;
    // The store's tree, edited the way the store will edit it, checked after every edit.
    mlroast::syntax::Tree edited = store.find(kUri)->tree.copy();
    const std::size_t batch = 1 + pick(3);  // several events in one didChange
    for (std::size_t k = 0; k < batch; ++k) {
      if (pick(200) == 0) {  // occasionally a full-text replacement
        reference = kStart + kFragments[pick(kFragments.size())];
        changes.push_back(TextDocumentContentChangeEvent{std::nullopt, reference});
        edited = mlroast::syntax::Tree();  // nothing left to check in this batch
        continue;
      }
      const auto points = boundaries(reference);
      std::size_t a = points[pick(points.size())];
      std::size_t b = points[pick(points.size())];
      if (a > b) std::swap(a, b);
      // Keep edits local and the text bounded: deletions shrink a large text.
      if (b - a > 40) b = *std::lower_bound(points.begin(), points.end(), a + pick(40));
      const int kind = static_cast<int>(pick(3));  // 0 insert, 1 delete, 2 replace
      if (kind == 0 && reference.size() < 4000) b = a;
      std::string inserted = kind == 1 ? "" : kFragments[pick(kFragments.size())];
      changes.push_back(replace(proto::to_position(reference, a, encoding),
                                proto::to_position(reference, b, encoding), inserted));
      const auto edit = mlroast::server::input_edit(reference, a, b, inserted);
      reference.replace(a, b - a, inserted);
      if (edited.valid()) {
        edited.edit(edit);
        check_edited_tree(edited, edit, reference);
      }
    }
    REQUIRE(store.change(kUri, ++version, changes) != nullptr);
    INFO("step " << step);
    // Every step: the reparse reuses blocks of the previous tree's nodes, and a text with a
    // syntax error is reparsed whole, incrementally, by a parser that has parsed other texts
    // (its scanner once kept f-string state from one parse to the next).
    check_matches_fresh_parse(store, reference);
  }
  check_matches_fresh_parse(store, reference);
  CHECK(store.find(kUri)->version == version);
}

}  // namespace

TEST_CASE("store: 3000 random incremental edits in UTF-16 match a fresh parse", "[server]") {
  random_edits(PositionEncoding::Utf16, 20240611, 3000);
}

TEST_CASE("store: 3000 random incremental edits in UTF-8 match a fresh parse", "[server]") {
  random_edits(PositionEncoding::Utf8, 77, 3000);
}

TEST_CASE("store: points count rows by newlines and columns in bytes", "[server]") {
  using mlroast::server::advance_point;
  using mlroast::server::point_at;
  const std::string text = "a\r\nbé\rc\nd";
  CHECK(point_at(text, 0) == Point{0, 0});
  CHECK(point_at(text, 3) == Point{1, 0});
  CHECK(point_at(text, 6) == Point{1, 3});  // after "bé": é is two bytes
  CHECK(point_at(text, 7) == Point{1, 4});  // a lone '\r' is a column byte for tree-sitter
  CHECK(point_at(text, 100) == Point{2, 1});
  CHECK(advance_point(Point{4, 2}, "xy") == Point{4, 4});
  CHECK(advance_point(Point{4, 2}, "x\r\nyz") == Point{5, 2});
}

TEST_CASE("store: out-of-range and reversed positions clamp instead of crashing", "[server]") {
  DocumentStore store;
  std::string text = "ab\ncd\n";
  store.open(item(text));
  // Past the end of line 0: clamps to before its newline.
  store.change(kUri, 2, {replace({0, 99}, {0, 120}, "X")});
  CHECK(store.find(kUri)->text == "abX\ncd\n");
  // Past the last line: clamps to the end of the text.
  store.change(kUri, 3, {replace({40, 0}, {50, 3}, "tail")});
  CHECK(store.find(kUri)->text == "abX\ncd\ntail");
  // End before start: read as the swapped range.
  store.change(kUri, 4, {replace({1, 2}, {1, 0}, "")});
  CHECK(store.find(kUri)->text == "abX\n\ntail");
  check_matches_fresh_parse(store, "abX\n\ntail");
}

TEST_CASE("store: full sync, mixed batches, close and snapshots", "[server]") {
  DocumentStore store;
  store.set_encoding(PositionEncoding::Utf16);
  const auto& opened = store.open(item("x = 1\n"));
  const auto first_generation = opened.generation;
  // A full replacement followed by an incremental edit in the same notification.
  store.change(kUri, 2,
               {TextDocumentContentChangeEvent{std::nullopt, "s = '😀'\ny = 2\n"},
                replace({0, 7}, {0, 7}, "!")});
  check_matches_fresh_parse(store, "s = '😀!'\ny = 2\n");
  const auto* doc = store.find(kUri);
  CHECK(doc->generation > first_generation);
  CHECK(doc->python);

  auto snap = store.snapshot(kUri);
  REQUIRE(snap);
  store.change(kUri, 3, {replace({1, 0}, {1, 5}, "")});
  CHECK(snap->text == "s = '😀!'\ny = 2\n");  // the snapshot is independent of later edits
  CHECK(snap->tree.root().sexp() == Parser().parse(snap->text).root().sexp());
  CHECK(snap->version == 2);

  CHECK(store.change("file:///other.py", 2, {}) == nullptr);
  CHECK(store.close(kUri));
  CHECK_FALSE(store.close(kUri));
  CHECK_FALSE(store.snapshot(kUri));
}

TEST_CASE("store: only python documents are marked for analysis", "[server]") {
  using mlroast::server::is_python_document;
  CHECK(is_python_document("python", "untitled:Untitled-1"));
  CHECK(is_python_document("plaintext", "/p/a.py"));
  CHECK(is_python_document("", "/p/stubs.pyi"));
  CHECK_FALSE(is_python_document("markdown", "/p/README.md"));
  DocumentStore store;
  const auto& doc = store.open(proto::TextDocumentItem{"file:///p/notes.txt", "plaintext", 1, ""});
  CHECK_FALSE(doc.python);
  CHECK(doc.path == "/p/notes.txt");
}
