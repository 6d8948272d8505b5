// ML303 label-encoding-nominal: LabelEncoder / cat.codes / factorize turning a nominal feature
// (not the target) into integers that a model then reads as ordered.
#include <algorithm>
#include <string>
#include <vector>

#include "analysis/lineage/leaks.hpp"
#include "analysis/lineage/library.hpp"
#include "analysis/lineage/program.hpp"
#include "analysis/rules/call_name.hpp"
#include "analysis/rules/rule.hpp"

namespace mlroast::rules {
namespace {

constexpr std::string_view kDoc = R"md(# ML303 label-encoding-nominal

## What it finds
A categorical feature turned into arbitrary integers and fed to a model:
- `LabelEncoder().fit_transform(df["city"])` (or `fit` then `transform`), including the common
  loop `for col in cat_cols: df[col] = le.fit_transform(df[col])` and
  `df[cat_cols].apply(LabelEncoder().fit_transform)`;
- `df["city"].cat.codes` / `df["city"].astype("category").cat.codes`;
- `pd.factorize(df["city"])` / `df["city"].factorize()`.

It is a feature, not the target, according to the lineage engine: the encoded column is not a
`y` given to a fit, a cross-validation or a split, and the encoded data reaches a model's `fit`
or a cross-validation as `X`. Encodings that never reach a model (a plot colour, a report) and
encodings of the target (`y = LabelEncoder().fit_transform(df["species"])`) are silent, and so
are `cat.codes`/`factorize` results kept in a variable or passed to a call instead of stored
into a frame column (`c=df["plan"].cat.codes` for a plot), as are
`cat.codes` of ordered categoricals (`ordered=True` anywhere in the file) and
`OrdinalEncoder(categories=[...])` with an explicit order (not reported at all).

Caveat, documented rather than guessed: a two-valued column (`"Yes"/"No"`) is harmless to
label-encode, but cardinality is not visible in the code, so it is reported too; a
`map({"Yes": 1, "No": 0})` states the intent and is silent.

## Why it matters
`LabelEncoder` numbers categories alphabetically: `"Bronx"=0, "Brooklyn"=1, "Manhattan"=2,
"Queens"=3`. A linear model, an SVM, a k-NN or a neural network then treats Queens as "three
times" Brooklyn and assumes Manhattan lies between Brooklyn and Queens — a distance and an order
that do not exist. Trees cope better but still have to spend splits carving arbitrary ranges,
and the codes change whenever a category is added, so a model trained on one encoding silently
misreads another. `LabelEncoder` is documented for targets, not for features.

## Example
```python
for col in ["city", "channel", "device"]:
    df[col] = LabelEncoder().fit_transform(df[col])
model = LogisticRegression().fit(df[features], df["churn"])
```

## Use instead
```python
pre = ColumnTransformer([("cat", OneHotEncoder(handle_unknown="ignore"), ["city", "channel", "device"])],
                        remainder="passthrough")
model = make_pipeline(pre, LogisticRegression(max_iter=1000)).fit(df[features], df["churn"])
```
For high-cardinality columns use target encoding inside the pipeline; gradient-boosting
libraries also accept categorical columns natively (`categorical_feature=`, `enable_categorical`).

## Fix safety
No fix: replacing the encoding changes the feature matrix and usually the model.

## References
- scikit-learn docs, `LabelEncoder` ("This transformer should be used to encode target values,
  i.e. y, and not the input X") and "Encoding categorical features".
- The review spec, "Ordinal encoding on nominal features".
)md";

constexpr RuleInfo kInfo{"ML303",
                         "label-encoding-nominal",
                         Category::DataQuality,
                         Severity::Warning,
                         FixAvailability::None,
                         "LabelEncoder / cat.codes / factorize on a nominal feature",
                         kDoc};

std::string_view method_of(syntax::Node call, const RuleContext& ctx) {
  syntax::Node fn = call.field("function");
  return fn && fn.kind() == "attribute" ? ctx.text_of(fn.field("attribute")) : std::string_view();
}

syntax::Node first_arg(syntax::Node call) {
  syntax::Node args = call.field("arguments");
  for (uint32_t i = 0; args && i < args.named_child_count(); ++i) {
    syntax::Node a = args.named_child(i);
    if (a.kind() != "keyword_argument" && a.kind() != "comment") return a;
  }
  return {};
}

struct Encoded {
  bool known = false;               // the column names are known
  std::vector<std::string> columns;  // the encoded columns (when known)
};

// The columns `expr` (the encoded data) stands for: `df["c"]` names one; `df[col]` inside
// `for col in [...]` names the loop's list.
Encoded columns_of(syntax::Node expr, const RuleContext& ctx) {
  const lineage::Program* p = ctx.program();
  Encoded e;
  // df[col].astype(str) / df[col].fillna("missing"): the column is the subscript underneath
  for (syntax::Node inner = expr; inner;) {
    if (inner.kind() == "subscript") {
      expr = inner;
      break;
    }
    if (inner.kind() == "call") inner = inner.field("function");
    else if (inner.kind() == "attribute") inner = inner.field("object");
    else break;
  }
  syntax::Node key = expr.kind() == "subscript" && expr.named_child_count() == 2
                         ? expr.named_child(1)
                         : syntax::Node();
  if (!key || key.kind() != "identifier") {
    const lineage::Value* v = p->value_of(expr);
    if (v != nullptr && v->kind == lineage::Kind::Data && !v->all_columns && !v->columns.empty()) {
      e.known = true;
      e.columns = v->columns;
    }
    return e;
  }
  for (syntax::Node up = expr.parent(); up; up = up.parent()) {
    if (up.kind() == "function_definition") break;
    if (up.kind() != "for_statement") continue;
    syntax::Node left = up.field("left");
    if (!left || left.kind() != "identifier" || ctx.text_of(left) != ctx.text_of(key)) continue;
    const lineage::Value* it = p->value_of(up.field("right"));
    if (it != nullptr && it->kind == lineage::Kind::Columns && !it->columns.empty()) {
      e.known = true;
      e.columns = it->columns;
    }
    break;
  }
  return e;
}

// True when the value of `site` is stored into a DataFrame column (`df["c"] = <site>...`,
// `df["c"], levels = <site>`), not into a plain variable or a call argument (a plot colour).
bool stored_in_column(syntax::Node site) {
  syntax::Node child = site;
  for (syntax::Node up = site.parent(); up; child = up, up = up.parent()) {
    std::string_view k = up.kind();
    if (k == "assignment") {
      if (!(up.field("right") == child)) return false;
      syntax::Node left = up.field("left");
      if (left.kind() == "subscript") return true;
      for (uint32_t i = 0; i < left.named_child_count(); ++i)
        if (left.named_child(i).kind() == "subscript") return true;
      return false;
    }
    if (k == "argument_list" || k == "keyword_argument" || k == "expression_statement" ||
        k == "block" || k == "module" || k == "lambda" || k == "return_statement")
      return false;
  }
  return false;
}

class LabelEncodingNominal final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }

  std::vector<std::string_view> kinds() const override { return {"attribute", "call"}; }

  // `.cat.codes`, `pd.factorize(...)`, `x.factorize()` or `x.apply(<encoder>.fit_transform)`
  // (by the name written or imported); whether the encoder is a LabelEncoder and the data a
  // model feature are the lineage part, asked in visit().
  bool select(syntax::Node n, const RuleContext& ctx) const override {
    if (n.kind() == "attribute") {
      if (ctx.text_of(n.field("attribute")) != "codes") return false;
      syntax::Node cat = n.field("object");
      return cat && cat.kind() == "attribute" && ctx.text_of(cat.field("attribute")) == "cat";
    }
    std::string_view written = call_last_name(n, ctx.text());
    if (written != "factorize" && written != "apply" && !callee_is_imported_name(n, ctx.sem()))
      return false;
    const std::string& q = ctx.sem().callee(n);
    if (q == "pandas.factorize") return true;
    if (!q.empty()) return false;
    std::string_view m = method_of(n, ctx);
    if (m == "factorize") return true;
    // df[cols].apply(LabelEncoder().fit_transform)
    syntax::Node f = first_arg(n);
    return m == "apply" && f && f.kind() == "attribute" &&
           ctx.text_of(f.field("attribute")) == "fit_transform";
  }

  void visit(syntax::Node n, RuleContext& ctx) override {
    using namespace lineage;
    const Program* p = ctx.program();
    if (p == nullptr) return;
    if (!ready_) prepare(ctx);
    if (model_inputs_.empty()) return;
    bool ordered = ordered_;
    [&] {
      if (n.kind() == "attribute" && ctx.text_of(n.field("attribute")) == "codes" && !ordered) {
        syntax::Node cat = n.field("object");
        if (cat && cat.kind() == "attribute" && ctx.text_of(cat.field("attribute")) == "cat")
          judge(n, cat.field("object"), "`.cat.codes`", -1, ctx);
      } else if (n.kind() == "call") {  // only calls select() kept reach here
        std::string_view m = method_of(n, ctx);
        const std::string& q = ctx.sem().callee(n);
        if (q == "pandas.factorize") {
          judge(n, first_arg(n), "`pd.factorize`", -1, ctx);
        } else if (q.empty() && m == "factorize") {
          judge(n, n.field("function").field("object"), "`factorize()`", -1, ctx);
        } else if (q.empty() && m == "apply") {
          // df[cols].apply(<x>.fit_transform), as select() checked: is x a LabelEncoder?
          const Value* enc = p->value_of(first_arg(n).field("object"));
          if (enc != nullptr && enc->kind == Kind::Estimator &&
              library::last_name(enc->cls) == "LabelEncoder")
            judge(n, n.field("function").field("object"), "`LabelEncoder`", -1, ctx);
        }
      }
      return true;
    }();
  }

  void finish(RuleContext& ctx) override {
    using namespace lineage;
    const Program* p = ctx.program();
    if (p == nullptr) return;
    if (!ready_) prepare(ctx);
    if (model_inputs_.empty()) return;
    const auto& learns = p->learns();
    for (uint32_t li = 0; li < learns.size(); ++li) {
      const LearnEvent& L = learns[li];
      if (L.kind != StatKind::Estimator || L.what != "LabelEncoder") continue;
      if (method_of(L.site, ctx) != "fit_transform" && method_of(L.site, ctx) != "fit") continue;
      judge(L.site, first_arg(L.site), "`LabelEncoder`", static_cast<int32_t>(li), ctx);
    }
  }

 private:
  // The file's targets and model inputs, from the lineage program (complete before the walk).
  void prepare(const RuleContext& ctx) {
    using namespace lineage;
    const Program* p = ctx.program();
    ready_ = true;
    targets_ = target_columns(*p);
    for (const UseEvent& u : p->uses())
      if ((u.kind == UseKind::Train || u.kind == UseKind::CrossValidate) && u.X != kNoValue)
        model_inputs_.push_back(u.X);
    ordered_ = ctx.text().find("ordered=True") != std::string_view::npos;
  }

  // Reports `site` when `data` (the encoded expression) is a feature that reaches a model.
  void judge(syntax::Node site, syntax::Node data, const std::string& what, int32_t learn,
             RuleContext& ctx) {
    using namespace lineage;
    const Program* p = ctx.program();
    if (!data) return;
    const Value* v = p->value_of(data);
    if (v == nullptr || v->kind != Kind::Data) return;
    Encoded e = columns_of(data, ctx);
    std::string feature;
    if (e.known) {
      for (const std::string& c : e.columns)
        if (std::find(targets_.begin(), targets_.end(), c) == targets_.end()) {
          feature = c;
          break;
        }
      if (feature.empty()) return;  // the target (or only targets)
    }
    // The encoded values reach a model's X: through the learned encoder, or through the frame.
    if (learn < 0 && !stored_in_column(site)) return;
    bool reaches = false;
    for (ValueId x : model_inputs_) {
      const Value& X = p->value(x);
      if (learn >= 0)
        reaches = reaches || std::binary_search(X.stats.begin(), X.stats.end(),
                                                static_cast<uint32_t>(learn));
      else
        reaches = reaches || (!v->origins.empty() &&
                              std::includes(X.origins.begin(), X.origins.end(),
                                            v->origins.begin(), v->origins.end()));
    }
    if (!reaches) return;
    // A target whose name the engine could not read: y = le.fit_transform(df[target_col]).
    if (!e.known && learn >= 0) {
      const Value* out = p->value_of(site);
      for (const UseEvent& u : p->uses())
        if (u.y != kNoValue && out != nullptr && &p->value(u.y) == out) return;
      for (const SplitEvent& sp : p->splits())
        for (ValueId in : sp.inputs)
          if (out != nullptr && &p->value(in) == out) return;
    }
    std::string col = feature.empty() ? std::string("these categorical features")
                                      : "the nominal feature `" + feature + "`";
    ctx.report(finding(site, what + " turns " + col +
                                 " into arbitrary integers (alphabetical codes) that the model "
                                 "reads as ordered and evenly spaced; use OneHotEncoder or "
                                 "target encoding in the pipeline"));
  }

  bool ready_ = false;
  bool ordered_ = false;
  std::vector<std::string> targets_;
  std::vector<lineage::ValueId> model_inputs_;
};

}  // namespace

std::unique_ptr<Rule> make_label_encoding_nominal() {
  return std::make_unique<LabelEncodingNominal>();
}

}  // namespace mlroast::rules
