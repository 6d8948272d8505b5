// lineage::Program's lookup of the value an expression evaluated to.
#include <catch2/catch.hpp>

#include <string>

#include "analysis/analyzer.hpp"
#include "analysis/lineage/library.hpp"
#include "analysis/lineage/program.hpp"
#include "analysis/lineage/value.hpp"
#include "analysis/semantic/model.hpp"
#include "analysis/syntax/tree.hpp"

// Found by fuzz/analysis_fuzz.cpp (UBSan: deque index out of range in value_of, reached from
// the uncalibrated-probabilities rule): a tuple target whose item has no value is recorded with
// kNoValue, and value_of indexed the value table with it.
TEST_CASE("value_of is null for an expression recorded without a value", "[lineage]") {
  const std::string text = "x = 1\n";
  mlroast::syntax::Parser parser;
  const auto tree = parser.parse(text);
  const mlroast::semantic::SemanticModel sem(tree.root(), text);
  mlroast::lineage::Program program(mlroast::syntax::Node{}, sem);
  const mlroast::syntax::Node x = tree.root().child(0).child(0).field("left");
  REQUIRE(x.text(text) == "x");
  program.record(x, mlroast::lineage::kNoValue);
  program.seal();
  CHECK(program.value_of(x) == nullptr);
}

TEST_CASE("a tuple unpacked from a resampler's result analyses without a crash", "[lineage]") {
  // The fuzzer's reproducer, minimised; it only crashed under the sanitizers.
  const std::string text =
      "from imblearn.e import BorderlineSMOTE\n"
      "sampler=BorderlineSMOTE(k)_t,y=sampler.fit_resample(_)\n";
  CHECK_NOTHROW(mlroast::analyze_text("fuzzed.py", text, mlroast::RuleSelection{}));
}

// Found by fuzz/analysis_fuzz.cpp (a SEGV in ML110, see analysis_fuzz_regression_test.cpp):
// `cross_val_score(model)` has no X, and its fold split recorded kNoValue as the data split.
TEST_CASE("a split records no input for a missing argument; value(kNoValue) is unknown", "[lineage]") {
  using namespace mlroast;
  const std::string text =
      "from sklearn.model_selection import cross_val_score\n"
      "from sklearn.linear_model import LogisticRegression\n"
      "scores = cross_val_score(LogisticRegression())\n";
  syntax::Parser parser;
  const auto tree = parser.parse(text);
  const semantic::SemanticModel sem(tree.root(), text);
  const lineage::Program program(tree.root(), sem);
  REQUIRE(program.splits().size() == 1);
  CHECK(program.splits()[0].kind == lineage::SplitKind::FoldLoop);
  CHECK(program.splits()[0].inputs.empty());
  CHECK(program.value(lineage::kNoValue).kind == lineage::Kind::Unknown);
  CHECK(program.value(lineage::kNoValue).origins.empty());
}

TEST_CASE("is_date_like_name: case-insensitive, any length", "[lineage]") {
  using mlroast::lineage::library::is_date_like_name;
  CHECK(is_date_like_name("signup_date"));
  CHECK(is_date_like_name("EventTimestamp"));
  CHECK(is_date_like_name("QUARTER"));
  CHECK(is_date_like_name("created_ts"));
  CHECK_FALSE(is_date_like_name("income"));
  CHECK_FALSE(is_date_like_name(""));
  // Longer than the 64-byte stack buffer: the heap path.
  CHECK(is_date_like_name(std::string(80, 'x') + "_Month"));
  CHECK_FALSE(is_date_like_name(std::string(80, 'x') + "_amount"));
}
