// ML503 loss-tensor-accumulation: a loss/output tensor summed or appended across iterations.
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "analysis/rules/rule.hpp"
#include "analysis/rules/torch_facts.hpp"

namespace mlroast::rules {
namespace {

constexpr std::string_view kDoc = R"md(# ML503 loss-tensor-accumulation

## What it finds
Inside a loop, with autograd enabled, a loss tensor (the result of a criterion such as
`nn.CrossEntropyLoss()(...)` or a functional loss such as `F.mse_loss(...)`, or a sum involving
one) or a model output tensor (`model(x)` of an `nn.Module`) that is accumulated across
iterations without `.item()` or `.detach()`:
- `running_loss += loss`, `running_loss += loss * xb.size(0)`, `total = total + loss`;
- `losses.append(loss)`, `outputs.append(model(xb))`.

The accumulator must outlive the iteration (it is not re-assigned inside the loop). What a value
is comes from data flow (the loss call, the module class or layer it came from), not its name;
a value whose `.backward()` is called in the same loop is a loss whatever it came from (the
`.loss` of a Hugging Face model's output).

Not reported: `.item()`, `.detach()`, `.tolist()` before accumulating; accumulation under
`torch.no_grad()` / `torch.inference_mode()` (no graph is recorded; also when every caller of
the function runs it under `no_grad`); adding a second loss term inside one iteration
(`loss = ce; loss += 0.1 * reg`); deliberate accumulation for one backward pass, i.e. an
accumulator that later reaches `.backward()` directly or through a value computed from it
(`total += loss` ... `total.backward()`; `losses.append(...)` ... `sum(losses).backward()` or
`total = sum(losses); total.backward()`).

## Why it matters
A loss tensor carries the whole autograd graph of the batch that produced it: activations of
every layer. Summing or storing it keeps every batch's graph alive, so GPU memory grows with each
iteration until the run dies with out-of-memory after N epochs, or silently slows down as the
allocator thrashes. The per-batch `.item()` is also the synchronisation the logging needs anyway.

## Example
```python
running_loss = 0.0
for xb, yb in loader:
    loss = criterion(model(xb), yb)
    loss.backward()
    optimizer.step()
    running_loss += loss
```

## Use instead
```python
    running_loss += loss.item()
```
or `outputs.append(model(xb).detach().cpu())` for outputs kept for metrics.

## Fix safety
`acc += loss` and `acc += loss * n` become `acc += loss.item()` / `acc += loss.item() * n`. The
fix is safe when the accumulator starts as a number literal in the same function, the loss has
the default scalar reduction, and the accumulator is never used as a tensor afterwards (no
attribute access such as `acc.item()`, `acc.cpu()`): the accumulated value is then the same
number, as a Python float. Otherwise (or for `append`) the fix is unsafe: code that later stacks
the list or calls tensor methods on the total must be adapted. Appended model outputs get
`.detach()` (unsafe for the same reason).

## References
- PyTorch FAQ, "My model reports 'cuda runtime error(2): out of memory'" (accumulating history
  across the training loop: `total_loss += loss`).
- ml-review-spec: memory leaks in training loops.
)md";

constexpr RuleInfo kInfo{"ML503",
                         "loss-tensor-accumulation",
                         Category::DeepLearning,
                         Severity::Error,
                         FixAvailability::Sometimes,
                         "Loss/output tensor accumulated across iterations without .item()/.detach()",
                         kDoc};

using syntax::Node;

enum class Kind { None, Loss, Output };

class LossTensorAccumulation final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  Lineage lineage() const override { return Lineage::None; }

  void finish(RuleContext& ctx) override {
    if (!ctx.sem().imports("torch")) return;
    const torchfacts::TorchFacts& facts = torch_facts(ctx);
    facts_ = &facts;
    syntax::walk(ctx.file().tree->root(), [&](Node n) {
      if (n.kind() == "augmented_assignment") check_augmented(n, ctx);
      else if (n.kind() == "assignment") check_assignment(n, ctx);
      else if (n.kind() == "call") check_append(n, ctx);
      return true;
    });
    facts_ = nullptr;
    scope_uses_.clear();
    assigned_numbers_.clear();
  }

 private:
  const torchfacts::TorchFacts* facts_ = nullptr;

  // What tensor an expression holds (a loss with its graph, a model output, or neither).
  Kind kind_of(Node e, int depth = 0) const {
    while (e && e.kind() == "parenthesized_expression" && e.named_child_count() == 1)
      e = e.named_child(0);
    if (!e || depth > 8) return Kind::None;
    if (e.kind() == "identifier") {
      Node r = facts_->resolve(e);
      const Kind k = r == e ? Kind::None : kind_of(r, depth + 1);
      return k == Kind::None && backward_in_loop(e) ? Kind::Loss : k;
    }
    if (e.kind() == "binary_operator") {
      Kind l = kind_of(e.field("left"), depth + 1);
      Kind r = kind_of(e.field("right"), depth + 1);
      return l == Kind::Loss || r == Kind::Loss ? Kind::Loss : Kind::None;
    }
    if (e.kind() != "call") return Kind::None;
    if (facts_->loss_call(e)) return Kind::Loss;
    if (facts_->is_module_call(e) && !facts_->inside_module_class(e)) return Kind::Output;
    std::string_view m = facts_->method_name(e);
    if (m == "mean" || m == "sum" || m == "squeeze" || m == "view" || m == "float")
      return kind_of(e.field("function").field("object"), depth + 1);
    return Kind::None;
  }

  // `name.backward()` in the loop around the identifier `id`: whatever it came from (the `.loss`
  // of a Hugging Face model's output, a hand-written criterion), it is a loss with its graph.
  bool backward_in_loop(Node id) const {
    Node loop = loop_of(id);
    if (!loop) return false;
    const std::string_view name = facts_->text_of(id);
    for (Node b : facts_->backward_calls()) {
      if (b.start_byte() < loop.start_byte() || b.end_byte() > loop.end_byte()) continue;
      Node receiver = b.field("function").field("object");
      if (receiver.kind() == "identifier" && facts_->text_of(receiver) == name) return true;
    }
    return false;
  }

  // The innermost loop around `n` in its function, or null.
  static Node loop_of(Node n) {
    for (Node p = n.parent(); p; p = p.parent()) {
      if (p.kind() == "function_definition" || p.kind() == "class_definition") return Node();
      if (p.kind() == "for_statement" || p.kind() == "while_statement") return p;
    }
    return Node();
  }

  // True when `name` is (re)bound by a plain assignment inside `loop`.
  static bool assigned_in(Node loop, std::string_view name, const RuleContext& ctx) {
    bool found = false;
    syntax::walk(loop, [&](Node x) {
      if (found) return false;
      if (x.kind() == "assignment" && ctx.text_of(x.field("left")) == name) found = true;
      if (x.kind() == "for_statement" && x != loop) {
        Node l = x.field("left");
        if (ctx.text_of(l) == name) found = true;
      }
      return !found;
    });
    return found;
  }

  // The scope to search for later uses of an accumulator: its function, or the module.
  Node scope_of(Node n) const {
    Node f = facts_->enclosing_function(n);
    if (f) return f;
    while (n.parent()) n = n.parent();
    return n;
  }

  // What one walk of a scope says about the names in it, for uses().
  struct ScopeUses {
    std::unordered_set<std::string_view> attribute_objects;  // `x` of every `x.attr`
    // identifier -> the names assigned from an expression that mentions it (`total = sum(x)`)
    std::unordered_map<std::string_view, std::vector<std::string_view>> assigned_from;
    std::vector<std::string_view> receivers;  // `r` of every `r.backward()`
  };

  const ScopeUses& scope_uses(Node scope, const RuleContext& ctx) {
    auto [it, added] = scope_uses_.try_emplace(scope.index());
    if (!added) return it->second;
    ScopeUses& out = it->second;
    syntax::walk(scope, [&](Node x) {
      if (x.kind() == "attribute") out.attribute_objects.insert(ctx.text_of(x.field("object")));
      // `right` is null for an annotation (`x: int`) or an assignment the parser recovered.
      if (x.kind() == "assignment" && x.field("left").kind() == "identifier" && x.field("right")) {
        std::string_view left = ctx.text_of(x.field("left"));
        std::unordered_set<std::string_view> mentioned;
        syntax::walk(x.field("right"), [&](Node i) {
          if (i.kind() == "identifier" && mentioned.insert(ctx.text_of(i)).second)
            out.assigned_from[ctx.text_of(i)].push_back(left);
          return true;
        });
      }
      if (x.kind() == "call") {
        Node f = x.field("function");
        if (f.kind() == "attribute" && ctx.text_of(f.field("attribute")) == "backward")
          out.receivers.push_back(ctx.text_of(f.field("object")));
      }
      return true;
    });
    return out;
  }
  std::unordered_map<uint32_t, ScopeUses> scope_uses_;  // by the scope node's index

  // True when the accumulator reaches backward() (deliberate accumulation for one backward) or
  // is used as a tensor (`acc.<attr>`) in its scope. One walk per scope, not per name: a module
  // with many accumulators was quadratic.
  void uses(Node scope, std::string_view name, const RuleContext& ctx, bool& backward,
            bool& tensor_use) {
    const ScopeUses& su = scope_uses(scope, ctx);
    if (su.attribute_objects.count(name) != 0) tensor_use = true;
    // Names computed from the accumulator (`total = sum(losses)`): reaching backward() through
    // one of them is deliberate accumulation too.
    std::vector<std::string_view> derived{name};
    if (auto found = su.assigned_from.find(name); found != su.assigned_from.end())
      derived.insert(derived.end(), found->second.begin(), found->second.end());
    for (std::string_view recv : su.receivers)
      for (std::string_view d : derived)
        if (recv == d || recv.find(std::string(d) + ".") == 0 ||
            recv.find("(" + std::string(d)) != std::string_view::npos)
          backward = true;
  }

  bool eligible(Node site, std::string_view acc, const RuleContext& ctx, Node& loop) {
    loop = loop_of(site);
    if (!loop) return false;
    if (facts_->grad_disabled_at(site)) return false;
    if (assigned_in(loop, acc, ctx)) return false;
    bool backward = false, tensor_use = false;
    uses(scope_of(site), acc, ctx, backward, tensor_use);
    return !backward;
  }

  // The loss operand to wrap in `.item()`: the rhs itself or a factor of a product.
  Node loss_operand(Node rhs) const {
    if (rhs.kind() == "identifier" && kind_of(rhs) == Kind::Loss) return rhs;
    if (rhs.kind() == "binary_operator") {
      std::string_view op = facts_->text_of(rhs.child(1));
      if (op != "*" && op != "/") return Node();
      Node l = rhs.field("left"), r = rhs.field("right");
      if (l.kind() == "identifier" && kind_of(l) == Kind::Loss && kind_of(r) == Kind::None) return l;
      if (op == "*" && r.kind() == "identifier" && kind_of(r) == Kind::Loss &&
          kind_of(l) == Kind::None)
        return r;
    }
    return Node();
  }

  bool scalar_loss(Node loss_ident) const {
    Node r = facts_->resolve(loss_ident);
    const torchfacts::LossCall* l = r.kind() == "call" ? facts_->loss_call(r) : nullptr;
    if (!l) return false;
    for (Node c : {l->call, l->ctor}) {
      if (!c) continue;
      for (Node a : syntax::children(c.field("arguments")))
        if (a.kind() == "keyword_argument" && facts_->text_of(a.field("name")) == "reduction" &&
            facts_->text_of(a.field("value")) != "\"mean\"" &&
            facts_->text_of(a.field("value")) != "\"sum\"" &&
            facts_->text_of(a.field("value")) != "'mean'" &&
            facts_->text_of(a.field("value")) != "'sum'")
          return false;
    }
    return true;
  }

  // True when `acc` starts as a number literal in the scope, above `loop`: the last assignment
  // to it before the loop assigns an integer or float literal. The scope's assignments are
  // indexed once (a walk per accumulator made a module with many of them quadratic).
  bool starts_as_number(Node loop, std::string_view acc, const RuleContext& ctx) {
    Node scope = scope_of(loop);
    auto [it, added] = assigned_numbers_.try_emplace(scope.index());
    auto& by_name = it->second;
    if (added)
      syntax::walk(scope, [&](Node x) {
        if (x.kind() == "assignment") {
          Node v = x.field("right");
          by_name[ctx.text_of(x.field("left"))].emplace_back(
              x.start_byte(), v.kind() == "integer" || v.kind() == "float");
        }
        return true;
      });
    const auto found = by_name.find(acc);
    if (found == by_name.end()) return false;
    bool number = false;
    for (const auto& [start, literal] : found->second) {  // in source order
      if (start >= loop.start_byte()) break;
      number = literal;
    }
    return number;
  }
  // scope node index -> assigned text -> (assignment start, assigns a number literal)
  std::unordered_map<uint32_t,
                     std::unordered_map<std::string_view, std::vector<std::pair<uint32_t, bool>>>>
      assigned_numbers_;

  void report_accumulation(Node site, Node acc_node, Node rhs, Node loop, RuleContext& ctx) {
    std::string acc(ctx.text_of(acc_node));
    Kind k = kind_of(rhs);
    std::string what = k == Kind::Loss ? "loss tensor" : "model output tensor";
    Finding f = finding(site, "`" + acc + "` accumulates a " + what +
                                  " across iterations with its autograd graph: memory grows every "
                                  "batch; accumulate `.item()` instead");
    Node operand = k == Kind::Loss ? loss_operand(rhs) : Node();
    if (operand && scalar_loss(operand)) {
      bool backward = false, tensor_use = false;
      uses(scope_of(site), acc, ctx, backward, tensor_use);
      bool safe = acc_node.kind() == "identifier" && !tensor_use && starts_as_number(loop, acc, ctx);
      f.fix = Fix{"Accumulate `" + std::string(ctx.text_of(operand)) + ".item()`",
                  safe ? Applicability::Safe : Applicability::Unsafe,
                  {TextEdit{operand.end_byte(), operand.end_byte(), ".item()"}}};
    }
    ctx.report(std::move(f));
  }

  void check_augmented(Node n, RuleContext& ctx) {
    if (ctx.text_of(n.child(1)) != "+=") return;
    Node acc = n.field("left");
    Node rhs = n.field("right");
    if (kind_of(rhs) == Kind::None) return;
    Node loop;
    if (!eligible(n, ctx.text_of(acc), ctx, loop)) return;
    report_accumulation(n, acc, rhs, loop, ctx);
  }

  void check_assignment(Node n, RuleContext& ctx) {
    // total = total + loss
    Node acc = n.field("left");
    Node rhs = n.field("right");
    if (acc.kind() != "identifier" || rhs.kind() != "binary_operator" ||
        ctx.text_of(rhs.child(1)) != "+")
      return;
    Node other;
    if (ctx.text_of(rhs.field("left")) == ctx.text_of(acc)) other = rhs.field("right");
    else if (ctx.text_of(rhs.field("right")) == ctx.text_of(acc)) other = rhs.field("left");
    if (!other || kind_of(other) == Kind::None) return;
    Node loop = loop_of(n);
    if (!loop || facts_->grad_disabled_at(n)) return;
    bool backward = false, tensor_use = false;
    uses(scope_of(n), ctx.text_of(acc), ctx, backward, tensor_use);
    if (backward) return;
    Finding f = finding(n, "`" + std::string(ctx.text_of(acc)) +
                               "` accumulates a " +
                               (kind_of(other) == Kind::Loss ? "loss tensor" : "model output tensor") +
                               " across iterations with its autograd graph: memory grows every "
                               "batch; accumulate `.item()` instead");
    ctx.report(std::move(f));
  }

  void check_append(Node call, RuleContext& ctx) {
    std::string_view m = facts_->method_name(call);
    if (m != "append") return;
    Node list = call.field("function").field("object");
    std::vector<Node> args = syntax::children(call.field("arguments"));
    if (args.size() != 1) return;
    Node arg = args[0];
    Kind k = kind_of(arg);
    if (k == Kind::None) return;
    Node loop;
    if (!eligible(call, ctx.text_of(list), ctx, loop)) return;
    std::string what = k == Kind::Loss ? "loss tensors" : "model output tensors";
    Finding f = finding(call, "`" + std::string(ctx.text_of(list)) + "` keeps " + what +
                                  " with their autograd graphs across iterations: memory grows "
                                  "every batch; append `" +
                                  (k == Kind::Loss ? ".item()" : ".detach()") + "` values");
    f.fix = Fix{k == Kind::Loss ? "Append `.item()`" : "Append `.detach()`",
                Applicability::Unsafe,
                {TextEdit{arg.end_byte(), arg.end_byte(), k == Kind::Loss ? ".item()" : ".detach()"}}};
    if (arg.kind() != "identifier" && arg.kind() != "call" && arg.kind() != "attribute")
      f.fix.reset();
    ctx.report(std::move(f));
  }
};

}  // namespace

std::unique_ptr<Rule> make_loss_tensor_accumulation() {
  return std::make_unique<LossTensorAccumulation>();
}

}  // namespace mlroast::rules
