// ML708 pickle-untrusted-load: pickle/joblib/dill/torch.load deserialisation that can run code.
#include <algorithm>
#include <optional>
#include <string>

#include "analysis/rules/call_args.hpp"
#include "analysis/rules/rule.hpp"

namespace mlroast::rules {
namespace {

constexpr std::string_view kDoc = R"md(# ML708 pickle-untrusted-load

## What it finds
Calls that unpickle a file or a byte string, resolved through imports and aliases
(`import pickle as pkl; pkl.load(f)`, `from joblib import load`):
- `pickle.load` / `pickle.loads` / `pickle.Unpickler` (also `_pickle`, `cPickle`, `pickle5`),
  `dill.load(s)`, `cloudpickle.load(s)`, `joblib.load`, `pandas.read_pickle`;
- `torch.load` without `weights_only=True` (missing, or `weights_only=False`);
- `numpy.load(..., allow_pickle=True)`.

It is reported wherever it appears, in training code as well as in serving code: a model file
travels (shared drives, model hubs, artifact stores, a colleague's e-mail) and the loading code
is copied into serving sooner or later. Test files are exempt: they load fixtures they created.
Not reported: `pickle.dump`/`dumps`, `joblib.dump`, `torch.load(..., weights_only=True)`,
`np.load` without `allow_pickle=True`, `json.load`, `yaml.safe_load`, `load_state_dict`, and any
local function or unrelated object method that happens to be called `load`. A `torch.load` whose
`weights_only` is a variable, or that passes `**kwargs`, is not reported either (the value is not
known).

## Why it matters
Unpickling runs code: a pickle stream can name any importable callable (`os.system`,
`subprocess.Popen`) and the loader calls it. Whoever can replace `model.pkl` (a poisoned
checkpoint on a model hub, a writable bucket, an upload endpoint that accepts "a model file")
gets code execution with the serving process's credentials. joblib files are pickles, and before
PyTorch 2.6 `torch.load` unpickled arbitrary objects by default; the same script is safe or
exploitable depending on the installed torch version unless `weights_only=True` is explicit.

## Example
```python
model = joblib.load(MODEL_DIR / "churn_pipeline.joblib")
state = torch.load("checkpoints/best.pt")
encoders = pickle.load(open("encoders.pkl", "rb"))
```

## Use instead
```python
state = torch.load("checkpoints/best.pt", weights_only=True)  # tensors and plain containers only
net.load_state_dict(state)
weights = safetensors.torch.load_file("checkpoints/best.safetensors")
session = onnxruntime.InferenceSession("churn_pipeline.onnx")       # sklearn via skl2onnx
pipe = skops.io.load("churn_pipeline.skops", trusted=["xgboost.sklearn.XGBClassifier"])
```
If the file can only ever come from your own pipeline, verify its checksum or signature before
loading and suppress with `# noqa: ML708`, saying why.

## Fix safety
For `torch.load` without `weights_only`, the fix adds `weights_only=True`. It is unsafe: loading
then fails for checkpoints that contain a whole pickled `nn.Module`, custom classes or other
non-tensor objects (save `model.state_dict()` instead). No fix is offered for `weights_only=False`
(an explicit choice) or for the other loaders: they need a different file format.

## References
- Python docs, `pickle` module: "Warning: The pickle module is not secure."
- PyTorch docs, `torch.load` (`weights_only`) and "Serialization semantics".
- joblib docs, "Persistence" (security note); Hugging Face docs, "Pickle Scanning" and safetensors.
)md";

constexpr RuleInfo kInfo{"ML708",
                         "pickle-untrusted-load",
                         Category::CodeQuality,
                         Severity::Error,
                         FixAvailability::Sometimes,
                         "Unpickling a file can execute arbitrary code",
                         kDoc};

// Loaders that always unpickle, with what to suggest instead.
struct Loader {
  std::string_view qualified, advice;
};
constexpr Loader kLoaders[] = {
    {"pickle.load", "store data as Parquet/JSON and models as ONNX or skops"},
    {"pickle.loads", "store data as Parquet/JSON and models as ONNX or skops"},
    {"pickle.Unpickler", "store data as Parquet/JSON and models as ONNX or skops"},
    {"_pickle.load", "store data as Parquet/JSON and models as ONNX or skops"},
    {"_pickle.loads", "store data as Parquet/JSON and models as ONNX or skops"},
    {"cPickle.load", "store data as Parquet/JSON and models as ONNX or skops"},
    {"cPickle.loads", "store data as Parquet/JSON and models as ONNX or skops"},
    {"pickle5.load", "store data as Parquet/JSON and models as ONNX or skops"},
    {"pickle5.loads", "store data as Parquet/JSON and models as ONNX or skops"},
    {"dill.load", "serialise plain data (JSON/Parquet) and rebuild objects in code"},
    {"dill.loads", "serialise plain data (JSON/Parquet) and rebuild objects in code"},
    {"cloudpickle.load", "serialise plain data (JSON/Parquet) and rebuild objects in code"},
    {"cloudpickle.loads", "serialise plain data (JSON/Parquet) and rebuild objects in code"},
    {"joblib.load", "use skops.io.load with explicit trusted types, or export to ONNX"},
    {"sklearn.externals.joblib.load", "use skops.io.load with explicit trusted types, or ONNX"},
    {"pandas.read_pickle", "store the frame as Parquet and use pd.read_parquet"},
};

// The keyword argument `name` of a call, or a null node.
syntax::Node keyword(syntax::Node args, std::string_view name, const RuleContext& ctx) {
  for (uint32_t i = 0; i < args.named_child_count(); ++i) {
    syntax::Node a = args.named_child(i);
    if (a.kind() == "keyword_argument" && ctx.text_of(a.field("name")) == name)
      return a.field("value");
  }
  return syntax::Node();
}

bool has_kwargs_splat(syntax::Node args) {
  for (uint32_t i = 0; i < args.named_child_count(); ++i)
    if (args.named_child(i).kind() == "dictionary_splat") return true;
  return false;
}

class PickleUntrustedLoad final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  Lineage lineage() const override { return Lineage::None; }
  std::vector<std::string_view> kinds() const override { return {"call"}; }

  void visit(syntax::Node call, RuleContext& ctx) override {
    if (ctx.file().is_test) return;
    const std::string& q = ctx.sem().callee(call);
    if (q.empty()) return;
    // Most calls are none of these: leave before building the names a message shows.
    const Loader* loader = std::find_if(std::begin(kLoaders), std::end(kLoaders),
                                        [&q](const Loader& l) { return q == l.qualified; });
    if (loader == std::end(kLoaders)) loader = nullptr;
    if (loader == nullptr && q != "torch.load" && q != "numpy.load") return;
    syntax::Node args = call.field("arguments");
    if (!args || args.kind() != "argument_list") return;
    // "`load_artifact` (`joblib.load`)" after `from joblib import load as load_artifact`.
    std::string shown(ctx.text_of(call.field("function")));
    std::string alias = q == shown ? "" : " (`" + q + "`)";

    if (loader != nullptr) {
      ctx.report(finding(call, "`" + shown + "`" + alias +
                                   " unpickles its input and can execute arbitrary code if "
                                   "the file is ever replaced; " +
                                   std::string(loader->advice)));
      return;
    }

    if (q == "torch.load") {
      if (has_kwargs_splat(args)) return;
      syntax::Node w = keyword(args, "weights_only", ctx);
      if (!w) {
        Finding f = finding(call, "`" + shown + "`" + alias +
                                      " without `weights_only=True` can unpickle arbitrary "
                                      "objects (the default before PyTorch 2.6); pass "
                                      "`weights_only=True` and load a state_dict");
        if (ctx.fixes_wanted()) f.fix = add_weights_only(args, ctx);
        ctx.report(std::move(f));
      } else if (w.kind() == "false") {
        ctx.report(finding(call, "`" + shown + "(..., weights_only=False)`" + alias +
                                     " unpickles arbitrary objects; "
                                     "save and load a state_dict (or safetensors) instead"));
      }
      return;
    }

    if (q == "numpy.load") {
      syntax::Node ap = keyword(args, "allow_pickle", ctx);
      if (ap && ap.kind() == "true")
        ctx.report(finding(call, "`" + shown + "(..., allow_pickle=True)`" + alias +
                                     " unpickles object arrays and can "
                                     "execute code; store numeric arrays or use Parquet"));
    }
  }

 private:
  static std::optional<Fix> add_weights_only(syntax::Node args, const RuleContext&) {
    Fix fix;
    fix.title = "Add `weights_only=True`";
    fix.applicability = Applicability::Unsafe;
    syntax::Node last;
    for (uint32_t i = 0; i < args.named_child_count(); ++i)
      if (args.named_child(i).kind() != "comment") last = args.named_child(i);
    if (!last) {
      if (!has_closing_paren(args)) return std::nullopt;
      uint32_t at = args.end_byte() - 1;  // before ")"
      fix.edits.push_back(TextEdit{at, at, "weights_only=True"});
    } else {
      fix.edits.push_back(TextEdit{last.end_byte(), last.end_byte(), ", weights_only=True"});
    }
    return fix;
  }
};

}  // namespace

std::unique_ptr<Rule> make_pickle_untrusted_load() {
  return std::make_unique<PickleUntrustedLoad>();
}

}  // namespace mlroast::rules
