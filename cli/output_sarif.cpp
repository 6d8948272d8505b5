// The `sarif` format: one SARIF 2.1.0 log, as GitHub code scanning ingests it
// (`github/codeql-action/upload-sarif`). One run; `tool.driver.rules` lists every registered rule
// (id, name, short and full description, the Markdown help, helpUri, default level, category tag)
// so `ruleIndex` is stable across runs. Each result carries ruleId/ruleIndex, level (error /
// warning / note), the message, one physical location whose URI is relative to `%SRCROOT%` (the
// working directory; files outside it get an absolute file URI), a region with 1-based lines and
// columns counted in Unicode code points (declared by `columnKind`), related locations, and
// `partialFingerprints["mlroast/v1"]`: a hash of the rule, the path, the trimmed source line and
// its occurrence index, so a finding keeps its identity when lines above it move.
// Output is deterministic (no timestamps, no machine-specific values except %SRCROOT%).
#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <map>

#include "analysis/rules/rule.hpp"
#include "cli/output.hpp"
#include "protocol/uri.hpp"

namespace mlroast::cli {

namespace {

using nlohmann::json;

const char* sarif_level(Severity s) {
  switch (s) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Info: return "note";
  }
  return "warning";
}

// The text of the doc section under `heading` ("## What it finds"), trimmed.
std::string doc_section(std::string_view doc, std::string_view heading) {
  std::size_t at = doc.find(heading);
  if (at == std::string_view::npos) return {};
  std::size_t body = doc.find('\n', at);
  if (body == std::string_view::npos) return {};
  std::size_t end = doc.find("\n## ", body);
  std::string_view s = doc.substr(body + 1, end == std::string_view::npos ? end : end - body - 1);
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.remove_suffix(1);
  std::string out(s);
  for (char& c : out)
    if (c == '\n') c = ' ';
  return out;
}

json rule_json(const RuleInfo& info) {
  std::string full = doc_section(info.doc, "## What it finds");
  return json{
      {"id", std::string(info.code)},
      {"name", std::string(info.slug)},
      {"shortDescription", {{"text", std::string(info.summary)}}},
      {"fullDescription", {{"text", full.empty() ? std::string(info.summary) : full}}},
      {"help", {{"text", std::string(info.summary)}, {"markdown", std::string(info.doc)}}},
      {"helpUri", rule_url(info)},
      {"defaultConfiguration", {{"level", sarif_level(info.severity)}}},
      {"properties", {{"tags", {to_string(info.category)}}}},
  };
}

// FNV-1a, 64 bits, as 16 hex digits.
std::string fnv1a(std::string_view bytes) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

std::string trimmed(std::string_view s) {
  std::size_t b = s.find_first_not_of(" \t\r"), e = s.find_last_not_of(" \t\r");
  return b == std::string_view::npos ? std::string() : std::string(s.substr(b, e - b + 1));
}

json artifact_location(const FileReport& file) {
  const std::string& shown = file.path.display;
  if (!shown.empty() && shown.front() != '/') {
    // Relative to %SRCROOT%: percent-encoded like a file URI's path, without the scheme.
    std::string uri = protocol::path_to_uri("/" + shown).substr(std::string("file:///").size());
    return json{{"uri", uri}, {"uriBaseId", "%SRCROOT%"}};
  }
  return json{{"uri", protocol::path_to_uri(file.path.absolute.string())}};
}

json region(const SourceIndex& index, uint32_t start, uint32_t end) {
  Location a = index.location(start), b = index.location(std::max(start, end));
  return json{{"startLine", a.row}, {"startColumn", a.column}, {"endLine", b.row},
              {"endColumn", b.column}};
}

}  // namespace

void write_sarif(std::ostream& out, const CheckReport& report) {
  json rules = json::array();
  std::map<std::string, std::size_t> rule_index;
  for (const RuleInfo* info : all_rule_infos()) {
    rule_index[std::string(info->code)] = rules.size();
    rules.push_back(rule_json(*info));
  }
  json results = json::array();
  for (const FileReport& file : report.files) {
    SourceIndex index(file.text);
    json location = artifact_location(file);
    std::map<std::string, int> seen;  // (rule, line text) -> occurrences so far
    for (const Finding& f : file.findings) {
      json r;
      r["ruleId"] = f.code;
      if (auto it = rule_index.find(f.code); it != rule_index.end()) r["ruleIndex"] = it->second;
      r["level"] = sarif_level(f.severity);
      r["message"] = {{"text", f.message}};
      r["locations"] = json::array(
          {{{"physicalLocation",
             {{"artifactLocation", location},
              {"region", region(index, f.range.start_byte, f.range.end_byte)}}}}});
      if (!f.related.empty()) {
        json related = json::array();
        int id = 1;
        for (const RelatedLocation& rel : f.related)
          related.push_back({{"id", id++},
                             {"message", {{"text", rel.message}}},
                             {"physicalLocation",
                              {{"artifactLocation", location},
                               {"region", region(index, rel.range.start_byte, rel.range.end_byte)}}}});
        r["relatedLocations"] = std::move(related);
      }
      std::string line = trimmed(index.line(f.range.start.row));
      std::string key = f.code + "\x1f" + file.path.display + "\x1f" + line;
      int occurrence = seen[key]++;
      r["partialFingerprints"] = {{"mlroast/v1", fnv1a(key) + ":" + std::to_string(occurrence)}};
      results.push_back(std::move(r));
    }
  }
  std::error_code ec;
  std::string root = std::filesystem::current_path(ec).string();
  if (root.empty() || root.back() != '/') root += '/';
  json run = {
      {"tool",
       {{"driver",
         {{"name", "mlroast"},
          {"version", MLROAST_VERSION},
          {"semanticVersion", MLROAST_VERSION},
          {"rules", std::move(rules)}}}}},
      {"originalUriBaseIds", {{"%SRCROOT%", {{"uri", protocol::path_to_uri(root)}}}}},
      {"columnKind", "unicodeCodePoints"},
      {"results", std::move(results)},
  };
  json log = {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
              {"version", "2.1.0"},
              {"runs", json::array({std::move(run)})}};
  out << log.dump(2, ' ', false, json::error_handler_t::replace) << '\n';
}

}  // namespace mlroast::cli
