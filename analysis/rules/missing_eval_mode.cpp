// ML505 missing-eval-mode: evaluation/inference without model.eval() or torch.no_grad().
#include <string>
#include <unordered_set>

#include "analysis/rules/rule.hpp"
#include "analysis/rules/torch_facts.hpp"

namespace mlroast::rules {
namespace {

constexpr std::string_view kDoc = R"md(# ML505 missing-eval-mode

## What it finds
A PyTorch model run for evaluation or inference, i.e. a forward call (`model(x)`,
`model.forward(x)`) of an `nn.Module` (a subclass defined in the file, an `nn.Sequential`, a
torchvision/timm/transformers model) outside training code (training code is the innermost loop
around a `backward()` call, or the function around it when it is in no loop), where
- autograd is still on: no enclosing `with torch.no_grad()` / `torch.inference_mode()` /
  `torch.set_grad_enabled(False)`, no such decorator, and not every caller of the function runs it
  under one of them; or
- the model was not switched to evaluation mode: no `model.eval()` (or `model.train(False)`) on
  the same model object before the call in the same function, or anywhere in another function
  (a caller that switches before calling an `evaluate(model, ...)` helper).

Reported once per function (or module) and model, on the first such call; the message says which
of the two is missing. Models are identified by data flow (the constructor they come from),
not by their names.

Not reported: forward calls inside a training loop (including micro-batch loops nested in it,
and helpers such as `compute_loss(model, batch)` or `self._step(batch)` called from it), inside
`nn.Module`/LightningModule classes (Lightning switches modes itself), a missing `eval()` for a
model class defined in the file that has no dropout or batch-norm layer (eval() changes nothing
there) or for an `nn.Sequential(...)` whose layers are written out and include none, a missing `eval()` for a `transformers` model loaded with `from_pretrained()` and never
switched to `train()` (it is loaded in eval mode), objects that are not known to be modules, and
any file whose `backward()` sits at module level outside every loop (a one-step demonstration:
which calls are evaluation is unclear).

## Why it matters
In training mode, dropout drops activations at random and batch-norm normalises with the
statistics of the evaluation batch and updates its running averages: validation scores are noisy,
depend on batch size and order, and the running statistics drift towards the validation data.
Without `no_grad()`, every evaluation batch records an autograd graph: memory and time for
nothing, and out-of-memory errors on large validation sets.

## Example
```python
def evaluate(model, loader):
    correct = 0
    for xb, yb in loader:
        correct += (model(xb).argmax(1) == yb).sum().item()
    return correct / len(loader.dataset)
```

## Use instead
```python
@torch.no_grad()
def evaluate(model, loader):
    model.eval()
    correct = 0
    for xb, yb in loader:
        correct += (model(xb).argmax(1) == yb).sum().item()
    return correct / len(loader.dataset)
```

## Fix safety
No fix is offered: where `eval()` and `no_grad()` belong (and where `train()` must be restored
before the next epoch) depends on the structure of the script.

## References
- PyTorch docs, `torch.nn.Module.eval`, `torch.no_grad`, `torch.inference_mode`.
- PyTorch tutorial "Saving and Loading Models" ("call model.eval() to set dropout and batch
  normalization layers to evaluation mode before running inference").
)md";

constexpr RuleInfo kInfo{"ML505",
                         "missing-eval-mode",
                         Category::DeepLearning,
                         Severity::Warning,
                         FixAvailability::None,
                         "Evaluation/inference without model.eval() or torch.no_grad()",
                         kDoc};

using syntax::Node;

// Whether source text names a layer that behaves differently in train and eval mode (dropout,
// normalisation) or a library model that holds such layers.
bool names_mode_layer(std::string_view text) {
  for (std::string_view s : {"Dropout", "dropout", "BatchNorm", "batch_norm", "InstanceNorm",
                             "RReLU", "torchvision", "models."})
    if (text.find(s) != std::string_view::npos) return true;
  return false;
}

// The local module classes whose behaviour depends on train/eval mode: they hold dropout or
// normalisation layers, a library model, or another such local class (a fixed point, so classes
// that mention each other terminate).
std::unordered_set<std::string> mode_dependent_classes(const torchfacts::TorchFacts& facts) {
  std::unordered_set<std::string> out;
  for (const auto& m : facts.module_classes()) {
    std::string_view body = facts.text_of(m.cls);
    if (names_mode_layer(body)) out.insert(m.name);
  }
  for (bool changed = true; changed;) {
    changed = false;
    for (const auto& m : facts.module_classes()) {
      if (out.count(m.name)) continue;
      std::string_view body = facts.text_of(m.cls);
      for (const auto& other : out)
        if (body.find(other) != std::string_view::npos) {
          out.insert(m.name);
          changed = true;
          break;
        }
    }
  }
  return out;
}

// `nn.Sequential(nn.Linear(...), nn.ReLU(), ...)` written out with no layer whose behaviour
// depends on the mode: eval() would change nothing. Layers given by name or unpacked
// (`nn.Sequential(*layers)`) are not known, so they count as mode-dependent.
bool plain_sequential(Node ctor, const std::string& type, const torchfacts::TorchFacts& facts,
                      const std::unordered_set<std::string>& mode_dependent) {
  if (type != "torch.nn.Sequential" || !ctor || ctor.kind() != "call") return false;
  Node args = ctor.field("arguments");
  if (!args || args.named_child_count() == 0) return false;
  for (uint32_t i = 0; i < args.named_child_count(); ++i) {
    Node layer = args.named_child(i);
    if (layer.kind() == "comment") continue;
    if (layer.kind() != "call") return false;
    std::string_view text = facts.text_of(layer);
    if (names_mode_layer(text)) return false;
    for (const auto& local : mode_dependent)
      if (text.find(local) != std::string_view::npos) return false;
  }
  return true;
}

class MissingEvalMode final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  Lineage lineage() const override { return Lineage::None; }

  void finish(RuleContext& ctx) override {
    if (!ctx.sem().imports("torch")) return;
    const torchfacts::TorchFacts& facts = torch_facts(ctx);
    // Calls that switch a model to evaluation mode, and back to training mode.
    std::vector<std::pair<Node, Node>> evals, trains;  // (call, constructor of the model)
    for (Node c : facts.calls()) {
      std::string_view m = facts.method_name(c);
      if (m != "eval" && m != "train") continue;
      Node recv = c.field("function").field("object");
      Node ctor = facts.constructor(recv);
      if (!ctor) continue;
      std::vector<Node> args = syntax::children(c.field("arguments"));
      bool to_eval = m == "eval" || (args.size() == 1 && args[0].kind() == "false");
      (to_eval ? evals : trains).emplace_back(c, ctor);
    }
    std::vector<Node> training_scopes;
    for (Node b : facts.backward_calls()) {
      Node scope;
      for (Node p = b.parent(); p; p = p.parent()) {
        if (p.kind() == "for_statement" || p.kind() == "while_statement" ||
            p.kind() == "function_definition") {
          scope = p;
          break;
        }
      }
      // A backward() outside any loop or function (a one-step demo at module level): intent is
      // unclear, so the whole file counts as training code.
      if (!scope) scope = ctx.file().tree->root();
      training_scopes.push_back(scope);
    }
    std::unordered_set<std::string> reported;
    const std::unordered_set<std::string> mode_dependent = mode_dependent_classes(facts);
    for (Node c : facts.calls()) {
      if (!facts.is_module_call(c) || facts.inside_module_class(c)) continue;
      Node f = c.field("function");
      if (f.kind() == "attribute" && ctx.text_of(f.field("attribute")) == "forward")
        f = f.field("object");
      Node ctor = facts.constructor(f);
      if (!ctor) continue;
      // Training: the call runs inside the innermost loop (or loop-less function) of a backward()
      // call. An evaluation loop that merely shares the epoch loop with training is not.
      if (in_training(c, training_scopes, facts, 0)) continue;
      Node fn = facts.enclosing_function(c);
      // Only the first call per (function, model).
      std::string key = std::to_string(fn ? fn.start_byte() : 0) + ":" +
                        std::to_string(ctor.start_byte());
      if (reported.count(key)) continue;

      bool no_grad = facts.grad_disabled_at(c);
      bool eval = switched_to_eval(c, fn, ctor, evals, trains, facts);
      std::string type = facts.object_type(f);
      if (type.rfind("local:", 0) == 0) {
        const torchfacts::ModuleClass* mc = facts.module_class(type.substr(6));
        if (mc && !mode_dependent.count(mc->name)) eval = true;
      }
      if (plain_sequential(ctor, type, facts, mode_dependent)) eval = true;
      // transformers' from_pretrained() returns the model in eval mode; only a later train()
      // on it makes eval() necessary again.
      if (type.rfind("transformers.", 0) == 0) {
        bool retrained = false;
        for (const auto& t : trains)
          if (t.second == ctor) retrained = true;
        if (!retrained) eval = true;
      }
      if (no_grad && eval) continue;
      reported.insert(key);
      std::string model(ctx.text_of(f));
      std::string msg;
      if (!no_grad && !eval)
        msg = "`" + model + "` is evaluated in training mode and with autograd on: call `" +
              model + ".eval()` and wrap the loop in `torch.no_grad()`";
      else if (!eval)
        msg = "`" + model + "` is evaluated in training mode (dropout/batch-norm active): call `" +
              model + ".eval()` before evaluating";
      else
        msg = "Evaluation of `" + model + "` records autograd graphs it never uses: wrap it in "
              "`torch.no_grad()` or `torch.inference_mode()`";
      ctx.report(finding(c, msg));
    }
  }

 private:
  // True when `n` runs inside a training scope, directly or through a helper: a function (or a
  // method called as `self.name(...)`) whose call sites lie in a training scope, two levels deep.
  static bool in_training(Node n, const std::vector<Node>& scopes,
                          const torchfacts::TorchFacts& facts, int depth) {
    for (Node t : scopes)
      if (n.start_byte() >= t.start_byte() && n.end_byte() <= t.end_byte()) return true;
    Node fn = facts.enclosing_function(n);
    if (!fn || depth >= 2) return false;
    std::string_view name = facts.text_of(fn.field("name"));
    Node cls = facts.enclosing_class(fn);
    for (Node c : cls ? facts.self_calls_named(name) : facts.calls_named(name)) {
      if (c.start_byte() >= fn.start_byte() && c.end_byte() <= fn.end_byte()) continue;
      if (cls && facts.enclosing_class(c) != cls) continue;
      if (in_training(c, scopes, facts, depth + 1)) return true;
    }
    return false;
  }

  static bool switched_to_eval(Node call, Node fn, Node ctor,
                               const std::vector<std::pair<Node, Node>>& evals,
                               const std::vector<std::pair<Node, Node>>& trains,
                               const torchfacts::TorchFacts& facts) {
    // The last mode switch on this model above the call in the same function decides; a switch
    // to eval in another function (a caller) counts too.
    Node last_same;
    bool last_is_eval = false;
    bool elsewhere = false;
    auto consider = [&](const std::pair<Node, Node>& s, bool is_eval) {
      if (s.second != ctor) return;
      Node sfn = facts.enclosing_function(s.first);
      if (sfn == fn) {
        if (s.first.start_byte() < call.start_byte() &&
            (!last_same || s.first.start_byte() > last_same.start_byte())) {
          last_same = s.first;
          last_is_eval = is_eval;
        }
      } else if (is_eval) {
        elsewhere = true;
      }
    };
    for (const auto& e : evals) consider(e, true);
    for (const auto& t : trains) consider(t, false);
    if (last_same) return last_is_eval;
    // A helper (`def validate(net, loader)`) that switches nothing: the mode its callers leave
    // the model in. A call made after `model.train()` with no `eval()` between (validation at
    // the end of each epoch) runs it in training mode, whatever other code does later.
    if (fn && !facts.enclosing_class(fn)) {
      bool known = false, all_eval = true;
      for (Node site : facts.calls_named(facts.text_of(fn.field("name")))) {
        if (site.start_byte() >= fn.start_byte() && site.end_byte() <= fn.end_byte()) continue;
        Node site_fn = facts.enclosing_function(site);
        Node last;
        bool eval = false;
        auto before_site = [&](const std::pair<Node, Node>& sw, bool is_eval) {
          if (sw.second != ctor || facts.enclosing_function(sw.first) != site_fn ||
              sw.first.start_byte() >= site.start_byte())
            return;
          if (!last || sw.first.start_byte() > last.start_byte()) {
            last = sw.first;
            eval = is_eval;
          }
        };
        for (const auto& e : evals) before_site(e, true);
        for (const auto& t : trains) before_site(t, false);
        if (!last) continue;
        known = true;
        all_eval = all_eval && eval;
      }
      if (known) return all_eval;
    }
    return elsewhere;
  }
};

}  // namespace

std::unique_ptr<Rule> make_missing_eval_mode() { return std::make_unique<MissingEvalMode>(); }

}  // namespace mlroast::rules
