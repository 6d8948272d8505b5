// Per-code remedies for the review's action plan (advice.cpp), and the damage ranking and report
// section of a finding (ranking.cpp). Both work from the code and the rule's Category, so rules
// added later slot in without edits here: a code missing from a table falls back by category.
#pragma once

#include <string>
#include <string_view>

#include "analysis/finding.hpp"
#include "analysis/rules/rule.hpp"

namespace mlroast::review {

// The remedy for `code` from the shared RULES.md table ("move the fit after the split: ..."),
// else a category fallback.
std::string remedy(std::string_view code, Category category);

// The report's issue sections, in the spec's order.
enum class Section { Critical, Modeling, Mlops, CodeQuality };
inline constexpr int kSectionCount = 4;
const char* section_title(Section s);  // "🔴 Critical Issues — Will Burn You in Production"
const char* section_key(Section s);    // "critical", "modeling", "mlops", "code_quality" (JSON)

// Which section a finding of `code` goes to: leakage and data quality are critical, time-series
// and deep-learning errors too (their warnings are methodology), evaluation is methodology,
// reproducibility/MLOps (ML6xx, P-rules) is MLOps, code quality is engineering; overrides where
// the spec places a rule elsewhere (ML704/ML705/ML709 critical; P11 engineering).
Section section_of(std::string_view code, Category category, Severity severity);

// The expected-damage tier of a finding (1 = worst), EVIDENCE.md's ranking: 1 test set used for
// selection (ML107, ML111); 2 target in features / same-period or rolling target aggregates
// (ML109, ML203, ML202); 3 duplication or overlap (ML103, ML108, ML110); 4 shuffled temporal split
// (ML201); 5 supervised selection or target encoding on all rows (ML104, ML105); 6 unsupervised
// statistics on all rows (ML101, ML102, ML106); then by severity for every other code: 7 errors
// (production breakage: ML3xx/ML5xx/ML7xx errors, P10), 8 warnings, 9 information.
int damage_tier(std::string_view code, Severity severity);

// A sentence on the measured size of the damage for a tier or code, naming its source
// (EVIDENCE.md); empty when the evidence table says nothing about it.
std::string evidence_for(std::string_view code, int tier);

}  // namespace mlroast::review
