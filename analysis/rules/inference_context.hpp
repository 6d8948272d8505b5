// Whether a file is inference (scoring / serving) code: it loads a fitted artifact (a pickled
// model or transformer, a saved Keras/torch/MLflow model) and trains nothing itself. Shared by
// the rules about training/serving skew (ML302 get_dummies at inference, ML309 a transformer
// refitted at inference). Decided from qualified names and the lineage program, never from
// file or variable names.
#pragma once

#include "analysis/rules/rule.hpp"

namespace mlroast::rules {

// Built from the analyzer's single walk: a rule that needs it asks for "call" nodes, feeds each
// to scan_call() in visit(), and calls finish() before judging (in its own finish()).
struct InferenceContext {
  syntax::Node artifact_load;  // the first call that loads a fitted artifact (null when none)
  bool trains = false;         // a model is fitted, cross-validated or trained in this file
  bool is_inference() const { return !artifact_load.is_null() && !trains; }

  void scan_call(syntax::Node call, const RuleContext& ctx);
  void finish(const RuleContext& ctx);  // adds the lineage program's training uses
};

// True when the qualified callee loads a fitted artifact: pickle/joblib/cloudpickle/dill/skops
// load, torch.load / torch.jit.load, Keras load_model, mlflow.*.load_model, ONNX Runtime.
bool loads_artifact(std::string_view qualified);

}  // namespace mlroast::rules
