// Fuzz target: the analysis of arbitrary Python-like text (seeded with tests/fixtures/**/*.py).
// Runs analyze_text with every rule enabled and checks what consumers rely on: every finding,
// related location and fix edit lies inside the text with start <= end, each fix's edits are
// sorted and disjoint, and applying all fixes (fix_text, unsafe ones included) terminates and
// yields text that analyses again without a crash.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

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

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const mlroast::RuleSelection selection{};
  const auto findings = mlroast::analyze_text("fuzz.py", text, selection);
  bool any_fix = false;
  for (const auto& finding : findings) {
    check(!finding.code.empty(), "finding without a code", finding);
    check_range(finding.range, size, finding);
    for (const auto& related : finding.related) check_range(related.range, size, finding);
    if (!finding.fix) continue;
    any_fix = true;
    std::uint32_t previous_end = 0;
    for (const auto& edit : finding.fix->edits) {
      check(edit.start_byte <= edit.end_byte, "fix edit start after its end", finding);
      check(edit.end_byte <= size, "fix edit past the end of the text", finding);
      check(edit.start_byte >= previous_end, "fix edits overlap or are unsorted", finding);
      previous_end = edit.end_byte;
    }
  }
  if (any_fix) {
    const auto fixed = mlroast::fix_text("fuzz.py", text, selection, /*include_unsafe=*/true);
    (void)mlroast::analyze_text("fuzz.py", fixed.text, selection);
  }
  return 0;
}
