#include "analysis/torch/keras_model.hpp"

#include <string>

namespace mlroast::torchfacts {

using syntax::Node;

namespace {

bool is_keras(std::string_view q) {
  return q.rfind("keras.", 0) == 0 || q.rfind("tensorflow.keras.", 0) == 0 ||
         q.rfind("tf_keras.", 0) == 0;
}

std::string_view last_part(std::string_view q) {
  size_t dot = q.rfind('.');
  return dot == std::string_view::npos ? q : q.substr(dot + 1);
}

std::string unquote(std::string_view s) {
  if (s.size() >= 2 && (s.front() == '"' || s.front() == '\'') && s.back() == s.front())
    return std::string(s.substr(1, s.size() - 2));
  return "";
}

Node keyword(Node call, std::string_view name, const TorchFacts& facts) {
  for (Node a : syntax::children(call.field("arguments")))
    if (a.kind() == "keyword_argument" && facts.text_of(a.field("name")) == name)
      return a.field("value");
  return Node();
}

std::vector<Node> positional(Node call) {
  std::vector<Node> out;
  for (Node a : syntax::children(call.field("arguments")))
    if (a.kind() != "keyword_argument" && a.kind() != "comment") out.push_back(a);
  return out;
}

Activation activation_name(Node v, const TorchFacts& facts) {
  if (!v || v.kind() == "none") return Activation::Raw;
  std::string s = unquote(facts.text_of(v));
  if (s.empty()) {
    std::string q = facts.sem().qualified_name(v);
    if (q.empty()) return Activation::Unknown;
    s = std::string(last_part(q));
  }
  if (s == "softmax") return Activation::Softmax;
  if (s == "sigmoid") return Activation::Sigmoid;
  if (s == "linear") return Activation::Raw;
  return Activation::Unknown;
}

// The activation a layer constructor applies.
ActivationSite layer_activation(Node layer, const TorchFacts& facts) {
  if (!layer || layer.kind() != "call") return {};
  std::string q = facts.sem().callee(layer);
  if (!is_keras(q)) return {};
  std::string_view cls = last_part(q);
  if (cls == "Softmax") return {Activation::Softmax, layer};
  if (cls == "Activation") {
    std::vector<Node> p = positional(layer);
    Node v = p.empty() ? keyword(layer, "activation", facts) : p[0];
    Activation a = activation_name(v, facts);
    return a == Activation::Raw || a == Activation::Unknown ? ActivationSite{}
                                                            : ActivationSite{a, layer};
  }
  if (cls == "Dense" || cls == "Conv1D" || cls == "Conv2D" || cls == "Conv3D") {
    Node v = keyword(layer, "activation", facts);
    if (!v) {
      std::vector<Node> p = positional(layer);
      if (p.size() >= (cls == "Dense" ? 2u : 3u)) v = p[cls == "Dense" ? 1 : 2];
    }
    Activation a = activation_name(v, facts);
    return a == Activation::Unknown ? ActivationSite{} : ActivationSite{a, layer};
  }
  return {};
}

}  // namespace

std::vector<KerasCompile> keras_cross_entropy_compiles(const TorchFacts& facts) {
  std::vector<KerasCompile> out;
  for (Node c : facts.method_calls_named("compile")) {
    Node model = c.field("function").field("object");
    std::string t = facts.object_type(model);
    if (!is_keras(t)) continue;
    Node loss = keyword(c, "loss", facts);
    if (!loss) {
      std::vector<Node> p = positional(c);
      if (p.size() >= 2) loss = p[1];
    }
    if (!loss) continue;
    KerasCompile kc{c, model, loss};
    std::string s = unquote(facts.text_of(loss));
    std::string name;
    if (!s.empty()) {
      name = s;
    } else if (loss.kind() == "call") {
      name = std::string(last_part(facts.sem().callee(loss)));
      Node fl = keyword(loss, "from_logits", facts);
      kc.from_logits = fl && fl.kind() == "true";
      if (fl && fl.kind() != "true" && fl.kind() != "false") continue;  // not a literal
    } else {
      name = std::string(last_part(facts.sem().qualified_name(loss)));
    }
    if (name == "binary_crossentropy" || name == "BinaryCrossentropy")
      kc.kind = KerasLossKind::Binary;
    else if (name == "categorical_crossentropy" || name == "sparse_categorical_crossentropy" ||
             name == "CategoricalCrossentropy" || name == "SparseCategoricalCrossentropy")
      kc.kind = KerasLossKind::Categorical;
    else
      continue;
    out.push_back(kc);
  }
  return out;
}

ActivationSite keras_output_activation(const TorchFacts& facts, Node model) {
  Node ctor = facts.constructor(model);
  if (!ctor) return {};
  std::string q = facts.sem().callee(ctor);
  if (!is_keras(q)) return {};
  std::string_view cls = last_part(q);
  if (cls == "Sequential") {
    // `.add(layer)` calls on this model come after the constructor's list.
    Node last;
    for (Node c : facts.method_calls_named("add")) {
      if (c.start_byte() < ctor.end_byte()) continue;
      if (facts.constructor(c.field("function").field("object")) != ctor) continue;
      std::vector<Node> p = positional(c);
      if (p.size() == 1) last = p[0];
    }
    if (!last) {
      std::vector<Node> p = positional(ctor);
      Node layers = p.empty() ? keyword(ctor, "layers", facts) : p[0];
      if (!layers || layers.kind() != "list") return {};
      std::vector<Node> items = syntax::children(layers);
      while (!items.empty() && items.back().kind() == "comment") items.pop_back();
      if (items.empty()) return {};
      last = items.back();
    }
    return layer_activation(facts.resolve(last), facts);
  }
  if (cls == "Model") {
    Node outputs = keyword(ctor, "outputs", facts);
    if (!outputs) {
      std::vector<Node> p = positional(ctor);
      if (p.size() >= 2) outputs = p[1];
    }
    Node o = facts.resolve(outputs);
    // `Dense(1)(x)`: the layer is the callee.
    if (o && o.kind() == "call" && o.field("function").kind() == "call")
      return layer_activation(o.field("function"), facts);
    return {};
  }
  return {};
}

}  // namespace mlroast::torchfacts
