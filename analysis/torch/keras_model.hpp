// Keras model facts for the ML5xx rules that have a Keras form: the activation of a model's last
// layer (Sequential list or `.add()` calls, or the functional API's output layer) and the
// cross-entropy loss a `compile()` call names, with its `from_logits` flag. Built on the name
// resolution of TorchFacts (which also runs for Keras files); Unknown when not provable.
#pragma once

#include <vector>

#include "analysis/torch/model_facts.hpp"

namespace mlroast::torchfacts {

enum class KerasLossKind { Binary, Categorical };

struct KerasCompile {
  syntax::Node call;   // model.compile(...)
  syntax::Node model;  // the receiver expression
  syntax::Node loss;   // the loss argument (string, function or loss object)
  KerasLossKind kind = KerasLossKind::Binary;
  bool from_logits = false;
};

// Every `compile()` of a Keras model whose loss is a binary or categorical cross-entropy.
std::vector<KerasCompile> keras_cross_entropy_compiles(const TorchFacts& facts);

// The activation the model's last layer applies: Softmax, Sigmoid, Raw (a Dense/Conv layer with
// no or linear activation) or Unknown.
ActivationSite keras_output_activation(const TorchFacts& facts, syntax::Node model);

}  // namespace mlroast::torchfacts
