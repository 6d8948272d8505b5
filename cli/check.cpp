// `mlroast check PATH...`: discover files, resolve each one's rule selection (config files +
// flags, analysis/config/resolver.hpp), read and analyse them on
// a few worker threads (analyze_text is safe to call concurrently), then print the report in the
// chosen format. Problems with single files are reported on stderr and make the exit code 2, but
// never stop the run: every other file is still analysed and reported.
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
#include "cli/unified_diff.hpp"

namespace mlroast::cli {

namespace fs = std::filesystem;

namespace {

// Tree-sitter addresses text with 32-bit offsets; far below that, nothing real is this large.
constexpr std::uintmax_t kMaxFileBytes = std::uintmax_t{256} << 20;

struct FileResult {
  std::string text;
  std::vector<Finding> findings;
  std::string error;  // empty when the file was analysed
};

std::string errno_message(int e) { return std::error_code(e, std::generic_category()).message(); }

// Reads the whole file as bytes; on failure returns false with a message in `error`.
bool read_file(const fs::path& path, std::string& text, std::string& error) {
  std::error_code ec;
  std::uintmax_t size = fs::file_size(path, ec);
  if (!ec && size > kMaxFileBytes) {
    error = "file is larger than 256 MiB, not analysed";
    return false;
  }
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) {
    error = "cannot read file: " + errno_message(errno);
    return false;
  }
  std::string buf;
  if (!ec) buf.reserve(static_cast<std::size_t>(size));
  char chunk[1 << 16];
  std::size_t n = 0;
  while ((n = std::fread(chunk, 1, sizeof chunk, f)) > 0 && buf.size() <= kMaxFileBytes)
    buf.append(chunk, n);
  int read_errno = std::ferror(f) ? errno : 0;
  std::fclose(f);
  if (read_errno != 0) {
    error = "cannot read file: " + errno_message(read_errno);
    return false;
  }
  if (buf.size() > kMaxFileBytes) {
    error = "file is larger than 256 MiB, not analysed";
    return false;
  }
  text = std::move(buf);
  return true;
}

void analyse_one(const SourcePath& path, const RuleSelection& selection, FileResult& result) {
  if (!read_file(path.absolute, result.text, result.error)) return;
  try {
    result.findings = analyze_text(path.display, result.text, selection);
  } catch (const std::exception& e) {
    result.error = std::string("internal error while analysing: ") + e.what();
  }
  if (result.findings.empty()) std::string().swap(result.text);  // only frames need the text
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

// Applies the fixes of every file with fixable findings, writes it back, and re-analyses it so
// the report shows what remains. Returns the number of fixes applied.
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
    if (!r.error.empty() || !fixable) continue;
    FixOutcome outcome = fix_text(files[i].display, r.text, selection, options.unsafe_fixes);
    if (outcome.applied == 0) continue;
    if (options.diff) {
      out << unified_diff(r.text, outcome.text, files[i].display);
      fixed += outcome.applied;
      continue;
    }
    std::FILE* f = std::fopen(files[i].absolute.c_str(), "wb");
    if (f == nullptr || std::fwrite(outcome.text.data(), 1, outcome.text.size(), f) != outcome.text.size()) {
      err << "error: " << files[i].display << ": cannot write the fixed file: " << errno_message(errno) << "\n";
      if (f != nullptr) std::fclose(f);
      failed = true;
      continue;
    }
    std::fclose(f);
    fixed += outcome.applied;
    r.text = std::move(outcome.text);
    r.findings = analyze_text(files[i].display, r.text, selection);
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
    err << "warning: no Python files found under the given paths\n";

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
    if (!r.error.empty()) {
      err << "error: " << found.files[i].display << ": " << r.error << "\n";
      failed = true;
      continue;
    }
    if (r.findings.empty()) continue;
    report.files.push_back(FileReport{found.files[i], std::move(r.text), std::move(r.findings)});
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
