// ML502 bce-without-sigmoid: BCELoss applied to raw model outputs (logits).
#include <set>
#include <string>

#include "analysis/rules/call_args.hpp"
#include "analysis/rules/rule.hpp"
#include "analysis/torch/keras_model.hpp"
#include "analysis/rules/torch_facts.hpp"

namespace mlroast::rules {
namespace {

constexpr std::string_view kDoc = R"md(# ML502 bce-without-sigmoid

## What it finds
A PyTorch `nn.BCELoss` (or `F.binary_cross_entropy`) called on a tensor that is provably raw:
the output of a `Linear`/`Conv` layer, of an `nn.Sequential` that ends in one, or of an
`nn.Module` defined in the file whose `forward()` returns such an output on every path. The output
is traced through names, `forward()`, `self(x)` and function parameters whose call sites agree,
with any import alias.

Keras has the same mistake: `compile(loss="binary_crossentropy")` (or `BinaryCrossentropy()`,
default `from_logits=False`) for a model whose last layer is a `Dense`/`Conv` layer with no or
`"linear"` activation. Keras then treats the raw outputs as probabilities and clips them to
[eps, 1 - eps], so gradients vanish for every output outside that range: training runs without an
error and learns little. It is reported on the loss argument.

Not reported: outputs that went through `torch.sigmoid`, `F.sigmoid`, `x.sigmoid()`,
`nn.Sigmoid()` (in `forward()` or in a Sequential); `nn.BCEWithLogitsLoss`; outputs whose origin
the analysis cannot see (a library model, a tensor expression such as `x @ w + b`, a `forward()`
whose returns disagree, an `nn.Sequential` that gets layers added with `add_module`/`append`). Unknown is treated as correct.

## Why it matters
`BCELoss` expects probabilities in [0, 1] and takes their logarithm. A linear layer's outputs are
unbounded: PyTorch raises "all elements of input should be between 0 and 1" on the first batch
that leaves the range (on GPU as a device-side assert that kills the process), and values that
happen to lie in range train a model with the wrong objective. Sigmoid followed by `BCELoss` is
also less stable than `BCEWithLogitsLoss`, which fuses both with the log-sum-exp trick.

## Example
```python
model = nn.Sequential(nn.Linear(30, 16), nn.ReLU(), nn.Linear(16, 1))
criterion = nn.BCELoss()
loss = criterion(model(x).squeeze(1), y)
```

## Use instead
```python
criterion = nn.BCEWithLogitsLoss()
loss = criterion(model(x).squeeze(1), y)
probs = torch.sigmoid(model(x))  # where probabilities are needed
```

## Fix safety
The fix renames `BCELoss` to `BCEWithLogitsLoss` (`binary_cross_entropy` to
`binary_cross_entropy_with_logits`) when the call only uses arguments both accept (`weight`,
`reduction`). It is unsafe: the loss then matches the outputs, but code that reads the model's
outputs as probabilities (a `> 0.5` threshold, a metric) must apply `sigmoid` itself.

## References
- PyTorch docs, `torch.nn.BCELoss` and `torch.nn.BCEWithLogitsLoss` ("more numerically stable
  than using a plain Sigmoid followed by a BCELoss").
- ml-review-spec: wrong loss function for the task (BCELoss without sigmoid).
)md";

constexpr RuleInfo kInfo{"ML502",
                         "bce-without-sigmoid",
                         Category::DeepLearning,
                         Severity::Error,
                         FixAvailability::Sometimes,
                         "BCELoss applied to raw outputs without a sigmoid",
                         kDoc};

using torchfacts::Activation;

class BceWithoutSigmoid final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  Lineage lineage() const override { return Lineage::None; }

  void finish(RuleContext& ctx) override {
    if (!ctx.sem().imports("torch") && !ctx.sem().imports("keras") &&
        !ctx.sem().imports("tensorflow"))
      return;
    const torchfacts::TorchFacts& facts = torch_facts(ctx);
    if (facts.uses_keras()) check_keras(facts, ctx);
    std::set<const void*> fixed;
    for (const auto& loss : facts.loss_calls()) {
      if (loss.type != "torch.nn.BCELoss" || !loss.input) continue;
      torchfacts::ActivationSite a = facts.activation_of(loss.input);
      if (a.kind != Activation::Raw) continue;
      Finding f = finding(loss.call,
                          "BCELoss on raw outputs (no sigmoid): it expects probabilities in [0, 1]; "
                          "use BCEWithLogitsLoss on the logits");
      if (a.where) f.related.push_back({TextRange::of(a.where), "raw output produced here"});
      syntax::Node call = loss.ctor ? loss.ctor : loss.call;
      if (fixed.insert(call.id()).second) f.fix = rename_fix(call, static_cast<bool>(loss.ctor), ctx);
      ctx.report(std::move(f));
    }
  }

 private:
  // Keras: binary cross-entropy on probabilities (the default from_logits=False) for a model
  // whose last layer outputs raw values.
  void check_keras(const torchfacts::TorchFacts& facts, RuleContext& ctx) const {
    for (const auto& c : torchfacts::keras_cross_entropy_compiles(facts)) {
      if (c.kind != torchfacts::KerasLossKind::Binary || c.from_logits) continue;
      torchfacts::ActivationSite a = torchfacts::keras_output_activation(facts, c.model);
      if (a.kind != Activation::Raw) continue;
      Finding f = finding(c.loss, "Binary cross-entropy expects probabilities, but the last layer "
                                  "(line " + std::to_string(a.where.start_point().row + 1) +
                                  ") has no sigmoid: Keras clips the raw outputs to [eps, 1-eps]; "
                                  "add activation=\"sigmoid\" or use from_logits=True");
      f.related.push_back({TextRange::of(a.where), "raw output layer"});
      ctx.report(std::move(f));
    }
  }

  std::optional<Fix> rename_fix(syntax::Node call, bool ctor, const RuleContext& ctx) const {
    syntax::Node fn = call.field("function");
    if (fn.kind() != "attribute") return std::nullopt;  // imported name: the import changes too
    std::string_view from = ctor ? "BCELoss" : "binary_cross_entropy";
    std::string_view to = ctor ? "BCEWithLogitsLoss" : "binary_cross_entropy_with_logits";
    std::string_view text = ctx.text_of(fn);
    if (!text.ends_with(from)) return std::nullopt;
    if (!only_known_args(call, ctor ? 1 : 3, {"weight", "reduction", "input", "target"}, ctx))
      return std::nullopt;
    Fix fix;
    fix.title = "Use `" + std::string(to) + "` on the logits";
    fix.applicability = Applicability::Unsafe;
    fix.edits.push_back(TextEdit{static_cast<uint32_t>(fn.end_byte() - from.size()), fn.end_byte(),
                                 std::string(to)});
    return fix;
  }
};

}  // namespace

std::unique_ptr<Rule> make_bce_without_sigmoid() { return std::make_unique<BceWithoutSigmoid>(); }

}  // namespace mlroast::rules
