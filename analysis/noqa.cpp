#include "analysis/noqa.hpp"

#include <cctype>

namespace mlroast {

bool parse_noqa(std::string_view c, NoqaDirective& out) {
  // Find "noqa" (case-insensitive) after a '#', as ruff does: "# noqa", "#noqa:ML1", "# NOQA".
  for (size_t hash = c.find('#'); hash != std::string_view::npos; hash = c.find('#', hash + 1)) {
    size_t i = hash + 1;
    while (i < c.size() && std::isspace(static_cast<unsigned char>(c[i]))) ++i;
    if (c.size() - i < 4) continue;
    std::string word;
    for (size_t j = 0; j < 4; ++j) word += static_cast<char>(std::tolower(static_cast<unsigned char>(c[i + j])));
    if (word != "noqa") continue;
    i += 4;
    out = NoqaDirective{};
    size_t k = i;
    while (k < c.size() && c[k] == ' ') ++k;
    if (k >= c.size() || c[k] != ':') {
      out.all = true;
      return true;
    }
    ++k;
    std::string code;
    auto flush = [&] {
      if (!code.empty()) out.codes.push_back(code);
      code.clear();
    };
    for (; k < c.size(); ++k) {
      char ch = c[k];
      if (std::isalnum(static_cast<unsigned char>(ch))) {
        code += ch;
      } else if (ch == ',' || ch == ' ' || ch == '\t') {
        flush();
      } else {
        break;
      }
    }
    flush();
    if (out.codes.empty()) out.all = true;  // "# noqa:" with nothing after acts as bare noqa
    return true;
  }
  return false;
}

NoqaMap::NoqaMap(syntax::Node root, std::string_view text) {
  std::vector<syntax::Node> comments;
  if (!root.is_null())
    syntax::walk(root, [&](syntax::Node n) {
      if (n.kind() == "comment") comments.push_back(n);
      return n.kind() != "comment";
    });
  *this = NoqaMap(comments, text);
}

NoqaMap::NoqaMap(const std::vector<syntax::Node>& comments, std::string_view text) {
  for (syntax::Node n : comments) {
    NoqaDirective d;
    if (parse_noqa(n.text(text), d)) {
      d.comment_start = n.start_byte();
      d.comment_end = n.end_byte();
      rows_[n.start_point().row] = std::move(d);
    }
  }
}

bool NoqaMap::suppresses(uint32_t row, std::string_view code) const {
  const NoqaDirective* d = at(row);
  if (!d) return false;
  if (d->all) return true;
  for (const auto& c : d->codes)
    if (code.substr(0, c.size()) == c) return true;
  return false;
}

const NoqaDirective* NoqaMap::at(uint32_t row) const {
  auto it = rows_.find(row);
  return it == rows_.end() ? nullptr : &it->second;
}

}  // namespace mlroast
