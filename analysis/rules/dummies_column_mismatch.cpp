// ML302 dummies-column-mismatch: pd.get_dummies applied separately to the training and the
// scored data (or at inference), so the two sides get different columns.
#include <algorithm>
#include <string>
#include <vector>

#include "analysis/lineage/library.hpp"
#include "analysis/lineage/program.hpp"
#include "analysis/rules/call_name.hpp"
#include "analysis/rules/inference_context.hpp"
#include "analysis/rules/local_calls.hpp"
#include "analysis/rules/rule.hpp"

namespace mlroast::rules {
namespace {

constexpr std::string_view kDoc = R"md(# ML302 dummies-column-mismatch

## What it finds
`pd.get_dummies` applied to the scored data separately from the training data, so that each side
gets the columns of the categories it happens to contain:
- the two sides of a split encoded by two calls (`pd.get_dummies(X_train)` and
  `pd.get_dummies(X_test)`), or by one helper of the file called on each side
  (`def encode(frame): return pd.get_dummies(frame, ...)`, also of `frame[COLUMNS]`, then
  `encode(X_train)` and `encode(X_test)`); the finding is on the call for the test/validation
  side;
- separately loaded training and scoring tables encoded by two calls, one feeding the model's
  `fit`, the other only its `predict`/`score` (`train.csv` / `test.csv`);
- `get_dummies` in inference code: a file that loads a fitted model (`joblib.load`,
  `pickle.load`, `torch.load`, `load_model`...) and trains nothing (a scoring script, a web
  endpoint).

Silent when the file realigns the columns: `reindex(columns=...)`, `.align(...)`, a selection by
the training columns (`X_test[X_train.columns]`, which fails loudly instead of silently),
a difference of the two column sets, or fixed categories (`pd.Categorical(...,
categories=...)`, `CategoricalDtype`, `set_categories`). Also silent: one `get_dummies` on the
whole frame before the split (every row gets the same columns; it learns no statistic), and
`get_dummies` on a concatenation of train and test.

## Why it matters
`get_dummies` creates one column per category *present in the data it is given*. A category
missing from the test rows (or from a one-row serving request) drops its column, a new one adds a
column, and the order shifts. A model fitted on a DataFrame then raises on the mismatch at best;
fitted on arrays (after a scaler, `.values`, XGBoost) it silently reads column *k* as a different
feature, and the predictions are garbage with no error. In serving, a single request has one
category per field, so nearly every column is missing.

## Example
```python
X_train = pd.get_dummies(X_train, columns=["plan", "region"])
X_test = pd.get_dummies(X_test, columns=["plan", "region"])
model.fit(X_train, y_train)
model.predict(X_test)
```

## Use instead
```python
enc = OneHotEncoder(handle_unknown="ignore")
pre = ColumnTransformer([("cat", enc, ["plan", "region"])], remainder="passthrough")
model = make_pipeline(pre, LogisticRegression(max_iter=1000)).fit(X_train, y_train)
model.predict(X_test)          # same columns, unseen categories encoded as all zeros
```
or, keeping `get_dummies`, `X_test = X_test.reindex(columns=X_train.columns, fill_value=0)`.

## Fix safety
No fix: the encoder has to be fitted once on the training data and saved with the model.

## References
- pandas docs, `pandas.get_dummies`.
- scikit-learn User Guide, "Encoding categorical features" (`OneHotEncoder(handle_unknown=...)`).
)md";

constexpr RuleInfo kInfo{"ML302",
                         "dummies-column-mismatch",
                         Category::DataQuality,
                         Severity::Error,
                         FixAvailability::None,
                         "`pd.get_dummies` applied separately to training and scored data",
                         kDoc};

std::string_view method_of(syntax::Node call, const RuleContext& ctx) {
  syntax::Node fn = call.field("function");
  return fn && fn.kind() == "attribute" ? ctx.text_of(fn.field("attribute")) : std::string_view();
}

bool mentions(std::string_view s, std::string_view needle) {
  return s.find(needle) != std::string_view::npos;
}

// True when node `n` realigns dummy columns or fixes the categories.
bool alignment_evidence(syntax::Node n, const RuleContext& ctx) {
  std::string_view k = n.kind();
  if (k == "call") {
    std::string_view m = method_of(n, ctx);
    std::string_view written = call_last_name(n, ctx.text());
    if (m != "reindex" && m != "align" && m != "set_categories" && written != "Categorical" &&
        written != "CategoricalDtype" && !callee_is_imported_name(n, ctx.sem()))
      return false;
    std::string_view args = ctx.text_of(n.field("arguments"));
    const std::string& q = ctx.sem().callee(n);
    std::string_view last = lineage::library::last_name(q);
    return (m == "reindex" && (mentions(args, "columns") || mentions(args, "axis=1"))) ||
           m == "align" || m == "set_categories" ||
           (!q.empty() && (last == "Categorical" || last == "CategoricalDtype") &&
            mentions(args, "categories"));
  }
  if (k == "subscript") {
    // X_test[X_train.columns] / X_test.loc[:, train_cols.columns]
    syntax::Node idx = n.named_child(n.named_child_count() - 1);
    return idx && idx.kind() == "attribute" && ctx.text_of(idx.field("attribute")) == "columns";
  }
  if (k == "binary_operator") {
    // set(X_train.columns) - set(X_test.columns)
    return n.child_count() == 3 && n.child(1).kind() == "-" &&
           mentions(ctx.text_of(n.child(0)), ".columns") &&
           mentions(ctx.text_of(n.child(2)), ".columns");
  }
  if (k == "attribute")
    return ctx.text_of(n.field("attribute")) == "difference" &&
           mentions(ctx.text_of(n.field("object")), ".columns");
  return false;
}

struct DummiesCall {
  syntax::Node call;
  const lineage::Value* input = nullptr;
  syntax::Node data;  // the data argument
};

class DummiesColumnMismatch final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }

  std::vector<std::string_view> kinds() const override { return {"call"}; }

  // A `pd.get_dummies` call.
  bool select(syntax::Node n, const RuleContext& ctx) const override {
    std::string_view written = call_last_name(n, ctx.text());
    return (written == "get_dummies" || callee_is_imported_name(n, ctx.sem())) &&
           ctx.sem().callee(n) == "pandas.get_dummies";
  }

  void visit(syntax::Node n, RuleContext& ctx) override {
    if (!select(n, ctx) || ctx.program() == nullptr) return;
    syntax::Node args = n.field("arguments");
    syntax::Node data;
    for (uint32_t i = 0; args && i < args.named_child_count(); ++i) {
      syntax::Node a = args.named_child(i);
      if (a.kind() == "keyword_argument") {
        if (ctx.text_of(a.field("name")) == "data") data = a.field("value");
      } else if (!data && a.kind() != "comment") {
        data = a;
      }
    }
    const lineage::Value* v = data ? ctx.program()->value_of(data) : nullptr;
    if (v != nullptr && v->kind == lineage::Kind::Data) calls_.push_back({n, v, data});
  }

  void finish(RuleContext& ctx) override {
    using namespace lineage;
    const Program* p = ctx.program();
    const std::vector<DummiesCall>& calls = calls_;
    // get_dummies is rare: the file is searched for realignment only when it has one.
    if (p == nullptr || calls.empty() || realigned(ctx)) return;
    const InferenceContext& ic = inference_context(ctx);
    if (ic.is_inference()) {
      for (const DummiesCall& c : calls) {
        Finding f = finding(c.call, "`pd.get_dummies` at inference makes one column per category "
                                    "present in these rows, not the training columns (this file "
                                    "loads a fitted model at line " +
                                        std::to_string(ic.artifact_load.start_point().row + 1) +
                                        "): columns go missing or shift; use the training-time "
                                        "OneHotEncoder or reindex to the training columns");
        f.related.push_back({TextRange::of(ic.artifact_load), "fitted model loaded here"});
        ctx.report(std::move(f));
      }
      return;
    }
    // One call in a helper (`def encode(frame): return pd.get_dummies(frame, ...)`) that the
    // file calls on both sides of a split: `encode(X_train)`, `encode(X_test)`.
    for (const DummiesCall& c : calls) {
      // the frame the helper received: `frame`, or what it selects from it
      // (`frame[COLUMNS]`, `frame.copy()`)
      syntax::Node param = c.data;
      while (param && (param.kind() == "subscript" || param.kind() == "attribute" ||
                       (param.kind() == "call" && param.field("function").kind() == "attribute")))
        param = param.kind() == "subscript"   ? param.field("value")
                : param.kind() == "attribute" ? param.field("object")
                                              : param.field("function").field("object");
      if (!param || param.kind() != "identifier") continue;
      syntax::Node train_site, scored_site;
      int32_t split = -1;
      for (syntax::Node arg : local_calls_.arguments_for(param, ctx)) {
        const Value* a = p->value_of(arg);
        if (a == nullptr || a->kind != Kind::Data || a->split < 0) continue;
        if (split >= 0 && a->split != split) continue;
        if (a->part == Part::Train && !train_site) train_site = arg;
        if ((a->part == Part::Test || a->part == Part::Val) && !scored_site) scored_site = arg;
        if (train_site || scored_site) split = a->split;
      }
      if (!train_site || !scored_site) continue;
      syntax::Node helper_call = scored_site.parent();
      while (helper_call && helper_call.kind() != "call") helper_call = helper_call.parent();
      Finding f = finding(helper_call,
                          "`pd.get_dummies` (line " + std::to_string(c.call.start_point().row + 1) +
                              ") encodes these rows separately from the training rows (encoded "
                              "at line " + std::to_string(train_site.start_point().row + 1) +
                              "): each side gets the columns of the categories it contains, so "
                              "columns differ or shift; fit one OneHotEncoder on train or reindex "
                              "to the training columns");
      f.related.push_back({TextRange::of(c.call), "the helper's get_dummies"});
      f.related.push_back({TextRange::of(train_site), "training rows encoded here"});
      ctx.report(std::move(f));
    }
    for (const DummiesCall& scored : calls) {
      const DummiesCall* train = other_side(*p, calls, scored);
      if (train == nullptr) continue;
      Finding f = finding(scored.call,
                          "`pd.get_dummies` encodes these rows separately from the training rows "
                          "(encoded at line " +
                              std::to_string(train->call.start_point().row + 1) +
                              "): each side gets the columns of the categories it contains, so "
                              "columns differ or shift; fit one OneHotEncoder on train or reindex "
                              "to the training columns");
      f.related.push_back({TextRange::of(train->call), "training rows encoded here"});
      ctx.report(std::move(f));
    }
  }

 private:
  LocalCalls local_calls_;

  // The get_dummies call that encoded the training counterpart of `scored`, or nullptr.
  static const DummiesCall* other_side(const lineage::Program& p,
                                       const std::vector<DummiesCall>& calls,
                                       const DummiesCall& scored) {
    using namespace lineage;
    const Value& s = *scored.input;
    // (1) two sides of one split
    if (s.split >= 0 && (s.part == Part::Test || s.part == Part::Val))
      for (const DummiesCall& c : calls)
        if (c.call != scored.call && c.input->split == s.split && c.input->part == Part::Train)
          return &c;
    // (2) separately loaded tables: one reaches a fit, the other only predict/score
    bool scored_trained = false, scored_evaluated = false;
    for (const UseEvent& u : p.uses()) {
      if (u.X == kNoValue || !includes_all(p.value(u.X).origins, s.origins)) continue;
      if (u.kind == UseKind::Evaluate) scored_evaluated = true;
      else if (u.kind == UseKind::Train || u.kind == UseKind::CrossValidate) scored_trained = true;
    }
    if (!scored_evaluated || scored_trained) return nullptr;
    for (const DummiesCall& c : calls) {
      if (c.call == scored.call || overlaps(c.input->origins, s.origins)) continue;
      for (const UseEvent& u : p.uses())
        if (u.kind == UseKind::Train && u.X != kNoValue &&
            includes_all(p.value(u.X).origins, c.input->origins))
          return &c;
    }
    return nullptr;
  }

  static bool realigned(const RuleContext& ctx) {
    static const uint16_t kCall = syntax::symbol_for("call");
    static const uint16_t kSubscript = syntax::symbol_for("subscript");
    static const uint16_t kBinary = syntax::symbol_for("binary_operator");
    static const uint16_t kAttribute = syntax::symbol_for("attribute");
    bool found = false;
    syntax::walk(ctx.file().tree->root(), [&](syntax::Node n) {
      const uint16_t k = n.symbol();
      if (!found && (k == kCall || k == kSubscript || k == kBinary || k == kAttribute))
        found = alignment_evidence(n, ctx);
      return !found;
    });
    return found;
  }

  std::vector<DummiesCall> calls_;
};

}  // namespace

std::unique_ptr<Rule> make_dummies_column_mismatch() {
  return std::make_unique<DummiesColumnMismatch>();
}

}  // namespace mlroast::rules
