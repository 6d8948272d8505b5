#include "analysis/notebook/writer.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace mlroast::notebook {

namespace {

// A minimal JSON scanner that skips values and reports where they are; it trusts the text to be
// valid JSON (read_notebook has parsed it) but never reads past the end.
class Scanner {
 public:
  static constexpr int kMaxDepth = 2000;
  explicit Scanner(std::string_view s) : s_(s) {}
  std::size_t pos() const { return i_; }
  void ws() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r'))
      ++i_;
  }
  bool eat(char c) {
    ws();
    if (i_ < s_.size() && s_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }
  bool peek(char c) {
    ws();
    return i_ < s_.size() && s_[i_] == c;
  }
  // A string; `raw` gets the bytes between the quotes (escapes left as they are).
  bool string(std::string_view* raw = nullptr) {
    ws();
    if (i_ >= s_.size() || s_[i_] != '"') return false;
    std::size_t b = ++i_;
    while (i_ < s_.size() && s_[i_] != '"') i_ += s_[i_] == '\\' ? 2 : 1;
    if (i_ >= s_.size()) return false;
    if (raw) *raw = s_.substr(b, i_ - b);
    ++i_;
    return true;
  }
  // Recursive; nesting deeper than kMaxDepth is refused rather than risking the stack.
  bool value(int depth = 0) {
    ws();
    if (i_ >= s_.size() || depth > kMaxDepth) return false;
    char c = s_[i_];
    if (c == '"') return string();
    if (c == '{') {
      ++i_;
      if (eat('}')) return true;
      do {
        if (!string() || !eat(':') || !value(depth + 1)) return false;
      } while (eat(','));
      return eat('}');
    }
    if (c == '[') {
      ++i_;
      if (eat(']')) return true;
      do {
        if (!value(depth + 1)) return false;
      } while (eat(','));
      return eat(']');
    }
    while (i_ < s_.size() && std::string_view(",]} \t\r\n").find(s_[i_]) == std::string_view::npos)
      ++i_;
    return true;
  }

 private:
  std::string_view s_;
  std::size_t i_ = 0;
};

// A key as the JSON reader sees it: escapes decoded ("c\\u0065lls" is `cells`).
std::string key_text(std::string_view raw) {
  if (raw.find('\\') == std::string_view::npos) return std::string(raw);
  const auto key = nlohmann::json::parse("\"" + std::string(raw) + "\"", nullptr, false);
  return key.is_string() ? key.get<std::string>() : std::string();
}

// One element of a `cells` list: `span` gets its `source` value (the last one, as the reader
// keeps duplicated keys), or nothing when it is not an object with one. False on a scan error.
bool cell_span(Scanner& sc, std::optional<SourceSpan>& span) {
  span.reset();
  if (!sc.eat('{')) return sc.value();
  if (sc.eat('}')) return true;
  do {
    std::string_view key;
    if (!sc.string(&key) || !sc.eat(':')) return false;
    sc.ws();
    const std::size_t b = sc.pos();
    if (!sc.value()) return false;
    if (key_text(key) == "source") span = SourceSpan{b, sc.pos()};
  } while (sc.eat(','));
  return sc.eat('}');
}

// A `cells` value: `out` gets every cell's source span, or nothing when the value is not a list
// of cells that all have one (harmless for a `cells` key that a later one overrides). False on a
// scan error.
bool cells_spans(Scanner& sc, std::optional<std::vector<SourceSpan>>& out) {
  out.reset();
  if (!sc.eat('[')) return sc.value();
  std::vector<SourceSpan> spans;
  bool complete = true;
  if (!sc.eat(']')) {
    do {
      std::optional<SourceSpan> span;
      if (!cell_span(sc, span)) return false;
      if (span) spans.push_back(*span);
      complete = complete && span.has_value();
    } while (sc.eat(','));
    if (!sc.eat(']')) return false;
  }
  if (complete) out = std::move(spans);
  return true;
}

// The whitespace at the start of the line holding byte `at`.
std::string_view indentation_of_line(std::string_view s, std::size_t at) {
  std::size_t b = s.rfind('\n', at == 0 ? 0 : at - 1);
  b = b == std::string_view::npos ? 0 : b + 1;
  std::size_t e = b;
  while (e < s.size() && (s[e] == ' ' || s[e] == '\t')) ++e;
  return s.substr(b, e - b);
}

std::string json_string(const std::string& s) {
  return nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// The new value text for `change`, formatted like `old` (the value it replaces) at `at`.
std::string format_source(std::string_view text, SourceSpan span, const SourceChange& change) {
  if (change.as_string) return json_string(change.source);
  std::vector<std::string> lines = split_lines(change.source);
  if (lines.empty()) return "[]";
  std::string_view old = text.substr(span.begin, span.end - span.begin);
  std::string key_indent(indentation_of_line(text, span.begin));
  std::string item_indent, close_indent = key_indent;
  std::size_t first = old.find('"');
  if (old.find('\n') != std::string_view::npos && first != std::string_view::npos) {
    item_indent = std::string(indentation_of_line(text, span.begin + first));
    std::size_t close = old.rfind(']');
    close_indent = std::string(indentation_of_line(text, span.begin + close));
  } else {
    // An empty or one-line list: the file's indent unit (nbformat writes 1) under the key.
    std::size_t nl = text.find('\n');
    std::string_view unit = nl == std::string_view::npos ? std::string_view(" ")
                                                         : indentation_of_line(text, nl + 1);
    if (unit.empty()) unit = " ";
    item_indent = key_indent + std::string(unit);
  }
  std::string out = "[\n";
  for (std::size_t i = 0; i < lines.size(); ++i) {
    out += item_indent + json_string(lines[i]);
    out += i + 1 < lines.size() ? ",\n" : "\n";
  }
  out += close_indent + "]";
  return out;
}

}  // namespace

std::vector<std::string> split_lines(std::string_view source) {
  std::vector<std::string> out;
  std::size_t b = 0;
  while (b < source.size()) {
    std::size_t nl = source.find('\n', b);
    std::size_t e = nl == std::string_view::npos ? source.size() : nl + 1;
    out.emplace_back(source.substr(b, e - b));
    b = e;
  }
  return out;
}

std::optional<std::vector<SourceSpan>> source_spans(std::string_view json_text) {
  Scanner sc(json_text);
  std::optional<std::vector<SourceSpan>> cells;  // the last `cells` value, as the reader keeps it
  bool found_cells = false;
  if (!sc.eat('{')) return std::nullopt;
  if (sc.eat('}')) return std::nullopt;
  do {
    std::string_view key;
    if (!sc.string(&key) || !sc.eat(':')) return std::nullopt;
    if (key_text(key) != "cells") {
      if (!sc.value()) return std::nullopt;
      continue;
    }
    found_cells = true;
    if (!cells_spans(sc, cells)) return std::nullopt;
  } while (sc.eat(','));
  if (!sc.eat('}') || !found_cells || !cells) return std::nullopt;
  return cells;
}

std::optional<std::string> replace_sources(std::string_view json_text,
                                           const std::vector<SourceChange>& changes,
                                           std::string& error) {
  auto spans = source_spans(json_text);
  if (!spans) {
    error = "cannot find the cells' `source` fields in the notebook text";
    return std::nullopt;
  }
  std::vector<SourceChange> sorted = changes;
  std::sort(sorted.begin(), sorted.end(),
            [](const SourceChange& a, const SourceChange& b) { return a.cell > b.cell; });
  std::string out(json_text);
  for (const SourceChange& c : sorted) {
    if (c.cell >= spans->size()) {
      error = "cell " + std::to_string(c.cell + 1) + " is not in the notebook text";
      return std::nullopt;
    }
    SourceSpan span = (*spans)[c.cell];
    out.replace(span.begin, span.end - span.begin, format_source(json_text, span, c));
  }
  return out;
}

}  // namespace mlroast::notebook
