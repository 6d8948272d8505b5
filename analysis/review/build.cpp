// build_report(): findings -> groups -> sections, the Hall of Shame, and the reconnaissance
// summary. The checklist, verdict and action plan live in their own files.
#include <algorithm>
#include <map>
#include <set>

#include "analysis/review/report.hpp"
#include "analysis/rules/rule.hpp"

namespace mlroast::review {

namespace {

int severity_rank(Severity s) { return s == Severity::Error ? 0 : s == Severity::Warning ? 1 : 2; }

// The body of the doc section under `heading`, up to the next "## ".
std::string_view section_body(std::string_view doc, std::string_view heading) {
  std::size_t at = doc.find(heading);
  if (at == std::string_view::npos) return {};
  std::size_t body = doc.find('\n', at);
  if (body == std::string_view::npos) return {};
  std::size_t end = doc.find("\n## ", body);
  return doc.substr(body + 1, end == std::string_view::npos ? std::string_view::npos : end - body - 1);
}

std::string first_paragraph(std::string_view text) {
  std::size_t end = text.find("\n\n");
  std::string out(text.substr(0, end));
  while (!out.empty() && out.back() == '\n') out.pop_back();
  for (char& c : out)
    if (c == '\n') c = ' ';
  return out;
}

std::string code_block(std::string_view text) {
  std::size_t open = text.find("```");
  if (open == std::string_view::npos) return {};
  std::size_t body = text.find('\n', open);
  std::size_t close = text.find("```", body);
  if (body == std::string_view::npos || close == std::string_view::npos) return {};
  return std::string(text.substr(body + 1, close - body - 1));
}

bool group_before(const IssueGroup& a, const IssueGroup& b) {
  if (a.tier != b.tier) return a.tier < b.tier;
  if (severity_rank(a.severity) != severity_rank(b.severity))
    return severity_rank(a.severity) < severity_rank(b.severity);
  if (a.items.size() != b.items.size()) return a.items.size() > b.items.size();
  return a.code < b.code;
}

std::string hall_reason(const IssueGroup& g) {
  const Located& worst = g.items.front();
  std::string why;
  switch (g.tier) {
    case 1:
      why = "The test split chose the model (or stopped its training), so the reported score is the "
            "best of several looks at the test set itself: optimistic by construction, with no "
            "untouched data left to say by how much. In production this model will underperform its "
            "own backtest with no visible explanation.";
      break;
    case 2:
      why = "A feature carries the answer: the target, or an aggregate over the target's own period. "
            "The model learns the leak instead of the signal, the offline metric is fiction, and the "
            "feature does not exist at prediction time.";
      break;
    case 3:
      why = "Test rows (or synthetic copies and same-entity twins of them) are in the training data, so "
            "the test score measures memorisation, not generalisation; the gap to production grows "
            "with model capacity.";
      break;
    case 4:
      why = "The split shuffles time: the model trains on the future and is scored on the past. The "
            "backtest is better than any live run can be.";
      break;
    case 5:
      why = "A supervised step (feature selection or target encoding) saw the test labels before the "
            "split; the selected features or encodings are tuned to the test set.";
      break;
    case 6:
      why = "Statistics were learned on all rows, test rows included. The numeric effect is usually "
            "small, but the protocol is invalid and the reported number is not a clean estimate.";
      break;
    case 7:
      why = "No leakage was found; this is the worst remaining defect because it breaks or corrupts "
            "the system where it runs, not just the metric.";
      break;
    default:
      why = "No leakage and no error-level defect was found; this is the most damaging of the "
            "remaining warnings.";
  }
  std::string message = worst.finding.message;
  if (!message.empty() && message.back() != '.') message += '.';
  return why + " Here: " + worst.where() + " — " + message;
}

std::string join(const std::vector<std::string>& v, std::string_view sep) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : std::string(sep)) + s;
  return out;
}

std::string at_row(const SourceSignals& s, std::initializer_list<std::string_view> names,
                   std::string_view label) {
  const TextRange* r = s.first_call(names);
  if (r == nullptr) return {};
  if (s.locate) {
    auto [cell, line] = s.locate(r->start_byte);
    return std::string(label) + " cell " + std::to_string(cell) + ":" + std::to_string(line);
  }
  return std::string(label) + " :" + std::to_string(r->start.row + 1);
}

std::vector<ReconItem> reconnaissance(const Workspace& ws, const Posture& p,
                                      const std::vector<SourceSignals>& signals) {
  std::vector<ReconItem> out;
  // Layout.
  {
    ReconItem item{"Layout", {}};
    std::map<std::string, int> folders;
    for (const SourceSignals& s : signals) {
      std::size_t slash = s.path.rfind('/');
      folders[slash == std::string::npos ? "." : s.path.substr(0, slash)]++;
    }
    std::vector<std::string> parts;
    parts.reserve(folders.size());
    for (const auto& [dir, n] : folders) parts.push_back(dir + "/ (" + std::to_string(n) + ")");
    const auto scripts = std::count_if(signals.begin(), signals.end(),
                                       [](const SourceSignals& g) { return !g.is_notebook; });
    item.lines.push_back(std::to_string(scripts) + (scripts == 1 ? " Python source, " : " Python sources, ") +
                         std::to_string(p.notebooks.size()) +
                         (p.notebooks.size() == 1 ? " notebook, " : " notebooks, ") +
                         std::to_string(p.source_lines) + " lines; sources by folder: " +
                         (parts.empty() ? "none" : join(parts, ", ")) + ".");
    bool src = std::any_of(signals.begin(), signals.end(),
                           [](const SourceSignals& s) { return s.path.rfind("src/", 0) == 0; });
    item.lines.emplace_back(src ? "src/ layout: yes." : "src/ layout: no — modules sit at the top level or in ad-hoc folders.");
    item.lines.push_back(p.test_files.empty() ? "Tests: none (no tests/ folder, no test_*.py)."
                                              : "Tests: " + std::to_string(p.test_files.size()) + " test file(s), e.g. " + p.test_files.front() + ".");
    if (!p.notebooks.empty()) item.lines.push_back("Notebooks: " + join(p.notebooks, ", ") + ".");
    out.push_back(std::move(item));
  }
  // Data flow: per source, the first load, split, fit, evaluation and save.
  {
    ReconItem item{"Data flow (load → features → split → model → evaluation → save)", {}};
    for (const SourceSignals& s : signals) {
      if (s.is_test) continue;
      std::vector<std::string> steps;
      for (const std::string& step :
           {at_row(s, {"pandas.read_csv", "pandas.read_parquet", "pandas.read_excel", "pandas.read_sql",
                       "pandas.read_json", "pandas.read_feather", "numpy.load", "datasets.load_dataset",
                       "polars.read_csv", "polars.read_parquet"}, "load"),
            at_row(s, {"pandas.get_dummies", ".fit_transform", ".fit_resample"}, "features"),
            at_row(s, {"sklearn.model_selection.train_test_split", ".split"}, "split"),
            at_row(s, {".fit", ".backward"}, "fit"),
            at_row(s, {".score", "sklearn.metrics.accuracy_score", "sklearn.metrics.f1_score",
                       "sklearn.metrics.roc_auc_score", "sklearn.metrics.average_precision_score",
                       "sklearn.metrics.mean_squared_error", "sklearn.metrics.mean_absolute_error",
                       "sklearn.metrics.r2_score", "sklearn.model_selection.cross_val_score"}, "evaluate"),
            at_row(s, {"pickle.dump", "joblib.dump", "torch.save", ".save_model"}, "save"),
            at_row(s, {".predict", ".predict_proba"}, "predict")})
        if (!step.empty()) steps.push_back(step);
      // Steps read "load :48", or "load cell 3:1" in a notebook: order by (cell, line).
      auto position = [](const std::string& step) {
        std::size_t cell = step.find(" cell ");
        unsigned long c = cell == std::string::npos ? 0 : std::stoul(step.substr(cell + 6));
        return std::make_pair(c, std::stoul(step.substr(step.rfind(':') + 1)));
      };
      std::stable_sort(steps.begin(), steps.end(), [&](const std::string& a, const std::string& b) {
        return position(a) < position(b);
      });
      if (steps.size() >= 2) item.lines.push_back(s.path + ": " + join(steps, " → ") + ".");
    }
    if (item.lines.empty()) item.lines.emplace_back("No load-to-model flow found in the sources.");
    out.push_back(std::move(item));
  }
  // Train vs inference.
  {
    ReconItem item{"Train vs inference", {}};
    item.lines.push_back("Training: " + (p.training_files.empty() ? std::string("no training code found") : join(p.training_files, ", ")) + ".");
    if (p.serving_files.empty()) {
      item.lines.emplace_back("Inference: no serving entry point (FastAPI/Flask/BentoML) found.");
    } else {
      for (const SourceSignals& s : signals) {
        if (std::find(p.serving_files.begin(), p.serving_files.end(), s.path) == p.serving_files.end()) continue;
        std::vector<std::string> t;
        for (const std::string& step : {at_row(s, {".fit_transform", ".fit"}, "refits a transformer"),
                                 at_row(s, {".transform"}, "transform"),
                                 at_row(s, {"pandas.get_dummies"}, "get_dummies"),
                                 at_row(s, {".fillna"}, "fillna"),
                                 at_row(s, {"pickle.load", "joblib.load", "torch.load"}, "loads artifacts")})
          if (!step.empty()) t.push_back(step);
        item.lines.push_back("Inference: " + s.path + (t.empty() ? "" : " — " + join(t, ", ")) + ".");
      }
    }
    out.push_back(std::move(item));
  }
  // Problem type and metrics.
  {
    ReconItem item{"Problem type and metrics", {}};
    bool cls = false, reg = false;
    std::set<std::string> metrics;
    for (const SourceSignals& s : signals) {
      for (const auto& [callee, range] : s.calls) {
        if (callee.find("Classifier") != std::string::npos || callee.find("LogisticRegression") != std::string::npos ||
            callee.find("SVC") != std::string::npos)
          cls = true;
        if (callee.find("Regressor") != std::string::npos || callee.find("LinearRegression") != std::string::npos ||
            callee.find("Ridge") != std::string::npos || callee.find("Lasso") != std::string::npos)
          reg = true;
        if (callee.rfind("sklearn.metrics.", 0) == 0) metrics.insert(callee.substr(16));
      }
    }
    item.lines.push_back(std::string("Problem type: ") +
                         (cls && reg ? "classification and regression estimators"
                          : cls      ? "classification"
                          : reg      ? "regression"
                                     : "no estimator recognised") + ".");
    item.lines.push_back("Metrics: " + (metrics.empty() ? std::string("none from sklearn.metrics")
                                                        : join(std::vector<std::string>(metrics.begin(), metrics.end()), ", ")) + ".");
    out.push_back(std::move(item));
  }
  // MLOps posture.
  {
    ReconItem item{"MLOps posture", {}};
    auto fact = [](const char* what, const Fact& f, const char* none) {
      return std::string(what) + ": " + (f.present ? f.evidence : std::string(none)) + ".";
    };
    item.lines.push_back(fact("Experiment tracking", p.tracking, "none"));
    item.lines.push_back(fact("Global seed", p.global_seed, "none"));
    item.lines.push_back("Dependencies: " + std::to_string(p.pinned) + " pinned, " +
                         std::to_string(p.unpinned.size()) + " unpinned; lockfile: " +
                         (p.lockfile.present ? p.lockfile.evidence : "none") + ".");
    item.lines.push_back(fact("Python version", p.python_version, "not declared"));
    item.lines.push_back(fact("Data versioning", p.data_versioning, "none"));
    item.lines.push_back(fact("Model metadata", p.model_metadata, "none"));
    item.lines.push_back(fact("Orchestration", p.orchestration, "none"));
    item.lines.push_back(fact("CI", p.ci, "none"));
    item.lines.push_back(fact("Monitoring", p.monitoring, "none"));
    out.push_back(std::move(item));
  }
  // Testing.
  {
    ReconItem item{"Testing", {}};
    item.lines.push_back(p.test_files.empty() ? "Unit tests: none." : "Unit tests: " + join(p.test_files, ", ") + ".");
    item.lines.push_back(std::string("Data validation: ") +
                         (p.validation.present ? p.validation.evidence
                          : p.validation_partial.present ? p.validation_partial.evidence + " (models only)"
                                                         : "none") + ".");
    item.lines.push_back(std::string("Property-based tests: ") + (p.property_tests.present ? p.property_tests.evidence : "none") + ".");
    item.lines.push_back(std::string("Test configuration: ") + (p.pytest_config.present ? p.pytest_config.evidence : "none") + ".");
    out.push_back(std::move(item));
  }
  (void)ws;
  return out;
}

}  // namespace

std::string Located::where() const {
  if (path.empty()) return "project";
  if (cell > 0) return path + ":cell " + std::to_string(cell) + ":" + std::to_string(row);
  return row > 0 ? path + ":" + std::to_string(row) : path;
}

std::size_t Report::critical_count() const {
  std::size_t n = 0;
  for (const IssueGroup& g : sections[static_cast<int>(Section::Critical)]) n += g.items.size();
  return n;
}

Report build_report(const Workspace& ws, const ProjectFilter& filter) {
  Report r;
  r.project = ws.name;
  std::vector<SourceSignals> signals;
  for (const SourceEntry& s : ws.sources) {
    signals.push_back(scan_source(s));
    ++(s.is_notebook ? r.notebooks : r.files_reviewed);
  }
  Posture posture = gather_posture(ws, signals);

  std::vector<Located> all;
  for (const SourceEntry& s : ws.sources)
    for (const Finding& f : s.findings) {
      Located l{s.path, f.range.start.row + 1, f, 0, {}, {}};
      if (s.locate) std::tie(l.cell, l.row) = s.locate(f.range.start_byte);
      for (const RelatedLocation& rel : f.related) {
        Located r{s.path, rel.range.start.row + 1, {}, 0, {}, {}};
        if (s.locate) std::tie(r.cell, r.row) = s.locate(rel.range.start_byte);
        l.related_where.push_back(r.where());
        l.related_rows.push_back(r.row);
      }
      all.push_back(std::move(l));
    }
  for (ProjectFinding& pf : posture_findings(ws, signals, posture)) {
    if (filter && !filter(pf.path, pf.finding)) continue;
    uint32_t row = pf.path.empty() || pf.finding.range.end_byte == 0 ? 0 : pf.finding.range.start.row + 1;
    Located l{pf.path, row, std::move(pf.finding), 0, {}, {}};
    // A project finding on a line of a notebook: that line is a line of its virtual program.
    for (const SourceEntry& s : ws.sources)
      if (s.path == pf.path && s.locate && row > 0) std::tie(l.cell, l.row) = s.locate(l.finding.range.start_byte);
    for (const RelatedLocation& rel : l.finding.related) {
      l.related_where.push_back(Located{pf.path, rel.range.start.row + 1, {}, 0, {}, {}}.where());
      l.related_rows.push_back(rel.range.start.row + 1);
    }
    all.push_back(std::move(l));
  }
  std::sort(all.begin(), all.end(), [](const Located& a, const Located& b) {
    if (a.path != b.path) return a.path < b.path;
    if (a.cell != b.cell) return a.cell < b.cell;
    if (a.row != b.row) return a.row < b.row;
    if (a.finding.range.start_byte != b.finding.range.start_byte)
      return a.finding.range.start_byte < b.finding.range.start_byte;
    return a.finding.code < b.finding.code;
  });

  std::map<std::string, IssueGroup> groups;
  for (const Located& l : all) {
    (l.finding.severity == Severity::Error ? r.errors
     : l.finding.severity == Severity::Warning ? r.warnings : r.infos)++;
    IssueGroup& g = groups[l.finding.code];
    if (g.items.empty()) {
      g.code = l.finding.code;
      g.severity = l.finding.severity;
    } else if (severity_rank(l.finding.severity) < severity_rank(g.severity)) {
      g.severity = l.finding.severity;
    }
    if (g.fix_title.empty() && l.finding.fix) g.fix_title = l.finding.fix->title;
    g.items.push_back(l);
  }
  for (auto& [code, g] : groups) {
    const RuleInfo* info = find_rule(code);
    Category category = info ? info->category : Category::CodeQuality;
    g.slug = info ? std::string(info->slug) : code;
    g.section = section_of(code, category, g.severity);
    g.tier = damage_tier(code, g.severity);
    if (info) {
      g.why = first_paragraph(section_body(info->doc, "## Why it matters"));
      g.fix_code = code_block(section_body(info->doc, "## Use instead"));
    }
    g.evidence = evidence_for(code, g.tier);
    // The rule's own text already cites the evidence table: do not say it twice.
    for (const char* source : {"Roth", "Yang", "Kapoor"})
      if (g.why.find(source) != std::string::npos) g.evidence.clear();
    g.fix = remedy(code, category);
    r.sections[static_cast<int>(g.section)].push_back(g);
  }
  for (auto& section : r.sections) std::sort(section.begin(), section.end(), group_before);
  for (const auto& section : r.sections)
    for (const IssueGroup& g : section)
      if (!r.hall_of_shame || group_before(g, *r.hall_of_shame)) r.hall_of_shame = g;
  if (r.hall_of_shame) r.hall_reason = hall_reason(*r.hall_of_shame);

  r.recon = reconnaissance(ws, posture, signals);
  r.checklist = build_checklist(posture, all, signals);
  r.verdict = decide_verdict(posture, all);
  r.actions = plan_actions(r);
  return r;
}

}  // namespace mlroast::review
