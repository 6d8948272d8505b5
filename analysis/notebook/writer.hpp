// Writing fixed cells back into the notebook file without disturbing anything else: the new
// `source` values are spliced into the original JSON text at the byte spans of the old ones, so
// outputs, metadata, key order, indentation, escapes and the trailing newline stay byte for
// byte. The new value keeps the stored form (a list of lines as nbformat writes it, one line per
// item with its "\n", indented like the list it replaces; or one string).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mlroast::notebook {

struct SourceSpan {
  std::size_t begin = 0, end = 0;  // byte span of a cell's `source` value in the JSON text
};

// The span of every cell's `source` value, by cell index; nullopt when the text does not have
// the shape read_notebook accepted (callers read it first, so this means it changed on disk).
std::optional<std::vector<SourceSpan>> source_spans(std::string_view json_text);

struct SourceChange {
  std::uint32_t cell = 0;
  std::string source;
  bool as_string = false;  // write one string instead of a list of lines
};

// The JSON text with the changed cells' sources replaced; nullopt (with `error`) when the spans
// cannot be found.
std::optional<std::string> replace_sources(std::string_view json_text,
                                           const std::vector<SourceChange>& changes,
                                           std::string& error);

// A cell source as nbformat's list of lines: each line keeps its "\n", the last may lack it.
std::vector<std::string> split_lines(std::string_view source);

}  // namespace mlroast::notebook
