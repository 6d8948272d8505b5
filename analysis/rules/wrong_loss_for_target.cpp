// ML509 wrong-loss-for-target: MSE on a count target, cross-entropy on an ordinal target.
#include <map>
#include <string>

#include "analysis/rules/rule.hpp"
#include "analysis/rules/torch_facts.hpp"

namespace mlroast::rules {
namespace {

constexpr std::string_view kDoc = R"md(# ML509 wrong-loss-for-target

## What it finds
A PyTorch loss whose target is a DataFrame column the same file shows to be
- a count, scored with `nn.MSELoss` / `F.mse_loss`: the column is assigned from a count
  aggregation (`groupby(...).transform("count" | "size" | "nunique")`, `.size()`, `.count()`,
  `.nunique()`, `.value_counts()`, or `groupby(...).size().reset_index(name="col")`);
- ordinal, scored with `nn.CrossEntropyLoss` / `F.cross_entropy` / `NLLLoss`: the column is
  assigned an ordered categorical (`pd.Categorical(..., ordered=True)`,
  `.astype(pd.CategoricalDtype(..., ordered=True))`).

The target is traced by data flow from the loss call's second argument: through names, a batch
variable of a `for x, y in loader` loop to the `TensorDataset(...)` behind the `DataLoader`, and
`torch.tensor(...)` / `torch.from_numpy(...)` / `.to_numpy()` / `.values` / `.float()` to the
`df["col"]` it was built from. What the column is comes from how it was computed, never from its
name: a column called `n_visits` read from a CSV is not reported. The computation is matched by
column name within the file (the count may be computed on one frame and the tensor built from a
frame derived from it), so two unrelated frames that reuse a column name could be confused.

Not reported: targets whose origin is not in the file, counts that were log-transformed before the
loss (`np.log1p(df["col"])`: the author chose a transformed regression), unordered categoricals.

## Why it matters
Counts are non-negative, discrete and their variance grows with their mean. MSE assumes constant
variance: the fit is dominated by the few large counts, predictions can go negative, and the
model is badly calibrated for the many small ones; a Poisson (or negative-binomial) likelihood on
a log-rate output fits the data's structure. Cross-entropy on ordered classes ("low" < "medium" <
"high") treats predicting "high" for a "low" case as no worse than predicting "medium": the model
throws away the order, needs more data and makes more far-off mistakes than an ordinal model
(cumulative link / CORAL) or a regression on the rank.

## Example
```python
df["n_claims"] = df.groupby("policy_id")["claim_id"].transform("count")
y = torch.tensor(df["n_claims"].to_numpy(), dtype=torch.float32)
loss = nn.MSELoss()(model(x).squeeze(1), y)
```

## Use instead
```python
criterion = nn.PoissonNLLLoss(log_input=True)  # the model outputs log-rates
loss = criterion(model(x).squeeze(1), y)
```

## Fix safety
No fix is offered: a different loss needs a different output head (log-rate, cumulative logits)
and a different way to turn outputs into predictions.

## References
- PyTorch docs, `torch.nn.PoissonNLLLoss`.
- Cameron & Trivedi, "Regression Analysis of Count Data" (2013).
- Cao, Mirjalili & Raschka, "Rank consistent ordinal regression for neural networks" (CORAL),
  Pattern Recognition Letters 2020.
- ml-review-spec: wrong loss function for the task.
)md";

constexpr RuleInfo kInfo{"ML509",
                         "wrong-loss-for-target",
                         Category::DeepLearning,
                         Severity::Warning,
                         FixAvailability::None,
                         "MSE on a count target or cross-entropy on an ordinal target",
                         kDoc};

using syntax::Node;

std::string unquote(std::string_view s) {
  if (s.size() >= 2 && (s.front() == '"' || s.front() == '\'') && s.back() == s.front())
    return std::string(s.substr(1, s.size() - 2));
  return "";
}

class WrongLossForTarget final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  Lineage lineage() const override { return Lineage::None; }

  void finish(RuleContext& ctx) override {
    if (!ctx.sem().imports("torch")) return;
    Node root = ctx.file().tree->root();
    const torchfacts::TorchFacts& facts = torch_facts(ctx);
    facts_ = &facts;
    ctx_ = &ctx;
    collect_evidence(root);
    for (const auto& loss : facts.loss_calls()) {
      bool mse = loss.type == "torch.nn.MSELoss";
      bool ce = loss.type == "torch.nn.CrossEntropyLoss" || loss.type == "torch.nn.NLLLoss";
      if ((!mse && !ce) || !loss.target) continue;
      std::string col = column_of(loss.target, 0);
      if (col.empty()) continue;
      const auto& evidence = mse ? counts_ : ordinals_;
      auto it = evidence.find(col);
      if (it == evidence.end()) continue;
      std::string line = std::to_string(it->second.start_point().row + 1);
      Finding f = finding(
          loss.call,
          mse ? "MSE on a count target (`" + col + "` is a count, computed at line " + line +
                    "): use PoissonNLLLoss on log-rates"
              : "Cross-entropy on an ordinal target (`" + col +
                    "` is an ordered categorical, line " + line +
                    "): it ignores the order; use an ordinal loss or regress on the rank");
      f.related.push_back({TextRange::of(it->second), mse ? "count computed here"
                                                          : "ordered categorical built here"});
      ctx.report(std::move(f));
    }
    facts_ = nullptr;
    ctx_ = nullptr;
  }

 private:
  const torchfacts::TorchFacts* facts_ = nullptr;
  const RuleContext* ctx_ = nullptr;
  std::map<std::string, Node> counts_, ordinals_;

  std::string_view text(Node n) const { return ctx_->text_of(n); }

  void collect_evidence(Node root) {
    syntax::walk(root, [&](Node n) {
      if (n.kind() == "assignment") {
        Node left = n.field("left");
        Node right = n.field("right");
        std::string col;
        if (left.kind() == "subscript") col = unquote(text(left.field("subscript")));
        if (!col.empty() && right) {
          if (is_count(right)) counts_.emplace(col, n);
          if (is_ordered_categorical(right)) ordinals_.emplace(col, n);
        }
      }
      // groupby(...).size().reset_index(name="col")
      if (n.kind() == "call" && facts_->method_name(n) == "reset_index") {
        Node recv = n.field("function").field("object");
        std::string_view m = recv.kind() == "call" ? facts_->method_name(recv) : "";
        if (m == "size" || m == "count" || m == "nunique") {
          for (Node a : syntax::children(n.field("arguments")))
            if (a.kind() == "keyword_argument" && text(a.field("name")) == "name") {
              std::string col = unquote(text(a.field("value")));
              if (!col.empty()) counts_.emplace(col, n);
            }
        }
      }
      return true;
    });
  }

  bool is_count(Node e) const {
    // The outermost call decides: `df.groupby(k)["x"].transform("count")`, `.size()`, ...
    while (e.kind() == "call") {
      std::string_view m = facts_->method_name(e);
      if (m == "size" || m == "count" || m == "nunique" || m == "value_counts") return true;
      if (m == "transform" || m == "agg" || m == "aggregate") {
        std::vector<Node> args = syntax::children(e.field("arguments"));
        if (args.size() == 1) {
          std::string how = unquote(text(args[0]));
          return how == "count" || how == "size" || how == "nunique";
        }
        return false;
      }
      if (m == "fillna" || m == "astype") {  // counts of a left join, cast to int
        e = e.field("function").field("object");
        continue;
      }
      return false;
    }
    return false;
  }

  bool is_ordered_categorical(Node e, int depth = 0) const {
    bool ordered = false, categorical = false, via_name = false;
    syntax::walk(e, [&](Node n) {
      if (n.kind() == "identifier" && depth < 3) {  // `.astype(bands)`, bands defined above
        Node r = facts_->resolve(n);
        if (r != n && is_ordered_categorical(r, depth + 1)) via_name = true;
      }
      if (n.kind() == "call") {
        std::string q = ctx_->sem().callee(n);
        if (q == "pandas.Categorical" || q == "pandas.CategoricalDtype" ||
            q == "pandas.api.types.CategoricalDtype")
          categorical = true;
      }
      if (n.kind() == "keyword_argument" && text(n.field("name")) == "ordered" &&
          n.field("value").kind() == "true")
        ordered = true;
      return true;
    });
    return (ordered && categorical) || via_name;
  }

  // The DataFrame column a target tensor is built from ("" when unknown).
  std::string column_of(Node e, int depth) const {
    while (e && e.kind() == "parenthesized_expression" && e.named_child_count() == 1)
      e = e.named_child(0);
    if (!e || depth > 10) return "";
    if (e.kind() == "identifier") {
      Node r = facts_->resolve(e);
      if (r != e) return column_of(r, depth + 1);
      return column_of_batch_variable(e, depth);
    }
    if (e.kind() == "subscript") {
      std::string col = unquote(text(e.field("subscript")));
      if (!col.empty()) return col;
      return "";
    }
    if (e.kind() == "attribute") {
      std::string_view a = text(e.field("attribute"));
      if (a == "values" || a == "codes" || a == "cat") return column_of(e.field("object"), depth + 1);
      Node r = facts_->resolve(e);
      return r != e ? column_of(r, depth + 1) : "";
    }
    if (e.kind() != "call") return "";
    std::string q = ctx_->sem().callee(e);
    std::vector<Node> args;
    for (Node a : syntax::children(e.field("arguments")))
      if (a.kind() != "keyword_argument") args.push_back(a);
    if (q == "torch.tensor" || q == "torch.from_numpy" || q == "torch.as_tensor" ||
        q == "torch.FloatTensor" || q == "torch.LongTensor" || q == "numpy.asarray" ||
        q == "numpy.array")
      return args.empty() ? "" : column_of(args[0], depth + 1);
    std::string_view m = facts_->method_name(e);
    if (m == "float" || m == "long" || m == "to" || m == "to_numpy" || m == "squeeze" ||
        m == "unsqueeze" || m == "view" || m == "reshape" || m == "astype" || m == "cuda")
      return column_of(e.field("function").field("object"), depth + 1);
    return "";
  }

  // `yb` of `for xb, yb in loader` (or `for i, (xb, yb) in enumerate(loader)`): the matching
  // tensor of the TensorDataset behind the DataLoader.
  std::string column_of_batch_variable(Node ident, int depth) const {
    std::string_view name = text(ident);
    for (Node p = ident.parent(); p; p = p.parent()) {
      if (p.kind() == "function_definition") return "";
      if (p.kind() != "for_statement") continue;
      Node left = p.field("left");
      Node right = p.field("right");
      if (right.kind() == "call" && ctx_->sem().callee(right) == "builtins.enumerate") {
        std::vector<Node> a = syntax::children(right.field("arguments"));
        std::vector<Node> l = syntax::children(left);
        if (a.empty() || l.size() != 2) continue;
        right = a[0];
        left = l[1];
        while (left.kind() == "parenthesized_expression" && left.named_child_count() == 1)
          left = left.named_child(0);
      }
      if (left.kind() != "pattern_list" && left.kind() != "tuple_pattern") continue;
      std::vector<Node> names = syntax::children(left);
      int index = -1;
      for (size_t i = 0; i < names.size(); ++i)
        if (names[i].kind() == "identifier" && text(names[i]) == name) index = static_cast<int>(i);
      if (index < 0) continue;
      Node loader = facts_->constructor(right);
      if (!loader || ctx_->sem().callee(loader) != "torch.utils.data.DataLoader") return "";
      std::vector<Node> la = syntax::children(loader.field("arguments"));
      Node ds_expr;
      for (Node a : la) {
        if (a.kind() == "keyword_argument") {
          if (text(a.field("name")) == "dataset") ds_expr = a.field("value");
        } else if (!ds_expr) {
          ds_expr = a;
        }
      }
      Node ds = facts_->constructor(ds_expr);
      if (!ds || ctx_->sem().callee(ds) != "torch.utils.data.TensorDataset") return "";
      std::vector<Node> tensors;
      for (Node a : syntax::children(ds.field("arguments")))
        if (a.kind() != "keyword_argument") tensors.push_back(a);
      if (index >= static_cast<int>(tensors.size())) return "";
      return column_of(tensors[index], depth + 1);
    }
    return "";
  }
};

}  // namespace

std::unique_ptr<Rule> make_wrong_loss_for_target() {
  return std::make_unique<WrongLossForTarget>();
}

}  // namespace mlroast::rules
