// ML701 row-wise-loop: Python-level loops over the rows of a pandas DataFrame.
#include <algorithm>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "analysis/lineage/program.hpp"
#include "analysis/rules/rule.hpp"

namespace mlroast::rules {
namespace {

constexpr std::string_view kDoc = R"md(# ML701 row-wise-loop

## What it finds
Python-level iteration over the rows of a pandas DataFrame:
- `df.iterrows()` and `df.itertuples()`;
- `df.apply(f, axis=1)` (also `axis="columns"` and a positional `1`);
- `for i in range(len(df))` whose body indexes the same frame by the loop variable
  (`df.loc[i]`, `df.iloc[i]`, `df.at[i, "c"]`, `df.iat[i, 0]`, `df["c"][i]`, `df["c"].iloc[i]`).

The receiver must be a DataFrame according to the lineage engine (a value that comes from
`pd.read_csv`, `pd.DataFrame`, a merge, a column selection of a frame...); for `iterrows` and
`itertuples`, which only DataFrames have, a receiver the engine knows nothing about (a helper's
parameter) counts too, unless the file defines a method of that name. Not reported:
look-alike names on other objects (`zip(...)`, a dict's `items()`, `csv.reader` rows, a list of
records), column-wise `df.apply(f)` / `axis=0`, `Series.apply` and `Series.map`, `df.items()`,
`range(len(...))` over lists or arrays, and a few rows taken to be shown (`df.head(5)`,
`df.tail()`, `df.nlargest(10, "x")`, `df.sample(5)` but not `sample(frac=...)`, `df.iloc[:10]`,
bounds of at most three digits), and `itertuples()` feeding a comprehension that builds one
object or dict per row (`[Item(id=r.id, p=r.p) for r in df.itertuples()]`: the per-row work
is the object itself). When the engine cannot tell what the receiver is,
the rule stays silent.

## Why it matters
Each row becomes a Python object (`iterrows` builds a whole Series per row and loses dtypes) and
the work runs in the interpreter instead of in NumPy: typically 10-100x slower than the
equivalent column operation, and often 1000x for `iterrows`. A feature step that takes seconds
on a 10k-row sample takes hours on the 20M-row production table, so the pipeline is re-run less,
tuned less, or silently sampled down. `iterrows` also upcasts ints to floats within a row, which
changes comparisons and ids.

## Example
```python
for i, row in df.iterrows():
    df.loc[i, "debt_ratio"] = row["debt"] / row["income"] if row["income"] > 0 else 0.0
df["risk"] = df.apply(lambda r: "high" if r["debt_ratio"] > 0.4 else "low", axis=1)
```

## Use instead
```python
df["debt_ratio"] = np.where(df["income"] > 0, df["debt"] / df["income"].where(df["income"] > 0), 0.0)
df["risk"] = np.where(df["debt_ratio"] > 0.4, "high", "low")
```
Use column arithmetic, `np.where`/`np.select`, `Series.map` with a dict, `merge` for lookups,
`groupby().transform` for per-group values and `pd.cut` for binning.

## Fix safety
No fix: vectorising a row function needs a human to restate it over whole columns.

## References
- pandas docs, "Enhancing performance" and the `DataFrame.iterrows` notes (dtypes are not
  preserved across the row).
)md";

constexpr RuleInfo kInfo{"ML701",
                         "row-wise-loop",
                         Category::CodeQuality,
                         Severity::Warning,
                         FixAvailability::None,
                         "Python loop over the rows of a DataFrame",
                         kDoc};

// Nothing is known of what `expr` holds (not data, not a model, a module or a literal).
bool unknown_value(syntax::Node expr, const RuleContext& ctx) {
  if (ctx.program() == nullptr) return false;
  const lineage::Value* v = ctx.program()->value_of(expr);
  return v == nullptr || v->kind == lineage::Kind::Unknown;
}

bool is_frame(syntax::Node expr, const RuleContext& ctx) {
  if (!expr || ctx.program() == nullptr) return false;
  const lineage::Value* v = ctx.program()->value_of(expr);
  return v != nullptr && v->kind == lineage::Kind::Data && v->shape == lineage::Shape::Frame;
}

syntax::Node keyword(syntax::Node args, std::string_view name, const RuleContext& ctx) {
  for (uint32_t i = 0; i < args.named_child_count(); ++i) {
    syntax::Node a = args.named_child(i);
    if (a.kind() == "keyword_argument" && ctx.text_of(a.field("name")) == name)
      return a.field("value");
  }
  return syntax::Node();
}

// The row axis as written (`1`, `"columns"`, `'columns'`; keyword or positional after the
// function), or "" when the apply is column-wise.
std::string_view row_axis(syntax::Node args, const RuleContext& ctx) {
  syntax::Node axis = keyword(args, "axis", ctx);
  if (!axis && args.named_child_count() >= 2 && args.named_child(1).kind() != "keyword_argument")
    axis = args.named_child(1);
  if (!axis) return "";
  std::string_view t = ctx.text_of(axis);
  return t == "1" || t == "\"columns\"" || t == "'columns'" ? t : std::string_view();
}

// The `n` of `range(len(n))` or `range(0, len(n))`, or a null node.
syntax::Node range_len_target(syntax::Node call, const RuleContext& ctx) {
  if (call.kind() != "call" || ctx.sem().callee(call) != "builtins.range") return {};
  syntax::Node args = call.field("arguments");
  if (!args) return {};
  uint32_t n = args.named_child_count();
  syntax::Node len;
  if (n == 1)
    len = args.named_child(0);
  else if (n == 2 && ctx.text_of(args.named_child(0)) == "0")
    len = args.named_child(1);
  if (!len || len.kind() != "call" || ctx.sem().callee(len) != "builtins.len") return {};
  syntax::Node largs = len.field("arguments");
  if (!largs || largs.named_child_count() != 1) return {};
  return largs.named_child(0);
}

// True when `sub` (a subscript) reads row `var` of the frame written `frame`.
bool indexes_row(syntax::Node sub, std::string_view frame, std::string_view var,
                 const RuleContext& ctx) {
  syntax::Node obj = sub.field("value");
  syntax::Node index = sub.field("subscript");
  if (!obj || !index) return false;
  // The first index component: `i` in df.loc[i], df.at[i, "c"].
  syntax::Node first = index;
  std::string_view first_text = ctx.text_of(first);
  if (first_text != var) return false;
  if (obj.kind() == "attribute") {
    std::string_view acc = ctx.text_of(obj.field("attribute"));
    syntax::Node base = obj.field("object");
    if (acc == "loc" || acc == "iloc" || acc == "at" || acc == "iat") {
      // df.loc[i] or df["c"].iloc[i]
      if (ctx.text_of(base) == frame) return true;
      return base.kind() == "subscript" && ctx.text_of(base.field("value")) == frame;
    }
    return false;
  }
  // df["c"][i]
  return obj.kind() == "subscript" && ctx.text_of(obj.field("value")) == frame;
}

// A handful of rows taken to show them: df.head(5), df.tail(), df.nlargest(10, "x"),
// df.sample(5) (not sample(frac=...)), df.iloc[:10] / df[:10].
bool few_rows(syntax::Node receiver, const RuleContext& ctx) {
  if (receiver.kind() == "call") {
    syntax::Node fn = receiver.field("function");
    if (fn.kind() != "attribute") return false;
    std::string_view m = ctx.text_of(fn.field("attribute"));
    if (m == "head" || m == "tail" || m == "nlargest" || m == "nsmallest") return true;
    return m == "sample" && !keyword(receiver.field("arguments"), "frac", ctx);
  }
  if (receiver.kind() != "subscript") return false;
  syntax::Node index = receiver.field("subscript");
  if (index.kind() != "slice") return false;
  // [:k] or [0:k] with a small literal bound
  std::string_view t = ctx.text_of(index);
  size_t colon = t.find(':');
  if (colon == std::string_view::npos || t.find(':', colon + 1) != std::string_view::npos)
    return false;
  std::string_view start = t.substr(0, colon), stop = t.substr(colon + 1);
  if (!(start.empty() || start == "0") || stop.empty() || stop.size() > 3) return false;
  return std::all_of(stop.begin(), stop.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// `[Item(a=r.a, ...) for r in df.itertuples()]` / `{...} for r in ...`: each row becomes an
// object (a response item, a record); that work is per row whatever the iteration, and
// itertuples is the fast way to do it.
bool builds_objects(syntax::Node call) {
  syntax::Node clause = call.parent();
  if (clause.kind() != "for_in_clause") return false;
  syntax::Node comp = clause.parent();
  auto k = comp.kind();
  if (k != "list_comprehension" && k != "generator_expression") return false;
  syntax::Node body = comp.field("body");
  return body.kind() == "call" || body.kind() == "dictionary";
}

class RowWiseLoop final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  std::vector<std::string_view> kinds() const override { return {"call", "for_statement"}; }

  void visit(syntax::Node n, RuleContext& ctx) override {
    if (n.kind() == "call") return visit_call(n, ctx);
    visit_for(n, ctx);
  }

 private:
  // The file defines a function or method named `name` (once per file).
  bool defines_method(std::string_view name, const RuleContext& ctx) {
    if (!defined_) {
      defined_.emplace();
      syntax::walk(ctx.file().tree->root(), [&](syntax::Node n) {
        if (n.kind() == "function_definition") defined_->insert(ctx.text_of(n.field("name")));
        return true;
      });
    }
    return defined_->count(name) != 0;
  }
  std::optional<std::set<std::string_view, std::less<>>> defined_;

  void visit_call(syntax::Node call, RuleContext& ctx) {
    syntax::Node fn = call.field("function");
    if (!fn || fn.kind() != "attribute") return;
    std::string_view method = ctx.text_of(fn.field("attribute"));
    syntax::Node receiver = fn.field("object");
    syntax::Node args = call.field("arguments");
    if (method == "iterrows" || method == "itertuples") {
      // Methods only a DataFrame has: a receiver the engine cannot see (a parameter of a
      // helper) is one, unless the file defines a method of that name itself (a feed class
      // with its own `iterrows()`).
      const bool unseen_frame = unknown_value(receiver, ctx) && !defines_method(method, ctx);
      if (!(is_frame(receiver, ctx) || unseen_frame) || few_rows(receiver, ctx)) return;
      if (method == "itertuples" && builds_objects(call)) return;
      ctx.report(finding(call, "`" + std::string(method) +
                                   "()` loops over DataFrame rows in Python (10-100x slower than "
                                   "column operations); vectorise with column arithmetic, "
                                   "`np.where`, `map` or `merge`"));
    } else if (method == "apply" && args && args.kind() == "argument_list") {
      std::string_view axis = row_axis(args, ctx);
      if (axis.empty() || !is_frame(receiver, ctx) || few_rows(receiver, ctx)) return;
      ctx.report(finding(call, "`apply(..., axis=" + std::string(axis) +
                                   ")` calls a Python function once per DataFrame row; rewrite "
                                   "it over whole columns (`np.where`, `np.select`, arithmetic "
                                   "on Series)"));
    }
  }

  void visit_for(syntax::Node loop, RuleContext& ctx) {
    syntax::Node var = loop.field("left");
    syntax::Node iter = loop.field("right");
    syntax::Node body = loop.field("body");
    if (!var || var.kind() != "identifier" || !iter || !body) return;
    syntax::Node frame = range_len_target(iter, ctx);
    if (!frame || !is_frame(frame, ctx)) return;
    std::string_view frame_text = ctx.text_of(frame);
    std::string_view var_text = ctx.text_of(var);
    bool indexed = false;
    syntax::walk(body, [&](syntax::Node n) {
      if (indexed) return false;
      if (n.kind() == "subscript" && indexes_row(n, frame_text, var_text, ctx)) indexed = true;
      if (n.kind() == "function_definition" || n.kind() == "class_definition") return false;
      return !indexed;
    });
    if (!indexed) return;
    ctx.report(finding(iter, "`for " + std::string(var_text) + " in " +
                                 std::string(ctx.text_of(iter)) + "` indexes the DataFrame `" +
                                 std::string(frame_text) +
                                 "` row by row; compute the column with vectorised operations "
                                 "instead"));
  }
};

}  // namespace

std::unique_ptr<Rule> make_row_wise_loop() { return std::make_unique<RowWiseLoop>(); }

}  // namespace mlroast::rules
