// ML508 constant-learning-rate: a training loop (or Keras fit) with no learning-rate schedule.
#include <string>

#include "analysis/rules/rule.hpp"
#include "analysis/rules/torch_facts.hpp"

namespace mlroast::rules {
namespace {

constexpr std::string_view kDoc = R"md(# ML508 constant-learning-rate

## What it finds
A deep-learning training run whose learning rate never changes, judged on the whole file:
a PyTorch training loop (a loop calling `backward()` and a `torch.optim` optimizer's `step()`)
and no schedule anywhere in the file: no `torch.optim.lr_scheduler.*` (imported or called), no
`transformers` / `timm` schedule helper, no manual update of `param_groups[...]["lr"]`. Reported
once, on the constructor of the optimizer of the first training loop (the line where the
constant rate is chosen).

Not reported: adversarial training, where two optimizers step in the same loop (a GAN's
generator and discriminator, an actor and a critic): these are conventionally trained at a
constant rate with Adam (Radford et al., DCGAN, 2016), and a decay there is a deliberate choice,
not a default; Keras (`model.fit` runs the loop and a schedule can hide in the optimizer object
or in any custom callback, so intent is unclear from one file), `LBFGS` (its line search sets the
step), training code the analysis cannot see as a loop (Lightning's `Trainer` runs the loop; its schedule lives in `configure_optimizers`), files
where any schedule exists even if the analysis cannot tell which optimizer it drives. Where intent
is unclear the rule stays silent.

## Why it matters
A rate small enough to be stable at the end of training is needlessly slow at the start, and a
rate fast enough for the start keeps the weights bouncing around the minimum at the end. Decaying
schedules (step, cosine, one-cycle, warmup then decay) and plateau reduction routinely reach a
better loss in the same number of epochs; a constant rate leaves that on the table, and for
transformers the missing warmup can make training diverge.

## Example
```python
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
for epoch in range(90):
    for xb, yb in loader:
        ...
        optimizer.step()
```

## Use instead
```python
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=90)
for epoch in range(90):
    for xb, yb in loader:
        ...
        optimizer.step()
    scheduler.step()
```

## Fix safety
No fix is offered: the schedule's shape and length depend on the run.

## References
- PyTorch docs, "How to adjust learning rate" (`torch.optim.lr_scheduler`).
- Loshchilov & Hutter, "SGDR: Stochastic Gradient Descent with Warm Restarts", ICLR 2017.
- ml-review-spec: learning rate not scheduled.
)md";

constexpr RuleInfo kInfo{"ML508",
                         "constant-learning-rate",
                         Category::DeepLearning,
                         Severity::Info,
                         FixAvailability::None,
                         "Training with a constant learning rate (no scheduler anywhere)",
                         kDoc};

using syntax::Node;

bool contains(std::string_view s, std::string_view part) {
  return s.find(part) != std::string_view::npos;
}

bool has_schedule(const torchfacts::TorchFacts& facts, Node root) {
  const auto& sem = facts.sem();
  if (sem.imports("torch.optim.lr_scheduler") || sem.imports("timm.scheduler")) return true;
  for (const auto& im : sem.all_imports())
    if (contains(im.qualified, "schedule") || contains(im.qualified, "LearningRateScheduler") ||
        contains(im.qualified, "ReduceLROnPlateau"))
      return true;
  for (Node c : facts.calls()) {
    const std::string& q = sem.callee(c);
    if (contains(q, "lr_scheduler") || contains(q, "schedule") ||
        contains(q, "LearningRateScheduler") || contains(q, "ReduceLROnPlateau") ||
        contains(q, "CosineDecay") || contains(q, "ExponentialDecay") ||
        contains(q, "PiecewiseConstantDecay") || contains(q, "PolynomialDecay"))
      return true;
  }
  // A manual schedule: param_group["lr"] = ... / optimizer.lr.assign(...) / K.set_value(...lr...)
  bool manual = false;
  syntax::walk(root, [&](Node n) {
    if (manual) return false;
    if (n.kind() == "assignment" || n.kind() == "augmented_assignment") {
      Node left = n.field("left");
      if (left.kind() == "subscript") {
        std::string_view idx = facts.text_of(left.field("subscript"));
        if (idx == "\"lr\"" || idx == "'lr'") manual = true;
      }
      if (left.kind() == "attribute" &&
          (facts.text_of(left.field("attribute")) == "lr" ||
           facts.text_of(left.field("attribute")) == "learning_rate"))
        manual = true;
    }
    return !manual;
  });
  return manual;
}

// Two optimizers stepping in one loop: adversarial training (a GAN's generator and
// discriminator, an actor and a critic), conventionally run at a constant rate with Adam.
bool adversarial(const torchfacts::TorchFacts& facts, const torchfacts::TrainingLoop& loop) {
  const std::string first = std::string(facts.text_of(loop.optimizer));
  bool other = false;
  syntax::walk(loop.loop, [&](Node n) {
    if (other) return false;
    if (n.kind() != "call") return true;
    Node fn = n.field("function");
    if (fn.kind() != "attribute" || facts.text_of(fn.field("attribute")) != "step") return true;
    Node recv = fn.field("object");
    other = facts.text_of(recv) != first && facts.object_type(recv).starts_with("torch.optim.") &&
            !facts.object_type(recv).starts_with("torch.optim.lr_scheduler");
    return !other;
  });
  return other;
}

class ConstantLearningRate final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  Lineage lineage() const override { return Lineage::None; }

  void finish(RuleContext& ctx) override {
    const auto& sem = ctx.sem();
    if (!sem.imports("torch")) return;
    Node root = ctx.file().tree->root();
    const torchfacts::TorchFacts& facts = torch_facts(ctx);
    if (facts.training_loops().empty()) return;
    for (const auto& loop : facts.training_loops())
      if (facts.object_type(loop.optimizer) == "torch.optim.LBFGS") return;
    if (has_schedule(facts, root)) return;
    const auto& loop = facts.training_loops().front();
    if (adversarial(facts, loop)) return;
    Node ctor = facts.constructor(loop.optimizer);
    Finding f = finding(ctor ? ctor : loop.step,
                        "The learning rate stays constant for the whole run: no scheduler "
                        "anywhere in the file; decay it (CosineAnnealingLR, OneCycleLR, "
                        "warmup + decay) or reduce it on plateau");
    if (ctor) f.related.push_back({TextRange::of(loop.step), "every step uses the same rate"});
    ctx.report(std::move(f));
  }
};

}  // namespace

std::unique_ptr<Rule> make_constant_learning_rate() {
  return std::make_unique<ConstantLearningRate>();
}

}  // namespace mlroast::rules
