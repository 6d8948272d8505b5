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

// Found by fuzz/analysis_fuzz.cpp (UBSan build: SEGV in ML110 group-leakage). A cross-validation
// call without its X argument (here the fuzzer had cut the call short) recorded a fold split of
// kNoValue, and the rules that read a split's inputs indexed the program's values with it.
TEST_CASE("a cross-validation call without its data analyses without a crash", "[lineage]") {
  const std::string text =
      "import pandas as pd\n"
      "from sklearn.ensemble import RandomForestClassifier\n"
      "from sklearn.model_selection import cross_val_score\n"
      "\n"
      "transactions = pd.read_csv(\"data/transactions.csv\")\n"
      "tx_stats = transactions.groupby(\"customer_id\").agg(n_tx=(\"tx_id\", \"count\"))\n"
      "forest = RandomForestClassifier(n_estimators=300, random_state=0)\n"
      "print(cross_val_score(forest).mean())\n";
  CHECK_NOTHROW(mlroast::analyze_text("fuzzed.py", text, mlroast::RuleSelection{}));
}
