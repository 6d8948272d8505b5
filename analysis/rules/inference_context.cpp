#include "analysis/rules/inference_context.hpp"

#include <string>

#include "analysis/lineage/library.hpp"
#include "analysis/lineage/program.hpp"
#include "analysis/rules/call_name.hpp"

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

void InferenceContext::scan_call(syntax::Node n, const RuleContext& ctx) {
  InferenceContext& out = *this;
  const lineage::Program* p = ctx.program();
  [&] {
    std::string_view name = call_last_name(n, ctx.text());
    bool interesting = name == "load" || name == "loads" || name == "load_model" ||
                       name == "InferenceSession" || name == "train" || name == "Trainer" ||
                       name == "fit" || name == "backward" || name == "fit_generator" ||
                       name == "partial_fit";
    if (!interesting && !callee_is_imported_name(n, ctx.sem())) return true;
    std::string q = ctx.sem().callee(n);
    if (!q.empty()) {
      if (!out.artifact_load && loads_artifact(q)) out.artifact_load = n;
      // xgboost.train, lightgbm.train, a Trainer from transformers
      std::string_view last = lineage::library::last_name(q);
      if (last == "train" || last == "Trainer") out.trains = true;
      return true;
    }
    // Training a model the engine cannot see (a Keras model built by a helper, a torch loop):
    // `.fit(...)` on something that is not a known transformer, `.train()`, `.backward()`.
    syntax::Node fn = n.field("function");
    if (!fn || fn.kind() != "attribute") return true;
    std::string_view method = ctx.text_of(fn.field("attribute"));
    if (method == "train" || method == "backward" || method == "fit_generator" ||
        method == "partial_fit") {
      out.trains = true;
    } else if (method == "fit") {
      const lineage::Value* v = p ? p->value_of(fn.field("object")) : nullptr;
      bool learner = v != nullptr && v->kind == lineage::Kind::Estimator &&
                     v->role != lineage::Role::Model && v->role != lineage::Role::Search &&
                     v->role != lineage::Role::Container && v->role != lineage::Role::None;
      if (!learner) out.trains = true;
    }
    return true;
  }();
}

void InferenceContext::finish(const RuleContext& ctx) {
  const lineage::Program* p = ctx.program();
  if (p != nullptr)
    for (const lineage::UseEvent& u : p->uses())
      trains = trains || u.kind == lineage::UseKind::Train ||
               u.kind == lineage::UseKind::CrossValidate ||
               u.kind == lineage::UseKind::EarlyStopping;
}

}  // namespace mlroast::rules
