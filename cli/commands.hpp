// The commands of the `mlroast` executable, one function each, independent of flag parsing:
// main.cpp parses the command line with CLI11, fills an options struct and calls one of these.
// Each returns the process exit code and writes its result to `out` (stdout) and its problems to
// `err` (stderr); nothing else is written to stdout. Commands run on the main thread; run_check
// analyses files on worker threads internally.
#pragma once

#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "analysis/rules/rule.hpp"
#include "cli/output.hpp"

namespace mlroast::cli {

// Exit codes, as ruff uses them.
inline constexpr int kExitClean = 0;     // nothing found (or --exit-zero)
inline constexpr int kExitFindings = 1;  // at least one finding
inline constexpr int kExitError = 2;     // usage error, unreadable input, internal error

struct CheckOptions {
  std::vector<std::string> paths;  // files and folders; empty means "."
  OutputFormat format = OutputFormat::Full;
  bool exit_zero = false;
  // Rule selectors (codes, prefixes, "ALL"); `select` replaces the default "ALL" when given.
  std::optional<std::vector<std::string>> select;
  std::vector<std::string> extend_select;
  std::vector<std::string> ignore;
  // Analysis threads; 0 picks the hardware concurrency.
  unsigned threads = 0;
  // --fix: apply safe fixes in place (--unsafe-fixes: also the unsafe ones), then report what
  // remains.
  bool fix = false;
  bool unsafe_fixes = false;
  bool diff = false;  // with --fix: print a unified diff of the fixes instead of writing files
  bool statistics = false;  // print the count per rule instead of the findings
};

// `mlroast check`: discovers files, analyses them, writes the report.
int run_check(const CheckOptions& options, std::ostream& out, std::ostream& err);

struct ReviewOptions {
  std::string path = ".";  // the project folder
  bool json = false;       // --format json (default Markdown)
  std::string output;      // -o FILE; empty = stdout
  std::optional<std::vector<std::string>> select;
  std::vector<std::string> extend_select;
  std::vector<std::string> ignore;
};

// `mlroast review`: the workspace review report (cli/review.cpp).
int run_review(const ReviewOptions& options, std::ostream& out, std::ostream& err);

enum class ListFormat { Text, Json };

// `mlroast rule CODE`: the rule's documentation (code or slug accepted).
int run_rule(const std::string& code_or_slug, std::ostream& out, std::ostream& err);
// `mlroast rules`: code, slug, severity and summary of every rule.
int run_rules(ListFormat format, std::ostream& out);
// `mlroast rules --write-docs DIR` / `mlroast docs DIR`: writes DIR/<CODE>.md per rule and
// DIR/README.md (an index table), and removes rule pages of rules that no longer exist.
int run_write_docs(const std::filesystem::path& dir, std::ostream& out, std::ostream& err);

// The Markdown of one rule: its doc block with a line of metadata under the title. This is what
// `mlroast rule` prints; the generated page adds a "generated, do not edit" comment on top.
std::string rule_markdown(const RuleInfo& info);
// "none", "sometimes" or "always".
const char* fix_availability_name(FixAvailability f);

}  // namespace mlroast::cli
