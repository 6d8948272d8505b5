// The damage ranking and the section of each finding (see advice.hpp). The tiers follow the
// shared EVIDENCE.md ("Ranking used by the review"); the citations quote its table.
#include <array>

#include "analysis/review/advice.hpp"

namespace mlroast::review {

namespace {

struct Tier {
  std::string_view code;
  int tier;
};
constexpr std::array<Tier, 14> kTiers = {{
    {"ML107", 1}, {"ML111", 1},
    {"ML109", 2}, {"ML203", 2}, {"ML202", 2},
    {"ML103", 3}, {"ML108", 3}, {"ML110", 3},
    {"ML201", 4},
    {"ML104", 5}, {"ML105", 5},
    {"ML101", 6}, {"ML102", 6}, {"ML106", 6},
}};

}  // namespace

const char* section_title(Section s) {
  switch (s) {
    case Section::Critical: return "🔴 Critical Issues — Will Burn You in Production";
    case Section::Modeling: return "🟠 Modeling & Methodology Issues";
    case Section::Mlops: return "🟡 MLOps & Reproducibility Gaps";
    case Section::CodeQuality: return "🟢 Code Quality & Engineering";
  }
  return "";
}

const char* section_key(Section s) {
  switch (s) {
    case Section::Critical: return "critical";
    case Section::Modeling: return "modeling";
    case Section::Mlops: return "mlops";
    case Section::CodeQuality: return "code_quality";
  }
  return "";
}

Section section_of(std::string_view code, Category category, Severity severity) {
  if (code == "ML704" || code == "ML705" || code == "ML709") return Section::Critical;
  if (code == "P11") return Section::CodeQuality;
  switch (category) {
    case Category::Leakage:
      return Section::Critical;
    case Category::DataQuality:  // info-level gaps (ML308: no duplicate check) are methodology
      return severity == Severity::Info ? Section::Modeling : Section::Critical;
    case Category::TimeSeries:
    case Category::DeepLearning:
      return severity == Severity::Error ? Section::Critical : Section::Modeling;
    case Category::Evaluation:
      return Section::Modeling;
    case Category::Reproducibility:
      return Section::Mlops;
    case Category::CodeQuality:
      return Section::CodeQuality;
  }
  return Section::CodeQuality;
}

int damage_tier(std::string_view code, Severity severity) {
  for (const Tier& t : kTiers)
    if (t.code == code) return t.tier;
  switch (severity) {
    case Severity::Error: return 7;
    case Severity::Warning: return 8;
    case Severity::Info: return 9;
  }
  return 9;
}

std::string evidence_for(std::string_view code, int tier) {
  if (code == "ML401" || code == "ML402" || code == "ML410")
    return "Roth (2026, 2,047 benchmark datasets): the choice of metric flips model rankings on 31% "
           "of datasets.";
  if (code == "ML406" || code == "ML204")
    return "Roth (2026): naive cross-validation confidence intervals covered the true score only 55% "
           "of the time at a nominal 95%; a single split says even less.";
  switch (tier) {
    case 1:
      return "Roth (2026, 2,047 benchmark datasets) measures selection leakage (test reuse for model "
             "selection, early stopping on test) as substantial, far above preprocessing leakage; "
             "Yang et al. (ASE 2022) found multi-test leakage among the three common kinds in public "
             "notebooks.";
    case 2:
      return "Kapoor & Narayanan (Patterns 2023) list illegitimate features (target proxies) and "
             "temporal leakage among the 8 failure modes behind 294 flawed papers; Roth (2026) "
             "measures temporal leakage at about +0.023 AUC, invisible under random CV.";
    case 3:
      return "Yang et al. (ASE 2022) detect overlap leakage (e.g. oversampling before the split) in "
             "public notebooks; Roth (2026): the inflation from duplicates grows with model capacity.";
    case 4:
      return "Roth (2026): temporal leakage is invisible under random CV and worth about +0.023 AUC on "
             "truly temporal data.";
    case 5:
      return "Roth (2026): supervised feature selection before the split is negligible at typical "
             "dimensionality and material when features far outnumber rows.";
    case 6:
      return "Roth (2026): fitting a scaler/encoder on all rows moves AUC by at most about 0.005 — an "
             "invalid protocol with a usually small numeric effect.";
    default:
      return {};
  }
}

}  // namespace mlroast::review
