#include "analysis/rules/inference_context.hpp"

#include <string>

#include "analysis/lineage/library.hpp"
#include "analysis/lineage/program.hpp"
#include "analysis/rules/workflow_facts.hpp"

namespace mlroast::rules {

bool loads_artifact(std::string_view q) {
  using lineage::library::last_name;
  using lineage::library::module_of;
  std::string_view m = module_of(q), n = last_name(q);
  if ((m == "pickle" || m == "joblib" || m == "cloudpickle" || m == "dill" || m == "_pickle") &&
      (n == "load" || n == "loads"))
    return true;
  if (m == "skops.io" && n == "load") return true;
  if ((m == "torch" || m == "torch.jit") && n == "load") return true;
  if (n == "load_model" && (m.find("keras") != std::string_view::npos || m.starts_with("mlflow")))
    return true;
  if (m.starts_with("mlflow") && n == "load_model") return true;
  if (m == "onnxruntime" && n == "InferenceSession") return true;
  return false;
}

namespace {

// `c` seen for the inference context: what it loads, or whether it trains.
void scan_call(const workflow::CallSite& c, const lineage::Program* p, InferenceContext& out) {
  if (!c.qualified.empty()) {
    if (!out.artifact_load && loads_artifact(c.qualified)) out.artifact_load = c.call;
    // xgboost.train, lightgbm.train, a Trainer from transformers
    std::string_view last = lineage::library::last_name(c.qualified);
    if (last == "train" || last == "Trainer") out.trains = true;
    return;
  }
  // Training a model the engine cannot see (a Keras model built by a helper, a torch loop):
  // `.fit(...)` on something that is not a known transformer, `.train()`, `.backward()`.
  const std::string_view method = c.method;
  if (method == "train" || method == "backward" || method == "fit_generator" ||
      method == "partial_fit") {
    out.trains = true;
  } else if (method == "fit") {
    const lineage::Value* v = p != nullptr ? p->value_of(c.receiver) : nullptr;
    bool learner = v != nullptr && v->kind == lineage::Kind::Estimator &&
                   v->role != lineage::Role::Model && v->role != lineage::Role::Search &&
                   v->role != lineage::Role::Container && v->role != lineage::Role::None;
    if (!learner) out.trains = true;
  }
}

}  // namespace

const InferenceContext& inference_context(const RuleContext& ctx) {
  return ctx.shared<InferenceContext>([&] {
    auto out = std::make_shared<InferenceContext>();
    const lineage::Program* p = ctx.program();
    for (const workflow::CallSite& c : workflow::calls(ctx)) scan_call(c, p, *out);
    if (p != nullptr)
      for (const lineage::UseEvent& u : p->uses())
        out->trains = out->trains || u.kind == lineage::UseKind::Train ||
                      u.kind == lineage::UseKind::CrossValidate ||
                      u.kind == lineage::UseKind::EarlyStopping;
    return out;
  });
}

}  // namespace mlroast::rules
