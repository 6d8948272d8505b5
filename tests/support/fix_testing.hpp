// What the quick-fix tests share: run one rule over a text, apply a fix's edits the way an editor
// does (analysis/fix/apply.hpp), and check the result still parses.
#pragma once

#include <string>
#include <vector>

#include "analysis/analyzer.hpp"
#include "analysis/fix/apply.hpp"
#include "analysis/syntax/tree.hpp"

namespace mlroast::test {

// The findings of rule `code` alone on `text`, analysed as `path`.
inline std::vector<Finding> only_rule(const std::string& code, const std::string& text,
                                      const std::string& path = "train.py") {
  RuleSelection sel;
  sel.select = {code};
  return analyze_text(path, text, sel);
}

inline std::string apply_fix(const std::string& text, const Fix& fix) {
  return apply_edits(text, fix.edits);
}

inline bool parses_cleanly(const std::string& text) {
  syntax::Parser parser;
  return !parser.parse(text).root().has_error();
}

}  // namespace mlroast::test
