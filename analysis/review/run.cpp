#include "analysis/review/run.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "analysis/analyzer.hpp"
#include "analysis/notebook/analyze.hpp"
#include "analysis/notebook/reader.hpp"
#include "analysis/notebook/virtual_program.hpp"

namespace mlroast::review {

namespace fs = std::filesystem;

namespace {

constexpr std::uintmax_t kMaxSourceBytes = std::uintmax_t{256} << 20;

bool read_source(const fs::path& p, std::string& text) {
  std::error_code ec;
  if (fs::file_size(p, ec) > kMaxSourceBytes || ec) return false;
  std::ifstream in(p, std::ios::binary);
  if (!in) return false;
  std::ostringstream s;
  s << in.rdbuf();
  text = s.str();
  return true;
}

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool is_python(const std::string& rel) { return ends_with(rel, ".py") || ends_with(rel, ".pyi"); }

// A notebook's entry: its code cells analysed as one program (analysis/notebook), the findings
// located back in cells. False with `error` set when the notebook cannot be read.
bool analyse_notebook(SourceEntry& entry, const std::string& json, const RuleSelection& selection,
                      std::string& error) {
  notebook::ReadResult read = notebook::read_notebook(json);
  if (!read.notebook) {
    error = read.error;
    return false;
  }
  auto program = std::make_shared<const notebook::VirtualProgram>(*read.notebook);
  entry.is_notebook = true;
  entry.text = program->text();
  entry.findings = notebook::analyze_program(entry.path, *program, selection);
  entry.locate = [program](uint32_t byte) {
    auto at = program->locate(byte);
    return at ? std::make_pair(at->cell + 1, at->line + 1) : std::make_pair(0u, 0u);
  };
  return true;
}

}  // namespace

ReviewRun run_review(const fs::path& root_in, std::vector<fs::path> python_files,
                     ConfigResolver& resolver, const ReviewHooks& hooks) {
  ReviewRun run;
  const fs::path root = root_in.lexically_normal();
  Workspace ws = list_workspace(root);
  if (python_files.empty())
    for (const std::string& rel : ws.files)
      if (is_python(rel) || ends_with(rel, ".ipynb")) python_files.push_back(root / rel);
  std::sort(python_files.begin(), python_files.end());

  std::size_t done = 0;
  for (const fs::path& abs : python_files) {
    if (hooks.cancelled && hooks.cancelled()) {
      run.cancelled = true;
      return run;
    }
    if (!resolver.excluded(abs)) {
      RuleSelection selection = resolver.selection_for(abs);
      SourceEntry entry;
      entry.path = abs.lexically_normal().lexically_relative(root).generic_string();
      std::string error;
      if (!read_source(abs, entry.text)) {
        run.errors.push_back(entry.path + ": cannot read file");
      } else if (!ends_with(entry.path, ".ipynb")) {
        entry.findings = analyze_text(entry.path, entry.text, selection);
        ws.sources.push_back(std::move(entry));
      } else if (std::string json = std::move(entry.text);
                 analyse_notebook(entry, json, selection, error)) {
        ws.sources.push_back(std::move(entry));
      } else {
        run.errors.push_back(entry.path + ": " + error);
      }
    }
    if (hooks.progress) hooks.progress(++done, python_files.size());
  }
  // Project findings follow the config of the file they sit on (the project root's for
  // project-wide findings): select/ignore/per-file-ignores and severity overrides.
  ProjectFilter filter = [&](const std::string& path, Finding& f) {
    fs::path where = path.empty() ? root / "pyproject.toml" : root / path;
    RuleSelection s = resolver.selection_for(where);
    if (!s.enabled(f.code)) return false;
    f.severity = s.severity_of(f.code, f.severity);
    return true;
  };
  // Configuration errors first met while filtering count too.
  Report report = build_report(ws, filter);
  for (const std::string& e : resolver.errors()) run.errors.push_back(e);
  if (!resolver.errors().empty()) return run;
  run.report = std::move(report);
  return run;
}

}  // namespace mlroast::review
