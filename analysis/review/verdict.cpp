// The verdict (shared REPORT.md, "Verdict decision"), first matching row wins:
//  1. Fundamental methodological failure: the reported evaluation is invalid — test data used for
//     selection or tuning (ML107, ML111), target in features (ML109), target-window aggregation or
//     rolling (ML202, ML203), shuffled split on temporal data (ML201), rows duplicated or
//     synthesised before the split (ML103, ML108).
//  2. Proof-of-concept masquerading as production: a leak or methodology error of lesser damage
//     (ML101, ML102, ML104-ML106, ML110, any error-severity ML4xx). Refinement: with production
//     intent (serving code, saved models or model files) or without it — the number is not
//     trustworthy either way, and the other three categories all require "no leak".
//  3. Prototype with a clear path to production: no leak; engineering largely absent — the
//     project is notebook-only (P11), or two of: no tests (P06), unpinned dependencies (P01),
//     no declared Python version (P02).
//  4. Technically functional but operationally blind: no leak, engineered, but no experiment
//     tracking (P03) or no data validation (P05), or serving without monitoring (P09).
//  5. Actually solid with fixable gaps: everything else.
#include <algorithm>

#include "analysis/review/report.hpp"
#include "analysis/rules/rule.hpp"

namespace mlroast::review {

namespace {

std::vector<std::string> cited(const std::vector<Located>& all, std::initializer_list<std::string_view> codes,
                               bool evaluation_errors = false) {
  std::vector<std::string> out;
  for (const Located& l : all) {
    bool hit = std::find(codes.begin(), codes.end(), l.finding.code) != codes.end();
    if (!hit && evaluation_errors && l.finding.severity == Severity::Error) {
      const RuleInfo* info = find_rule(l.finding.code);
      hit = info != nullptr && info->category == Category::Evaluation;
    }
    if (hit) out.push_back(l.finding.code + " " + l.where());
  }
  std::stable_sort(out.begin(), out.end(), [](const std::string& a, const std::string& b) {
    return a.substr(0, a.find(' ')) < b.substr(0, b.find(' '));
  });
  return out;
}

std::string list(const std::vector<std::string>& v, std::size_t max = 4) {
  std::string out;
  for (std::size_t i = 0; i < v.size() && i < max; ++i) out += (i ? ", " : "") + v[i];
  if (v.size() > max) out += " and " + std::to_string(v.size() - max) + " more";
  return out;
}

}  // namespace

Verdict decide_verdict(const Posture& p, const std::vector<Located>& all) {
  Verdict v;
  auto fundamental = cited(all, {"ML107", "ML111", "ML109", "ML202", "ML203", "ML201", "ML103", "ML108"});
  if (!fundamental.empty()) {
    v.category = "Fundamental methodological failure";
    v.deciding = fundamental;
    v.reason = "The reported results are not valid: " + list(fundamental) +
               ". The test set was used to choose, or leaked into, what it is supposed to judge, so every "
               "number this project reports is an optimistic estimate of unknown size. Restart from the "
               "evaluation strategy: a validation split or cross-validation for every choice, and one "
               "untouched test set scored once.";
    return v;
  }
  auto lesser = cited(all, {"ML101", "ML102", "ML104", "ML105", "ML106", "ML110"}, true);
  if (!lesser.empty()) {
    const bool production = p.serving.present || !p.model_files.empty() ||
                            std::any_of(all.begin(), all.end(), [](const Located& l) {
                              return l.finding.code == "P08";
                            });
    v.category = "Proof-of-concept masquerading as production";
    v.deciding = lesser;
    v.reason = "The code produces a number, but the methodology behind it is broken: " + list(lesser) +
               ". " + (production ? "It is nevertheless wired for production (" +
                                        (p.serving.present ? "serving code in " + p.serving.evidence
                                                           : std::string("saved models")) +
                                        "), so the untrustworthy number is what users will get."
                                  : "Nothing here justifies trusting the reported metric yet.");
    return v;
  }
  auto has = [&](std::string_view code) {
    return std::any_of(all.begin(), all.end(), [&](const Located& l) { return l.finding.code == code; });
  };
  auto codes = [&](std::initializer_list<std::string_view> cs) {
    std::vector<std::string> out;
    for (std::string_view c : cs)
      if (has(c)) out.emplace_back(c);
    return out;
  };
  auto engineering = codes({"P06", "P01", "P02"});
  if (has("P11") || engineering.size() >= 2) {
    v.category = "Prototype with a clear path to production";
    v.deciding = has("P11") ? codes({"P11", "P06", "P01", "P02"}) : engineering;
    v.reason = "No leakage was found and the methodology holds, but the engineering does not exist yet: " +
               list(v.deciding) + ". Nothing here can be installed reproducibly, tested or scheduled.";
    return v;
  }
  auto blind = codes({"P03", "P05", "P09"});
  if (!blind.empty()) {
    v.category = "Technically functional but operationally blind";
    v.deciding = blind;
    v.reason = "The methodology is correct and the code is engineered, but nobody will see it fail: " +
               list(blind) + ". It works until it silently doesn't.";
    return v;
  }
  v.category = "Actually solid with fixable gaps";
  for (const Located& l : all) v.deciding.push_back(l.finding.code + " " + l.where());
  v.reason = "No leakage, the engineering is in place and most of the MLOps checklist is present." +
             (v.deciding.empty() ? std::string(" No finding remains.")
                                 : " Remaining gaps: " + list(v.deciding) + ".");
  return v;
}

}  // namespace mlroast::review
