// ML507 no-gradient-clipping: RNN/LSTM/GRU/Transformer training without gradient clipping.
#include <string>

#include "analysis/rules/rule.hpp"
#include "analysis/rules/torch_facts.hpp"

namespace mlroast::rules {
namespace {

constexpr std::string_view kDoc = R"md(# ML507 no-gradient-clipping

## What it finds
Training of a recurrent or attention model with no gradient clipping anywhere in the file:
- PyTorch: the file builds an `nn.RNN`, `nn.LSTM`, `nn.GRU`, `nn.Transformer*` or
  `nn.MultiheadAttention` (any import alias), has a training loop (a loop calling `backward()` and
  a `torch.optim` optimizer's `step()`), and never calls `clip_grad_norm_` / `clip_grad_value_`
  (`torch.nn.utils.*`, `accelerator.clip_grad_norm_`, ...) nor sets Lightning's
  `gradient_clip_val`. Reported once, on the optimizer `step()` of the first training loop.
- Keras: the file builds `LSTM`/`GRU`/`SimpleRNN`/`MultiHeadAttention` layers and compiles a model,
  and no optimizer anywhere is given `clipnorm`, `clipvalue` or `global_clipnorm`. Reported once,
  on the `compile` call.

Not reported: files with any clipping call or setting (the rule does not try to prove it covers
the right parameters), models without recurrent/attention layers, training the analysis does not
see as a loop (Lightning's `Trainer` without `gradient_clip_val` is left alone: the loop is not
in the file).

## Why it matters
Backpropagation through time multiplies the recurrent Jacobian once per step: on long sequences
gradients explode, and one bad batch produces a huge update that silently corrupts the weights
(the loss jumps to NaN or never recovers). Transformers show the same spikes, especially early in
training. Clipping the global gradient norm (typically to 1.0) bounds every update at almost no
cost.

## Example
```python
for xb, yb in loader:
    optimizer.zero_grad()
    loss = criterion(model(xb), yb)
    loss.backward()
    optimizer.step()
```

## Use instead
```python
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
    optimizer.step()
```

## Fix safety
No fix is offered: the parameters to clip and the threshold are the author's choice.

## References
- Pascanu, Mikolov & Bengio, "On the difficulty of training recurrent neural networks",
  ICML 2013.
- PyTorch docs, `torch.nn.utils.clip_grad_norm_`; Keras optimizer `clipnorm` / `global_clipnorm`.
- ml-review-spec: no gradient clipping in RNN/transformer training.
)md";

constexpr RuleInfo kInfo{"ML507",
                         "no-gradient-clipping",
                         Category::DeepLearning,
                         Severity::Info,
                         FixAvailability::None,
                         "RNN/LSTM/GRU/Transformer trained without gradient clipping",
                         kDoc};

using syntax::Node;

bool keras_sequence_layer(std::string_view q) {
  if (q.rfind("keras.", 0) != 0 && q.rfind("tensorflow.keras.", 0) != 0) return false;
  for (std::string_view s : {".LSTM", ".GRU", ".SimpleRNN", ".MultiHeadAttention"})
    if (q.ends_with(s)) return true;
  return false;
}

class NoGradientClipping final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  Lineage lineage() const override { return Lineage::None; }

  void finish(RuleContext& ctx) override {
    const auto& sem = ctx.sem();
    bool torch = sem.imports("torch");
    bool keras = sem.imports("keras") || sem.imports("tensorflow");
    if (!torch && !keras) return;
    Node root = ctx.file().tree->root();
    const torchfacts::TorchFacts& facts = torch_facts(ctx);
    // Any clipping in the file silences the rule.
    bool clipped = false;
    syntax::walk(root, [&](Node n) {
      if (clipped) return false;
      if (n.kind() == "identifier") {
        std::string_view t = ctx.text_of(n);
        if (t == "clip_grad_norm_" || t == "clip_grad_value_" || t == "clip_grad_norm" ||
            t == "clip_gradients" || t == "clip_by_global_norm")
          clipped = true;
      }
      if (n.kind() == "keyword_argument") {
        std::string_view k = ctx.text_of(n.field("name"));
        if (k == "gradient_clip_val" || k == "clipnorm" || k == "clipvalue" ||
            k == "global_clipnorm" || k == "max_grad_norm")
          clipped = true;
      }
      return !clipped;
    });
    if (clipped) return;

    Node torch_layer, keras_layer, compile;
    for (Node c : facts.calls()) {
      std::string q = sem.callee(c);  // a copy: rewritten below
      if (q.rfind("torch.nn.modules.", 0) == 0) q = "torch.nn." + q.substr(q.rfind('.') + 1);
      if (!torch_layer && torchfacts::is_sequence_layer(q)) torch_layer = c;
      if (!keras_layer && keras_sequence_layer(q)) keras_layer = c;
      if (!compile && facts.method_name(c) == "compile" && keras) compile = c;
    }
    if (torch && torch_layer && !facts.training_loops().empty()) {
      const auto& loop = facts.training_loops().front();
      Finding f = finding(loop.step, "Gradients of the recurrent/attention model (" +
                                         std::string(ctx.text_of(torch_layer.field("function"))) +
                                         " at line " +
                                         std::to_string(torch_layer.start_point().row + 1) +
                                         ") are never clipped: one exploding batch can wreck the "
                                         "weights; call clip_grad_norm_ before step()");
      f.related.push_back({TextRange::of(torch_layer), "recurrent/attention layer built here"});
      ctx.report(std::move(f));
      return;
    }
    if (keras && keras_layer && compile) {
      Finding f = finding(compile, "The recurrent/attention model is compiled with an optimizer "
                                   "that never clips gradients; pass clipnorm= or "
                                   "global_clipnorm= to the optimizer");
      f.related.push_back({TextRange::of(keras_layer), "recurrent/attention layer built here"});
      ctx.report(std::move(f));
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_no_gradient_clipping() {
  return std::make_unique<NoGradientClipping>();
}

}  // namespace mlroast::rules
