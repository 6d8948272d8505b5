// Torch model facts for one file: what the deep-learning rules (ML5xx) need to know about a
// PyTorch script without running it. Built from the syntax tree and the semantic model (qualified
// names through any import alias), with a small intraprocedural data flow:
// - a name resolves to its last assignment above the use in the same function (or module);
//   a function parameter resolves through the call sites of that function in the file when
//   they all pass the same kind of thing; `self.x` resolves to `self.x = ...` in the class;
// - the `nn.Module` subclasses defined in the file, their layers (`self.fc = nn.Linear(...)`)
//   and the final activation their `forward()` returns (softmax, log_softmax, sigmoid, raw
//   logits from a Linear/Conv layer, or unknown);
// - loss calls (a criterion object or a functional loss) and what they are called with;
// - training loops (the innermost loop that calls `backward()` and an optimizer's `step()`).
// The same name/attribute resolution serves Keras scripts (tensorflow.keras / keras imports).
// Anything the analysis cannot prove is Unknown: rules stay silent on Unknown.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "analysis/semantic/model.hpp"
#include "analysis/syntax/tree.hpp"

namespace mlroast::torchfacts {

enum class Activation { Unknown, Raw, Softmax, LogSoftmax, Sigmoid };
const char* to_string(Activation a);

// The final activation of a value and the node that applies it (the softmax call, the Linear
// layer call, the nn.Softmax constructor...).
struct ActivationSite {
  Activation kind = Activation::Unknown;
  syntax::Node where;
};

struct ModuleClass {
  std::string name;
  syntax::Node cls;      // class_definition
  syntax::Node forward;  // function_definition, may be null
  std::vector<syntax::Node> returns;  // return statements of forward (not of nested defs)
};

struct LossCall {
  syntax::Node call;    // `criterion(out, y)` / `F.cross_entropy(out, y)`
  std::string type;     // "torch.nn.CrossEntropyLoss" (functional forms are mapped to the class)
  syntax::Node ctor;    // the constructor call of the criterion object (null for functional)
  syntax::Node input;   // first argument (the model output)
  syntax::Node target;  // second argument
};

struct TrainingLoop {
  syntax::Node loop;      // for_statement / while_statement
  syntax::Node backward;  // first `.backward()` call inside
  syntax::Node step;      // first optimizer `.step()` call inside
  syntax::Node optimizer; // the receiver of step (or the argument of `scaler.step(opt)`)
};

class TorchFacts {
 public:
  TorchFacts(syntax::Node root, const semantic::SemanticModel& sem);

  bool uses_torch() const { return uses_torch_; }
  bool uses_keras() const { return uses_keras_; }
  const semantic::SemanticModel& sem() const { return sem_; }
  std::string_view text_of(syntax::Node n) const { return sem_.text_of(n); }

  // The expression a value comes from: follows names, parameters (through call sites), `self.x`
  // attributes and parentheses. Returns `expr` itself when it is not a name.
  syntax::Node resolve(syntax::Node expr, int depth = 0) const;
  // The kind of object an expression holds: the qualified constructor name
  // ("torch.nn.CrossEntropyLoss", "torch.optim.Adam"), "local:Net" for a class defined in the
  // file, or "" when unknown. `.to(device)`, `.cuda()`, `.float()` keep the receiver's type.
  std::string object_type(syntax::Node expr, int depth = 0) const;
  // The constructor call behind `object_type` (null when unknown).
  syntax::Node constructor(syntax::Node expr, int depth = 0) const;
  // The final activation of a tensor expression.
  ActivationSite activation_of(syntax::Node expr, int depth = 0) const;
  // The final activation a module class's forward returns (Unknown when returns disagree).
  ActivationSite forward_activation(const ModuleClass& m, int depth = 0) const;

  const std::vector<ModuleClass>& module_classes() const { return modules_; }
  const ModuleClass* module_class(std::string_view name) const;
  // True when `type` (an object_type) is an nn.Module: a local module class, a torch.nn layer or
  // container, a torchvision/timm/transformers model.
  bool is_module_type(std::string_view type) const;
  // True when the object is an optimizer (torch.optim.* but not a scheduler).
  bool is_optimizer(syntax::Node expr) const;

  // True when `call` runs a model's forward: `model(x)`, `model.forward(x)`, `self(x)` in a
  // module class, where the callee is a module (a local nn.Module subclass, a torch.nn layer or
  // container, a library model). Layer calls inside module classes count too: callers filter.
  bool is_module_call(syntax::Node call) const;
  // The loss call `call` is, or null.
  const LossCall* loss_call(syntax::Node call) const;
  // True when `n` lies inside the body of a module class defined in the file.
  bool inside_module_class(syntax::Node n) const;

  const std::vector<LossCall>& loss_calls() const { return losses_; }
  const std::vector<TrainingLoop>& training_loops() const { return loops_; }
  // Every call in the file, in source order.
  const std::vector<syntax::Node>& calls() const { return calls_; }
  // Calls of a plain name (`train(...)`), in source order.
  const std::vector<syntax::Node>& calls_named(std::string_view name) const;
  // Calls of a method on self (`self._step(...)`), in source order.
  const std::vector<syntax::Node>& self_calls_named(std::string_view name) const;
  // Method calls `x.name(...)` of any receiver, in source order.
  const std::vector<syntax::Node>& method_calls_named(std::string_view name) const;
  // Every `.backward()` call, in source order.
  const std::vector<syntax::Node>& backward_calls() const { return backward_calls_; }

  // True when `node` runs with autograd disabled: inside `with torch.no_grad()` /
  // `torch.inference_mode()` / `torch.set_grad_enabled(False)`, or in a function decorated with
  // one of them.
  bool grad_disabled_at(syntax::Node node) const;
  // The innermost enclosing function_definition (null at module level).
  syntax::Node enclosing_function(syntax::Node n) const;
  // The innermost enclosing class_definition of a function (null when none).
  syntax::Node enclosing_class(syntax::Node n) const;
  // The attribute name of a method call `x.name(...)` ("" when the call is not a method call).
  std::string_view method_name(syntax::Node call) const;
  // Calls to functions defined in the file (by name) at module level: name -> definitions.
  syntax::Node function_def(std::string_view name) const;

 private:
  struct Assign {
    uint32_t byte;  // where the assignment ends: a use inside its own right-hand side is not after it
    syntax::Node rhs;
    int element = -1;  // `a, b = make()`: the element of what the local function `make` returns
  };
  void collect(syntax::Node root);
  void collect_module_classes();
  void collect_losses();
  void collect_loops();
  syntax::Node resolve_name(syntax::Node ident, int depth) const;
  // Element `element` of the tuple that the local function called by `call` returns last.
  syntax::Node returned_element(syntax::Node call, int element, int depth) const;
  // The expression the last `return` of a function definition returns (null: none, or a bare
  // `return`); nested definitions are not searched.
  static syntax::Node last_returned(syntax::Node def);
  syntax::Node resolve_self_attr(syntax::Node attr, int depth) const;
  syntax::Node resolve_parameter(syntax::Node fn, std::string_view name, int depth) const;
  std::string loss_type_of_callee(syntax::Node call, syntax::Node* ctor) const;

  const semantic::SemanticModel& sem_;
  syntax::Node root_;
  bool uses_torch_ = false;
  bool uses_keras_ = false;
  // (scope node start byte, name) -> assignments in source order
  std::unordered_map<std::string, std::vector<Assign>> assigns_;
  // (class start byte, attr) -> `self.attr = rhs` assignments
  std::unordered_map<std::string, std::vector<Assign>> self_assigns_;
  std::unordered_map<std::string, syntax::Node> functions_;  // module-level defs by name
  std::vector<syntax::Node> calls_;
  // Definitions in pre-order (sorted by start byte): enclosing_* search them instead of walking
  // parents, which tree-sitter 0.20 answers by descending from the root each time.
  std::vector<syntax::Node> function_nodes_, class_nodes_;
  std::vector<int32_t> function_parents_, class_parents_;  // see containing_indices()
  std::vector<syntax::Node> backward_calls_;
  std::unordered_map<std::string, std::vector<syntax::Node>> calls_by_name_, self_calls_by_name_,
      method_calls_by_name_;
  std::unordered_map<const void*, size_t> loss_index_;  // call id -> index in losses_
  mutable std::unordered_map<std::string, syntax::Node> parameter_memo_;
  // Constructors of containers that get layers added later (computed on first use).
  mutable bool grown_computed_ = false;
  mutable std::unordered_set<const void*> grown_containers_;
  std::vector<syntax::Node> loop_nodes_;
  std::vector<syntax::Node> with_nodes_;
  std::vector<ModuleClass> modules_;
  std::vector<LossCall> losses_;
  std::vector<TrainingLoop> loops_;
};

// True when `type` names a recurrent or attention layer (nn.RNN/LSTM/GRU, nn.Transformer*,
// nn.MultiheadAttention).
bool is_sequence_layer(std::string_view type);

}  // namespace mlroast::torchfacts
