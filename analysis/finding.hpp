// What analysis produces: findings located by byte range and tree-sitter point (row, byte
// column), related locations ("fitted here" -> "split here"), and fixes as plain byte-range
// edits with an applicability. Consumers (CLI, server) convert positions to their own units.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analysis/syntax/tree.hpp"

namespace mlroast {

enum class Severity { Error, Warning, Info };
const char* to_string(Severity s);                 // "error" / "warning" / "info"
std::optional<Severity> parse_severity(std::string_view s);

struct TextRange {
  uint32_t start_byte = 0, end_byte = 0;
  syntax::Point start, end;
  static TextRange of(syntax::Node n) {
    return TextRange{n.start_byte(), n.end_byte(), n.start_point(), n.end_point()};
  }
  bool operator==(const TextRange&) const = default;
};

struct RelatedLocation {
  TextRange range;
  std::string message;
};

struct TextEdit {
  uint32_t start_byte = 0, end_byte = 0;  // replaced range in the analysed text
  std::string replacement;
};

enum class Applicability { Safe, Unsafe };

struct Fix {
  std::string title;  // says what it does: "Replace `except:` with `except Exception:`"
  Applicability applicability = Applicability::Safe;
  std::vector<TextEdit> edits;  // non-overlapping, sorted by start
};

struct Finding {
  std::string code;  // "ML703"
  std::string message;
  TextRange range;
  Severity severity = Severity::Warning;
  std::vector<RelatedLocation> related;
  std::optional<Fix> fix;
  std::optional<uint32_t> noqa_row;  // 0-based row where a `# noqa` would suppress it
};

}  // namespace mlroast
