// Where the top-level statements of a Python text begin, found by a light scan (brackets,
// strings, comments, backslash continuations, decorators and else/elif/except/finally), never by
// parsing. The parser uses it to parse a file one top-level statement at a time and to reparse
// only the statements an edit changed. A start it gets wrong (exotic f-string nesting) leaves a
// statement with a syntax error, and the parser then falls back to one parse of the whole text.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace mlroast::syntax {

// Byte offsets of the line starts that begin a new top-level statement; the first is always 0
// (comments and blank lines before the first statement belong to it; those after a statement
// belong to that statement).
std::vector<uint32_t> statement_starts(std::string_view text);

// The same starts for a text that differs from an earlier one in one stretch, given the earlier
// text cut at its starts (`old`, in order: their concatenation is that text). Only the stretch
// is scanned: the starts before the first statement that changed are kept, the scan resumes at
// the statement before it and stops at the first start of the unchanged tail. The parser's path
// on a keystroke (a scan of the whole text was a third of a reparse).
// With `unchanged`, also says which of the new statements are old ones, byte for byte, without
// comparing them again: the first `head`, and those from `tail_new` on (the old ones from
// `tail_old` on); the others may or may not be.
struct UnchangedStatements {
  size_t head = 0;
  size_t tail_new = SIZE_MAX;
  size_t tail_old = 0;
};
std::vector<uint32_t> statement_starts(std::string_view text,
                                       const std::vector<std::string_view>& old,
                                       UnchangedStatements* unchanged = nullptr);

}  // namespace mlroast::syntax
