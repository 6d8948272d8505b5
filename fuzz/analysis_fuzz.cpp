// Fuzz target: the analysis of arbitrary Python-like text (seeded with tests/fixtures/**/*.py).
// Runs analyze_text with every rule enabled and checks what consumers rely on: every finding,
// related location and fix edit lies inside the text with start <= end, each fix's edits are
// sorted and disjoint, and applying all fixes (fix_text, unsafe ones included) converges (a text
// with no fix left within fix_text's rounds) to text whose analysis keeps the same promises.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/analyzer.hpp"
#include "analysis/fix/apply.hpp"

namespace {

void check(bool ok, const char* what, const mlroast::Finding& finding) {
  if (ok) return;
  std::fprintf(stderr, "invariant broken: %s (finding %s: %s)\n", what, finding.code.c_str(),
               finding.message.c_str());
  std::abort();
}

void check_range(const mlroast::TextRange& range, std::size_t size, const mlroast::Finding& f) {
  check(range.start_byte <= range.end_byte, "range start after its end", f);
  check(range.end_byte <= size, "range past the end of the text", f);
  check(range.start.row < range.end.row ||
            (range.start.row == range.end.row && range.start.column <= range.end.column),
        "range start point after its end point", f);
}

// Checks the findings of `text`; true when one of them has a fix.
bool check_findings(std::string_view text, const std::vector<mlroast::Finding>& findings) {
  bool any_fix = false;
  for (const auto& finding : findings) {
    check(!finding.code.empty(), "finding without a code", finding);
    check_range(finding.range, text.size(), finding);
    for (const auto& related : finding.related) check_range(related.range, text.size(), finding);
    if (!finding.fix) continue;
    any_fix = true;
    std::uint32_t previous_end = 0;
    for (const auto& edit : finding.fix->edits) {
      check(edit.start_byte <= edit.end_byte, "fix edit start after its end", finding);
      check(edit.end_byte <= text.size(), "fix edit past the end of the text", finding);
      check(edit.start_byte >= previous_end, "fix edits overlap or are unsorted", finding);
      previous_end = edit.end_byte;
    }
  }
  return any_fix;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const mlroast::RuleSelection selection{};
  std::vector<mlroast::Finding> findings = mlroast::analyze_text("fuzz.py", text, selection);
  if (!check_findings(text, findings)) return 0;
  // fix_text starts from these findings and ends with the analysis of the fixed text (what
  // analyze_text returns for it; tests/unit/fix_property_test.cpp checks that the two agree).
  const auto fixed = mlroast::fix_text("fuzz.py", text, selection, /*include_unsafe=*/true,
                                       std::move(findings));
  if (!fixed.remaining) {
    // Every round applies what does not clash; ten rounds without reaching a text with nothing
    // left to fix mean a fix that does not remove its own finding (it re-applies forever).
    std::fprintf(stderr, "invariant broken: fixes do not converge\n--- text\n%.*s\n",
                 static_cast<int>(text.size()), text.data());
    std::abort();
  }
  if (fixed.text == text) return 0;
  check_findings(fixed.text, *fixed.remaining);
  return 0;
}
