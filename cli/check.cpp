// `mlroast check PATH...`: discover files, resolve each one's rule selection (config files +
// flags, analysis/config/resolver.hpp), read and analyse them on
// a few worker threads (analyze_text is safe to call concurrently), then print the report in the
// chosen format. Problems with single files are reported on stderr and make the exit code 2, but
// never stop the run: every other file is still analysed and reported. Notebooks are loaded
// through load_source (their code cells form one program) and fixed cell by cell.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <exception>
#include <thread>

#include "analysis/analyzer.hpp"
#include "analysis/config/resolver.hpp"
#include "analysis/config/selection.hpp"
#include "analysis/fix/apply.hpp"
#include "cli/commands.hpp"
#include "cli/discover.hpp"
#include "cli/load_source.hpp"
#include "analysis/notebook/analyze.hpp"
#include "analysis/notebook/writer.hpp"
#include "cli/unified_diff.hpp"

namespace mlroast::cli {

namespace fs = std::filesystem;

namespace {

struct FileResult {
  std::optional<LoadedSource> source;
  std::vector<Finding> findings;
  std::vector<std::string> warnings;  // cells of a notebook left out, and why
  std::string error;  // empty when the file was analysed
};

std::string errno_message(int e) { return std::error_code(e, std::generic_category()).message(); }

void analyse_one(const SourcePath& path, const RuleSelection& selection, FileResult& result) {
  result.source = load_source(path, result.error);
  if (!result.source) return;
  result.warnings = load_warnings(path, *result.source);
  try {
    result.findings = analyze_source(path, *result.source, selection);
  } catch (const std::exception& e) {
    result.error = std::string("internal error while analysing: ") + e.what();
  }
  if (result.findings.empty()) result.source.reset();  // only frames need the text
}

bool write_file(const fs::path& path, const std::string& bytes) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return false;
  bool ok = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
  return std::fclose(f) == 0 && ok;
}

// One file after its fixes: the text for a .py file, the notebook JSON with the fixed cells'
// sources spliced in for a notebook. Nothing applied: `applied` is 0 and `bytes` the original.
struct FixedFile {
  std::string bytes;
  size_t applied = 0;
  std::optional<std::vector<Finding>> remaining;  // the analysis of `bytes`, when fix_text has it
  std::string error;
};

FixedFile fix_file(const SourcePath& path, const FileResult& result, const RuleSelection& selection,
                   bool unsafe) {
  const LoadedSource& source = *result.source;
  FixedFile out;
  if (!source.notebook) {
    FixOutcome outcome = fix_text(path.display, source.bytes, selection, unsafe, result.findings);
    out.applied = outcome.applied;
    out.remaining = std::move(outcome.remaining);
    out.bytes = std::move(outcome.text);
    return out;
  }
  out.bytes = source.bytes;
  notebook::NotebookFixOutcome outcome =
      notebook::fix_notebook(path.display, *source.notebook, selection, unsafe);
  if (outcome.changed.empty()) return out;
  std::vector<notebook::SourceChange> changes;
  for (std::uint32_t cell : outcome.changed) {
    const notebook::Cell& c = outcome.notebook.cells[cell];
    changes.push_back({cell, c.source, c.source_is_string});
  }
  auto json = notebook::replace_sources(source.bytes, changes, out.error);
  if (!json) return out;
  out.applied = outcome.applied;
  out.bytes = std::move(*json);
  return out;
}

// Trims blanks around each selector and drops empty ones ("ML7, ML703," -> ML7, ML703).
std::vector<std::string> clean(const std::vector<std::string>& selectors) {
  std::vector<std::string> out;
  for (const std::string& s : selectors) {
    std::size_t b = s.find_first_not_of(" \t"), e = s.find_last_not_of(" \t");
    if (b != std::string::npos) out.push_back(s.substr(b, e - b + 1));
  }
  return out;
}

// Fills `selection` from the flags; returns an error message for an unknown selector.
std::optional<std::string> build_selection(const CheckOptions& o, RuleSelection& selection) {
  if (o.select) selection.select = clean(*o.select);
  selection.extend_select = clean(o.extend_select);
  selection.ignore = clean(o.ignore);
  std::optional<std::string> unknown = selection.first_unknown_selector();
  if (!unknown) return std::nullopt;
  std::string flag = "--select";
  auto has = [&](const std::vector<std::string>& v) {
    return std::find(v.begin(), v.end(), *unknown) != v.end();
  };
  if (!has(selection.select)) flag = has(selection.extend_select) ? "--extend-select" : "--ignore";
  return "unknown rule selector `" + *unknown + "` in " + flag +
         ": it matches no rule code (see `mlroast rules`)";
}

void analyse_all(const std::vector<SourcePath>& files, const std::vector<RuleSelection>& selections,
                 unsigned threads, std::vector<FileResult>& results) {
  results.resize(files.size());
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i = next++; i < files.size(); i = next++)
      analyse_one(files[i], selections[i], results[i]);
  };
  unsigned n = threads != 0 ? threads : std::max(1u, std::thread::hardware_concurrency());
  n = static_cast<unsigned>(std::min<std::size_t>(n, files.size()));
  std::vector<std::thread> pool;
  for (unsigned k = 1; k < n; ++k) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
}

// Applies the fixes of every file with fixable findings, writes it back, and keeps the analysis
// of the fixed text (fix_text's last round, or a new one) so the report shows what remains. Returns the number of fixes applied.
size_t fix_files(const std::vector<SourcePath>& files, const std::vector<RuleSelection>& selections,
                 const CheckOptions& options, std::vector<FileResult>& results, std::ostream& out,
                 std::ostream& err, bool& failed) {
  size_t fixed = 0;
  for (std::size_t i = 0; i < files.size(); ++i) {
    FileResult& r = results[i];
    const RuleSelection& selection = selections[i];
    bool fixable = false;
    for (const Finding& f : r.findings)
      fixable = fixable || (f.fix && (options.unsafe_fixes || f.fix->applicability == Applicability::Safe));
    if (!r.error.empty() || !fixable || !r.source) continue;
    FixedFile f = fix_file(files[i], r, selection, options.unsafe_fixes);
    if (!f.error.empty()) {
      err << "error: " << files[i].display << ": cannot apply the fixes: " << f.error << "\n";
      failed = true;
      continue;
    }
    if (f.applied == 0) continue;
    if (options.diff) {
      out << unified_diff(r.source->bytes, f.bytes, files[i].display);
      fixed += f.applied;
      continue;
    }
    if (!write_file(files[i].absolute, f.bytes)) {
      err << "error: " << files[i].display << ": cannot write the fixed file: " << errno_message(errno) << "\n";
      failed = true;
      continue;
    }
    fixed += f.applied;
    std::string load_error;
    r.source = load_source(files[i], load_error);
    if (!r.source) {
      r.error = load_error;
      continue;
    }
    // The file as written is the text fix_text analysed last, unless reading it back differs.
    if (f.remaining && r.source->bytes == f.bytes)
      r.findings = std::move(*f.remaining);
    else
      r.findings = analyze_source(files[i], *r.source, selection);
  }
  return fixed;
}

}  // namespace

int run_check(const CheckOptions& options, std::ostream& out, std::ostream& err) {
  RuleSelection selection;
  if (auto problem = build_selection(options, selection)) {
    err << "error: " << *problem << "\n";
    return kExitError;
  }

  std::error_code ec;
  fs::path cwd = fs::current_path(ec);
  if (ec) {
    err << "error: cannot determine the current directory: " << ec.message() << "\n";
    return kExitError;
  }
  std::vector<std::string> paths =
      options.paths.empty() ? std::vector<std::string>{"."} : options.paths;
  Discovery found = discover(paths, cwd);
  bool failed = !found.errors.empty();
  for (const auto& e : found.errors) err << "error: " << e << "\n";
  for (const auto& w : found.warnings) err << "warning: " << w << "\n";
  if (found.files.empty() && !failed && found.warnings.empty())
    err << "warning: no Python files or notebooks found under the given paths\n";

  // Configuration files: the closest one to each file (docs/configuration.md); flags override.
  SelectionOverrides overrides;
  if (options.select) overrides.select = selection.select;
  overrides.extend_select = selection.extend_select;
  overrides.ignore = selection.ignore;
  ConfigResolver resolver(std::move(overrides));
  std::vector<SourcePath> files;
  std::vector<RuleSelection> selections;
  for (const SourcePath& f : found.files) {
    if (resolver.excluded(f.absolute)) continue;
    selections.push_back(resolver.selection_for(f.absolute));
    files.push_back(f);
  }
  if (!resolver.errors().empty()) {
    for (const auto& e : resolver.errors()) err << "error: " << e << "\n";
    return kExitError;
  }
  found.files = std::move(files);

  std::vector<FileResult> results;
  analyse_all(found.files, selections, options.threads, results);
  size_t fixed = 0;
  if (options.fix || options.diff)
    fixed = fix_files(found.files, selections, options, results, out, err, failed);
  if (options.diff) {
    // --diff shows what --fix would change and writes nothing; the exit code says whether any
    // fix would apply, like ruff.
    out << "Would fix " << fixed << (fixed == 1 ? " finding.\n" : " findings.\n");
    if (failed) return kExitError;
    return fixed > 0 && !options.exit_zero ? kExitFindings : kExitClean;
  }

  CheckReport report;
  report.files_checked = found.files.size();
  for (std::size_t i = 0; i < found.files.size(); ++i) {
    FileResult& r = results[i];
    for (const auto& w : r.warnings) err << "warning: " << w << "\n";
    if (!r.error.empty()) {
      err << "error: " << found.files[i].display << ": " << r.error << "\n";
      failed = true;
      continue;
    }
    if (r.findings.empty()) continue;
    FileReport file{found.files[i], std::string(r.source->text()), std::move(r.findings)};
    file.notebook = r.source->program;
    report.files.push_back(std::move(file));
  }
  spdlog::debug("checked {} files, {} findings", report.files_checked, report.finding_count());

  if (options.statistics)
    write_statistics(out, report, options.format == OutputFormat::Json);
  else
    write_report(out, report, options.format);
  const bool machine = options.format != OutputFormat::Full && options.format != OutputFormat::Concise;
  if (options.fix && !machine && !options.statistics)
    out << "Fixed " << fixed << (fixed == 1 ? " finding" : " findings") << ", "
        << report.finding_count() << " remaining.\n";
  out.flush();
  if (failed) return kExitError;
  if (report.finding_count() > 0 && !options.exit_zero) return kExitFindings;
  return kExitClean;
}

}  // namespace mlroast::cli
