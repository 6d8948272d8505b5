// Edit-to-diagnostics latency of the real language server, end to end over pipes. Starts
// `mlroast server --debounce-ms 0 --log-level off` (and, for comparison, `--sync`), initializes
// with UTF-8 positions, opens a generated 2,000-line leaky ML script and replays 1,000
// single-character incremental didChange edits: 500 pairs of "insert a letter, then delete it
// again", at seeded random positions inside identifiers, string literals and comments, so the text
// stays parseable and returns to the original after every pair (edits.hpp). For each edit it
// measures the time from starting to write the didChange to having read the whole
// publishDiagnostics frame carrying that edit's version (stamped before the JSON is parsed, so the
// client's own parsing is not counted). An edit is sent only after the previous one's diagnostics
// arrived, so the server never has a reason to coalesce versions. Every wait is bounded by poll()
// (latency_driver.hpp): a version that never arrives is reported as a timeout, never a hang. The
// session ends with shutdown + exit and the server's exit status is checked.
//
// A third section replays the same edits in process through the server's own building blocks
// (DocumentStore, SemanticModel, lineage::Program, analyze, the LSP conversion, the JSON
// serialisation) and prints how the time splits between parse, analysis and protocol work.
// The notebook section (notebook_latency.cpp) then does the same over a 300-cell notebook opened
// with notebookDocument/didOpen and edited with notebookDocument/didChange.
//
// Usage: mlroast_lsp_latency_bench [SERVER_BINARY] [--mode async|sync|both|none]
//        [--lines N] [--edits N] [--seed N] [--timeout-ms N] [--breakdown-edits N]
//        [--section script|notebook|both] [--notebook-cells N] [--notebook-edits N]
// SERVER_BINARY defaults to build/mlroast. Prints figures; asserts nothing about time. Exits 1
// when an edit timed out, the server died, misbehaved or did not exit with status 0.
#include <signal.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "analysis/analyzer.hpp"
#include "analysis/lineage/program.hpp"
#include "analysis/semantic/model.hpp"
#include "edits.hpp"
#include "generate.hpp"
#include "latency_driver.hpp"
#include "notebook_latency.hpp"
#include "protocol/diagnostics_writer.hpp"
#include "protocol/framing.hpp"
#include "protocol/jsonrpc.hpp"
#include "protocol/lsp_types.hpp"
#include "server/diagnostic_conversion.hpp"
#include "server/diagnostics.hpp"
#include "server/document_store.hpp"

namespace {

using namespace mlroast::bench;
using namespace std::chrono_literals;

constexpr double kGoalP99Ms = 5.0;
constexpr const char* kUri = "file:///bench/leaky_experiments.py";

// --- options ---------------------------------------------------------------------------------

struct Options {
  std::string binary = "build/mlroast";
  std::string mode = "both";  // async | sync | both
  int lines = 2000;
  int edits = 1000;
  unsigned seed = 1;
  int timeout_ms = 10'000;  // per edit
  int pace_ms = 0;  // idle time after each publish before the next edit (0: back to back)
  int breakdown_edits = 200;
  std::string section = "both";  // script | notebook | both
  int notebook_cells = 300;      // code cells
  int notebook_edits = 500;
};

Options parse_options(int argc, char** argv) {
  Options o;
  bool binary_seen = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::runtime_error(arg + " needs a value");
      return argv[++i];
    };
    if (arg == "--mode") {
      o.mode = value();
      if (o.mode != "async" && o.mode != "sync" && o.mode != "both" && o.mode != "none")
        throw std::runtime_error("--mode must be async, sync, both or none");
    } else if (arg == "--lines") {
      o.lines = std::stoi(value());
    } else if (arg == "--edits") {
      o.edits = std::stoi(value());
    } else if (arg == "--seed") {
      o.seed = static_cast<unsigned>(std::stoul(value()));
    } else if (arg == "--timeout-ms") {
      o.timeout_ms = std::stoi(value());
    } else if (arg == "--pace-ms") {
      o.pace_ms = std::stoi(value());
    } else if (arg == "--breakdown-edits") {
      o.breakdown_edits = std::stoi(value());
    } else if (arg == "--section") {
      o.section = value();
      if (o.section != "script" && o.section != "notebook" && o.section != "both")
        throw std::runtime_error("--section must be script, notebook or both");
    } else if (arg == "--notebook-cells") {
      o.notebook_cells = std::stoi(value());
    } else if (arg == "--notebook-edits") {
      o.notebook_edits = std::stoi(value());
    } else if (arg == "-h" || arg == "--help") {
      std::printf(
          "usage: %s [SERVER_BINARY] [--mode async|sync|both|none] [--lines N] [--edits N]\n"
          "          [--seed N] [--timeout-ms N] [--pace-ms N (idle after each publish)]\n"
          "          [--breakdown-edits N (0: skip the in-process breakdown)]\n"
          "          [--section script|notebook|both] [--notebook-cells N] [--notebook-edits N]\n",
          argv[0]);
      std::exit(0);
    } else if (!arg.starts_with("--") && !binary_seen) {
      o.binary = arg;
      binary_seen = true;
    } else {
      throw std::runtime_error("unknown argument " + arg);
    }
  }
  if (o.lines < 50 || o.edits < 2 || o.timeout_ms < 1 || o.pace_ms < 0 || o.breakdown_edits < 0 ||
      o.notebook_cells < 2 || o.notebook_edits < 2)
    throw std::runtime_error(
        "--lines >= 50, --edits >= 2, --timeout-ms >= 1, --notebook-cells >= 2, "
        "--notebook-edits >= 2 please");
  return o;
}

json change_params(const Edit& e, int version) {
  return {{"textDocument", {{"uri", kUri}, {"version", version}}},
          {"contentChanges", json::array({content_change(e)})}};
}

// --- one measured session --------------------------------------------------------------------

struct ModeResult {
  std::string name;
  std::string flags;
  double open_ms = 0;
  std::vector<double> latencies;  // ms, one per edit that got its diagnostics
  std::array<std::vector<double>, 3> by_where;
  int timeouts = 0;
  int stale_skipped = 0;  // publishes for an older version seen while waiting
  int unexpected = 0;     // publishes for a newer version
  std::vector<double> payload_kb;
  std::vector<double> diagnostic_counts;
  std::string encoding;
  SessionEnd end;
};

struct Publish {
  int version;
  std::size_t diagnostics;
  std::size_t bytes;
  Clock::time_point arrived;
};

// The publishDiagnostics for `version`, skipping older ones; nullopt at the deadline.
std::optional<Publish> await_publish(Session& session, ModeResult& result, int version,
                                     Clock::time_point deadline) {
  for (;;) {
    auto n = session.next_notification("textDocument/publishDiagnostics", deadline);
    if (!n) return std::nullopt;
    if (n->params.value("uri", "") != kUri) continue;
    const int got = n->params.value("version", -1);
    if (got == version) return Publish{got, n->params["diagnostics"].size(), n->bytes, n->arrived};
    if (got < version) {
      ++result.stale_skipped;
    } else {
      ++result.unexpected;
    }
  }
}

ModeResult run_mode(const Options& opt, const std::string& name,
                    const std::vector<std::string>& flags, const std::string& text,
                    const std::vector<Edit>& edits) {
  ModeResult result;
  result.name = name;
  result.flags = join_flags(flags);
  const auto wait = std::chrono::milliseconds(opt.timeout_ms);
  result.end = run_session(opt.binary, flags, wait, "mlroast_lsp_latency_bench",
                           [&](Session& session, const std::string& encoding) {
    result.encoding = encoding;
    const auto opened = Clock::now();
    session.notify("textDocument/didOpen",
                   {{"textDocument",
                     {{"uri", kUri}, {"languageId", "python"}, {"version", 1}, {"text", text}}}},
                   opened + wait);
    const auto first = await_publish(session, result, 1, opened + wait);
    if (!first) throw std::runtime_error("no diagnostics for the opened document");
    result.open_ms = ms_between(opened, first->arrived);

    int version = 1;
    int consecutive_timeouts = 0;
    for (const Edit& e : edits) {
      pause_before_edit(opt.pace_ms);
      ++version;
      const json params = change_params(e, version);
      const auto sent = Clock::now();
      session.notify("textDocument/didChange", params, sent + wait);
      const auto got = await_publish(session, result, version, sent + wait);
      if (!got) {
        ++result.timeouts;
        std::fprintf(stderr, "%s: timeout: no diagnostics for version %d within %d ms\n",
                     name.c_str(), version, opt.timeout_ms);
        if (++consecutive_timeouts == 5) throw std::runtime_error("5 timeouts in a row: giving up");
        continue;
      }
      consecutive_timeouts = 0;
      const double ms = ms_between(sent, got->arrived);
      result.latencies.push_back(ms);
      result.by_where[static_cast<int>(e.where)].push_back(ms);
      result.payload_kb.push_back(static_cast<double>(got->bytes) / 1024.0);
      result.diagnostic_counts.push_back(static_cast<double>(got->diagnostics));
    }
  });
  return result;
}

bool report(const ModeResult& r, std::size_t planned) {
  const auto& v = r.latencies;
  std::printf("mode %s (server %s --log-level off), position encoding %s\n", r.name.c_str(),
              r.flags.c_str(), r.encoding.empty() ? "?" : r.encoding.c_str());
  if (!r.end.error.empty()) std::printf("  FAILED: %s\n", r.end.error.c_str());
  if (r.open_ms > 0) std::printf("  didOpen -> first diagnostics: %.1f ms\n", r.open_ms);
  std::printf(
      "  edits: %zu of %zu measured, %d timeouts, %d stale publishes skipped, %d unexpected\n",
      v.size(), planned, r.timeouts, r.stale_skipped, r.unexpected + r.end.unexpected);
  if (!v.empty()) {
    const double p99 = percentile(v, 99);
    print_latencies("latency ms", v);
    for (int w = 0; w < 3; ++w) {
      const auto& s = r.by_where[w];
      if (s.empty()) continue;
      std::printf("    in %-10s p50 %.2f  p99 %.2f  (%zu edits)\n", kWhereNames[w],
                  percentile(s, 50), percentile(s, 99), s.size());
    }
    std::printf("  publishDiagnostics: median %.0f diagnostics, %.1f KB\n",
                percentile(r.diagnostic_counts, 50), percentile(r.payload_kb, 50));
    if (r.timeouts > 0) {
      std::printf(
          "  goal p99 <= %.0f ms: MISSED (%d edits timed out; percentiles above leave "
          "them out)\n",
          kGoalP99Ms, r.timeouts);
    } else {
      std::printf("  goal p99 <= %.0f ms: %s (p99 is %.1fx the goal)\n", kGoalP99Ms,
                  p99 <= kGoalP99Ms ? "met" : "MISSED", p99 / kGoalP99Ms);
    }
  }
  print_end(r.end);
  return r.end.ok() && r.timeouts == 0 && r.unexpected == 0;
}

// --- in-process breakdown --------------------------------------------------------------------

// Replays the first `count` edits through the same steps the server runs for one didChange, each
// timed on its own: DocumentStore::change (LineIndex, splice, tree edit, incremental reparse),
// snapshot(), the analysis split into semantic model / lineage program / the rest of analyze()
// (rule walk, lazy leak search, noqa), the LSP conversion (the rest of diagnose()) and the JSON
// serialisation and framing of the publishDiagnostics notification. A shadow copy of the document
// splits DocumentStore::change into its splice and its reparse; a from-scratch parse and one
// syntax::walk over the tree are timed for reference. Last, server::diagnose() as the server
// calls it (two lanes, freeing deferred), for the in-process sum of the server's path.
void breakdown(const std::string& text, const std::vector<Edit>& edits, int count) {
  namespace proto = mlroast::protocol;
  mlroast::server::DocumentStore store;
  store.set_encoding(proto::PositionEncoding::Utf8);
  store.open(proto::TextDocumentItem{kUri, "python", 1, text});
  mlroast::syntax::Parser fresh;
  mlroast::RuleSelection selection;
  enum {
    kChange,
    kSplice,
    kReparse,
    kFullParse,
    kWalk,
    kSnapshot,
    kSemantic,
    kLineage,
    kAnalyze,
    kRules,
    kConversion,
    kJson,
    kDiagnose,
    kN
  };
  // A shadow of the store's document, to time its two halves separately.
  std::string shadow_text = text;
  mlroast::syntax::Parser shadow_parser;
  mlroast::syntax::Tree shadow_tree = shadow_parser.parse(shadow_text);
  std::array<std::vector<double>, kN> t;
  std::size_t sink = 0;
  int version = 1;
  for (int i = 0; i < count && i < static_cast<int>(edits.size()); ++i) {
    const Edit& e = edits[static_cast<std::size_t>(i)];
    proto::TextDocumentContentChangeEvent change;
    change.range = proto::Range{{e.line, e.character}, {e.line, e.character + (e.insert ? 0 : 1)}};
    change.text = e.insert ? std::string(1, e.letter) : std::string();
    auto t0 = Clock::now();
    const auto* doc = store.change(kUri, ++version, {change});
    t[kChange].push_back(ms_between(t0, Clock::now()));

    // The same change on the shadow: LineIndex + tree edit + splice, then the reparse.
    t0 = Clock::now();
    {
      const proto::LineIndex index(shadow_text);
      const std::size_t start =
          index.to_offset(shadow_text, change.range->start, proto::PositionEncoding::Utf8);
      const std::size_t end =
          index.to_offset(shadow_text, change.range->end, proto::PositionEncoding::Utf8);
      shadow_tree.edit(mlroast::server::input_edit(shadow_text, start, end, change.text));
      shadow_text.replace(start, end - start, change.text);
    }
    t[kSplice].push_back(ms_between(t0, Clock::now()));
    t0 = Clock::now();
    shadow_tree = shadow_parser.parse(shadow_text, &shadow_tree);
    t[kReparse].push_back(ms_between(t0, Clock::now()));
    if (shadow_text != doc->text) throw std::runtime_error("breakdown: shadow text diverged");

    t0 = Clock::now();
    auto reparsed = fresh.parse(doc->text);
    t[kFullParse].push_back(ms_between(t0, Clock::now()));
    sink += reparsed.root().child_count();

    t0 = Clock::now();
    std::size_t nodes = 0;
    mlroast::syntax::walk(doc->tree.root(), [&](mlroast::syntax::Node) { return ++nodes > 0; });
    t[kWalk].push_back(ms_between(t0, Clock::now()));
    sink += nodes;

    t0 = Clock::now();
    const auto snapshot = store.snapshot(kUri);
    t[kSnapshot].push_back(ms_between(t0, Clock::now()));

    const auto root = snapshot->tree.root();
    t0 = Clock::now();
    mlroast::semantic::SemanticModel sem(root, snapshot->text);
    t[kSemantic].push_back(ms_between(t0, Clock::now()));
    t0 = Clock::now();
    mlroast::lineage::Program program(root, sem);
    t[kLineage].push_back(ms_between(t0, Clock::now()));
    sink += program.uses().size();

    mlroast::SourceFile file;
    file.path = snapshot->path;
    file.text = snapshot->text;
    file.tree = &snapshot->tree;
    t0 = Clock::now();
    // As the server analyses a keystroke: without quick fixes (code actions compute them).
    const auto findings = mlroast::analyze(file, selection, mlroast::AnalysisOptions{false});
    t[kAnalyze].push_back(ms_between(t0, Clock::now()));

    // analyze() builds its own model and program: the rest is the rule walk, the lazy leak
    // search and noqa.
    t[kRules].push_back(
        std::max(0.0, t[kAnalyze].back() - t[kSemantic].back() - t[kLineage].back()));

    // The rest of diagnose(): a LineIndex of the text and the conversion of every finding.
    t0 = Clock::now();
    const proto::LineIndex index(snapshot->text);
    const mlroast::server::ConversionContext context{snapshot->uri, snapshot->text, index,
                                                     proto::PositionEncoding::Utf8};
    auto items = mlroast::server::to_lsp_diagnostics(context, findings);
    t[kConversion].push_back(ms_between(t0, Clock::now()));
    sink += findings.size() + items.size();

    t0 = Clock::now();
    const std::string frame =
        proto::frame(proto::publish_diagnostics_body(kUri, version, items));  // as the server
    t[kJson].push_back(ms_between(t0, Clock::now()));
    sink += frame.size();

    // The analysis and conversion exactly as the server calls them: two lanes when the machine
    // has two cores, the working state freed after the clock stops (as the server frees it
    // after the publish).
    std::shared_ptr<const void> leftovers;
    t0 = Clock::now();
    const auto served = mlroast::server::diagnose(*snapshot, selection,
                                                  proto::PositionEncoding::Utf8, false, &leftovers);
    t[kDiagnose].push_back(ms_between(t0, Clock::now()));
    sink += served.size();
    leftovers.reset();
  }
  const auto med = [&](int k) { return percentile(t[k], 50); };
  const auto p99 = [&](int k) { return percentile(t[k], 99); };
  const double total = med(kChange) + med(kSnapshot) + med(kSemantic) + med(kLineage) +
                       med(kRules) + med(kConversion) + med(kJson);
  std::printf(
      "in-process breakdown of one edit (%zu edits replayed through the server's steps, with the\n"
      "analysis code this benchmark was built from; median / p99 ms, share of the sum)\n",
      t[kChange].size());
  const auto row = [&](const char* what, double m, double p, const char* note) {
    std::printf("  %-50s %7.2f %7.2f  %4.0f%%%s%s\n", what, m, p, 100.0 * m / total,
                *note != '\0' ? "  " : "", note);
  };
  row("didChange: LineIndex + splice + incremental reparse", med(kChange), p99(kChange),
      "main thread");
  row("  of which LineIndex + tree edit + splice", med(kSplice), p99(kSplice), "");
  row("  of which incremental reparse", med(kReparse), p99(kReparse), "");
  row("snapshot (copy text + tree)", med(kSnapshot), p99(kSnapshot), "main thread");
  row("analysis: semantic model", med(kSemantic), p99(kSemantic), "worker");
  row("analysis: lineage program", med(kLineage), p99(kLineage), "worker");
  row("analysis: rules, leak search, noqa (rest)", med(kRules), p99(kRules), "worker");
  row("  = analyze() as a whole", med(kAnalyze), p99(kAnalyze), "worker");
  row("LSP conversion (LineIndex + to_lsp_diagnostics)", med(kConversion), p99(kConversion),
      "worker");
  row("publishDiagnostics JSON + frame", med(kJson), p99(kJson), "main thread");
  std::printf("  %-50s %7.2f\n", "sum of the medians", total);
  // What the server's critical path costs in process: the steps above with the analysis and the
  // conversion as diagnose() runs them. Its gap to the server's measured latency is transport,
  // scheduling and the work around the steps.
  const double served_path = med(kChange) + med(kSnapshot) + med(kDiagnose) + med(kJson);
  std::printf("  %-50s %7.2f %7.2f  %s\n", "diagnose() as the server runs it",
              med(kDiagnose), p99(kDiagnose),
              mlroast::server::server_analysis_options(false, nullptr).parallel
                  ? "(two lanes, freeing deferred)"
                  : "(one core: one lane, freeing deferred)");
  std::printf("  %-50s %7.2f\n", "sum: didChange + snapshot + diagnose() + JSON",
              served_path);
  std::printf("  %-50s %7.2f %7.2f  (not on the server's path)\n",
              "reference: full parse from scratch", med(kFullParse), p99(kFullParse));
  std::printf("  %-50s %7.2f %7.2f  (analysis walks the tree several times)\n\n",
              "reference: one syntax::walk over every node", med(kWalk), p99(kWalk));
  if (sink == 0) std::printf("(nothing analysed)\n");
}

// The script section: async and/or sync sessions over the generated script, their summary, and
// the in-process breakdown. False when something failed.
bool script_section(const Options& opt) {
  const std::string text = mlroast::bench::leaky_script(opt.lines, opt.seed);
  const auto edits = make_edits(text, opt.edits, opt.seed);
  const auto line_count = std::count(text.begin(), text.end(), '\n');
  std::printf("input: generated leaky script, %ld lines, %.1f KB (%zu bytes)\n",
              static_cast<long>(line_count), static_cast<double>(text.size()) / 1024.0,
              text.size());
  std::printf(
      "edits: %zu single-character didChange edits (%zu insert+delete pairs, cycling "
      "identifier / string / comment positions), sent one at a time, %s\n",
      edits.size(), edits.size() / 2,
      pacing(opt.pace_ms).c_str());
  std::printf("measured: didChange write -> publishDiagnostics with that version read\n");
  std::printf("goal: p99 <= %.0f ms\n\n", kGoalP99Ms);

  bool ok = true;
  std::vector<ModeResult> results;
  if (opt.mode == "async" || opt.mode == "both") {
    results.push_back(run_mode(opt, "async", {"--debounce-ms", "0"}, text, edits));
    ok = report(results.back(), edits.size()) && ok;
  }
  if (opt.mode == "sync" || opt.mode == "both") {
    results.push_back(run_mode(opt, "sync", {"--sync"}, text, edits));
    ok = report(results.back(), edits.size()) && ok;
  }
  const bool measured = std::any_of(results.begin(), results.end(),
                                    [](const ModeResult& r) { return !r.latencies.empty(); });
  if (results.size() > 1 && measured) {
    std::printf("summary (ms)    p50     p95     p99     max  timeouts  goal p99 <= %.0f\n",
                kGoalP99Ms);
    for (const auto& r : results) {
      if (r.latencies.empty()) continue;
      const double p99 = percentile(r.latencies, 99);
      std::printf("  %-8s %7.2f %7.2f %7.2f %7.2f  %8d  %s\n", r.name.c_str(),
                  percentile(r.latencies, 50), percentile(r.latencies, 95), p99,
                  percentile(r.latencies, 100), r.timeouts,
                  p99 <= kGoalP99Ms && r.timeouts == 0 ? "met" : "missed");
    }
    std::printf("\n");
  }
  if (opt.breakdown_edits > 0) breakdown(text, edits, opt.breakdown_edits);
  return ok;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const Options opt = parse_options(argc, argv);
    ::signal(SIGPIPE, SIG_IGN);
    std::printf("mlroast LSP latency benchmark\n");
    std::printf("server: %s\n\n", opt.binary.c_str());
    bool ok = true;
    if (opt.section != "notebook") ok = script_section(opt) && ok;
    if (opt.section != "script" && opt.mode != "none") {
      NotebookRun run;
      run.binary = opt.binary;
      run.mode = opt.mode;
      run.code_cells = opt.notebook_cells;
      run.edits = opt.notebook_edits;
      run.seed = opt.seed;
      run.timeout_ms = opt.timeout_ms;
      run.pace_ms = opt.pace_ms;
      ok = notebook_latency(run) && ok;
    }
    if (!ok) std::printf("problems above: the figures are incomplete\n");
    return ok ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 2;
  }
}
