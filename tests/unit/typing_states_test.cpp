// The states a file passes through while a call is typed, with the editor's auto-closed brackets:
// every argument list of every rule fixture and example cut after its opening bracket or after
// each comma (`f(a, b, c)` -> `f()`, `f(a,)`, `f(a, b,)`), the rest of the file unchanged. Each
// state is valid Python and every rule must analyse it: a missing argument once crashed the
// server on the keystroke (`cross_val_score(model,)` with a groupby in the file; see
// analysis_fuzz_regression_test.cpp). Analysed under a plain script's name, so that the leakage
// rules, which skip test files, run too. Findings must lie inside the text.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "analysis/analyzer.hpp"
#include "support/source_files.hpp"

namespace {

namespace fs = std::filesystem;

// `text` with the bracketed list around `cut` closed right after `cut` (an opening bracket or a
// comma); "" when the list has no closing bracket.
std::string auto_closed(const std::string& text, size_t cut) {
  int depth = 0;
  for (size_t q = cut + 1; q < text.size(); ++q) {
    const char c = text[q];
    if (c == '(' || c == '[' || c == '{') {
      ++depth;
    } else if (c == ')' || c == ']' || c == '}') {
      if (depth == 0) return text.substr(0, cut + 1) + text.substr(q);
      --depth;
    }
  }
  return "";
}

// Analyses every typing state of every file under `dir`; returns how many states it analysed.
size_t sweep(const fs::path& dir) {
  const mlroast::RuleSelection all{};
  size_t states = 0;
  for (const fs::path& file : mlroast::test::python_files(dir)) {
    const std::string text = mlroast::test::read_file(file);
    for (size_t cut = 0; cut < text.size(); ++cut) {
      if (text[cut] != '(' && text[cut] != '[' && text[cut] != ',') continue;
      const std::string typed = auto_closed(text, cut);
      if (typed.empty()) continue;
      INFO(file.string() << " cut after byte " << cut);
      const auto findings = mlroast::analyze_text("typed.py", typed, all);
      for (const auto& f : findings) REQUIRE(f.range.end_byte <= typed.size());
      ++states;
    }
  }
  return states;
}

const fs::path kRoot = MLROAST_SOURCE_DIR;

}  // namespace

TEST_CASE("auto_closed cuts an argument list and keeps the rest", "[analysis][robustness]") {
  const std::string text = "print(f(a, g(b), c).mean())\n";
  CHECK(auto_closed(text, text.find("f(") + 1) == "print(f().mean())\n");
  CHECK(auto_closed(text, text.find(',')) == "print(f(a,).mean())\n");
  CHECK(auto_closed(text, text.rfind(',')) == "print(f(a, g(b),).mean())\n");
  CHECK(auto_closed("f(a,", 3).empty());
}

// One test per fixture family, so that CTest spreads them over the cores.
TEST_CASE("typing states: leakage fixtures analyse", "[analysis][robustness][typing]") {
  CHECK(sweep(kRoot / "tests/fixtures/rules/leakage") > 1000);
}

TEST_CASE("typing states: evaluation and data-quality fixtures analyse",
          "[analysis][robustness][typing]") {
  CHECK(sweep(kRoot / "tests/fixtures/rules/evaluation") > 500);
  CHECK(sweep(kRoot / "tests/fixtures/rules/data_quality") > 500);
}

TEST_CASE("typing states: deep-learning, reproducibility and code-quality fixtures analyse",
          "[analysis][robustness][typing]") {
  CHECK(sweep(kRoot / "tests/fixtures/rules/deep_learning") > 500);
  CHECK(sweep(kRoot / "tests/fixtures/rules/reproducibility") > 100);
  CHECK(sweep(kRoot / "tests/fixtures/rules/code_quality") > 100);
}

TEST_CASE("typing states: the example projects analyse", "[analysis][robustness][typing]") {
  CHECK(sweep(kRoot / "examples") > 500);
}
