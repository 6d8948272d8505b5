// ML504 missing-zero-grad: a training loop with backward() and optimizer.step() but no zero_grad.
#include <string>

#include "analysis/rules/rule.hpp"
#include "analysis/rules/torch_facts.hpp"

namespace mlroast::rules {
namespace {

constexpr std::string_view kDoc = R"md(# ML504 missing-zero-grad

## What it finds
A PyTorch training loop, i.e. the innermost `for`/`while` loop that calls an optimizer's
`step()` (an object built by `torch.optim.*`, also through `scaler.step(optimizer)` and through
function parameters whose call sites pass the optimizer) and a `.backward()`, in which gradients
are never reset: no `zero_grad()` on that optimizer (or on the model whose parameters it was
built from), no `p.grad = None` or `p.grad.zero_()` anywhere in the loop, including in functions
defined in the file that the loop calls. Each optimizer is judged on its own: a GAN loop that
zeroes the generator's optimizer but not the discriminator's is reported. The finding is on the
`backward()` call that feeds the un-reset step, with the step as related location. A `zero_grad()` only in an outer loop (once per epoch) still leaves gradients summed over
every batch of the epoch and is reported.

Not reported: gradient accumulation that resets every k steps
(`if (i + 1) % accum == 0: optimizer.step(); optimizer.zero_grad()`), an LBFGS closure that zeroes
inside, a step function called by the loop that zeroes, loops whose optimizer is not known to be
a torch optimizer (schedulers' `step()` are not optimizer steps).

## Why it matters
`backward()` adds into `.grad`; it does not overwrite. Without a reset, the gradient used at step
t is the sum of all gradients since the start: updates grow without bound, the loss oscillates or
diverges, and momentum-based optimizers amplify it. The script runs without an error and produces
a poor model.

## Example
```python
for xb, yb in loader:
    loss = criterion(model(xb), yb)
    loss.backward()
    optimizer.step()
```

## Use instead
```python
for xb, yb in loader:
    optimizer.zero_grad(set_to_none=True)
    loss = criterion(model(xb), yb)
    loss.backward()
    optimizer.step()
```

## Fix safety
The fix inserts `<optimizer>.zero_grad()` on its own line just before the statement that calls
`backward()`, with the same indentation. It is unsafe: it changes every update of the training
run (which is the point), and a loop that deliberately sums gradients over a whole epoch would
need `zero_grad()` elsewhere. No fix is offered when the `backward()` statement does not start its
own line or the optimizer is not a plain name or `self` attribute.

## References
- PyTorch docs, `torch.optim.Optimizer.zero_grad` and "Optimizing Model Parameters" tutorial
  ("Gradients by default add up; to prevent double-counting, we explicitly zero them at each
  iteration").
)md";

constexpr RuleInfo kInfo{"ML504",
                         "missing-zero-grad",
                         Category::DeepLearning,
                         Severity::Error,
                         FixAvailability::Sometimes,
                         "Training loop calls backward() and step() but never zero_grad()",
                         kDoc};

using syntax::Node;

bool resets_gradients(Node scope, const torchfacts::TorchFacts& facts, Node opt, int depth);

bool resets_in_call(Node call, const torchfacts::TorchFacts& facts, Node opt, int depth) {
  Node f = call.field("function");
  if (f.kind() != "identifier" || depth > 2) return false;
  Node def = facts.function_def(facts.text_of(f));
  return def && resets_gradients(def.field("body"), facts, opt, depth + 1);
}

// True when a `zero_grad()` on `recv` resets the gradients `opt` steps with: the same optimizer,
// a module whose parameters the optimizer was built from, or an object the analysis cannot see.
bool resets_for(Node recv, const torchfacts::TorchFacts& facts, Node opt) {
  Node opt_ctor = facts.constructor(opt);
  if (facts.is_optimizer(recv)) return facts.constructor(recv) == opt_ctor;
  if (!opt_ctor) return true;
  if (facts.is_module_type(facts.object_type(recv))) {
    std::string_view args = facts.text_of(opt_ctor.field("arguments"));
    std::string_view name = facts.text_of(recv);
    return args.find(name) != std::string_view::npos || args.find("self.parameters") != std::string_view::npos;
  }
  return true;
}

// True when `scope` zeroes the gradients of `opt` somewhere (directly or in a function it calls).
bool resets_gradients(Node scope, const torchfacts::TorchFacts& facts, Node opt, int depth) {
  bool found = false;
  syntax::walk(scope, [&](Node n) {
    if (found) return false;
    if (n.kind() == "call") {
      std::string_view m = facts.method_name(n);
      if (m == "zero_grad") found = resets_for(n.field("function").field("object"), facts, opt);
      else if (m == "zero_" && facts.text_of(n.field("function").field("object")).ends_with(".grad"))
        found = true;
      else if (resets_in_call(n, facts, opt, depth)) found = true;
    }
    if (n.kind() == "assignment" && n.field("left").kind() == "attribute" &&
        facts.text_of(n.field("left").field("attribute")) == "grad" &&
        n.field("right").kind() == "none")
      found = true;
    return !found;
  });
  return found;
}

class MissingZeroGrad final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  Lineage lineage() const override { return Lineage::None; }

  void finish(RuleContext& ctx) override {
    if (!ctx.sem().imports("torch")) return;
    const torchfacts::TorchFacts& facts = torch_facts(ctx);
    for (const auto& loop : facts.training_loops()) {
      if (facts.object_type(loop.optimizer) == "torch.optim.LBFGS") continue;
      if (resets_gradients(loop.loop, facts, loop.optimizer, 0)) continue;
      std::string opt(ctx.text_of(loop.optimizer));
      Finding f = finding(loop.backward,
                          "Gradients are never reset in this training loop: `backward()` adds to "
                          "`.grad`, so each `" + opt + ".step()` applies the sum of all past "
                          "gradients; call `" + opt + ".zero_grad()` every iteration");
      f.related.push_back({TextRange::of(loop.step), "optimizer step without zero_grad"});
      f.fix = insert_fix(loop, opt, ctx);
      ctx.report(std::move(f));
    }
  }

 private:
  std::optional<Fix> insert_fix(const torchfacts::TrainingLoop& loop, const std::string& opt,
                                const RuleContext& ctx) const {
    Node opt_node = loop.optimizer;
    bool plain = opt_node.kind() == "identifier" ||
                 (opt_node.kind() == "attribute" &&
                  ctx.text_of(opt_node.field("object")) == "self" &&
                  opt_node.field("object").kind() == "identifier");
    if (!plain) return std::nullopt;
    Node stmt = loop.backward;
    while (stmt && stmt.parent() && stmt.parent().kind() != "block") stmt = stmt.parent();
    if (!stmt || stmt.kind() != "expression_statement") return std::nullopt;
    std::string_view text = ctx.text();
    uint32_t line = stmt.start_byte();
    while (line > 0 && text[line - 1] != '\n') --line;
    std::string_view indent = text.substr(line, stmt.start_byte() - line);
    if (indent.find_first_not_of(" \t") != std::string_view::npos) return std::nullopt;
    Fix fix;
    fix.title = "Call `" + opt + ".zero_grad()` before `backward()`";
    fix.applicability = Applicability::Unsafe;
    fix.edits.push_back(TextEdit{line, line, std::string(indent) + opt + ".zero_grad()\n"});
    return fix;
  }
};

}  // namespace

std::unique_ptr<Rule> make_missing_zero_grad() { return std::make_unique<MissingZeroGrad>(); }

}  // namespace mlroast::rules
