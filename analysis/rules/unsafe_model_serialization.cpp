// ML709 unsafe-model-serialization: torch.save of a whole nn.Module; pickling lambdas and
// functions/classes defined inside functions.
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analysis/rules/assignments.hpp"
#include "analysis/rules/local_calls.hpp"
#include "analysis/rules/rule.hpp"

namespace mlroast::rules {
namespace {

constexpr std::string_view kDoc = R"md(# ML709 unsafe-model-serialization

## What it finds
- `torch.save(model, path)` where `model` is a whole network: an instance of a class defined in
  the file that derives from `torch.nn.Module` (also through `nn.Module` after `from torch import
  nn`), a `torch.nn.*` constructor such as `nn.Sequential(...)`, or a `torchvision.models.*`
  constructor, possibly followed by `.to(device)`, `.cuda()`, `.eval()`...; also a parameter
  of a helper (`def save_checkpoint(net, path): torch.save(net, path)`) that a call in the
  file passes such a network;
- `pickle.dump` / `pickle.dumps` / `joblib.dump` of a lambda, of an object whose construction contains a lambda (`FunctionTransformer(lambda x:
  ...)`, a Pipeline built with one), or of a function or class defined inside another function.

Not reported: `torch.save(model.state_dict(), path)`, `torch.save({"model": ...,
"optimizer": ...})` checkpoints (dicts), tensors, values the file does not construct (unknown
origin), `dill.dump` / `cloudpickle.dump` (they are designed to serialise lambdas), and test
files.

## Why it matters
`torch.save(model)` pickles the module object, which stores a reference to its class by import
path: the file loads only where the same source tree, class name and module layout exist, breaks
after a refactor or a library upgrade, and can only be loaded with `weights_only=False`, i.e.
by running the unpickler on it (see ML708). A `state_dict` is plain tensors and loads anywhere
with `weights_only=True`. Pickle cannot serialise lambdas or functions/classes defined inside a
function at all (`PicklingError: Can't pickle <function <lambda>>`), so the save crashes at the
end of a long training run, or, with a by-reference workaround, the artifact fails to load in
the serving process. The review spec: "Serialization bugs: pickling lambda functions or local
objects that break across Python versions. Fix: use joblib for sklearn objects; use ONNX or
torch.save(state_dict) for deep learning."

## Example
```python
model = Net().to(device)
...
torch.save(model, "checkpoints/net.pt")
pipe = make_pipeline(FunctionTransformer(lambda X: np.log1p(X)), Ridge())
joblib.dump(pipe.fit(X, y), "model.joblib")
```

## Use instead
```python
torch.save(model.state_dict(), "checkpoints/net.pt")
net = Net(); net.load_state_dict(torch.load("checkpoints/net.pt", weights_only=True))
pipe = make_pipeline(FunctionTransformer(np.log1p), Ridge())   # a module-level function
```

## Fix safety
For `torch.save(model, path)` the fix saves `model.state_dict()` instead. It is unsafe: the code
that loads the file must change to build the network and call `load_state_dict`. No fix for
pickled lambdas and local objects (they must be moved to module level).

## References
- PyTorch docs, "Saving and Loading Models" (save/load `state_dict` is the recommended way).
- Python docs, `pickle`: "What can be pickled and unpickled?" (functions and classes are pickled
  by qualified name; lambdas and local definitions cannot be).
- The review spec (`ml-review-spec.txt`), "Other Critical Issues".
)md";

constexpr RuleInfo kInfo{"ML709",
                         "unsafe-model-serialization",
                         Category::CodeQuality,
                         Severity::Warning,
                         FixAvailability::Sometimes,
                         "Whole nn.Module saved, or a lambda/local object pickled",
                         kDoc};

syntax::Node first_arg(syntax::Node call) {
  syntax::Node args = call.field("arguments");
  if (!args || args.kind() != "argument_list") return {};
  for (syntax::Node a : syntax::children(args)) {
    if (a.kind() == "comment") continue;
    return a.kind() == "keyword_argument" ? syntax::Node() : a;
  }
  return {};
}

syntax::Node enclosing(syntax::Node n, std::string_view kind) {
  for (syntax::Node p = n.parent(); p; p = p.parent())
    if (p.kind() == kind) return p;
  return {};
}

// Where names are assigned and defined, indexed once per file on the first call that asks:
// walking the file for every torch.save / pickle call made a file with many of them quadratic.
class Definitions {
 public:
  syntax::Node last_assignment(std::string_view name, syntax::Node at, const RuleContext& ctx) {
    return assignments_.last_before(name, at, ctx);
  }

  // The first class or function definition named `name` anywhere in the file (pre-order).
  syntax::Node definition_of(std::string_view name, std::string_view kind,
                             const RuleContext& ctx) {
    if (!indexed_definitions_) {
      indexed_definitions_ = true;
      syntax::walk(ctx.file().tree->root(), [&](syntax::Node n) {
        if (n.kind() == "class_definition") classes_.try_emplace(ctx.text_of(n.field("name")), n);
        if (n.kind() == "function_definition")
          functions_.try_emplace(ctx.text_of(n.field("name")), n);
        return true;
      });
    }
    const auto& table = kind == "class_definition" ? classes_ : functions_;
    const auto found = table.find(name);
    return found == table.end() ? syntax::Node() : found->second;
  }

 private:
  Assignments assignments_;
  bool indexed_definitions_ = false;
  std::map<std::string_view, syntax::Node, std::less<>> classes_, functions_;
};

bool derives_from_module(syntax::Node cls, const RuleContext& ctx) {
  syntax::Node bases = cls.field("superclasses");
  for (syntax::Node b : syntax::children(bases)) {
    const std::string& q = ctx.sem().qualified_name(b);
    if (q == "torch.nn.Module" || q == "torch.nn.modules.module.Module" ||
        q == "pytorch_lightning.LightningModule" || q == "lightning.LightningModule" ||
        q == "lightning.pytorch.LightningModule")
      return true;
  }
  return false;
}

// `Net()`, `nn.Sequential(...)`, `models.resnet18()`, possibly `.to(device)`/`.cuda()`...
bool builds_network(syntax::Node expr, Definitions& defs, const RuleContext& ctx) {
  while (expr && expr.kind() == "call") {
    syntax::Node fn = expr.field("function");
    if (fn && fn.kind() == "attribute") {
      std::string_view m = ctx.text_of(fn.field("attribute"));
      if (m == "to" || m == "cuda" || m == "cpu" || m == "eval" || m == "train" ||
          m == "float" || m == "half" || m == "double") {
        syntax::Node obj = fn.field("object");
        if (obj && obj.kind() == "call") {
          expr = obj;
          continue;
        }
      }
    }
    const std::string& q = ctx.sem().callee(expr);
    if (q.rfind("torch.nn.", 0) == 0 || q.rfind("torchvision.models.", 0) == 0) return true;
    if (fn && fn.kind() == "identifier") {
      syntax::Node cls = defs.definition_of(ctx.text_of(fn), "class_definition", ctx);
      return cls && derives_from_module(cls, ctx);
    }
    return false;
  }
  return false;
}

// Why pickling `expr` fails ("" when it does not).
std::string unpicklable(syntax::Node expr, Definitions& defs, const RuleContext& ctx) {
  if (!expr) return "";
  if (expr.kind() == "lambda") return "a lambda";
  syntax::Node value = expr;
  if (expr.kind() == "identifier") {
    syntax::Node fn = defs.definition_of(ctx.text_of(expr), "function_definition", ctx);
    if (fn && enclosing(fn, "function_definition")) return "a function defined inside a function";
    value = defs.last_assignment(ctx.text_of(expr), expr, ctx);
    // `model = pipe.fit(X, y)`: look at how `pipe` was built
    for (int hops = 0; value && value.kind() == "call" && hops < 3; ++hops) {
      syntax::Node f = value.field("function");
      if (!f || f.kind() != "attribute" || ctx.text_of(f.field("attribute")) != "fit") break;
      syntax::Node obj = f.field("object");
      if (!obj || obj.kind() != "identifier") break;
      value = defs.last_assignment(ctx.text_of(obj), obj, ctx);
    }
  }
  if (!value) return "";
  std::string why;
  syntax::walk(value, [&](syntax::Node n) {
    if (!why.empty()) return false;
    if (n.kind() == "lambda") why = "an object built with a lambda";
    if (n.kind() == "call") {
      syntax::Node f = n.field("function");
      if (f && f.kind() == "identifier") {
        syntax::Node cls = defs.definition_of(ctx.text_of(f), "class_definition", ctx);
        if (cls && enclosing(cls, "function_definition"))
          why = "an instance of a class defined inside a function";
      }
    }
    return why.empty();
  });
  return why;
}

class UnsafeModelSerialization final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  Lineage lineage() const override { return Lineage::None; }
  std::vector<std::string_view> kinds() const override { return {"call"}; }

  void visit(syntax::Node call, RuleContext& ctx) override {
    if (ctx.file().is_test) return;
    const std::string& q = ctx.sem().callee(call);
    const bool pickles = q == "pickle.dump" || q == "pickle.dumps" || q == "joblib.dump" ||
                         q == "_pickle.dump" || q == "cPickle.dump";
    if (q != "torch.save" && !pickles) return;
    syntax::Node obj = first_arg(call);
    if (!obj) return;
    if (q == "torch.save") {
      syntax::Node built = obj.kind() == "identifier" ? defs_.last_assignment(ctx.text_of(obj), obj, ctx)
                                                      : obj;
      const bool network = built ? builds_network(built, defs_, ctx)
                                 : obj.kind() == "identifier" && parameter_gets_network(obj, ctx);
      if (!network) return;
      Finding f = finding(call, "`torch.save(" + std::string(ctx.text_of(obj)) +
                                    ", ...)` pickles the whole module: the file loads only with "
                                    "the same source layout and only by unpickling; save "
                                    "`.state_dict()` instead");
      if (obj.kind() == "identifier")
        f.fix = Fix{"Save `" + std::string(ctx.text_of(obj)) + ".state_dict()`",
                    Applicability::Unsafe,
                    {TextEdit{obj.end_byte(), obj.end_byte(), ".state_dict()"}}};
      ctx.report(std::move(f));
      return;
    }
    if (pickles) {
      std::string why = unpicklable(obj, defs_, ctx);
      if (why.empty()) return;
      ctx.report(finding(call, "`" + std::string(ctx.text_of(call.field("function"))) +
                                   "` of " + why +
                                   ": pickle stores functions and classes by module-level "
                                   "name, so this fails to save or to load; move it to module "
                                   "level"));
    }
  }

 private:
  // `def save_checkpoint(model, path): torch.save(model, path)`: a parameter that some call of
  // the function in this file passes a network (`save_checkpoint(net, ...)` with `net =
  // Net()`).
  bool parameter_gets_network(syntax::Node param, const RuleContext& ctx) {
    for (syntax::Node arg : calls_.arguments_for(param, ctx)) {
      syntax::Node built =
          arg.kind() == "identifier" ? defs_.last_assignment(ctx.text_of(arg), arg, ctx) : arg;
      if (built && builds_network(built, defs_, ctx)) return true;
    }
    return false;
  }

  Definitions defs_;
  LocalCalls calls_;
};

}  // namespace

std::unique_ptr<Rule> make_unsafe_model_serialization() {
  return std::make_unique<UnsafeModelSerialization>();
}

}  // namespace mlroast::rules
