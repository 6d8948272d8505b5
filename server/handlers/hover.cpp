// `textDocument/hover`: over a rule code inside a `# noqa:` comment (`# noqa: ML703, P01`), the
// rule's documentation (its doc block, Markdown) with the range of the code. Anywhere else, and for
// codes that name no rule, the answer is null. Positions are in the negotiated encoding.
#include <cctype>

#include "analysis/rules/rule.hpp"
#include "protocol/lsp_types.hpp"
#include "protocol/position_encoding.hpp"
#include "server/handlers/handlers.hpp"
#include "server/server.hpp"

namespace mlroast::server::handlers {

namespace {

bool code_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

}  // namespace

HandlerResult hover(Server& server, const json& params, RequestContext&) {
  const auto document = protocol::require<protocol::TextDocumentIdentifier>(params, "textDocument");
  const auto position = protocol::require<protocol::Position>(params, "position");
  const Document* doc = server.documents().find(document.uri);
  if (doc == nullptr) return json(nullptr);
  const std::string& text = doc->text;
  const protocol::LineIndex index(text);
  const std::size_t offset = index.to_offset(text, position, server.encoding());
  const std::size_t line_start = index.line_start(position.line);
  const std::size_t line_end = index.line_end(text, position.line);
  if (offset < line_start || offset > line_end) return json(nullptr);
  const std::string_view line(text.data() + line_start, line_end - line_start);
  // The `# noqa:` comment on this line (case-insensitive "noqa"), and the codes after it.
  std::size_t hash = line.find('#');
  while (hash != std::string_view::npos) {
    std::size_t p = hash + 1;
    while (p < line.size() && line[p] == ' ') ++p;
    std::string word(line.substr(p, 4));
    for (char& c : word) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (word == "noqa" && p + 4 < line.size() && line[p + 4] == ':') {
      std::size_t codes_from = p + 5;
      std::size_t at = offset - line_start;
      if (at < codes_from) return json(nullptr);
      if (at < line.size() && !code_char(line[at]) && at > 0 && code_char(line[at - 1])) --at;  // end of a code
      if (at >= line.size() || !code_char(line[at])) return json(nullptr);
      std::size_t b = at, e = at;
      while (b > codes_from && code_char(line[b - 1])) --b;
      while (e < line.size() && code_char(line[e])) ++e;
      const std::string code(line.substr(b, e - b));
      const RuleInfo* info = find_rule(code);
      if (info == nullptr || info->code != code) return json(nullptr);
      protocol::Range range{index.to_position(text, line_start + b, server.encoding()),
                            index.to_position(text, line_start + e, server.encoding())};
      return json{{"contents", {{"kind", "markdown"}, {"value", std::string(info->doc)}}},
                  {"range", range}};
    }
    hash = line.find('#', hash + 1);
  }
  return json(nullptr);
}

}  // namespace mlroast::server::handlers
