// ML501 softmax-before-cross-entropy: softmax/log_softmax output fed to CrossEntropyLoss.
#include <map>
#include <set>
#include <string>

#include "analysis/rules/call_args.hpp"
#include "analysis/rules/rule.hpp"
#include "analysis/torch/keras_model.hpp"
#include "analysis/rules/torch_facts.hpp"

namespace mlroast::rules {
namespace {

constexpr std::string_view kDoc = R"md(# ML501 softmax-before-cross-entropy

## What it finds
A PyTorch `nn.CrossEntropyLoss` (or `F.cross_entropy`) called on a tensor that has already been
through `softmax` or `log_softmax`. The output is traced through names, through `forward()` of an
`nn.Module` subclass defined in the same file (its layers in `__init__`, `nn.Sequential`
containers ending in `nn.Softmax`/`nn.LogSoftmax`), through `self(x)` in a LightningModule, and
through function parameters when every call site passes the same model/criterion. Every import
alias is understood (`import torch.nn as nn`, `from torch import nn`,
`import torch.nn.functional as F`, `torch.softmax`, `x.softmax(dim=1)`).

Keras has the same mistake: a `CategoricalCrossentropy` / `SparseCategoricalCrossentropy` built
with `from_logits=True` in `compile()` for a model whose last layer applies softmax
(`Dense(n, activation="softmax")`, `Softmax()`, `Activation("softmax")`; Sequential list, `.add()`
calls or the functional API's output layer). It is reported on the loss argument.

Not reported: `nn.NLLLoss` after `log_softmax` (the correct pairing); Keras softmax outputs with
the default `from_logits=False`; a `forward()` that returns
logits while training and probabilities otherwise (`if self.training: return logits`: the returns
disagree, so the output is unknown); a softmax used only for reporting (`probs = logits.softmax(1)`
next to `criterion(logits, y)`); models from libraries whose `forward()` is not in the file.

## Why it matters
`CrossEntropyLoss` expects raw logits: it applies `log_softmax` itself. Fed probabilities, it
computes `log_softmax(softmax(z))`: the inputs are squashed into [0, 1], so the loss can never get
close to zero and its gradient shrinks as the model grows confident. Training converges slowly
to a worse model and the printed loss looks stuck near `log(C)` even when accuracy improves.
`log_softmax` before `CrossEntropyLoss` is not numerically wrong (`log_softmax` is idempotent,
so the result equals `NLLLoss` on the same outputs), but it computes the normalisation twice and
hides which loss the model was designed for; it is reported as a warning, with a safe fix.

## Example
```python
class Net(nn.Module):
    def forward(self, x):
        return F.softmax(self.fc2(F.relu(self.fc1(x))), dim=1)

criterion = nn.CrossEntropyLoss()
loss = criterion(model(xb), yb)
```

## Use instead
```python
class Net(nn.Module):
    def forward(self, x):
        return self.fc2(F.relu(self.fc1(x)))  # logits

criterion = nn.CrossEntropyLoss()
loss = criterion(model(xb), yb)
probs = model(xb).softmax(dim=1)  # probabilities only where they are consumed
```

## Fix safety
For `log_softmax` outputs, the fix replaces `nn.CrossEntropyLoss(...)` with `nn.NLLLoss(...)`
(`F.cross_entropy` with `F.nll_loss`). It is safe: on log-probabilities both compute the same
value and gradient, and it is only offered when the criterion's arguments are ones `NLLLoss`
accepts with the same meaning (`weight`, `ignore_index`, `reduction`; not `label_smoothing`).
No fix is offered for `softmax`: returning logits changes what `forward()` gives every other
caller (inference code, metrics), which needs a human.

## References
- PyTorch docs, `torch.nn.CrossEntropyLoss` ("The input is expected to contain the unnormalized
  logits for each class") and `torch.nn.NLLLoss`.
- ml-review-spec: wrong loss function for the task.
)md";

constexpr RuleInfo kInfo{"ML501",
                         "softmax-before-cross-entropy",
                         Category::DeepLearning,
                         Severity::Error,
                         FixAvailability::Sometimes,
                         "CrossEntropyLoss applied to softmax/log_softmax output instead of logits",
                         kDoc};

using torchfacts::Activation;

std::string line_of(syntax::Node n) { return std::to_string(n.start_point().row + 1); }

class SoftmaxBeforeCrossEntropy final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  Lineage lineage() const override { return Lineage::None; }

  void finish(RuleContext& ctx) override {
    if (!ctx.sem().imports("torch") && !ctx.sem().imports("keras") &&
        !ctx.sem().imports("tensorflow"))
      return;
    const torchfacts::TorchFacts& facts = torch_facts(ctx);
    if (facts.uses_keras()) check_keras(facts, ctx);
    // A criterion object shared by several calls gets the fix once, and only when every call
    // scores log-probabilities.
    std::map<const void*, bool> all_log;
    for (const auto& loss : facts.loss_calls()) {
      if (loss.type != "torch.nn.CrossEntropyLoss" || !loss.ctor) continue;
      bool log = loss.input && facts.activation_of(loss.input).kind == Activation::LogSoftmax;
      auto [it, fresh] = all_log.emplace(loss.ctor.id(), log);
      if (!fresh) it->second = it->second && log;
    }
    std::set<const void*> fixed;
    for (const auto& loss : facts.loss_calls()) {
      if (loss.type != "torch.nn.CrossEntropyLoss" || !loss.input) continue;
      torchfacts::ActivationSite a = facts.activation_of(loss.input);
      if (a.kind != Activation::Softmax && a.kind != Activation::LogSoftmax) continue;
      bool log = a.kind == Activation::LogSoftmax;
      std::string where = a.where ? " (applied at line " + line_of(a.where) + ")" : "";
      Finding f = finding(
          loss.call,
          log ? "CrossEntropyLoss on log_softmax output" + where +
                    ": it applies log_softmax again; use NLLLoss on log-probabilities or return "
                    "logits"
              : "CrossEntropyLoss on softmax output" + where +
                    ": it expects logits and applies log_softmax itself, so gradients shrink "
                    "and training stalls; return logits from the model");
      if (log) f.severity = Severity::Warning;
      if (a.where)
        f.related.push_back({TextRange::of(a.where), std::string(log ? "log_softmax" : "softmax") +
                                                         " applied here"});
      if (log && (!loss.ctor || (all_log[loss.ctor.id()] && fixed.insert(loss.ctor.id()).second)))
        f.fix = nll_fix(loss, ctx);
      ctx.report(std::move(f));
    }
  }

 private:
  // Keras: a categorical cross-entropy told it receives logits (`from_logits=True`) on a model
  // whose last layer applies softmax.
  void check_keras(const torchfacts::TorchFacts& facts, RuleContext& ctx) const {
    for (const auto& c : torchfacts::keras_cross_entropy_compiles(facts)) {
      if (c.kind != torchfacts::KerasLossKind::Categorical || !c.from_logits) continue;
      torchfacts::ActivationSite a = torchfacts::keras_output_activation(facts, c.model);
      if (a.kind != Activation::Softmax) continue;
      Finding f = finding(c.loss, "Cross-entropy with from_logits=True on a model whose last layer "
                                  "applies softmax (line " + line_of(a.where) +
                                  "): the probabilities go through softmax again; output logits "
                                  "or set from_logits=False");
      f.related.push_back({TextRange::of(a.where), "softmax applied here"});
      ctx.report(std::move(f));
    }
  }

  std::optional<Fix> nll_fix(const torchfacts::LossCall& loss, const RuleContext& ctx) const {
    syntax::Node call = loss.ctor ? loss.ctor : loss.call;
    syntax::Node fn = call.field("function");
    std::string_view text = ctx.text_of(fn);
    std::string_view from = loss.ctor ? "CrossEntropyLoss" : "cross_entropy";
    std::string_view to = loss.ctor ? "NLLLoss" : "nll_loss";
    if (text.size() < from.size() || text.substr(text.size() - from.size()) != from)
      return std::nullopt;  // imported under another name
    if (fn.kind() == "identifier") return std::nullopt;  // `from torch.nn import ...`: import too
    // Constructor: weight is the only positional; functional: input, target, weight.
    if (!only_known_args(call, loss.ctor ? 1 : 3,
                         {"weight", "ignore_index", "reduction", "input", "target"}, ctx))
      return std::nullopt;
    Fix fix;
    fix.title = "Use `" + std::string(to) + "` on log-probabilities";
    fix.applicability = Applicability::Safe;
    uint32_t end = fn.end_byte();
    fix.edits.push_back(TextEdit{static_cast<uint32_t>(end - from.size()), end, std::string(to)});
    return fix;
  }
};

}  // namespace

std::unique_ptr<Rule> make_softmax_before_cross_entropy() {
  return std::make_unique<SoftmaxBeforeCrossEntropy>();
}

}  // namespace mlroast::rules
