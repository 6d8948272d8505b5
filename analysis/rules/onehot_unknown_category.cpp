// ML301 onehot-unknown-category: a OneHotEncoder / OrdinalEncoder that raises (or cannot encode)
// when it meets a category it did not see in training.
#include <string>

#include "analysis/lineage/leaks.hpp"
#include "analysis/lineage/library.hpp"
#include "analysis/lineage/program.hpp"
#include "analysis/rules/call_name.hpp"
#include "analysis/rules/call_args.hpp"
#include "analysis/rules/rule.hpp"

namespace mlroast::rules {
namespace {

constexpr std::string_view kDoc = R"md(# ML301 onehot-unknown-category

## What it finds
- scikit-learn's `OneHotEncoder(...)` constructed without `handle_unknown=`;
- scikit-learn's `OrdinalEncoder(...)` constructed without `handle_unknown=`.

Resolved by qualified name (`sklearn.preprocessing.OneHotEncoder`, through aliases). Silent:
- any explicit `handle_unknown=` (including `"error"`, which states the choice) or a `**kwargs`
  splat that may carry it;
- an explicit `categories=[...]` list: the domain is declared, and an out-of-domain value is
  then invalid input that should fail;
- an encoder fitted on the target (`OneHotEncoder().fit_transform(y)` for a neural network's
  labels): labels do not arrive at inference time;
- `category_encoders.OneHotEncoder` and `OrdinalEncoder`, whose default already handles unknown
  values.

## Why it matters
The default `handle_unknown="error"` makes `transform` raise `ValueError: Found unknown
categories` the first time production data contains a category the training data did not:
a new product code, a new city, a typo fixed upstream. The model that scored fine offline
crashes at serving time, or a cross-validation fold fails on a rare category. With
`handle_unknown="ignore"` an unseen category becomes an all-zero block (the model falls back to
the other features); `OrdinalEncoder` needs `handle_unknown="use_encoded_value"` and an
`unknown_value`.

## Example
```python
pre = ColumnTransformer([("cat", OneHotEncoder(), ["plan", "city"])], remainder="passthrough")
```

## Use instead
```python
pre = ColumnTransformer(
    [("cat", OneHotEncoder(handle_unknown="ignore"), ["plan", "city"])], remainder="passthrough"
)
# OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1)
```
Test the fitted pipeline with an out-of-vocabulary row.

## Fix safety
The fix adds `handle_unknown="ignore"` (OneHotEncoder) or
`handle_unknown="use_encoded_value", unknown_value=-1` (OrdinalEncoder). It is unsafe: input that
used to raise is now encoded silently, and with `drop=` set, old scikit-learn versions reject
the combination.

## References
- scikit-learn docs, `OneHotEncoder` (`handle_unknown`) and `OrdinalEncoder`
  (`handle_unknown`, `unknown_value`).
)md";

constexpr RuleInfo kInfo{"ML301",
                         "onehot-unknown-category",
                         Category::DataQuality,
                         Severity::Warning,
                         FixAvailability::Always,
                         "OneHotEncoder/OrdinalEncoder without `handle_unknown`",
                         kDoc};

// True when an encoder constructed at `ctor` is fitted on a target column.
bool fitted_on_target(syntax::Node ctor, const RuleContext& ctx) {
  const lineage::Program* p = ctx.program();
  if (p == nullptr) return false;
  const lineage::Value* enc = p->value_of(ctor);
  if (enc == nullptr) return false;
  std::vector<std::string> targets = lineage::target_columns(*p);
  for (const lineage::LearnEvent& l : p->learns())
    if (l.estimator != lineage::kNoValue && &p->value(l.estimator) == enc &&
        lineage::on_target(*p, l, targets))
      return true;
  return false;
}

class OnehotUnknownCategory final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  std::vector<std::string_view> kinds() const override { return {"call"}; }

  // An encoder call (by the name it is written or imported under) that the rule would judge:
  // scikit-learn's, with no `handle_unknown`, no `**kwargs` and automatic categories. Everything
  // but the lineage question (fitted on the target?) is answered here, during the walk.
  bool select(syntax::Node call, const RuleContext& ctx) const override {
    std::string_view written = call_last_name(call, ctx.text());
    if (written != "OneHotEncoder" && written != "OrdinalEncoder" &&
        !callee_is_imported_name(call, ctx.sem()))
      return false;
    const std::string& q = ctx.sem().callee(call);
    if (q != "sklearn.preprocessing.OneHotEncoder" && q != "sklearn.preprocessing.OrdinalEncoder" &&
        !(q.starts_with("sklearn.preprocessing.") &&
          (q.ends_with(".OneHotEncoder") || q.ends_with(".OrdinalEncoder"))))
      return false;
    if (keyword(call, "handle_unknown", ctx) || has_kwargs_splat(call)) return false;
    syntax::Node cats = keyword(call, "categories", ctx);
    return !cats || ctx.text_of(cats) == "\"auto\"" || ctx.text_of(cats) == "'auto'";
  }

  // Only calls select() kept reach here (Lineage::InVisit).
  void visit(syntax::Node call, RuleContext& ctx) override {
    const std::string& q = ctx.sem().callee(call);
    if (fitted_on_target(call, ctx)) return;
    bool onehot = q.ends_with("OneHotEncoder");
    std::string name = onehot ? "OneHotEncoder" : "OrdinalEncoder";
    std::string arg = onehot ? "handle_unknown=\"ignore\""
                             : "handle_unknown=\"use_encoded_value\", unknown_value=-1";
    Finding f = finding(call, "`" + name + "` without `handle_unknown` raises on the first category "
                              "that training did not see (a new city, a new product) at "
                              "inference time; pass `" + arg + "`");
    syntax::Node args = call.field("arguments");
    syntax::Node last;
    for (uint32_t i = 0; args && i < args.named_child_count(); ++i)
      if (args.named_child(i).kind() != "comment") last = args.named_child(i);
    if (args && args.kind() == "argument_list") {
      TextEdit e = last ? TextEdit{last.end_byte(), last.end_byte(), ", " + arg}
                        : TextEdit{args.start_byte() + 1, args.start_byte() + 1, arg};
      f.fix = Fix{"Add `" + arg + "`", Applicability::Unsafe, {e}};
    }
    ctx.report(std::move(f));
  }
};

}  // namespace

std::unique_ptr<Rule> make_onehot_unknown_category() {
  return std::make_unique<OnehotUnknownCategory>();
}

}  // namespace mlroast::rules
