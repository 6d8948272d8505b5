#include "analysis/syntax/statements.hpp"

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

}  // namespace

std::vector<uint32_t> statement_starts(std::string_view text) {
  std::vector<uint32_t> starts{0};
  size_t depth = 0;           // open brackets
  char quote = 0;             // inside a string: its quote character
  bool triple = false;        // ... and whether it is triple-quoted
  bool continued = false;     // the previous line ended with a backslash outside a string
  bool after_decorator = false;
  bool seen_statement = false;
  const size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    // `i` is at the start of a line.
    if (quote == 0 && depth == 0 && !continued) {
      char c = text[i];
      if (c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != '\f' && c != '#') {
        if (!continues_compound(text, i) && !after_decorator && seen_statement)
          starts.push_back(static_cast<uint32_t>(i));
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
  return starts;
}

}  // namespace mlroast::syntax
