// `mlroast review PATH`: the workspace review report (analysis/review/). Thin: discovers the
// Python sources with the same walk as `check` (cli/discover), builds the rule selection from the
// configuration files and the flags, runs the review and writes Markdown (default) or JSON to
// stdout or to `-o FILE`. When stderr is a terminal and the tree is large, a progress line is
// drawn on stderr. Exit codes: 0 the report was written (whatever it says), 2 usage,
// configuration or I/O error.
#include <unistd.h>

#include <fstream>
#include <iostream>

#include "analysis/review/run.hpp"
#include "cli/commands.hpp"
#include "cli/discover.hpp"

namespace mlroast::cli {

namespace fs = std::filesystem;

int run_review(const ReviewOptions& options, std::ostream& out, std::ostream& err) {
  std::error_code ec;
  fs::path cwd = fs::current_path(ec);
  fs::path root = fs::path(options.path).is_absolute() ? fs::path(options.path) : cwd / options.path;
  root = root.lexically_normal();
  if (!root.has_filename()) root = root.parent_path();
  if (!fs::is_directory(root, ec)) {
    err << "error: " << options.path << ": not a folder (review takes a project folder)\n";
    return kExitError;
  }
  SelectionOverrides overrides;
  overrides.select = options.select;
  overrides.extend_select = options.extend_select;
  overrides.ignore = options.ignore;
  RuleSelection probe;
  if (options.select) probe.select = *options.select;
  probe.extend_select = options.extend_select;
  probe.ignore = options.ignore;
  if (auto unknown = probe.first_unknown_selector()) {
    err << "error: unknown rule selector `" << *unknown << "`: it matches no rule code (see `mlroast rules`)\n";
    return kExitError;
  }
  Discovery found = discover({root.string()}, cwd);
  for (const auto& e : found.errors) err << "error: " << e << "\n";
  std::vector<fs::path> files;
  for (const SourcePath& p : found.files) files.push_back(p.absolute);  // scripts and notebooks

  ConfigResolver resolver(std::move(overrides));
  review::ReviewHooks hooks;
  const bool tty = ::isatty(STDERR_FILENO) == 1;
  if (tty && files.size() >= 200) {
    hooks.progress = [&err](std::size_t done, std::size_t total) {
      if (done % 25 == 0 || done == total)
        err << "\rmlroast review: " << done << "/" << total << " files" << (done == total ? "\n" : "")
            << std::flush;
    };
  }
  review::ReviewRun run = review::run_review(root, std::move(files), resolver, hooks);
  for (const auto& e : run.errors) err << "error: " << e << "\n";
  if (!run.report) return kExitError;

  std::string text = options.json ? review::to_json(*run.report).dump(2, ' ', false,
                                                                        nlohmann::json::error_handler_t::replace) + "\n"
                                  : review::render_markdown(*run.report);
  if (options.output.empty()) {
    out << text;
    out.flush();
  } else {
    std::ofstream file(options.output, std::ios::binary | std::ios::trunc);
    file << text;
    if (!file) {
      err << "error: " << options.output << ": cannot write the report\n";
      return kExitError;
    }
  }
  return found.errors.empty() && run.errors.empty() ? kExitClean : kExitError;
}

}  // namespace mlroast::cli
