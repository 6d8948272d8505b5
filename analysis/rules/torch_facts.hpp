// The torch model facts of the file being analysed (analysis/torch/model_facts.hpp), built once
// per analysis and shared by the ML5xx rules, like workflow::facts for the ML40x rules.
#pragma once

#include <memory>

#include "analysis/rules/rule.hpp"
#include "analysis/torch/model_facts.hpp"

namespace mlroast::rules {

inline const torchfacts::TorchFacts& torch_facts(const RuleContext& ctx) {
  return ctx.shared<torchfacts::TorchFacts>([&] {
    return std::make_shared<torchfacts::TorchFacts>(ctx.file().tree->root(), ctx.sem());
  });
}

}  // namespace mlroast::rules
