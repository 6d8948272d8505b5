// Applying fixes to a file's text: the safe fixes (and the unsafe ones when asked) of one
// analysis are applied at once when they do not overlap, then the file is analysed again and the
// next round applies what the previous one skipped, until nothing changes (at most kMaxRounds).
// Pure: text in, text out; the CLI and the server decide what to write.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "analysis/config/selection.hpp"
#include "analysis/finding.hpp"

namespace mlroast {

struct FixOutcome {
  std::string text;   // the fixed text (equal to the input when nothing applied)
  size_t applied = 0; // fixes applied over all rounds
  // The analysis of `text` (what analyze_text returns for it) when the rounds ended because it
  // had no fix left to apply; nullopt when they ran out first. Callers that show what remains
  // after fixing read it instead of analysing the text once more.
  std::optional<std::vector<Finding>> remaining;
};

// Applies `edits` (non-overlapping, any order) to `text`, back to front.
std::string apply_edits(std::string_view text, std::vector<TextEdit> edits);

// `findings`: the analysis of `text` with the same path and selection when the caller already
// has it, which saves the first round's analysis.
FixOutcome fix_text(const std::string& path, std::string_view text, const RuleSelection& selection,
                    bool include_unsafe, std::optional<std::vector<Finding>> findings = {});

}  // namespace mlroast
