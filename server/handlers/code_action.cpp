// textDocument/codeAction. For every mlroast diagnostic in the request's context: its fix as a
// quickfix, preferred when safe, then "Suppress CODE on this line", which adds `# noqa: CODE` or
// extends the line's noqa list. Fixes are not part of the published diagnostics (computing them
// on every keystroke would double the analysis); they come from DiagnosticsEngine::with_fixes,
// an analysis of the document's current text with fixes, made on the first code-action request
// after an edit and cached. A context diagnostic is matched to it by code and range, so a fix is
// only ever offered for the text it was computed on.
// With `only` asking for source.fixAll(.mlroast): every safe fix of the document's current
// analysis at once, non-overlapping, in document order. Edits use documentChanges with the
// document's version when the client supports them. Main thread; never blocks.
#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include "protocol/lsp_types.hpp"
#include "protocol/position_encoding.hpp"
#include "server/handlers/handlers.hpp"
#include "server/server.hpp"

namespace mlroast::server::handlers {

namespace {

json workspace_edit(const Server& server, const Document& doc, json edits) {
  if (server.document_changes())
    return {{"documentChanges",
             json::array({{{"textDocument", {{"uri", doc.uri}, {"version", doc.version}}},
                           {"edits", std::move(edits)}}})}};
  return {{"changes", {{doc.uri, std::move(edits)}}}};
}

// The edit that suppresses `code` on `line`: extend an existing `# noqa: A, B` list, leave a bare
// `# noqa` alone (it already suppresses everything), or append `  # noqa: CODE`.
std::optional<json> suppression_edit(const Server& server, const Document& doc, uint32_t line,
                                     const std::string& code) {
  protocol::LineIndex index(doc.text);
  size_t start = index.line_start(line), end = index.line_end(doc.text, line);
  std::string_view text(doc.text);
  std::string_view content = text.substr(start, end - start);
  std::string lower(content);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  size_t at = std::string::npos;
  for (size_t hash = lower.find('#'); hash != std::string::npos; hash = lower.find('#', hash + 1)) {
    size_t i = hash + 1;
    while (i < lower.size() && lower[i] == ' ') ++i;
    if (lower.compare(i, 4, "noqa") == 0) {
      at = i + 4;
      break;
    }
  }
  size_t insert = end;
  std::string new_text = "  # noqa: " + code;
  if (at != std::string::npos) {
    size_t i = at;
    while (i < content.size() && content[i] == ' ') ++i;
    if (i >= content.size() || content[i] != ':') return std::nullopt;  // bare noqa
    ++i;
    size_t last = i;
    for (size_t j = i; j < content.size(); ++j) {
      char c = content[j];
      if (std::isalnum(static_cast<unsigned char>(c))) last = j + 1;
      else if (c != ',' && c != ' ' && c != '\t') break;
    }
    insert = start + last;
    new_text = ", " + code;
  }
  const auto enc = server.encoding();
  const auto pos = index.to_position(doc.text, insert, enc);
  return json{{"range", protocol::Range{pos, pos}}, {"newText", new_text}};
}

bool overlaps(const json& a, const json& b) {
  auto key = [](const json& p) {
    return std::make_pair(p["line"].get<int64_t>(), p["character"].get<int64_t>());
  };
  return key(a["range"]["start"]) < key(b["range"]["end"]) &&
         key(b["range"]["start"]) < key(a["range"]["end"]);
}

bool wants(const json& only, std::string_view kind) {
  if (!only.is_array()) return kind == "quickfix";
  for (const auto& k : only) {
    if (!k.is_string()) continue;
    std::string s = k.get<std::string>();
    if (kind == s || (kind.size() > s.size() && kind.substr(0, s.size()) == s && kind[s.size()] == '.'))
      return true;
  }
  return false;
}

// The fix of the diagnostic with this code and range in `fixed`, if it has one.
const json* fix_for(const std::vector<protocol::Diagnostic>& fixed, const std::string& code,
                    const protocol::Range& r) {
  for (const auto& f : fixed) {
    if (f.code != code || f.range != r || !f.data || !f.data->contains("fix")) continue;
    return &(*f.data)["fix"];
  }
  return nullptr;
}

json fix_all(const Server& server, const Document& doc,
             const std::vector<protocol::Diagnostic>& diagnostics) {
  std::vector<json> edits;
  for (const auto& d : diagnostics) {
    if (!d.data || !d.data->contains("fix")) continue;
    if ((*d.data)["fix"].value("applicability", "") != "safe") continue;
    const json& fix = (*d.data)["fix"];
    const json& fe = fix["edits"];
    bool clash = false;
    for (const auto& e : fe)
      for (const auto& taken : edits) clash = clash || overlaps(e, taken);
    if (clash) continue;  // the next fix-all, on the new text, picks it up
    for (const auto& e : fe) edits.push_back(e);
  }
  std::sort(edits.begin(), edits.end(), [](const json& a, const json& b) {
    return std::make_pair(a["range"]["start"]["line"].get<int64_t>(),
                          a["range"]["start"]["character"].get<int64_t>()) <
           std::make_pair(b["range"]["start"]["line"].get<int64_t>(),
                          b["range"]["start"]["character"].get<int64_t>());
  });
  return {{"title", "mlroast: fix all safe fixes"},
          {"kind", "source.fixAll.mlroast"},
          {"edit", workspace_edit(server, doc, json(edits))}};
}

}  // namespace

HandlerResult code_action(Server& server, const json& params, RequestContext&) {
  const auto uri = protocol::require<std::string>(params, "textDocument.uri");
  protocol::require<protocol::Range>(params, "range");
  const json context = protocol::optional_field<json>(params, "context").value_or(json::object());
  const json only = context.value("only", json());
  const Document* doc = server.documents().find(uri);
  json actions = json::array();
  if (doc == nullptr) return actions;

  if (wants(only, "source.fixAll.mlroast")) {
    if (const auto* fixed = server.diagnostics().with_fixes(uri))
      actions.push_back(fix_all(server, *doc, *fixed));
    return actions;
  }
  if (!wants(only, "quickfix")) return actions;
  const std::vector<protocol::Diagnostic>* fixed = nullptr;  // analysed on first need

  std::vector<json> fixes, suppressions;
  for (const auto& d : context.value("diagnostics", json::array())) {
    if (!d.is_object() || d.value("source", "") != "mlroast" || !d.contains("code")) continue;
    std::string code = d["code"].is_string() ? d["code"].get<std::string>() : d["code"].dump();
    // The client's copy of one of our diagnostics: a missing or malformed range makes the request
    // invalid (InvalidParams), as a malformed `range` of the request itself does.
    const auto range = protocol::require<protocol::Range>(d, "range");
    if (fixed == nullptr) fixed = server.diagnostics().with_fixes(uri);
    const json* found = fixed == nullptr ? nullptr : fix_for(*fixed, code, range);
    if (found != nullptr) {
      const json& fix = *found;
      fixes.push_back({{"title", fix.value("title", "Fix " + code)},
                       {"kind", "quickfix"},
                       {"diagnostics", json::array({d})},
                       {"isPreferred", fix.value("applicability", "") == "safe"},
                       {"edit", workspace_edit(server, *doc, fix.value("edits", json::array()))}});
    }
    const uint32_t line = range.start.line;
    if (auto edit = suppression_edit(server, *doc, line, code))
      suppressions.push_back({{"title", "Suppress " + code + " on this line"},
                              {"kind", "quickfix"},
                              {"diagnostics", json::array({d})},
                              {"edit", workspace_edit(server, *doc, json::array({*edit}))}});
  }
  for (auto& a : fixes) actions.push_back(std::move(a));  // real fixes first
  for (auto& a : suppressions) actions.push_back(std::move(a));
  return actions;
}

}  // namespace mlroast::server::handlers
