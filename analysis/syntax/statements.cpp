#include "analysis/syntax/statements.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>

namespace mlroast::syntax {

namespace {

bool ident_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}

// True when the line at `at` starts with `word` as a whole word.
bool starts_with_word(std::string_view text, size_t at, std::string_view word) {
  return text.substr(at, word.size()) == word &&
         (at + word.size() >= text.size() || !ident_char(text[at + word.size()]));
}

// A line at column 0 that continues the compound statement before it.
bool continues_compound(std::string_view text, size_t at) {
  return starts_with_word(text, at, "else") || starts_with_word(text, at, "elif") ||
         starts_with_word(text, at, "except") || starts_with_word(text, at, "finally");
}

// Bytes the scanner must look at; runs of other bytes are skipped with one table lookup each
// (the scan runs on every keystroke over the whole text: it was a third of a reparse).
struct ByteSet {
  explicit constexpr ByteSet(std::string_view bytes) {
    for (char c : bytes) in[static_cast<unsigned char>(c)] = true;
  }
  bool contains(char c) const { return in[static_cast<unsigned char>(c)]; }
  bool in[256] = {};
};
constexpr ByteSet kInCode("\n#\"'()[]{}\\");
constexpr ByteSet kInString("\n\"'\\");

// The scan from `from`, a line start outside any bracket, string or continuation: the text's
// start, or a statement start (then `seen_statement`, and `from` itself is not pushed again).
// Pushes each start found onto `starts`, and stops early when `stop(start)` returns true.
template <typename Stop>
void scan_starts(std::string_view text, size_t from, bool seen_statement,
                 std::vector<uint32_t>& starts, Stop&& stop) {
  size_t depth = 0;           // open brackets
  char quote = 0;             // inside a string: its quote character
  bool triple = false;        // ... and whether it is triple-quoted
  bool continued = false;     // the previous line ended with a backslash outside a string
  bool after_decorator = false;
  const size_t n = text.size();
  size_t i = from;
  while (i < n) {
    // `i` is at the start of a line.
    if (quote == 0 && depth == 0 && !continued) {
      char c = text[i];
      if (c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != '\f' && c != '#') {
        if (!continues_compound(text, i) && !after_decorator && seen_statement && i != from) {
          starts.push_back(static_cast<uint32_t>(i));
          if (stop(static_cast<uint32_t>(i))) return;
        }
        seen_statement = true;
        after_decorator = c == '@';
      }
    }
    continued = false;
    // Scan the rest of the line (and of any string that runs past it).
    while (i < n) {
      const ByteSet& interesting = quote != 0 ? kInString : kInCode;
      while (i < n && !interesting.contains(text[i])) ++i;
      if (i >= n) break;
      char c = text[i];
      if (quote != 0) {
        if (c == '\\') {
          i += 2;  // an escaped character, a newline included
          continue;
        }
        if (c == '\n' && !triple) {  // an unterminated single-quoted string ends with its line
          quote = 0;
          break;
        }
        if (c == quote) {
          if (!triple) {
            quote = 0;
          } else if (i + 2 < n && text[i + 1] == quote && text[i + 2] == quote) {
            quote = 0;
            i += 3;
            continue;
          }
        }
        if (c == '\n') {
          ++i;
          if (quote != 0) continue;  // still inside a triple-quoted string: not a line start
          break;
        }
        ++i;
        continue;
      }
      if (c == '\n') break;
      if (c == '#') {
        const size_t eol = text.find('\n', i);
        i = eol == std::string_view::npos ? n : eol;
        break;
      }
      if (c == '"' || c == '\'') {
        quote = c;
        triple = i + 2 < n && text[i + 1] == c && text[i + 2] == c;
        i += triple ? 3 : 1;
        continue;
      }
      if (c == '(' || c == '[' || c == '{') ++depth;
      if ((c == ')' || c == ']' || c == '}') && depth > 0) --depth;
      if (c == '\\' && (i + 1 == n || text[i + 1] == '\n' ||
                        (text[i + 1] == '\r' && i + 2 < n && text[i + 2] == '\n'))) {
        continued = true;
      }
      ++i;
    }
    if (quote != 0 && triple) continue;  // the string goes on: next iteration is not a line start
    // i is at '\n' or at the end
    if (i < n) ++i;
  }
}

}  // namespace

std::vector<uint32_t> statement_starts(std::string_view text) {
  std::vector<uint32_t> starts{0};
  scan_starts(text, 0, false, starts, [](uint32_t) { return false; });
  return starts;
}

std::vector<uint32_t> statement_starts(std::string_view text,
                                       const std::vector<std::string_view>& old,
                                       UnchangedStatements* unchanged) {
  UnchangedStatements none;
  UnchangedStatements& same = unchanged != nullptr ? *unchanged : none;
  same = UnchangedStatements{};
  const size_t m = old.size();
  std::vector<uint32_t> old_starts(m);
  size_t old_size = 0;
  for (size_t s = 0; s < m; ++s) {
    old_starts[s] = static_cast<uint32_t>(old_size);
    old_size += old[s].size();
  }
  if (m == 0 || old_size > UINT32_MAX) return statement_starts(text);
  // k: the first old statement that is not at its place in `text`.
  size_t k = 0;
  while (k < m && old_starts[k] <= text.size() &&
         text.substr(old_starts[k], old[k].size()) == old[k])
    ++k;
  if (k == m && old_size == text.size()) {
    same.head = m;
    return old_starts;
  }
  // j: the first old statement of the tail that ends `text` unchanged, after the kept prefix.
  const int64_t delta = static_cast<int64_t>(text.size()) - static_cast<int64_t>(old_size);
  const auto shifted = [&](size_t s) { return static_cast<int64_t>(old_starts[s]) + delta; };
  const int64_t prefix_end = k < m ? old_starts[k] : static_cast<int64_t>(old_size);
  size_t j = m;
  while (j > k && shifted(j - 1) >= prefix_end &&
         text.substr(static_cast<size_t>(shifted(j - 1)), old[j - 1].size()) == old[j - 1])
    --j;
  // The start of statement k may no longer be one (its line may have changed): rescan from the
  // statement before it, whose line and everything before it are unchanged.
  std::vector<uint32_t> starts;
  starts.reserve(m + 8);
  const size_t resume = k > 0 ? k - 1 : 0;
  starts.assign(old_starts.begin(), old_starts.begin() + static_cast<std::ptrdiff_t>(resume) + 1);
  same.head = resume;  // statement `resume` may end elsewhere now
  // Stop at a start that is an old start of the tail: from there on the text, and the scan's
  // state at a statement start, are the old ones.
  const auto converged = [&](uint32_t start) {
    if (j == m || start < shifted(j)) return false;
    const int64_t before = static_cast<int64_t>(start) - delta;
    const auto it = std::lower_bound(old_starts.begin() + static_cast<std::ptrdiff_t>(j),
                                     old_starts.end(), before);
    if (it == old_starts.end() || static_cast<int64_t>(*it) != before) return false;
    same.tail_new = starts.size() - 1;
    same.tail_old = static_cast<size_t>(it - old_starts.begin());
    for (auto rest = it + 1; rest != old_starts.end(); ++rest)
      starts.push_back(static_cast<uint32_t>(static_cast<int64_t>(*rest) + delta));
    return true;
  };
  scan_starts(text, old_starts[resume], resume > 0, starts, converged);
  return starts;
}

}  // namespace mlroast::syntax
