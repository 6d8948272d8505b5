// Single-character edits for the LSP latency benchmarks: positions in generated Python where
// inserting a letter keeps the code parseable (inside an identifier, a one-line string literal or
// a comment), and seeded random "insert a letter, then delete it again" pairs at them, so the
// text returns to the original after every pair.
#pragma once

#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace mlroast::bench {

enum class Where { Identifier, String, Comment };
constexpr std::array<const char*, 3> kWhereNames{"identifier", "string", "comment"};

struct Edit {
  std::uint32_t line = 0;
  std::uint32_t character = 0;  // UTF-8 bytes (the generated text is ASCII: UTF-16 is the same)
  std::size_t offset = 0;       // byte offset, for the in-process replay
  char letter = 'a';
  bool insert = true;  // false: delete the letter inserted by the previous edit
  Where where = Where::Identifier;
};

// The insertion points of a text, by kind, and where its lines start.
class EditSites {
 public:
  explicit EditSites(const std::string& text);
  bool has(Where where) const { return !points_[static_cast<int>(where)].empty(); }
  // An insert of a random letter at a random `where` point (which must exist), and the delete
  // that undoes it.
  std::pair<Edit, Edit> pair(Where where, std::mt19937& rng) const;

 private:
  std::array<std::vector<std::size_t>, 3> points_;
  std::vector<std::size_t> line_starts_;
};

// `count` edits (rounded down to pairs) of `text`, cycling through identifiers, strings and
// comments at seeded random positions. Throws when the text lacks a kind of insertion point.
std::vector<Edit> make_edits(const std::string& text, int count, unsigned seed);

// The LSP TextDocumentContentChangeEvent of an edit: {range, text}.
nlohmann::json content_change(const Edit& e);

}  // namespace mlroast::bench
