// ML506 dataloader-single-worker: the training DataLoader of a GPU run loads in the main process
// or without pinned memory.
#include <algorithm>
#include <string>

#include "analysis/rules/rule.hpp"
#include "analysis/rules/torch_facts.hpp"

namespace mlroast::rules {
namespace {

constexpr std::string_view kDoc = R"md(# ML506 dataloader-single-worker

## What it finds
In a file that trains on a GPU (it moves models or tensors to CUDA: `.cuda()`, `.to("cuda")`,
`torch.device("cuda" ...)`, `device="cuda"`) and has a training loop (a loop calling `backward()`
and a `torch.optim` optimizer's `step()`), the training `torch.utils.data.DataLoader` is built
without worker processes (`num_workers` missing or `0`) or without `pin_memory=True`. The
training loader is the one the training loop iterates (also through `enumerate`/`tqdm`), else
the first loader with `shuffle=True`. Reported once per file, on that constructor.

Not reported: CPU-only scripts; missing workers when the training set is tensors already in
memory (a `TensorDataset`, or a `Dataset` class of the file whose `__getitem__` only indexes and
converts tensors: workers would add process start-up and copies, not overlap; pinned memory is
still asked for); loaders whose `num_workers` / `pin_memory` come from a variable or
configuration (the value is not known); evaluation loaders; files without a training loop.

## Why it matters
With `num_workers=0` every batch is read, decoded and augmented in the training process while
the GPU waits: utilisation drops and epochs take several times longer. Without pinned (page-locked)
host memory, host-to-device copies cannot overlap with compute. Neither changes the result, only
the time and cost of each experiment.

## Example
```python
loader = DataLoader(train_set, batch_size=64, shuffle=True)
model = Net().to("cuda")
```

## Use instead
```python
loader = DataLoader(train_set, batch_size=64, shuffle=True, num_workers=4, pin_memory=True,
                    persistent_workers=True)
```

## Fix safety
No fix is offered: worker processes need a picklable dataset and, on platforms that spawn
processes (Windows, macOS), an `if __name__ == "__main__":` guard; the right number depends on the
machine.

## References
- PyTorch docs, `torch.utils.data` ("Single- and Multi-process Data Loading", "Memory Pinning").
- PyTorch Performance Tuning Guide ("Enable async data loading and augmentation").
- ml-review-spec: sequential data loading in PyTorch.
)md";

constexpr RuleInfo kInfo{"ML506",
                         "dataloader-single-worker",
                         Category::DeepLearning,
                         Severity::Info,
                         FixAvailability::None,
                         "GPU training DataLoader without worker processes or pinned memory",
                         kDoc};

using syntax::Node;

bool is_dataloader(std::string_view q) {
  return q == "torch.utils.data.DataLoader" || q == "torch.utils.data.dataloader.DataLoader";
}

bool mentions_cuda(const RuleContext& ctx, const torchfacts::TorchFacts& facts) {
  for (Node c : facts.calls()) {
    std::string_view m = facts.method_name(c);
    if (m == "cuda" && ctx.sem().qualified_name(c.field("function")).empty()) return true;
    const std::string& q = ctx.sem().callee(c);
    bool device_call = q == "torch.device" || m == "to";
    for (Node a : syntax::children(c.field("arguments"))) {
      Node v = facts.resolve(a.kind() == "keyword_argument" ? a.field("value") : a);
      bool device_kw = a.kind() == "keyword_argument" && ctx.text_of(a.field("name")) == "device";
      if (!device_call && !device_kw) continue;
      // "cuda", "cuda:0", or a conditional expression containing one.
      bool cuda = false;
      syntax::walk(v, [&](Node s) {
        if (s.kind() == "string" && ctx.text_of(s).find("cuda") != std::string_view::npos)
          cuda = true;
        return !cuda;
      });
      if (cuda) return true;
    }
  }
  return false;
}

// The DataLoader constructor a for-loop iterates, through enumerate()/tqdm() wrappers.
Node iterated_loader(Node loop, const torchfacts::TorchFacts& facts, const RuleContext& ctx) {
  if (loop.kind() != "for_statement") return Node();
  Node it = loop.field("right");
  for (int i = 0; i < 3 && it.kind() == "call"; ++i) {
    const std::string& q = ctx.sem().callee(it);
    if (q == "builtins.enumerate" || q.rfind("tqdm", 0) == 0) {
      std::vector<Node> args = syntax::children(it.field("arguments"));
      if (args.empty()) return Node();
      it = args[0];
      continue;
    }
    break;
  }
  Node ctor = facts.constructor(it);
  return ctor && is_dataloader(ctx.sem().callee(ctor)) ? ctor : Node();
}

// The dataset a DataLoader constructor reads: its first positional argument or `dataset=`.
Node dataset_arg(Node loader, const RuleContext& ctx) {
  for (Node a : syntax::children(loader.field("arguments"))) {
    if (a.kind() == "keyword_argument") {
      if (ctx.text_of(a.field("name")) == "dataset") return a.field("value");
      continue;
    }
    if (a.kind() != "comment") return a;
  }
  return Node();
}

// A `__getitem__` that only indexes tensors already in memory: every call in it is a builtin
// such as len/int/slice, a tensor conversion (torch.tensor, torch.from_numpy, np.asarray) or a
// tensor method that reshapes or converts (`.long()`, `.view(...)`). Anything else (open, a
// decoder, an augmentation, a tokenizer) is work that workers would parallelise.
bool indexes_memory_only(Node getitem, const RuleContext& ctx, const torchfacts::TorchFacts& facts) {
  static constexpr std::string_view kBuiltins[] = {"len", "int", "float", "slice", "min", "max",
                                                   "range", "tuple", "divmod"};
  static constexpr std::string_view kConversions[] = {
      "torch.tensor", "torch.as_tensor", "torch.from_numpy", "numpy.asarray", "numpy.array"};
  static constexpr std::string_view kTensorMethods[] = {
      "long", "float", "int", "clone", "view", "reshape", "unsqueeze", "squeeze", "item",
      "contiguous", "astype", "copy", "to", "numpy", "flatten", "permute", "t"};
  auto in = [](auto& list, std::string_view s) {
    return std::find(std::begin(list), std::end(list), s) != std::end(list);
  };
  bool only_memory = true;
  syntax::walk(getitem.field("body"), [&](Node n) {
    if (!only_memory) return false;
    if (n.kind() != "call") return true;
    Node fn = n.field("function");
    const std::string& q = ctx.sem().callee(n);
    if (fn.kind() == "identifier")
      only_memory = in(kBuiltins, ctx.text_of(fn)) || in(kConversions, q);
    else if (fn.kind() == "attribute")
      only_memory = in(kConversions, q) || (q.empty() && in(kTensorMethods, facts.method_name(n)));
    else
      only_memory = false;
    return only_memory;
  });
  return only_memory;
}

// The training set is tensors already in memory: a TensorDataset, or a Dataset class of this
// file whose `__getitem__` only indexes them. Worker processes would only add start-up and
// inter-process copies there; pinned memory still speeds up the copies to the GPU.
bool in_memory_dataset(Node loader, const RuleContext& ctx, const torchfacts::TorchFacts& facts) {
  // constructor() follows a local factory (`make_dataset(X, y)` returning a TensorDataset)
  Node arg = dataset_arg(loader, ctx);
  Node ctor = facts.constructor(arg);
  if (!ctor) ctor = facts.resolve(arg);
  if (!ctor || ctor.kind() != "call") return false;
  const std::string& q = ctx.sem().callee(ctor);
  if (q == "torch.utils.data.TensorDataset" || q == "torch.utils.data.dataset.TensorDataset")
    return true;
  Node fn = ctor.field("function");
  if (fn.kind() != "identifier") return false;
  bool found = false;
  syntax::walk(ctx.file().tree->root(), [&](Node n) {
    if (found) return false;
    if (n.kind() == "function_definition") return false;  // classes at module level only
    if (n.kind() != "class_definition") return true;
    if (ctx.text_of(n.field("name")) != ctx.text_of(fn)) return false;
    for (Node m : syntax::children(n.field("body"))) {
      Node def = m.kind() == "decorated_definition" ? m.field("definition") : m;
      if (def.kind() == "function_definition" && ctx.text_of(def.field("name")) == "__getitem__")
        found = indexes_memory_only(def, ctx, facts);
    }
    return false;
  });
  return found;
}

class DataloaderSingleWorker final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  Lineage lineage() const override { return Lineage::None; }

  void finish(RuleContext& ctx) override {
    if (!ctx.sem().imports("torch")) return;
    const torchfacts::TorchFacts& facts = torch_facts(ctx);
    if (facts.training_loops().empty() || !mentions_cuda(ctx, facts)) return;
    Node loader;
    for (const auto& l : facts.training_loops()) {
      // The batch loop is the training loop itself, or a loop around it.
      for (Node p = l.loop; p && !loader; p = p.parent())
        if (p.kind() == "for_statement") loader = iterated_loader(p, facts, ctx);
      if (loader) break;
    }
    if (!loader) {
      for (Node c : facts.calls()) {
        if (!is_dataloader(ctx.sem().callee(c))) continue;
        for (Node a : syntax::children(c.field("arguments")))
          if (a.kind() == "keyword_argument" && ctx.text_of(a.field("name")) == "shuffle" &&
              a.field("value").kind() == "true")
            loader = c;
        if (loader) break;
      }
    }
    if (!loader) return;
    Node workers, pin;
    for (Node a : syntax::children(loader.field("arguments"))) {
      if (a.kind() == "dictionary_splat") return;  // settings come from elsewhere
      if (a.kind() != "keyword_argument") continue;
      std::string_view n = ctx.text_of(a.field("name"));
      if (n == "num_workers") workers = a.field("value");
      if (n == "pin_memory") pin = a.field("value");
    }
    bool no_workers = (!workers || ctx.text_of(workers) == "0") && !in_memory_dataset(loader, ctx, facts);
    bool no_pin = !pin || pin.kind() == "false";
    if (!no_workers && !no_pin) return;
    std::string msg = "GPU training reads batches ";
    if (no_workers && no_pin)
      msg += "in the main process and without pinned memory: pass num_workers>=2 and "
             "pin_memory=True so loading overlaps with compute";
    else if (no_workers)
      msg += "in the main process: pass num_workers>=2 so loading overlaps with compute";
    else
      msg += "from pageable memory: pass pin_memory=True for asynchronous host-to-GPU copies";
    ctx.report(finding(loader, msg));
  }
};

}  // namespace

std::unique_ptr<Rule> make_dataloader_single_worker() {
  return std::make_unique<DataloaderSingleWorker>();
}

}  // namespace mlroast::rules
