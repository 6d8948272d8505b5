#include "analysis/analyzer.hpp"

#include <algorithm>
#include <exception>
#include <optional>

#include "analysis/fix/syntax_guard.hpp"
#include "analysis/lineage/program.hpp"
#include "analysis/lanes.hpp"
#include "analysis/noqa.hpp"
#include "analysis/rules/rule.hpp"
#include "analysis/semantic/model.hpp"

namespace mlroast {

namespace {

// One enabled rule of this analysis: its findings, and for a rule whose visit() reads the
// lineage program the nodes it asked for, replayed once the program is built.
struct RuleRun {
  Rule* rule = nullptr;
  Rule::Lineage lineage = Rule::Lineage::InVisit;
  std::vector<Finding> findings;
  std::vector<syntax::Node> visits;
};

}  // namespace

std::vector<Finding> analyze(const SourceFile& file, const RuleSelection& selection,
                             const AnalysisOptions& options) {
  std::vector<Finding> findings;
  if (file.tree == nullptr || !file.tree->valid()) return findings;
  syntax::Node root = file.tree->root();

  // Everything the analysis builds, in one block that can outlive the call (leftovers).
  struct Working {
    Working(syntax::Node root, std::string_view text) : sem(root, text) {}
    std::vector<std::unique_ptr<Rule>> rules;
    semantic::SemanticModel sem;
    std::optional<lineage::Program> program;
  };
  std::vector<std::unique_ptr<Rule>> rules;
  for (auto& r : make_all_rules()) {
    if (!selection.enabled(r->info().code)) continue;
    // Test code is not the pipeline: a test that scales before splitting reports no metric.
    Category c = r->info().category;
    if (file.is_test && (c == Category::Leakage || c == Category::TimeSeries)) continue;
    rules.push_back(std::move(r));
  }
  if (rules.empty()) return findings;

  auto working = std::make_shared<Working>(root, file.text);
  const semantic::SemanticModel& sem = working->sem;
  std::vector<RuleRun> runs(rules.size());
  bool any_lineage = false;
  for (size_t i = 0; i < rules.size(); ++i) {
    runs[i].rule = rules[i].get();
    runs[i].lineage = rules[i]->lineage();
    any_lineage = any_lineage || runs[i].lineage != Rule::Lineage::None;
  }
  // Facts made without the program and with it are never mixed (RuleContext::shared); the
  // rules with lineage read the others' program-free facts (shared_without_program).
  SharedFacts plain_facts, lineage_facts;
  std::vector<syntax::Node> comments;
  std::vector<syntax::Node> calls;

  // Lane 1: the walk. Rules whose visit() needs no lineage visit as it goes, and those that need
  // none at all finish after it; the nodes the others select are kept for later. Lane 2:
  // the lineage program. Then both lanes take the rules that need it one by one, replaying the
  // kept visits and finishing (an analysis on one thread runs the same steps in turn).
  const auto walk_and_plain_rules = [&] {
    std::vector<std::vector<uint32_t>> by_symbol(syntax::symbol_count());
    for (uint32_t i = 0; i < runs.size(); ++i)
      for (std::string_view kind : runs[i].rule->kinds()) {
        uint16_t sym = syntax::symbol_for(kind);
        if (sym != 0 && sym < by_symbol.size()) by_symbol[sym].push_back(i);
      }
    std::vector<std::unique_ptr<RuleContext>> contexts(runs.size());
    for (uint32_t i = 0; i < runs.size(); ++i)
      contexts[i] = std::make_unique<RuleContext>(file, sem, nullptr, runs[i].findings,
                                                  options.fixes, plain_facts);
    const uint16_t comment = syntax::symbol_for("comment");
    const uint16_t call = syntax::symbol_for("call");
    syntax::walk(root, [&](syntax::Node n) {
      uint16_t sym = n.symbol();
      if (sym == comment) comments.push_back(n);
      if (sym == call) calls.push_back(n);
      if (sym < by_symbol.size())
        for (uint32_t i : by_symbol[sym]) {
          RuleRun& run = runs[i];
          if (run.lineage != Rule::Lineage::InVisit)
            run.rule->visit(n, *contexts[i]);
          else if (run.rule->select(n, *contexts[i]))
            run.visits.push_back(n);
        }
      return true;
    });
    // Rules without lineage finish; the others compute what they can without the program.
    for (uint32_t i = 0; i < runs.size(); ++i) {
      contexts[i]->set_call_nodes(&calls);
      if (runs[i].lineage == Rule::Lineage::None)
        runs[i].rule->finish(*contexts[i]);
      else
        runs[i].rule->before_program(*contexts[i]);
    }
  };
  const auto run_lineage_rule = [&](size_t i) {
    RuleRun& run = runs[i];
    if (run.lineage == Rule::Lineage::None) return;
    RuleContext ctx(file, sem, &*working->program, run.findings, options.fixes, lineage_facts,
                    plain_facts);
    for (syntax::Node n : run.visits) run.rule->visit(n, ctx);
    ctx.set_call_nodes(&calls);
    run.rule->finish(ctx);
  };
  const auto build_program = [&] {
    if (any_lineage) working->program.emplace(root, sem);
  };

  if (options.parallel && any_lineage) {
    // See lanes.hpp. The helper's task captures this frame by reference but uses it only for
    // work it claimed or took, and this frame does not unwind before that work is done.
    auto lanes = std::make_shared<Lanes>(runs.size());
    // The walk, by the thread that claimed it (`walk` false: skipped, the analysis has already
    // failed). Each thread claims before calling this: a late helper must not touch this frame,
    // this lambda included, unless its claim succeeded.
    const auto claimed_walk = [&](bool walk) {
      std::exception_ptr error;
      try {
        if (walk) walk_and_plain_rules();
      } catch (...) {
        error = std::current_exception();
      }
      lanes->walk_done(error);
    };
    post_to_analysis_helper([&, lanes] {
      if (lanes->claim_walk()) claimed_walk(true);
      lanes->wait_program();
      lanes->wait_walk();  // the calling thread may have taken the walk over
      while (const std::optional<size_t> i = lanes->take(/*helper=*/true)) {
        std::exception_ptr error;
        try {
          run_lineage_rule(*i);
        } catch (...) {
          error = std::current_exception();
        }
        lanes->helper_finished(error);
      }
    });
    std::exception_ptr failed;
    try {
      build_program();
    } catch (...) {
      failed = std::current_exception();
    }
    lanes->program_ready(!failed);
    // A helper that has not started the walk by now is late: walk here.
    if (lanes->claim_walk()) claimed_walk(!failed);
    lanes->wait_walk();
    try {
      while (const std::optional<size_t> i = lanes->take(/*helper=*/false)) run_lineage_rule(*i);
    } catch (...) {
      if (!failed) failed = std::current_exception();
      lanes->close();
    }
    std::exception_ptr helper_failed = lanes->wait_helper();
    if (failed) std::rethrow_exception(failed);
    if (helper_failed) std::rethrow_exception(helper_failed);
  } else {
    walk_and_plain_rules();
    build_program();
    for (size_t i = 0; i < runs.size(); ++i) run_lineage_rule(i);
  }

  // Findings in rule order, each rule's in the order it reported them: the same for one lane
  // and two.
  for (RuleRun& run : runs)
    std::move(run.findings.begin(), run.findings.end(), std::back_inserter(findings));
  working->rules = std::move(rules);
  if (options.leftovers != nullptr) *options.leftovers = std::move(working);

  NoqaMap noqa(comments, file.text);
  std::vector<Finding*> order;
  order.reserve(findings.size());
  for (auto& f : findings) {
    if (!selection.enabled(f.code)) continue;
    uint32_t row = f.range.start.row;
    if (noqa.suppresses(row, f.code)) continue;
    f.severity = selection.severity_of(f.code, f.severity);
    f.noqa_row = row;
    if (!options.fixes) f.fix.reset();  // a rule that ignored fixes_wanted() still honours it
    if (f.fix && fix_touches_syntax_error(root, *f.fix)) f.fix.reset();
    order.push_back(&f);
  }
  // Sorted by position, then code (pointers: moving the findings themselves cost more than the
  // comparisons); one finding per (code, range): two paths to the same leak report once.
  std::stable_sort(order.begin(), order.end(), [](const Finding* a, const Finding* b) {
    if (a->range.start_byte != b->range.start_byte) return a->range.start_byte < b->range.start_byte;
    return a->code < b->code;
  });
  std::vector<Finding> kept;
  kept.reserve(order.size());
  for (Finding* f : order)
    if (kept.empty() || kept.back().code != f->code || !(kept.back().range == f->range))
      kept.push_back(std::move(*f));
  return kept;
}

std::vector<Finding> analyze_text(std::string path, std::string_view text,
                                  const RuleSelection& selection) {
  thread_local syntax::Parser parser;
  syntax::Tree tree = parser.parse_once(text);
  SourceFile file;
  file.path = std::move(path);
  file.text = text;
  file.tree = &tree;
  file.is_test = is_test_path(file.path);
  return analyze(file, selection);
}

}  // namespace mlroast
