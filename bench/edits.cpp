// Insertion points and edit pairs for the LSP latency benchmarks (see edits.hpp).
#include "edits.hpp"

#include <algorithm>
#include <stdexcept>
#include <string_view>

namespace mlroast::bench {

namespace {

bool is_identifier_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool is_identifier_char(char c) { return is_identifier_start(c) || (c >= '0' && c <= '9'); }

bool is_keyword(std::string_view word) {
  static constexpr std::array<std::string_view, 38> kKeywords{
      "False",   "None",     "True",     "and",    "as",   "assert", "async",  "await",
      "break",   "class",    "continue", "def",    "del",  "elif",   "else",   "except",
      "finally", "for",      "from",     "global", "if",   "import", "in",     "is",
      "lambda",  "nonlocal", "not",      "or",     "pass", "raise",  "return", "try",
      "while",   "with",     "yield",    "match",  "case", "type"};
  return std::find(kKeywords.begin(), kKeywords.end(), word) != kKeywords.end();
}

// Byte offsets where inserting a letter keeps the code parseable: strictly inside a non-keyword
// identifier, inside a one-line string literal, or inside a comment. A light line scanner is
// enough for the generated code (no triple-quoted strings; those lines are skipped).
std::array<std::vector<std::size_t>, 3> insertion_points(const std::string& text) {
  std::array<std::vector<std::size_t>, 3> points;
  std::size_t line_start = 0;
  while (line_start < text.size()) {
    std::size_t line_end = text.find('\n', line_start);
    if (line_end == std::string::npos) line_end = text.size();
    std::size_t i = line_start;
    while (i < line_end) {
      const char c = text[i];
      if (c == '#') {
        for (std::size_t p = i + 1; p <= line_end; ++p)
          points[static_cast<int>(Where::Comment)].push_back(p);
        break;
      }
      if (c == '"' || c == '\'') {
        if (text.compare(i, 3, std::string(3, c)) == 0) break;  // triple quote: skip the line
        std::size_t close = i + 1;
        while (close < line_end && text[close] != c) close += text[close] == '\\' ? 2 : 1;
        if (close >= line_end) break;  // unterminated on this line: leave it alone
        for (std::size_t p = i + 1; p <= close; ++p)
          points[static_cast<int>(Where::String)].push_back(p);
        i = close + 1;
        continue;
      }
      if (is_identifier_start(c)) {
        std::size_t end = i;
        while (end < line_end && is_identifier_char(text[end])) ++end;
        const bool string_prefix = end < line_end && (text[end] == '"' || text[end] == '\'');
        if (!string_prefix && end - i >= 2 &&
            !is_keyword(std::string_view(text).substr(i, end - i)))
          for (std::size_t p = i + 1; p < end; ++p)
            points[static_cast<int>(Where::Identifier)].push_back(p);
        i = end;
        continue;
      }
      if (c >= '0' && c <= '9') {  // a number: skip it whole (1e5, 0x1F, 3_000)
        while (i < line_end && is_identifier_char(text[i])) ++i;
        continue;
      }
      ++i;
    }
    line_start = line_end + 1;
  }
  return points;
}

}  // namespace

EditSites::EditSites(const std::string& text) : points_(insertion_points(text)), line_starts_{0} {
  for (std::size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n') line_starts_.push_back(i + 1);
}

std::pair<Edit, Edit> EditSites::pair(Where where, std::mt19937& rng) const {
  Edit e;
  e.where = where;
  const auto& candidates = points_[static_cast<int>(where)];
  e.offset = candidates[rng() % candidates.size()];
  const auto line = std::upper_bound(line_starts_.begin(), line_starts_.end(), e.offset) - 1;
  e.line = static_cast<std::uint32_t>(line - line_starts_.begin());
  e.character = static_cast<std::uint32_t>(e.offset - *line);
  e.letter = static_cast<char>('a' + rng() % 26);
  e.insert = true;
  Edit undo = e;
  undo.insert = false;
  return {e, undo};
}

std::vector<Edit> make_edits(const std::string& text, int count, unsigned seed) {
  const EditSites sites(text);
  for (int w = 0; w < 3; ++w)
    if (!sites.has(static_cast<Where>(w)))
      throw std::runtime_error("the generated text has no insertion point of a kind");
  std::mt19937 rng(seed);
  std::vector<Edit> edits;
  edits.reserve(static_cast<std::size_t>(count));
  for (int pair = 0; pair < count / 2; ++pair) {
    auto [insert, undo] = sites.pair(static_cast<Where>(pair % 3), rng);
    edits.push_back(insert);
    edits.push_back(undo);
  }
  return edits;
}

nlohmann::json content_change(const Edit& e) {
  const nlohmann::json start = {{"line", e.line}, {"character", e.character}};
  const nlohmann::json end = {{"line", e.line}, {"character", e.character + (e.insert ? 0 : 1)}};
  return {{"range", {{"start", start}, {"end", end}}},
          {"text", e.insert ? std::string(1, e.letter) : std::string()}};
}

}  // namespace mlroast::bench
