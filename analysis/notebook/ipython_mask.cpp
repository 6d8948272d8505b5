#include "analysis/notebook/ipython_mask.hpp"

#include <array>
#include <cctype>

namespace mlroast::notebook {

namespace {

constexpr std::array<std::string_view, 6> kPythonBodyCellMagics = {
    "time", "timeit", "capture", "prun", "debug", "memit"};

bool is_ident_start(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}
bool is_ident_char(char c) {
  return is_ident_start(c) || std::isdigit(static_cast<unsigned char>(c));
}
bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\f'; }

// End of the line content starting at `pos` (before "\n" or "\r\n").
std::size_t line_end(std::string_view s, std::size_t pos) {
  std::size_t nl = s.find('\n', pos);
  std::size_t end = nl == std::string_view::npos ? s.size() : nl;
  if (end > pos && s[end - 1] == '\r') --end;
  return end;
}

// Overwrites [from, to) with blanks, or with `0` and blanks.
void blank(std::string& out, std::size_t from, std::size_t to, bool keep_expression) {
  for (std::size_t i = from; i < to; ++i) out[i] = ' ';
  if (keep_expression && from < to) out[from] = '0';
}

// The words of a magic line after its name: "%%capture --no-stderr out" -> {"--no-stderr", "out"}.
std::vector<std::string_view> words(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && is_blank(line[i])) ++i;
    std::size_t b = i;
    while (i < line.size() && !is_blank(line[i])) ++i;
    if (i > b) out.push_back(line.substr(b, i - b));
  }
  return out;
}

bool is_identifier(std::string_view w) {
  if (w.empty() || !is_ident_start(w[0])) return false;
  for (char c : w)
    if (!is_ident_char(c)) return false;
  return true;
}

// Automagic (IPython's default): `pip install x`, `conda install y`, `cd data` without the `%`.
// Two words in a row are never Python, so only these well-known magics followed by a word or an
// option are taken.
bool is_automagic(std::string_view rest) {
  for (std::string_view m : {"pip", "pip3", "conda", "mamba", "micromamba", "cd"}) {
    if (!rest.starts_with(m) || rest.size() < m.size() + 2 || !is_blank(rest[m.size()])) continue;
    std::size_t i = m.size();
    while (i < rest.size() && is_blank(rest[i])) ++i;
    if (i < rest.size() && (std::isalpha(static_cast<unsigned char>(rest[i])) || rest[i] == '-' ||
                            rest[i] == '/' || rest[i] == '~' || rest[i] == '.'))
      return !(rest[i] == '.' && m != "cd");  // `pip .x` is not a command
  }
  return false;
}

// `name?`, `name??`, `?name`, `??name`, `%magic?`, with name a dotted path (IPython's help
// syntax). `rest` is the line without its indentation.
bool is_help(std::string_view rest) {
  while (!rest.empty() && is_blank(rest.back())) rest.remove_suffix(1);
  std::size_t b = 0, e = rest.size();
  bool marked = false;
  while (b < e && b < 2 && rest[b] == '?') ++b, marked = true;
  std::size_t tail = 0;
  while (e > b && tail < 2 && rest[e - 1] == '?') --e, ++tail, marked = true;
  if (!marked) return false;
  std::string_view name = rest.substr(b, e - b);
  while (!name.empty() && name[0] == '%') name.remove_prefix(1);
  if (name.empty()) return false;
  bool dot_ok = false;
  for (char c : name) {
    if (c == '.') {
      if (!dot_ok) return false;
      dot_ok = false;
    } else if (is_ident_char(c) || c == '*') {
      dot_ok = true;
    } else {
      return false;
    }
  }
  return dot_ok;
}

// `%name` (or `%%name`) at the start of `rest`.
bool starts_magic(std::string_view rest) {
  std::size_t i = 0;
  while (i < rest.size() && i < 2 && rest[i] == '%') ++i;
  return i > 0 && i < rest.size() && is_ident_start(rest[i]);
}

// For `a, b = !cmd` / `x = %magic args`: the offset in `rest` of the `!`/`%`, or npos.
std::size_t assigned_escape(std::string_view rest) {
  std::size_t i = 0;
  for (;;) {  // targets: dotted names separated by commas
    if (i >= rest.size() || !is_ident_start(rest[i])) return std::string_view::npos;
    while (i < rest.size() && (is_ident_char(rest[i]) || rest[i] == '.')) ++i;
    while (i < rest.size() && is_blank(rest[i])) ++i;
    if (i < rest.size() && rest[i] == ',') {
      ++i;
      while (i < rest.size() && is_blank(rest[i])) ++i;
      continue;
    }
    break;
  }
  if (i >= rest.size() || rest[i] != '=' || (i + 1 < rest.size() && rest[i + 1] == '='))
    return std::string_view::npos;
  ++i;
  while (i < rest.size() && is_blank(rest[i])) ++i;
  if (i < rest.size() && (rest[i] == '!' || starts_magic(rest.substr(i)))) return i;
  return std::string_view::npos;
}

// Python's lexical state across lines: inside a string (and which), bracket depth, continuation.
struct Lexer {
  char quote = 0;
  bool triple = false;
  int depth = 0;
  bool continued = false;

  bool at_statement_start() const { return quote == 0 && depth == 0 && !continued; }

  // Consumes one physical line [b, e) of `s`.
  void line(std::string_view s, std::size_t b, std::size_t e) {
    continued = false;
    for (std::size_t i = b; i < e; ++i) {
      char c = s[i];
      if (quote != 0) {
        if (c == '\\') {
          if (i + 1 >= e) continued = !triple;  // an escaped newline continues the string
          ++i;
        } else if (c == quote) {
          if (!triple) quote = 0;
          else if (i + 2 < e && s[i + 1] == quote && s[i + 2] == quote) {
            quote = 0;
            triple = false;
            i += 2;
          }
        }
        continue;
      }
      if (c == '#') return;
      if (c == '"' || c == '\'') {
        quote = c;
        triple = i + 2 < e && s[i + 1] == c && s[i + 2] == c;
        if (triple) i += 2;
      } else if (c == '(' || c == '[' || c == '{') {
        ++depth;
      } else if ((c == ')' || c == ']' || c == '}') && depth > 0) {
        --depth;
      } else if (c == '\\' && i + 1 == e) {
        continued = true;
      }
    }
    if (quote != 0 && !triple && !continued) quote = 0;  // unterminated: Python's error, not ours
  }
};

}  // namespace

MaskedCell mask_ipython(std::string_view source) {
  MaskedCell out;
  out.text = std::string(source);
  std::size_t pos = 0;

  // A cell magic sits on the first non-blank line of the cell.
  while (pos < source.size()) {
    std::size_t e = line_end(source, pos);
    std::size_t i = pos;
    while (i < e && is_blank(source[i])) ++i;
    if (i < e) {
      if (source.substr(i, 2) == "%%" && starts_magic(source.substr(i, e - i))) {
        std::vector<std::string_view> w = words(source.substr(i + 2, e - i - 2));
        std::string_view name = w.empty() ? std::string_view() : w[0];
        bool python_body = false;
        for (std::string_view m : kPythonBodyCellMagics) python_body = python_body || name == m;
        if (!python_body) {
          out.skipped = true;
          out.skip_reason = "%%" + std::string(name) + " cell";
          return out;
        }
        if (name == "capture")
          for (std::size_t k = 1; k < w.size(); ++k)
            if (is_identifier(w[k])) out.binds.emplace_back(w[k]);
        blank(out.text, i, e, false);
        pos = e;
      }
      break;
    }
    if (e >= source.size()) break;
    pos = source.find('\n', e) + 1;
  }

  Lexer lex;
  std::size_t b = 0;
  while (b <= source.size()) {
    std::size_t e = line_end(source, b);
    if (lex.at_statement_start()) {
      std::size_t i = b;
      while (i < e && is_blank(source[i])) ++i;
      std::string_view rest = source.substr(i, e - i);
      bool indented = i > b;
      bool masked = false;
      if (!rest.empty() && (rest[0] == '!' || starts_magic(rest))) {
        std::vector<std::string_view> w = words(rest.substr(rest.find_first_not_of('%')));
        std::string_view name = w.empty() ? std::string_view() : w[0];
        bool store_read = name == "store" && w.size() > 1 && w[1].starts_with("-r");
        if (rest[0] == '%' && (name == "run" || name == "load" || store_read))
          out.binds_unknown = true;
        blank(out.text, i, e, indented);
        masked = true;
      } else if (is_help(rest) || is_automagic(rest)) {
        blank(out.text, i, e, indented);
        masked = true;
      } else if (std::size_t at = assigned_escape(rest); at != std::string_view::npos) {
        blank(out.text, i + at, e, true);
        masked = true;
      }
      if (!masked) lex.line(source, b, e);
    } else {
      lex.line(source, b, e);
    }
    std::size_t nl = source.find('\n', e);
    if (nl == std::string_view::npos) break;
    b = nl + 1;
  }
  return out;
}

}  // namespace mlroast::notebook
