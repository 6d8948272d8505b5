// `# noqa` suppression comments, as in flake8/ruff: `# noqa` on a line silences every finding
// that starts on that line; `# noqa: ML703, ML708` silences only those codes (prefixes allowed).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/syntax/tree.hpp"

namespace mlroast {

struct NoqaDirective {
  bool all = false;                // bare `# noqa`
  std::vector<std::string> codes;  // `# noqa: A, B`
  uint32_t comment_start = 0, comment_end = 0;  // byte range of the comment
};

class NoqaMap {
 public:
  // Collects the noqa comments of a parsed file (comments only, never strings).
  NoqaMap(syntax::Node root, std::string_view text);
  // From comment nodes already gathered by a walk of the tree.
  NoqaMap(const std::vector<syntax::Node>& comments, std::string_view text);
  bool suppresses(uint32_t row, std::string_view code) const;
  const NoqaDirective* at(uint32_t row) const;

 private:
  std::map<uint32_t, NoqaDirective> rows_;
};

// Parses the text of one comment; returns false when it is not a noqa directive.
bool parse_noqa(std::string_view comment, NoqaDirective& out);

}  // namespace mlroast
