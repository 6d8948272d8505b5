// ML309 refit-at-inference: an encoder/scaler/vectorizer fitted again on the data being scored
// instead of reusing the one fitted at training time.
#include <algorithm>
#include <string>

#include "analysis/lineage/library.hpp"
#include "analysis/lineage/program.hpp"
#include "analysis/rules/inference_context.hpp"
#include "analysis/rules/rule.hpp"
#include "analysis/rules/torch_facts.hpp"

namespace mlroast::rules {
namespace {

constexpr std::string_view kDoc = R"md(# ML309 refit-at-inference

## What it finds
A transformer — scaler, encoder, vectorizer, imputer, PCA, feature selector, target encoder —
fitted (`fit`, `fit_transform`) on the data that is about to be scored, instead of reusing the
one fitted on the training data:
- in inference code: a file that loads a fitted artifact (`pickle.load`, `joblib.load`,
  `torch.load`, Keras/MLflow `load_model`, ONNX Runtime) and trains nothing fits a transformer
  whose output reaches a `predict`/`predict_proba`/`decision_function` call, a PyTorch
  network's forward call (`model(xb)`) or the tensor made for it (`torch.from_numpy(X)`);
- in a training script: a transformer whose output reaches a model's `predict`/`score` but never
  its `fit` — typically `StandardScaler().fit_transform(X_test)` next to a scaler fitted on
  `X_train` (the model was trained on features this transformer never produced).

- in inference code, a transformer loaded from disk (`enc = joblib.load(...)`) and then
  `enc.fit_transform(batch)`: the training-time fit is thrown away.

Silent: `transform` with a transformer fitted on the training side or loaded from disk, a
Pipeline fitted on train and used to predict, transformers whose output is only plotted or
printed, a `LabelEncoder` fitted on the labels, and any file that trains a model (the fit there is
the training-time fit). A loaded artifact refitted with `.fit(...)` is ambiguous (incremental
training of a model looks the same) and is silent.

## Why it matters
The model learned its weights on features scaled, encoded and vocabularised with the training
data's statistics. Refitted on a serving batch, the same raw value maps to a different feature
value: a scaler refitted on one request turns every feature into 0 (or NaN), a scaler refitted
on a batch re-centres it on that batch's mean, a refitted vectorizer builds a different
vocabulary, so column *k* means something else than it did in training. Nothing crashes; the
predictions are simply wrong and drift with the composition of each batch. The review's spec
calls inference preprocessing that differs from training preprocessing "the most common source
of training-serving skew".

## Example
```python
model = joblib.load("models/model.joblib")
X = StandardScaler().fit_transform(batch[features])   # statistics of this batch
proba = model.predict_proba(X)[:, 1]
```

## Use instead
```python
pipeline = joblib.load("models/pipeline.joblib")      # the scaler fitted at training time inside
proba = pipeline.predict_proba(batch[features])[:, 1]
```
Serialize one fitted `Pipeline` (preprocessing and model together) and only call
`predict`/`transform` at inference time.

## Fix safety
For a loaded transformer refitted with `fit_transform`, the fix calls `transform` instead. It is
unsafe: the output changes (to what training saw), and the loaded object must really be the
training-time transformer. No fix otherwise: the training-time transformer has to be saved by
the training code and loaded here.

## References
- scikit-learn User Guide, "Common pitfalls and recommended practices" (inconsistent
  preprocessing).
- scikit-learn User Guide, "Model persistence".
)md";

constexpr RuleInfo kInfo{"ML309",
                         "refit-at-inference",
                         Category::DataQuality,
                         Severity::Error,
                         FixAvailability::Sometimes,
                         "A transformer fitted again on the data being scored",
                         kDoc};

bool refittable_role(lineage::Role r) {
  return r == lineage::Role::Transformer || r == lineage::Role::Imputer ||
         r == lineage::Role::Selector || r == lineage::Role::TargetEncoder;
}

// The method name of a learn event's call (`fit`, `fit_transform`), or "".
std::string_view method_of(syntax::Node call, const RuleContext& ctx) {
  syntax::Node fn = call.field("function");
  return fn && fn.kind() == "attribute" ? ctx.text_of(fn.field("attribute")) : std::string_view();
}

bool is_predict(std::string_view m) {
  return m == "predict" || m == "predict_proba" || m == "predict_log_proba" ||
         m == "decision_function";
}

class RefitAtInference final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  std::vector<std::string_view> kinds() const override { return {"call", "assignment"}; }

  // A name bound to a loaded artifact, a `fit_transform` on a name, or a prediction.
  bool select(syntax::Node n, const RuleContext& ctx) const override {
    if (n.kind() == "assignment") {
      syntax::Node left = n.field("left"), right = n.field("right");
      return left && left.kind() == "identifier" && right && right.kind() == "call" &&
             loads_artifact(ctx.sem().callee(right));
    }
    std::string_view m = method_of(n, ctx);
    return m == "fit_transform" || is_predict(m);
  }

  void visit(syntax::Node n, RuleContext& ctx) override {
    const lineage::Program* p = ctx.program();
    if (p == nullptr) return;
    if (n.kind() == "assignment") {
      // enc = joblib.load(...): a name bound to a fitted artifact
      syntax::Node left = n.field("left"), right = n.field("right");
      if (left && left.kind() == "identifier" && right && right.kind() == "call" &&
          loads_artifact(ctx.sem().callee(right)))
        loaded_.emplace_back(ctx.text_of(left), right);
      return;
    }
    std::string_view m = method_of(n, ctx);
    if (m == "fit_transform") {
      syntax::Node recv = n.field("function").field("object");
      if (recv && recv.kind() == "identifier") refits_.push_back(n);
    } else if (is_predict(m)) {
      predicts_ = true;
      // the data passed in, whatever the receiver (a loaded model the engine cannot see)
      syntax::Node args = n.field("arguments");
      for (uint32_t i = 0; args && i < args.named_child_count(); ++i) {
        syntax::Node a = args.named_child(i);
        if (a.kind() == "keyword_argument") a = a.field("value");
        const lineage::Value* v = p->value_of(a);
        if (v != nullptr && !v->stats.empty()) predicted_.push_back(v);
      }
    }
  }

  void finish(RuleContext& ctx) override {
    using namespace lineage;
    const Program* p = ctx.program();
    if (p == nullptr) return;
    const InferenceContext& ic = inference_context(ctx);
    bool inference = ic.is_inference();
    if (inference) report_loaded_refits(ctx);
    // A PyTorch network scores by being called (`model(xb)`) on tensors made from the features
    // (`torch.from_numpy(X)`): those inputs are predicted too.
    if (inference && ctx.sem().imports("torch")) {
      const torchfacts::TorchFacts& facts = torch_facts(ctx);
      for (syntax::Node c : facts.calls()) {
        // the network's forward call, or the features turned into its input tensor
        const std::string& q = ctx.sem().callee(c);
        if (!facts.is_module_call(c) && q != "torch.from_numpy" && q != "torch.tensor" &&
            q != "torch.as_tensor")
          continue;
        for (syntax::Node a : syntax::children(c.field("arguments"))) {
          const lineage::Value* v = p->value_of(a.kind() == "keyword_argument" ? a.field("value") : a);
          if (v != nullptr && !v->stats.empty()) predicted_.push_back(v);
        }
      }
    }
    const auto& learns = p->learns();
    // Training script: per learned statistic, the first evaluation of a model fitted here on data
    // carrying it, and whether any fit/CV/early stopping used it. One pass over the uses.
    std::vector<const UseEvent*> scored(learns.size(), nullptr);
    std::vector<bool> trained(learns.size(), false);
    if (!inference)
      for (const UseEvent& u : p->uses()) {
        if (u.X == kNoValue) continue;
        bool evaluate = false;
        if (u.kind == UseKind::Evaluate) {
          const Value* model = u.model != kNoValue ? &p->value(u.model) : nullptr;
          if (model == nullptr || model->kind != Kind::Estimator || model->fitted < 0) continue;
          evaluate = true;
        }
        for (uint32_t li : p->value(u.X).stats) {
          if (li >= learns.size()) continue;
          if (!evaluate) trained[li] = true;
          else if (scored[li] == nullptr) scored[li] = &u;
        }
      }
    for (uint32_t li = 0; li < learns.size(); ++li) {
      const LearnEvent& L = learns[li];
      if (L.kind != StatKind::Estimator || !refittable_role(L.role) || L.in_container_fold)
        continue;
      if (L.data == kNoValue || p->value(L.data).kind != Kind::Data) continue;
      std::string_view m = method_of(L.site, ctx);
      if (m != "fit" && m != "fit_transform") continue;
      if (L.what.starts_with("Label")) continue;  // LabelEncoder/LabelBinarizer: label classes
      if (inference) {
        bool used = false;  // otherwise only plotted, printed or saved
        for (const Value* v : predicted_)
          used = used || std::binary_search(v->stats.begin(), v->stats.end(), li);
        if (!used) continue;
        Finding f = finding(L.site, "`" + L.what + "` is fitted again on the inputs being scored "
                                    "(this file loads a fitted artifact at line " +
                                        std::to_string(ic.artifact_load.start_point().row + 1) +
                                        " and trains nothing): its statistics come from this "
                                        "batch, not the training data; load the training-time "
                                        "transformer (one serialized Pipeline)");
        f.related.push_back({TextRange::of(ic.artifact_load), "fitted artifact loaded here"});
        ctx.report(std::move(f));
        continue;
      }
      // Training script: the transformed data is predicted on but never trained on.
      if (scored[li] == nullptr || trained[li]) continue;
      Finding f = finding(L.site, "`" + L.what + "` is fitted on the data that `" +
                                      scored[li]->what + "` scores at line " +
                                      std::to_string(scored[li]->site.start_point().row + 1) +
                                      ", but the model was trained on features this transformer "
                                      "never produced; reuse the transformer fitted on the "
                                      "training data (`transform` only)");
      f.related.push_back({TextRange::of(scored[li]->site), "scored here"});
      ctx.report(std::move(f));
    }
  }

 private:
  // `enc = joblib.load(...)` then `enc.fit_transform(batch)`: the loaded transformer is refitted.
  // (`.fit(...)` alone is ambiguous: a loaded model may be trained further.)
  void report_loaded_refits(RuleContext& ctx) {
    if (loaded_.empty() || !predicts_) return;
    for (syntax::Node n : refits_) {
      syntax::Node recv = n.field("function").field("object");
      for (const auto& [name, load] : loaded_) {
        if (ctx.text_of(recv) != name) continue;
        syntax::Node attr = n.field("function").field("attribute");
        Finding f = finding(n, "`" + std::string(name) + "` is the fitted transformer loaded at "
                                   "line " + std::to_string(load.start_point().row + 1) +
                                   ", but `fit_transform` fits it again on the inputs being "
                                   "scored, discarding what it learned in training; call "
                                   "`transform`");
        f.related.push_back({TextRange::of(load), "fitted transformer loaded here"});
        f.fix = Fix{"Call `transform` instead of `fit_transform`", Applicability::Unsafe,
                    {TextEdit{attr.start_byte(), attr.end_byte(), "transform"}}};
        ctx.report(std::move(f));
        break;
      }
    }
  }

  std::vector<std::pair<std::string_view, syntax::Node>> loaded_;
  std::vector<syntax::Node> refits_;
  std::vector<const lineage::Value*> predicted_;
  bool predicts_ = false;
};

}  // namespace

std::unique_ptr<Rule> make_refit_at_inference() { return std::make_unique<RefitAtInference>(); }

}  // namespace mlroast::rules
