#include "analysis/analyzer.hpp"

#include <algorithm>

#include "analysis/lineage/program.hpp"
#include "analysis/noqa.hpp"
#include "analysis/rules/rule.hpp"
#include "analysis/semantic/model.hpp"

namespace mlroast {

std::vector<Finding> analyze(const SourceFile& file, const RuleSelection& selection,
                             const AnalysisOptions& options) {
  std::vector<Finding> findings;
  if (file.tree == nullptr || !file.tree->valid()) return findings;
  syntax::Node root = file.tree->root();

  // Everything the analysis builds, in one block that can outlive the call (leftovers).
  struct Working {
    Working(syntax::Node root, std::string_view text) : sem(root, text), program(root, sem) {}
    std::vector<std::unique_ptr<Rule>> rules;
    semantic::SemanticModel sem;
    lineage::Program program;
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
  RuleContext ctx(file, sem, &working->program, findings, options.fixes);

  // Fan-out table: grammar symbol -> rules that asked for that node kind.
  std::vector<std::vector<Rule*>> by_symbol(syntax::symbol_count());
  for (auto& r : rules)
    for (std::string_view kind : r->kinds()) {
      uint16_t sym = syntax::symbol_for(kind);
      if (sym != 0 && sym < by_symbol.size()) by_symbol[sym].push_back(r.get());
    }
  const uint16_t comment = syntax::symbol_for("comment");
  const uint16_t call = syntax::symbol_for("call");
  std::vector<syntax::Node> comments;
  std::vector<syntax::Node> calls;
  syntax::walk(root, [&](syntax::Node n) {
    uint16_t sym = n.symbol();
    if (sym == comment) comments.push_back(n);
    if (sym == call) calls.push_back(n);
    if (sym < by_symbol.size())
      for (Rule* r : by_symbol[sym]) r->visit(n, ctx);
    return true;
  });
  ctx.set_call_nodes(std::move(calls));
  for (auto& r : rules) r->finish(ctx);
  working->rules = std::move(rules);
  if (options.leftovers != nullptr) *options.leftovers = std::move(working);

  NoqaMap noqa(comments, file.text);
  std::vector<Finding> kept;
  kept.reserve(findings.size());
  for (auto& f : findings) {
    if (!selection.enabled(f.code)) continue;
    uint32_t row = f.range.start.row;
    if (noqa.suppresses(row, f.code)) continue;
    f.severity = selection.severity_of(f.code, f.severity);
    f.noqa_row = row;
    if (!options.fixes) f.fix.reset();  // a rule that ignored fixes_wanted() still honours it
    kept.push_back(std::move(f));
  }
  std::stable_sort(kept.begin(), kept.end(), [](const Finding& a, const Finding& b) {
    if (a.range.start_byte != b.range.start_byte) return a.range.start_byte < b.range.start_byte;
    return a.code < b.code;
  });
  // One finding per (code, range): two paths to the same leak report once.
  kept.erase(std::unique(kept.begin(), kept.end(),
                         [](const Finding& a, const Finding& b) {
                           return a.code == b.code && a.range == b.range;
                         }),
             kept.end());
  return kept;
}

std::vector<Finding> analyze_text(std::string path, std::string_view text,
                                  const RuleSelection& selection) {
  thread_local syntax::Parser parser;
  syntax::Tree tree = parser.parse(text);
  SourceFile file;
  file.path = std::move(path);
  file.text = text;
  file.tree = &tree;
  file.is_test = is_test_path(file.path);
  return analyze(file, selection);
}

}  // namespace mlroast
