// mlroast's command line: declares the subcommands and their flags with CLI11, then hands the
// parsed options to one command function (cli/commands.hpp). No command logic lives here.
// Exit codes: 0 clean, 1 findings, 2 usage or internal error (CLI11 parse errors included).
#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>

#include "cli/commands.hpp"
#include "server/logging.hpp"
#include "server/server.hpp"

namespace {

using mlroast::cli::CheckOptions;

struct CheckFlags {
  CheckOptions options;
  std::string format = "full";
  std::vector<std::string> select;
  CLI::Option* select_option = nullptr;
};

void add_check(CLI::App& app, CheckFlags& flags) {
  auto* check = app.add_subcommand("check", "Analyse Python files and folders and report findings");
  check->add_option("paths", flags.options.paths,
                    "Files or folders to analyse (folders are searched for *.py; default: .)");
  check->add_option("--output-format", flags.format, "How to print findings")
      ->check(CLI::IsMember(mlroast::cli::output_format_names()))
      ->capture_default_str();
  check->add_flag("--fix", flags.options.fix, "Apply safe fixes in place, then report what remains");
  check->add_flag("--diff", flags.options.diff,
                  "Print a unified diff of the fixes --fix would apply; write nothing");
  check->add_flag("--unsafe-fixes", flags.options.unsafe_fixes,
                  "With --fix, also apply unsafe fixes (they change behaviour or need a review)");
  check->add_flag("--exit-zero", flags.options.exit_zero,
                  "Exit with 0 even when there are findings (errors still exit with 2)");
  flags.select_option =
      check
          ->add_option("--select", flags.select,
                       "Rule codes or prefixes to enable, comma-separated (ML7, ML703, ALL); "
                       "replaces the default ALL")
          ->delimiter(',')
          ->allow_extra_args(false);
  check
      ->add_option("--extend-select", flags.options.extend_select,
                   "Rule codes or prefixes to enable in addition to --select")
      ->delimiter(',')
      ->allow_extra_args(false);
  check->add_option("--ignore", flags.options.ignore, "Rule codes or prefixes to disable")
      ->delimiter(',')
      ->allow_extra_args(false);
  check->add_option("--threads", flags.options.threads,
                    "Analysis threads (default 0: one per CPU)");
  check->add_flag("--statistics", flags.options.statistics,
                  "Print the number of findings per rule instead of the findings");
}

int dispatch_check(CheckFlags& flags) {
  flags.options.format = *mlroast::cli::parse_output_format(flags.format);
  if (flags.select_option->count() > 0) flags.options.select = flags.select;
  return mlroast::cli::run_check(flags.options, std::cout, std::cerr);
}

}  // namespace

int main(int argc, char** argv) {
  namespace cli = mlroast::cli;
  CLI::App app{"mlroast: reviews Python ML code like a ruthless senior ML engineer"};
  app.set_version_flag("--version", std::string("mlroast ") + MLROAST_VERSION);
  app.require_subcommand(1);

  CheckFlags check_flags;
  add_check(app, check_flags);

  cli::ReviewOptions review_options;
  std::string review_format = "markdown";
  std::vector<std::string> review_select;
  auto* review = app.add_subcommand("review", "Review a whole project: the roast report (Markdown or JSON)");
  review->add_option("path", review_options.path, "The project folder (default: .)");
  review->add_option("--format,--output-format", review_format, "markdown or json")
      ->check(CLI::IsMember({"markdown", "json"}))
      ->capture_default_str();
  review->add_option("-o,--output", review_options.output, "Write the report to FILE instead of stdout");
  auto* review_select_option = review->add_option("--select", review_select, "Rule codes or prefixes to enable")
                                   ->delimiter(',')
                                   ->allow_extra_args(false);
  review->add_option("--extend-select", review_options.extend_select, "Rule codes or prefixes to add")
      ->delimiter(',')
      ->allow_extra_args(false);
  review->add_option("--ignore", review_options.ignore, "Rule codes or prefixes to disable")
      ->delimiter(',')
      ->allow_extra_args(false);

  std::string rule_code;
  auto* rule = app.add_subcommand("rule", "Print the documentation of a rule");
  rule->add_option("code", rule_code, "A rule code (ML703) or name (bare-except)")->required();

  std::string rules_format = "text";
  std::string write_docs_dir;
  auto* rules = app.add_subcommand("rules", "List the rules: code, name, severity, summary");
  rules->add_option("--format,--output-format", rules_format, "text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  rules->add_option("--write-docs", write_docs_dir,
                    "Write DIR/<CODE>.md per rule and DIR/README.md instead of listing");

  std::string docs_dir;
  auto* docs = app.add_subcommand("docs", "Write the rule pages into DIR (as rules --write-docs)");
  docs->group("");  // hidden: a maintainer's command
  docs->add_option("dir", docs_dir, "Output folder, normally docs/rules")->required();

  // --- `mlroast server` ----------------------------------------------------------------------
  // Owned by the server team: its subcommand, flags and dispatch are added here and below.
  mlroast::server::ServerOptions server_options;
  unsigned debounce_ms = static_cast<unsigned>(server_options.debounce.count());
  auto* server = app.add_subcommand("server", "Run the language server on stdin/stdout");
  server->add_option("--log-level", server_options.log_level, "Log level of stderr logging")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}))
      ->capture_default_str();
  server->add_option("--debounce-ms", debounce_ms, "Quiet time after an edit before analysis")
      ->capture_default_str();
  server->add_flag("--sync", server_options.synchronous,
                   "Analyse inline with no debounce (deterministic, for tests)");
  // --------------------------------------------------------------------------------------------

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? cli::kExitClean : cli::kExitError;
  }
  mlroast::server::init_logging("warn");

  try {
    if (app.got_subcommand("check")) return dispatch_check(check_flags);
    if (review->parsed()) {
      review_options.json = review_format == "json";
      if (review_select_option->count() > 0) review_options.select = review_select;
      return cli::run_review(review_options, std::cout, std::cerr);
    }
    if (rule->parsed()) return cli::run_rule(rule_code, std::cout, std::cerr);
    if (rules->parsed()) {
      if (!write_docs_dir.empty()) return cli::run_write_docs(write_docs_dir, std::cout, std::cerr);
      return cli::run_rules(rules_format == "json" ? cli::ListFormat::Json : cli::ListFormat::Text,
                            std::cout);
    }
    if (docs->parsed()) return cli::run_write_docs(docs_dir, std::cout, std::cerr);
    if (server->parsed()) {
      server_options.debounce = std::chrono::milliseconds(debounce_ms);
      return mlroast::server::run_server(server_options);
    }
  } catch (const std::exception& e) {
    std::cerr << "error: internal error: " << e.what() << "\n";
    return cli::kExitError;
  }
  return cli::kExitError;  // unreachable: require_subcommand(1) guarantees one of the above
}
