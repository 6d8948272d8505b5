// The two renderings of a Report: Markdown in the shape of the shared REPORT.md, and JSON with the
// same content as data. Both are pure functions of the report; no timestamps, sorted throughout.
#include <algorithm>

#include "analysis/review/report.hpp"

namespace mlroast::review {

namespace {

std::string plural(std::size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

// One-line text for Markdown: newlines folded.
std::string inline_text(std::string s) {
  for (char& c : s)
    if (c == '\n' || c == '\r') c = ' ';
  return s;
}

std::string summary_line(const Report& r) {
  return plural(r.files_reviewed, "file", "files") + " reviewed, " +
         plural(r.notebooks, "notebook", "notebooks") + "; " +
         plural(r.finding_count(), "finding", "findings") + ": " + std::to_string(r.errors) + " error, " +
         std::to_string(r.warnings) + " warning, " + std::to_string(r.infos) + " info.";
}

void group_markdown(std::string& out, const IssueGroup& g) {
  out += "### " + g.code + " " + g.slug + " — " + g.items.front().where() + "\n";
  out += "**Location:** ";
  std::size_t shown = std::min<std::size_t>(3, g.items.size());
  for (std::size_t i = 0; i < shown; ++i) out += (i ? ", " : "") + g.items[i].where();
  if (g.items.size() > shown) out += " and " + std::to_string(g.items.size() - shown) + " more";
  // The chain behind the first location ("fitted here" -> "split here"), as the rule reports it.
  const Located& first = g.items.front();
  for (std::size_t i = 0; i < first.finding.related.size() && i < first.related_where.size(); ++i)
    out += "; " + inline_text(first.finding.related[i].message) + " (" + first.related_where[i] + ")";
  out += "\n\n**The Problem:**";
  if (shown == 1) {
    out += " " + inline_text(g.items[0].finding.message) + "\n";
  } else {
    out += "\n";
    for (std::size_t i = 0; i < shown; ++i)
      out += "- `" + g.items[i].where() + "`: " + inline_text(g.items[i].finding.message) + "\n";
  }
  out += "\n**Why It Matters:** " + (g.why.empty() ? std::string("see `mlroast rule ") + g.code + "`." : g.why);
  if (!g.evidence.empty()) out += " " + g.evidence;
  out += "\n\n**Fix:** ";
  if (!g.fix_title.empty()) out += "quick fix available: " + g.fix_title + " — ";
  out += g.fix + ".\n";
  if (!g.fix_code.empty()) {
    bool project_file = !g.code.empty() && g.code[0] == 'P';
    out += "```" + std::string(project_file ? "" : "python") + "\n" + g.fix_code + "```\n";
  }
  out += "\n";
}

nlohmann::json located_json(const Located& l) {
  nlohmann::json j = {{"path", l.path}, {"message", l.finding.message},
                      {"severity", to_string(l.finding.severity)}, {"code", l.finding.code}};
  j["line"] = l.row == 0 ? nlohmann::json(nullptr) : nlohmann::json(l.row);
  j["cell"] = l.cell == 0 ? nlohmann::json(nullptr) : nlohmann::json(l.cell);
  j["fix"] = l.finding.fix ? nlohmann::json(l.finding.fix->title) : nlohmann::json(nullptr);
  nlohmann::json related = nlohmann::json::array();
  for (std::size_t i = 0; i < l.finding.related.size() && i < l.related_rows.size(); ++i)
    related.push_back({{"message", l.finding.related[i].message},
                       {"line", l.related_rows[i]},
                       {"where", l.related_where[i]}});
  j["related"] = related;
  return j;
}

nlohmann::json group_json(const IssueGroup& g) {
  nlohmann::json items = nlohmann::json::array();
  for (const Located& l : g.items) items.push_back(located_json(l));
  return {{"code", g.code},       {"name", g.slug},         {"severity", to_string(g.severity)},
          {"damage_tier", g.tier}, {"locations", items},    {"why_it_matters", g.why},
          {"evidence", g.evidence}, {"fix", g.fix},         {"quick_fix", g.fix_title},
          {"fix_example", g.fix_code}};
}

}  // namespace

std::string render_markdown(const Report& r) {
  std::string out = "# mlroast review: " + r.project + "\n" + summary_line(r) + "\n\n";
  out += "## Reconnaissance\n";
  for (const ReconItem& item : r.recon) {
    out += "**" + item.title + "**\n";
    for (const std::string& line : item.lines) out += "- " + inline_text(line) + "\n";
    out += "\n";
  }
  for (int s = 0; s < kSectionCount; ++s) {
    out += std::string("## ") + section_title(static_cast<Section>(s)) + "\n";
    if (r.sections[s].empty()) out += "No findings.\n\n";
    for (const IssueGroup& g : r.sections[s]) group_markdown(out, g);
  }
  out += "## 💀 The Hall of Shame\n";
  if (r.hall_of_shame) {
    const IssueGroup& g = *r.hall_of_shame;
    const std::string hall_evidence = evidence_for(g.code, g.tier);
    out += "**" + g.code + " " + g.slug + " — " + g.items.front().where() + "**\n\n" +
           inline_text(r.hall_reason) + (hall_evidence.empty() ? "" : " " + hall_evidence) + "\n\n";
  } else {
    out += "Nothing: no finding.\n\n";
  }
  out += "## What Good Looks Like\n";
  std::string group;
  for (const ChecklistItem& c : r.checklist) {
    if (c.group != group) {
      group = c.group;
      out += "**" + group + "**\n";
    }
    out += std::string("- ") + mark_symbol(c.mark) + " " + c.item + " — " + inline_text(c.evidence) + "\n";
  }
  out += "\n## Prioritized Action Plan\n";
  for (std::size_t i = 0; i < r.actions.size(); ++i) {
    const Action& a = r.actions[i];
    out += std::to_string(i + 1) + ". **" + inline_text(a.title) + "** — " + a.where + ". " +
           inline_text(a.why) + " (impact " + std::to_string(a.impact) + ", effort " +
           std::to_string(a.effort) + ")\n";
  }
  out += "\n## Verdict: " + r.verdict.category + "\n" + inline_text(r.verdict.reason) + "\n";
  return out;
}

nlohmann::json to_json(const Report& r) {
  nlohmann::json j;
  j["project"] = r.project;
  j["summary"] = {{"files_reviewed", r.files_reviewed}, {"notebooks", r.notebooks},
                  {"findings", r.finding_count()},      {"errors", r.errors},
                  {"warnings", r.warnings},             {"info", r.infos},
                  {"critical", r.critical_count()}};
  nlohmann::json recon = nlohmann::json::array();
  for (const ReconItem& item : r.recon) recon.push_back({{"title", item.title}, {"lines", item.lines}});
  j["reconnaissance"] = recon;
  nlohmann::json sections = nlohmann::json::array();
  for (int s = 0; s < kSectionCount; ++s) {
    nlohmann::json groups = nlohmann::json::array();
    for (const IssueGroup& g : r.sections[s]) groups.push_back(group_json(g));
    sections.push_back({{"key", section_key(static_cast<Section>(s))},
                        {"title", section_title(static_cast<Section>(s))},
                        {"issues", groups}});
  }
  j["sections"] = sections;
  if (r.hall_of_shame) {
    j["hall_of_shame"] = group_json(*r.hall_of_shame);
    j["hall_of_shame"]["reason"] = r.hall_reason;
  } else {
    j["hall_of_shame"] = nullptr;
  }
  nlohmann::json checklist = nlohmann::json::array();
  for (const ChecklistItem& c : r.checklist)
    checklist.push_back({{"group", c.group}, {"item", c.item}, {"mark", mark_name(c.mark)}, {"evidence", c.evidence}});
  j["checklist"] = checklist;
  nlohmann::json actions = nlohmann::json::array();
  for (const Action& a : r.actions)
    actions.push_back({{"title", a.title}, {"where", a.where}, {"why", a.why}, {"impact", a.impact}, {"effort", a.effort}});
  j["actions"] = actions;
  j["verdict"] = {{"category", r.verdict.category}, {"reason", r.verdict.reason}, {"deciding", r.verdict.deciding}};
  return j;
}

}  // namespace mlroast::review
