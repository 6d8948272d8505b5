// Inputs analysis_fuzz found crashing the analysis, minimised: each must analyse cleanly.
#include <catch2/catch.hpp>

#include <string>

#include "analysis/analyzer.hpp"

// Found by fuzz/analysis_fuzz.cpp (ASan: SEGV walking a null node in the loss-accumulation rule,
// on an assignment the parser recovered without a right-hand side). The minimised reproducer.
TEST_CASE("an assignment recovered without its right side analyses without a crash", "[lineage]") {
  const std::string text =
      "ch\nimport torch.nn as nn\n"
      "class CommentScorer(nn.Module):model = CommentScorer()for c in r:\n"
      "  logits = model(b)\n"
      " \x13s.append(logits) \nin:n() ";
  CHECK_NOTHROW(mlroast::analyze_text("fuzzed.py", text, mlroast::RuleSelection{}));
}
