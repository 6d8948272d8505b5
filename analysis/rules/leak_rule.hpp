// Shared machinery of the leakage rules ML101-ML106: each rule keeps the leaks of one family
// found by lineage::find_leaks, reports one finding on the learning site naming both ends, and
// attaches every downstream end (the split, the CV call, the evaluation) as related locations.
#pragma once

#include <memory>

#include "analysis/lineage/leaks.hpp"
#include "analysis/rules/rule.hpp"

namespace mlroast::rules {

// `consequence` completes the message: "so test rows shape the scaling".
std::unique_ptr<Rule> make_leak_rule(const RuleInfo& info, lineage::LeakFamily family,
                                     std::string_view consequence);

// The source text of the data a learn event learned from (the fit's first argument, the
// receiver of `.mean()`), shortened for messages.
std::string learned_from_text(const RuleContext& ctx, const lineage::LearnEvent& e);

}  // namespace mlroast::rules
