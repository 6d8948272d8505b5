#include "analysis/torch/model_facts.hpp"

#include <algorithm>

namespace mlroast::torchfacts {

using syntax::Node;

namespace {

constexpr int kMaxDepth = 12;

bool starts_with(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(0, p.size()) == p;
}
bool ends_with(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

std::string key(uint32_t scope, std::string_view name) {
  return std::to_string(scope) + ":" + std::string(name);
}

Node strip_parens(Node n) {
  while (n && n.kind() == "parenthesized_expression" && n.named_child_count() == 1)
    n = n.named_child(0);
  return n;
}

bool is_loop(Node n) { return n.kind() == "for_statement" || n.kind() == "while_statement"; }

// Maps a functional loss to the loss class it computes ("" when not a loss).
std::string functional_loss(std::string_view q) {
  static const std::pair<std::string_view, std::string_view> kMap[] = {
      {"cross_entropy", "CrossEntropyLoss"},
      {"nll_loss", "NLLLoss"},
      {"binary_cross_entropy", "BCELoss"},
      {"binary_cross_entropy_with_logits", "BCEWithLogitsLoss"},
      {"mse_loss", "MSELoss"},
      {"l1_loss", "L1Loss"},
      {"smooth_l1_loss", "SmoothL1Loss"},
      {"huber_loss", "HuberLoss"},
      {"poisson_nll_loss", "PoissonNLLLoss"},
      {"kl_div", "KLDivLoss"},
  };
  constexpr std::string_view kPrefix = "torch.nn.functional.";
  if (!starts_with(q, kPrefix)) return "";
  std::string_view fn = q.substr(kPrefix.size());
  for (const auto& [f, cls] : kMap)
    if (fn == f) return "torch.nn." + std::string(cls);
  return "";
}

// torch.nn.modules.loss.CrossEntropyLoss -> torch.nn.CrossEntropyLoss
std::string normalise_nn(std::string q) {
  for (std::string_view p : {"torch.nn.modules.loss.", "torch.nn.modules.linear.",
                             "torch.nn.modules.activation.", "torch.nn.modules.container."})
    if (starts_with(q, p)) return "torch.nn." + q.substr(p.size());
  return q;
}

Activation activation_of_layer(std::string_view t) {
  if (t == "torch.nn.Softmax" || t == "torch.nn.Softmax2d") return Activation::Softmax;
  if (t == "torch.nn.LogSoftmax") return Activation::LogSoftmax;
  if (t == "torch.nn.Sigmoid") return Activation::Sigmoid;
  if (t == "torch.nn.Linear" || t == "torch.nn.LazyLinear" || t == "torch.nn.Bilinear" ||
      t == "torch.nn.Conv1d" || t == "torch.nn.Conv2d" || t == "torch.nn.Conv3d" ||
      t == "torch.nn.ConvTranspose1d" || t == "torch.nn.ConvTranspose2d")
    return Activation::Raw;
  return Activation::Unknown;
}

Activation activation_of_function(std::string_view q) {
  if (q == "torch.softmax" || q == "torch.nn.functional.softmax" || q == "torch.special.softmax")
    return Activation::Softmax;
  if (q == "torch.log_softmax" || q == "torch.nn.functional.log_softmax" ||
      q == "torch.special.log_softmax")
    return Activation::LogSoftmax;
  if (q == "torch.sigmoid" || q == "torch.nn.functional.sigmoid" || q == "torch.special.expit")
    return Activation::Sigmoid;
  return Activation::Unknown;
}

bool shape_method(std::string_view m) {
  for (std::string_view s : {"squeeze", "unsqueeze", "view", "reshape", "flatten", "contiguous",
                             "float", "double", "to", "cuda", "cpu", "squeeze_", "view_as"})
    if (m == s) return true;
  return false;
}

// The positional arguments of a call, and its keyword arguments by name.
std::vector<Node> positional_args(Node call) {
  std::vector<Node> out;
  for (Node a : syntax::children(call.field("arguments")))
    if (a.kind() != "keyword_argument" && a.kind() != "comment" &&
        a.kind() != "list_splat" && a.kind() != "dictionary_splat")
      out.push_back(a);
  return out;
}

}  // namespace

const char* to_string(Activation a) {
  switch (a) {
    case Activation::Unknown: return "unknown";
    case Activation::Raw: return "raw";
    case Activation::Softmax: return "softmax";
    case Activation::LogSoftmax: return "log_softmax";
    case Activation::Sigmoid: return "sigmoid";
  }
  return "unknown";
}

bool is_sequence_layer(std::string_view t) {
  for (std::string_view s :
       {"torch.nn.RNN", "torch.nn.LSTM", "torch.nn.GRU", "torch.nn.Transformer",
        "torch.nn.TransformerEncoder", "torch.nn.TransformerDecoder",
        "torch.nn.TransformerEncoderLayer", "torch.nn.TransformerDecoderLayer",
        "torch.nn.MultiheadAttention"})
    if (t == s) return true;
  return false;
}

TorchFacts::TorchFacts(Node root, const semantic::SemanticModel& sem) : sem_(sem), root_(root) {
  uses_torch_ = sem.imports("torch") || sem.imports("pytorch_lightning") || sem.imports("lightning");
  uses_keras_ = sem.imports("keras") || sem.imports("tensorflow");
  if (!uses_torch_ && !uses_keras_) return;
  collect(root);
  collect_module_classes();
  collect_losses();
  collect_loops();
}

namespace {
// For each definition of `defs` (pre-order), the index of the innermost other one that contains
// it, or -1.
std::vector<int32_t> containing_indices(const std::vector<Node>& defs) {
  std::vector<int32_t> parents(defs.size(), -1);
  std::vector<int32_t> open;  // the chain of definitions containing the current one
  for (size_t i = 0; i < defs.size(); ++i) {
    while (!open.empty() && defs[open.back()].end_byte() < defs[i].end_byte()) open.pop_back();
    if (!open.empty()) parents[i] = open.back();
    open.push_back(static_cast<int32_t>(i));
  }
  return parents;
}

// The innermost of `defs` (pre-order, `parents` from containing_indices) that strictly contains
// `n`: the last definition starting at or before `n`, or the nearest of its containers that
// reaches past `n` (every definition containing `n` contains that one). Climbs the nesting
// instead of scanning every earlier definition, which made module-level code quadratic.
Node innermost(const std::vector<Node>& defs, const std::vector<int32_t>& parents, Node n) {
  uint32_t start = n.start_byte(), end = n.end_byte();
  auto it = std::upper_bound(defs.begin(), defs.end(), start,
                             [](uint32_t b, const Node& d) { return b < d.start_byte(); });
  int32_t i = static_cast<int32_t>(it - defs.begin()) - 1;
  if (i >= 0 && defs[i] == n) i = parents[i];
  while (i >= 0 && defs[i].end_byte() < end) i = parents[i];
  return i >= 0 ? defs[i] : Node();
}
}  // namespace

Node TorchFacts::enclosing_function(Node n) const {
  return innermost(function_nodes_, function_parents_, n);
}

Node TorchFacts::enclosing_class(Node n) const {
  return innermost(class_nodes_, class_parents_, n);
}

const std::vector<Node>& TorchFacts::method_calls_named(std::string_view name) const {
  static const std::vector<Node> kNone;
  auto it = method_calls_by_name_.find(std::string(name));
  return it == method_calls_by_name_.end() ? kNone : it->second;
}

std::string_view TorchFacts::method_name(Node call) const {
  Node f = call.field("function");
  if (f.kind() != "attribute") return "";
  return text_of(f.field("attribute"));
}

Node TorchFacts::function_def(std::string_view name) const {
  auto it = functions_.find(std::string(name));
  return it == functions_.end() ? Node() : it->second;
}

void TorchFacts::collect(Node root) {
  std::vector<Node> assignments;
  syntax::walk(root, [&](Node n) {
    auto k = n.kind();
    if (k == "call") {
      calls_.push_back(n);
      Node f = n.field("function");
      if (f.kind() == "identifier") {
        calls_by_name_[std::string(text_of(f))].push_back(n);
      } else if (f.kind() == "attribute") {
        std::string_view attr = text_of(f.field("attribute"));
        if (attr == "backward") backward_calls_.push_back(n);
        method_calls_by_name_[std::string(attr)].push_back(n);
        Node obj = f.field("object");
        if (obj.kind() == "identifier" && text_of(obj) == "self")
          self_calls_by_name_[std::string(attr)].push_back(n);
      }
    } else if (k == "for_statement" || k == "while_statement") {
      loop_nodes_.push_back(n);
    } else if (k == "with_statement") {
      with_nodes_.push_back(n);
    } else if (k == "class_definition") {
      class_nodes_.push_back(n);
    } else if (k == "function_definition") {
      function_nodes_.push_back(n);
      Node p = n.parent();
      if (p.kind() == "decorated_definition") p = p.parent();
      if (p.kind() == "module") functions_[std::string(text_of(n.field("name")))] = n;
    } else if (k == "assignment") {
      assignments.push_back(n);
    }
    return true;
  });
  function_parents_ = containing_indices(function_nodes_);
  class_parents_ = containing_indices(class_nodes_);
  for (Node n : assignments) {
    Node left = n.field("left");
    Node right = n.field("right");
    if (!right || right.kind() == "assignment") continue;
    Node fn = enclosing_function(n);
    uint32_t scope = fn ? fn.start_byte() : 0;
    if (left.kind() == "identifier") {
      assigns_[key(scope, text_of(left))].push_back({n.end_byte(), right});
    } else if ((left.kind() == "pattern_list" || left.kind() == "tuple_pattern") &&
               right.kind() == "expression_list" &&
               left.named_child_count() == right.named_child_count()) {
      // train_ds, val_ds = Blocks(a), Blocks(b): element by element
      for (uint32_t i = 0; i < left.named_child_count(); ++i)
        if (left.named_child(i).kind() == "identifier")
          assigns_[key(scope, text_of(left.named_child(i)))].push_back(
              {n.end_byte(), right.named_child(i)});
    } else if ((left.kind() == "pattern_list" || left.kind() == "tuple_pattern") &&
               right.kind() == "call" && right.field("function").kind() == "identifier") {
      // train_loader, test_loader = make_loaders(): element by element of what it returns
      for (uint32_t i = 0; i < left.named_child_count(); ++i)
        if (left.named_child(i).kind() == "identifier")
          assigns_[key(scope, text_of(left.named_child(i)))].push_back(
              {n.end_byte(), right, static_cast<int>(i)});
    } else if (left.kind() == "attribute" && left.field("object").kind() == "identifier" &&
               text_of(left.field("object")) == "self") {
      Node cls = enclosing_class(n);
      if (cls)
        self_assigns_[key(cls.start_byte(), text_of(left.field("attribute")))].push_back(
            {n.end_byte(), right});
    }
  }
}

const std::vector<Node>& TorchFacts::calls_named(std::string_view name) const {
  static const std::vector<Node> kNone;
  auto it = calls_by_name_.find(std::string(name));
  return it == calls_by_name_.end() ? kNone : it->second;
}

const std::vector<Node>& TorchFacts::self_calls_named(std::string_view name) const {
  static const std::vector<Node> kNone;
  auto it = self_calls_by_name_.find(std::string(name));
  return it == self_calls_by_name_.end() ? kNone : it->second;
}

const ModuleClass* TorchFacts::module_class(std::string_view name) const {
  for (const auto& m : modules_)
    if (m.name == name) return &m;
  return nullptr;
}

void TorchFacts::collect_module_classes() {
  // Classes in source order; a class deriving from an earlier local module class is one too.
  syntax::walk(root_, [&](Node n) {
    if (n.kind() != "class_definition") return true;
    bool is_module = false;
    for (Node base : syntax::children(n.field("superclasses"))) {
      const std::string& q = sem_.qualified_name(base);
      if (q == "torch.nn.Module" || q == "torch.nn.modules.module.Module" ||
          q == "pytorch_lightning.LightningModule" || q == "lightning.LightningModule" ||
          q == "lightning.pytorch.LightningModule" ||
          (base.kind() == "identifier" && module_class(text_of(base)) != nullptr))
        is_module = true;
    }
    if (!is_module) return true;
    ModuleClass m;
    m.name = std::string(text_of(n.field("name")));
    m.cls = n;
    for (Node s : syntax::children(n.field("body"))) {
      Node def = s.kind() == "decorated_definition" ? s.field("definition") : s;
      if (def.kind() == "function_definition" && text_of(def.field("name")) == "forward")
        m.forward = def;
    }
    if (m.forward) {
      syntax::walk(m.forward.field("body"), [&](Node r) {
        if (r.kind() == "function_definition" || r.kind() == "lambda" ||
            r.kind() == "class_definition")
          return false;
        if (r.kind() == "return_statement") m.returns.push_back(r);
        return true;
      });
    }
    modules_.push_back(std::move(m));
    return true;
  });
}

Node TorchFacts::resolve_parameter(Node fn, std::string_view name, int depth) const {
  // Only plain module-level functions: a method's callers are too hard to see.
  if (enclosing_class(fn)) return Node();
  std::string_view fname = text_of(fn.field("name"));
  int index = -1, i = 0;
  Node default_value;
  for (Node p : syntax::children(fn.field("parameters"))) {
    Node id = p;
    if (p.kind() == "default_parameter" || p.kind() == "typed_default_parameter") {
      id = p.field("name");
    } else if (p.kind() == "typed_parameter") {
      id = p.named_child(0);
    } else if (p.kind() != "identifier") {
      if (index < 0) return Node();  // *args before the parameter: positions are unknowable
      continue;
    }
    if (text_of(id) == name) {
      index = i;
      default_value = p.field("value");
    }
    ++i;
  }
  if (index < 0) return Node();
  std::string memo_key = key(fn.start_byte(), name);
  if (auto m = parameter_memo_.find(memo_key); m != parameter_memo_.end()) return m->second;
  parameter_memo_[memo_key] = Node();  // a recursive call through the same parameter: unknown
  Node found;
  std::string found_text;
  bool any = false;
  for (Node c : calls_named(fname)) {
    Node arg;
    std::vector<Node> pos = positional_args(c);
    if (index < static_cast<int>(pos.size())) arg = pos[index];
    for (Node a : syntax::children(c.field("arguments")))
      if (a.kind() == "keyword_argument" && text_of(a.field("name")) == name) arg = a.field("value");
    if (!arg) arg = default_value;
    if (!arg) return Node();
    Node r = resolve(arg, depth + 1);
    std::string t = std::string(text_of(r));
    // Call sites that disagree: unknown, unless both build the same class (the trained model
    // and the best checkpoint reloaded with from_pretrained): then the first stands for both.
    if (any && t != found_text) {
      const Node built = constructor(r, depth + 1), first = constructor(found, depth + 1);
      const bool same_class = built && first && !sem_.callee(built).empty() &&
                              sem_.callee(built) == sem_.callee(first);
      if (!same_class) return Node();
      continue;
    }
    any = true;
    found = r;
    found_text = t;
  }
  parameter_memo_[memo_key] = found;
  return found;
}

Node TorchFacts::resolve_name(Node ident, int depth) const {
  std::string_view name = text_of(ident);
  for (Node fn = enclosing_function(ident);; fn = enclosing_function(fn)) {
    uint32_t scope = fn ? fn.start_byte() : 0;
    auto it = assigns_.find(key(scope, name));
    if (it != assigns_.end()) {
      const Assign* best = nullptr;
      for (const Assign& a : it->second)
        if (a.byte <= ident.start_byte()) best = &a;
      // A global used in a function resolves to the module's last assignment.
      if (!best && scope == 0 && enclosing_function(ident)) best = &it->second.back();
      if (best && best->element >= 0) return returned_element(best->rhs, best->element, depth);
      if (best) return resolve(best->rhs, depth + 1);
      if (fn) return Node();  // assigned only below the use in this function
    }
    if (!fn) return Node();
    // A parameter of this function?
    for (Node p : syntax::children(fn.field("parameters"))) {
      Node id = p;
      if (p.kind() == "default_parameter" || p.kind() == "typed_default_parameter")
        id = p.field("name");
      else if (p.kind() == "typed_parameter")
        id = p.named_child(0);
      if (id.kind() == "identifier" && text_of(id) == name) {
        if (name == "self") return Node();
        return resolve_parameter(fn, name, depth);
      }
    }
  }
}

Node TorchFacts::last_returned(Node def) {
  if (!def) return Node();
  Node last;
  syntax::walk(def.field("body"), [&](Node r) {
    if (r.kind() == "function_definition" || r.kind() == "class_definition") return false;
    if (r.kind() == "return_statement") last = r;
    return true;
  });
  return last && last.named_child_count() == 1 ? last.named_child(0) : Node();
}

Node TorchFacts::returned_element(Node call, int element, int depth) const {
  if (depth > kMaxDepth) return Node();
  Node value = strip_parens(last_returned(function_def(text_of(call.field("function")))));
  if (!value) return Node();
  if (value.kind() != "expression_list" && value.kind() != "tuple") return Node();
  if (static_cast<uint32_t>(element) >= value.named_child_count()) return Node();
  return resolve(value.named_child(static_cast<uint32_t>(element)), depth + 1);
}

Node TorchFacts::resolve_self_attr(Node attr, int depth) const {
  Node cls = enclosing_class(attr);
  if (!cls) return Node();
  auto it = self_assigns_.find(key(cls.start_byte(), text_of(attr.field("attribute"))));
  if (it == self_assigns_.end()) return Node();
  return resolve(it->second.back().rhs, depth + 1);
}

Node TorchFacts::resolve(Node expr, int depth) const {
  expr = strip_parens(expr);
  if (!expr || depth > kMaxDepth) return expr;
  if (expr.kind() == "identifier") {
    if (!sem_.qualified_name(expr).empty()) return expr;  // an import or builtin
    Node r = resolve_name(expr, depth);
    return r ? r : expr;
  }
  if (expr.kind() == "attribute" && expr.field("object").kind() == "identifier" &&
      text_of(expr.field("object")) == "self") {
    Node r = resolve_self_attr(expr, depth);
    return r ? r : expr;
  }
  return expr;
}

Node TorchFacts::constructor(Node expr, int depth) const {
  if (depth > kMaxDepth) return Node();
  Node n = resolve(expr, depth);
  if (!n || n.kind() != "call") return Node();
  const std::string& q = sem_.callee(n);
  if (!q.empty()) return n;
  Node f = n.field("function");
  if (f.kind() == "identifier") {
    std::string_view name = text_of(f);
    if (module_class(name)) return n;
    // A local factory: follow its last return.
    if (Node value = last_returned(function_def(name))) return constructor(value, depth + 1);
    return Node();
  }
  if (f.kind() == "attribute") {
    std::string_view m = text_of(f.field("attribute"));
    if (m == "to" || m == "cuda" || m == "cpu" || m == "float" || m == "double" || m == "half" ||
        m == "train" || m == "eval" || m == "requires_grad_")
      return constructor(f.field("object"), depth + 1);
  }
  return Node();
}

std::string TorchFacts::object_type(Node expr, int depth) const {
  Node c = constructor(expr, depth);
  if (!c) return "";
  const std::string& q = sem_.callee(c);
  if (!q.empty()) return normalise_nn(q);
  Node f = c.field("function");
  if (f.kind() == "identifier" && module_class(text_of(f))) return "local:" + std::string(text_of(f));
  return "";
}

bool TorchFacts::is_module_type(std::string_view t) const {
  if (starts_with(t, "local:")) return module_class(t.substr(6)) != nullptr;
  if (starts_with(t, "torch.nn.")) {
    std::string_view last = t.substr(9);
    return !last.empty() && last.find('.') == std::string_view::npos && last[0] >= 'A' &&
           last[0] <= 'Z' && !ends_with(last, "Loss") && last != "Parameter";
  }
  if (starts_with(t, "torchvision.models.") || t == "timm.create_model") return true;
  if (starts_with(t, "transformers.") && ends_with(t, ".from_pretrained")) {
    // Models (AutoModel, AutoModelForX, BertForX, GPT2LMHeadModel), not tokenizers, processors
    // or configs.
    std::string_view cls = t.substr(0, t.size() - std::string_view(".from_pretrained").size());
    cls = cls.substr(cls.rfind('.') + 1);
    if (cls.find("Tokenizer") != std::string_view::npos ||
        cls.find("Processor") != std::string_view::npos ||
        cls.find("Config") != std::string_view::npos ||
        cls.find("FeatureExtractor") != std::string_view::npos)
      return false;
    return cls.find("Model") != std::string_view::npos || cls.find("For") != std::string_view::npos;
  }
  return false;
}

bool TorchFacts::is_optimizer(Node expr) const {
  std::string t = object_type(expr);
  if (starts_with(t, "torch.optim.lr_scheduler.") || starts_with(t, "torch.optim.swa_utils."))
    return false;
  return starts_with(t, "torch.optim.") || t == "transformers.AdamW" ||
         t == "transformers.optimization.AdamW";
}

ActivationSite TorchFacts::forward_activation(const ModuleClass& m, int depth) const {
  if (!m.forward || m.returns.empty() || depth > kMaxDepth) return {};
  ActivationSite first;
  for (size_t i = 0; i < m.returns.size(); ++i) {
    Node r = m.returns[i];
    if (r.named_child_count() != 1) return {};
    ActivationSite a = activation_of(r.named_child(0), depth + 1);
    if (a.kind == Activation::Unknown) return {};
    if (i == 0) first = a;
    else if (a.kind != first.kind) return {};
  }
  return first;
}

ActivationSite TorchFacts::activation_of(Node expr, int depth) const {
  expr = strip_parens(expr);
  if (!expr || depth > kMaxDepth) return {};
  if (expr.kind() == "identifier" || expr.kind() == "attribute") {
    Node r = resolve(expr, depth);
    if (r == expr) return {};
    return activation_of(r, depth + 1);
  }
  if (expr.kind() != "call") return {};
  const std::string& q = sem_.callee(expr);
  if (Activation a = activation_of_function(q); a != Activation::Unknown) return {a, expr};
  Node f = expr.field("function");
  std::vector<Node> pos = positional_args(expr);
  if (q == "torch.squeeze" || q == "torch.flatten" || q == "torch.reshape") {
    return pos.empty() ? ActivationSite{} : activation_of(pos[0], depth + 1);
  }
  if (!q.empty()) return {};
  std::string ft = object_type(f, depth + 1);
  if (f.kind() == "attribute" && !is_module_type(ft)) {
    std::string_view m = text_of(f.field("attribute"));
    Node recv = f.field("object");
    bool recv_is_module = is_module_type(object_type(recv, depth + 1));
    if (!recv_is_module) {
      if (m == "softmax") return {Activation::Softmax, expr};
      if (m == "log_softmax") return {Activation::LogSoftmax, expr};
      if (m == "sigmoid") return {Activation::Sigmoid, expr};
      if (shape_method(m)) return activation_of(recv, depth + 1);
      return {};
    }
    if (m != "forward") return {};
    f = recv;  // model.forward(x) is model(x)
  }
  // Calling a module object: `self(x)` inside a module class, a layer, a container, a model.
  if (f.kind() == "identifier" && text_of(f) == "self") {
    Node cls = enclosing_class(expr);
    if (const ModuleClass* mc = cls ? module_class(text_of(cls.field("name"))) : nullptr)
      return forward_activation(*mc, depth + 1);
    return {};
  }
  std::string t = f == expr.field("function") ? ft : object_type(f, depth + 1);
  if (t.empty()) return {};
  if (Activation a = activation_of_layer(t); a != Activation::Unknown)
    return {a, a == Activation::Raw ? expr : constructor(f, depth + 1)};
  if (t == "torch.nn.Sequential") {
    Node ctor = constructor(f, depth + 1);
    // Layers added after construction (`seq.add_module("act", nn.Sigmoid())`): unknown.
    if (!grown_computed_) {
      grown_computed_ = true;
      for (Node c : calls_) {
        std::string_view m = method_name(c);
        if (m == "add_module" || m == "append" || m == "extend" || m == "insert")
          if (Node g = constructor(c.field("function").field("object")))
            grown_containers_.insert(g.id());
      }
    }
    if (grown_containers_.count(ctor.id())) return {};
    std::vector<Node> layers = positional_args(ctor);
    if (layers.empty()) return {};
    Node last = strip_parens(layers.back());
    if (last.kind() != "call") return {};
    std::string lt = normalise_nn(sem_.callee(last));
    if (Activation a = activation_of_layer(lt); a != Activation::Unknown) return {a, last};
    Node lf = last.field("function");
    if (lf.kind() == "identifier")
      if (const ModuleClass* mc = module_class(text_of(lf))) return forward_activation(*mc, depth + 1);
    return {};
  }
  if (starts_with(t, "local:"))
    if (const ModuleClass* mc = module_class(t.substr(6))) return forward_activation(*mc, depth + 1);
  return {};
}

bool TorchFacts::is_module_call(Node call) const {
  if (call.kind() != "call" || !sem_.callee(call).empty()) return false;
  Node f = call.field("function");
  if (f.kind() == "attribute" && text_of(f.field("attribute")) == "forward") f = f.field("object");
  if (f.kind() == "identifier" && text_of(f) == "self") {
    Node cls = enclosing_class(call);
    return cls && module_class(text_of(cls.field("name")));
  }
  return is_module_type(object_type(f));
}

const LossCall* TorchFacts::loss_call(Node call) const {
  auto it = loss_index_.find(call.id());
  return it == loss_index_.end() ? nullptr : &losses_[it->second];
}

bool TorchFacts::inside_module_class(Node n) const {
  for (const auto& m : modules_)
    if (n.start_byte() >= m.cls.start_byte() && n.end_byte() <= m.cls.end_byte()) return true;
  return false;
}

std::string TorchFacts::loss_type_of_callee(Node call, Node* ctor) const {
  const std::string& q = sem_.callee(call);
  if (std::string l = functional_loss(q); !l.empty()) return l;
  if (!q.empty()) return "";
  Node f = call.field("function");
  std::string t = object_type(f);
  if (starts_with(t, "torch.nn.") && ends_with(t, "Loss")) {
    if (ctor) *ctor = constructor(f);
    return t;
  }
  return "";
}

void TorchFacts::collect_losses() {
  for (Node c : calls_) {
    Node ctor;
    std::string t = loss_type_of_callee(c, &ctor);
    if (t.empty()) continue;
    LossCall l;
    l.call = c;
    l.type = t;
    l.ctor = ctor;
    std::vector<Node> pos = positional_args(c);
    if (!pos.empty()) l.input = pos[0];
    if (pos.size() > 1) l.target = pos[1];
    for (Node a : syntax::children(c.field("arguments"))) {
      if (a.kind() != "keyword_argument") continue;
      std::string_view n = text_of(a.field("name"));
      if (n == "input") l.input = a.field("value");
      if (n == "target") l.target = a.field("value");
    }
    loss_index_[c.id()] = losses_.size();
    losses_.push_back(l);
  }
}

void TorchFacts::collect_loops() {
  for (Node c : calls_) {
    if (method_name(c) != "step") continue;
    Node recv = c.field("function").field("object");
    Node opt;
    if (is_optimizer(recv)) {
      opt = recv;
    } else {
      std::string t = object_type(recv);
      std::vector<Node> pos = positional_args(c);
      if ((t == "torch.cuda.amp.GradScaler" || t == "torch.amp.GradScaler") && !pos.empty() &&
          is_optimizer(pos[0]))
        opt = pos[0];
    }
    if (!opt) continue;
    Node loop;
    for (Node p = c.parent(); p; p = p.parent()) {
      if (p.kind() == "function_definition" || p.kind() == "class_definition") break;
      if (is_loop(p)) {
        loop = p;
        break;
      }
    }
    if (!loop) continue;
    Node opt_ctor = constructor(opt);
    bool known = false;
    for (const auto& l : loops_)
      if (l.loop == loop && constructor(l.optimizer) == opt_ctor) known = true;
    if (known) continue;
    // The backward() that feeds this step: the last one above it in the loop, else the first.
    Node backward, first;
    for (Node b : backward_calls_) {
      if (b.start_byte() < loop.start_byte() || b.end_byte() > loop.end_byte()) continue;
      if (!first) first = b;
      if (b.start_byte() < c.start_byte()) backward = b;
    }
    if (!backward) backward = first;
    if (!backward) continue;
    loops_.push_back({loop, backward, c, opt});
  }
}

bool TorchFacts::grad_disabled_at(Node node) const {
  auto disables = [&](Node call) {
    const std::string& q = sem_.callee(call);
    if (q == "torch.no_grad" || q == "torch.inference_mode" || q == "torch.autograd.no_grad" ||
        q == "torch.autograd.inference_mode")
      return true;
    if (q == "torch.set_grad_enabled" || q == "torch.autograd.set_grad_enabled") {
      std::vector<Node> pos = positional_args(call);
      return pos.size() == 1 && pos[0].kind() == "false";
    }
    return false;
  };
  for (Node p = node.parent(); p; p = p.parent()) {
    if (p.kind() == "with_statement") {
      bool yes = false;
      for (Node c : syntax::children(p)) {
        if (c.kind() != "with_clause") continue;
        syntax::walk(c, [&](Node x) {
          if (x.kind() == "call" && disables(x)) yes = true;
          return !yes;
        });
      }
      if (yes) return true;
    }
    if (p.kind() == "function_definition") {
      Node d = p.parent();
      if (d.kind() == "decorated_definition") {
        for (Node dec : syntax::children(d)) {
          if (dec.kind() != "decorator" || dec.named_child_count() == 0) continue;
          Node e = dec.named_child(0);
          if (e.kind() == "call" ? disables(e)
                                 : (sem_.qualified_name(e) == "torch.no_grad" ||
                                    sem_.qualified_name(e) == "torch.inference_mode"))
            return true;
        }
      }
      // A module-level function every call site of which runs with gradients disabled.
      if (enclosing_function(p) || enclosing_class(p)) return false;
      std::string_view name = text_of(p.field("name"));
      bool any = false, all = true;
      for (Node c : calls_named(name)) {
        any = true;
        if (c.start_byte() >= p.start_byte() && c.end_byte() <= p.end_byte()) return false;
        if (!grad_disabled_at(c)) all = false;
      }
      return any && all;
    }
  }
  return false;
}

}  // namespace mlroast::torchfacts
