// The analysis facade used by both the CLI and the server: one file in, findings out. Builds the
// semantic model and the lineage program, walks the tree once fanning nodes out to the enabled
// rules, applies `# noqa` suppressions and severity overrides, and returns findings sorted by
// position. Pure function of its inputs; safe to call from several threads at once (each call
// has its own rule instances and parser). A parallel analysis (AnalysisOptions::parallel) shares
// one process-wide helper thread with the others.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/config/selection.hpp"
#include "analysis/finding.hpp"
#include "analysis/source_file.hpp"

namespace mlroast {

struct AnalysisOptions {
  // Build each finding's quick fix. The language server turns this off for the analysis it runs
  // on every keystroke and computes fixes only when the client asks for code actions.
  bool fixes = true;
  // When set, the analysis' working state (the semantic model, the lineage program, the rules)
  // is handed over here instead of being freed before analyze() returns. Freeing it is ~6% of
  // an analysis; the language server lets it go after the diagnostics are on their way. It holds
  // no reference that its destruction follows: it may outlive the file's text and tree.
  std::shared_ptr<const void>* leftovers = nullptr;
  // Run the analysis on two threads: the walk and the rules that do not read the lineage
  // program on a helper thread while this one builds the program, then the lineage rules on
  // both (this thread does the helper's share when the helper is late; see lanes.hpp). The
  // findings are the same either way. For the language server, where one file's
  // latency counts; a batch run over many files already keeps every core busy.
  bool parallel = false;
};

// Analyses `file` (its tree must be set). Findings in `# noqa`-suppressed lines are dropped.
std::vector<Finding> analyze(const SourceFile& file, const RuleSelection& selection,
                             const AnalysisOptions& options = {});

// Parses `text` and analyses it; convenient for the CLI and tests.
std::vector<Finding> analyze_text(std::string path, std::string_view text,
                                  const RuleSelection& selection);

}  // namespace mlroast
