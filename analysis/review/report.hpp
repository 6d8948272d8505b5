// The review report (shared REPORT.md): the data both renderers (Markdown, JSON) print, built
// deterministically from a Workspace (sources with their findings, project files) by
// build_report(). Everything is sorted; nothing depends on time, locale or the machine, so the
// same input gives the same bytes. Sections group findings by rule (worst first, by the damage
// tiers of advice.hpp); the Hall of Shame is the worst group; the checklist marks every item of
// the spec's "What Good Looks Like" from evidence; the action plan takes the 7 best
// impact-to-effort changes; the verdict follows the decision table in REPORT.md (verdict.cpp).
#pragma once

#include <array>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "analysis/review/advice.hpp"
#include "analysis/review/posture.hpp"
#include "analysis/review/workspace.hpp"

namespace mlroast::review {

struct Located {
  std::string path;  // relative; "" = project-wide
  uint32_t row = 0;  // 1-based; 0 = no line (in a notebook: the line within `cell`)
  Finding finding;
  uint32_t cell = 0;  // 1-based notebook cell; 0 = not a notebook
  std::vector<std::string> related_where;  // where() of each of finding.related, in order
  std::vector<uint32_t> related_rows;      // 1-based line of each related location (in its cell)
  std::string where() const;  // "src/train.py:99", "nb.ipynb:cell 4:2", "requirements.txt", "project"
};

struct IssueGroup {
  std::string code, slug;
  Severity severity = Severity::Warning;
  Section section = Section::CodeQuality;
  int tier = 9;
  std::vector<Located> items;  // sorted by path and row
  std::string why;             // the rule's "Why it matters", first paragraph
  std::string evidence;        // a citation from EVIDENCE.md, or ""
  std::string fix_title;       // the quick fix's title when one exists
  std::string fix;             // the remedy (advice table)
  std::string fix_code;        // the rule doc's "Use instead" code block body
};

enum class Mark { Present, Absent, Partial };
const char* mark_symbol(Mark m);  // ✅ ❌ ⚠️
const char* mark_name(Mark m);    // present / absent / partial

struct ChecklistItem {
  std::string group;  // "Data Pipeline"
  std::string item;   // the spec's wording
  Mark mark = Mark::Absent;
  std::string evidence;
};

struct Action {
  std::string title;  // the change
  std::string where;  // files (and lines) it touches
  std::string why;    // what it buys
  int impact = 0, effort = 1;
};

struct Verdict {
  std::string category;              // one of the five
  std::string reason;                // the paragraph
  std::vector<std::string> deciding; // "ML107 src/churn/train.py:99"
};

struct ReconItem {
  std::string title;  // "Layout", "Data flow", ...
  std::vector<std::string> lines;
};

struct Report {
  std::string project;
  std::size_t files_reviewed = 0, notebooks = 0;
  std::size_t errors = 0, warnings = 0, infos = 0;
  std::vector<ReconItem> recon;
  std::array<std::vector<IssueGroup>, kSectionCount> sections;
  std::optional<IssueGroup> hall_of_shame;
  std::string hall_reason;
  std::vector<ChecklistItem> checklist;
  std::vector<Action> actions;
  Verdict verdict;

  std::size_t finding_count() const { return errors + warnings + infos; }
  std::size_t critical_count() const;  // findings in the Critical section
};

// Whether a project finding (a P-rule on `path`) is enabled, and at what severity; the CLI and the
// server pass their configuration resolver's answer. Default: every code, default severity.
using ProjectFilter = std::function<bool(const std::string& path, Finding& finding)>;

Report build_report(const Workspace& ws, const ProjectFilter& filter = {});

// Parts of build_report, exposed for tests.
std::vector<ChecklistItem> build_checklist(const Posture& p, const std::vector<Located>& all,
                                           const std::vector<SourceSignals>& signals);
Verdict decide_verdict(const Posture& p, const std::vector<Located>& all);
std::vector<Action> plan_actions(const Report& r);

std::string render_markdown(const Report& r);
nlohmann::json to_json(const Report& r);

}  // namespace mlroast::review
