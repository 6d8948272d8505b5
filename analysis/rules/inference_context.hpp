// Whether a file is inference (scoring / serving) code: it loads a fitted artifact (a pickled
// model or transformer, a saved Keras/torch/MLflow model) and trains nothing itself. Shared by
// the rules about training/serving skew (ML302 get_dummies at inference, ML309 a transformer
// refitted at inference). Decided from qualified names and the lineage program, never from
// file or variable names.
#pragma once

#include "analysis/rules/rule.hpp"

namespace mlroast::rules {

struct InferenceContext {
  syntax::Node artifact_load;  // the first call that loads a fitted artifact (null when none)
  bool trains = false;         // a model is fitted, cross-validated or trained in this file
  bool is_inference() const { return !artifact_load.is_null() && !trains; }
};

// The file's inference context, computed once per analysis (RuleContext::shared) from its calls
// (workflow::calls) and the lineage program's training uses. Ask for it in finish(): rules that
// need it only when something rare was seen pay nothing otherwise.
const InferenceContext& inference_context(const RuleContext& ctx);

// True when the qualified callee loads a fitted artifact: pickle/joblib/cloudpickle/dill/skops
// load, torch.load / torch.jit.load, Keras load_model, mlflow.*.load_model, ONNX Runtime.
bool loads_artifact(std::string_view qualified);

}  // namespace mlroast::rules
