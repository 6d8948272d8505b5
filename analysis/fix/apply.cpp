#include "analysis/fix/apply.hpp"

#include <algorithm>

#include "analysis/analyzer.hpp"

namespace mlroast {

namespace {
constexpr int kMaxRounds = 10;
}

std::string apply_edits(std::string_view text, std::vector<TextEdit> edits) {
  std::sort(edits.begin(), edits.end(),
            [](const TextEdit& a, const TextEdit& b) { return a.start_byte > b.start_byte; });
  std::string out(text);
  for (const TextEdit& e : edits) {
    if (e.start_byte > e.end_byte || e.end_byte > out.size()) continue;
    out.replace(e.start_byte, e.end_byte - e.start_byte, e.replacement);
  }
  return out;
}

FixOutcome fix_text(const std::string& path, std::string_view text, const RuleSelection& selection,
                    bool include_unsafe, std::optional<std::vector<Finding>> findings) {
  FixOutcome outcome{std::string(text), 0, std::nullopt};
  for (int round = 0; round < kMaxRounds; ++round) {
    std::vector<TextEdit> edits;
    size_t fixes = 0;
    if (!findings) findings = analyze_text(path, outcome.text, selection);
    for (const Finding& f : *findings) {
      if (!f.fix || f.fix->edits.empty()) continue;
      if (f.fix->applicability == Applicability::Unsafe && !include_unsafe) continue;
      bool clash = false;
      for (const TextEdit& e : f.fix->edits)
        for (const TextEdit& taken : edits)
          clash = clash || (e.start_byte < taken.end_byte && taken.start_byte < e.end_byte) ||
                  (e.start_byte == taken.start_byte);
      if (clash) continue;  // the next round, on the new text, picks it up
      edits.insert(edits.end(), f.fix->edits.begin(), f.fix->edits.end());
      ++fixes;
    }
    if (fixes == 0) {
      outcome.remaining = std::move(findings);
      break;
    }
    outcome.text = apply_edits(outcome.text, std::move(edits));
    outcome.applied += fixes;
    findings.reset();
  }
  return outcome;
}

}  // namespace mlroast
