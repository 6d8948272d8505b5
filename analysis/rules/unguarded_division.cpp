// ML306 unguarded-division: a ratio feature column divided by another column with no guard
// against zero denominators.
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "analysis/lineage/program.hpp"
#include "analysis/rules/call_name.hpp"
#include "analysis/rules/rule.hpp"

namespace mlroast::rules {
namespace {

constexpr std::string_view kDoc = R"md(# ML306 unguarded-division

## What it finds
A feature column computed as one column divided by another column of a DataFrame —
`df["debt_ratio"] = df["debt"] / df["income"]` (also `df.debt / df.income`, `//`, and inside
arithmetic: `(df["a"] - df["b"]) / df["c"] * 100`) — where nothing in the file guards the
denominator against zero. The denominator must be a bare column of a DataFrame according to the
lineage engine; in a function whose frame parameter the engine cannot see, the shape
`x["new"] = x["a"] / x["b"]` on one object is taken as a column assignment.

Guards that silence it:
- the denominator is transformed: `df["b"].replace(0, np.nan)`, `.clip(lower=1)`, `df["b"] + 1`,
  `np.maximum(df["b"], eps)`;
- the division sits inside `np.where(...)`, `np.select`, `np.divide(..., where=...)`, a
  conditional expression, or is followed by `.replace(...)`/`.where(...)`/`.mask(...)`/
  `.clip(...)` on its result (not `.fillna(...)`: `x / 0` is `inf`, which `fillna` keeps);
- the assignment is restricted to some rows (`df.loc[df["b"] > 0, "ratio"] = ...`);
- anywhere in the file, the denominator column is compared with a number (`df["b"] > 0`,
  `df = df[df["b"] != 0]`), replaced or clipped, or infinities are handled (`np.isinf`,
  `np.isfinite`, `replace([np.inf, -np.inf], ...)`).
- the denominator column is defined in the file as a count of a group's rows, which is at
  least 1 for every group there is: `"n_orders": g["order_id"].nunique()` in a dict of
  columns, a named aggregation `n_orders=("order_id", "nunique")` (or `"count"`, `"size"`),
  `df["n"] = df.groupby("c")["x"].transform("count")`. A count filled in for absent groups
  (`.reindex(ids, fill_value=0)`) can be 0 and is not a guard; a count column joined later
  onto a table of every customer and filled with 0 is not followed (a known blind spot).

Not reported: division by a constant, by a statistic (`df["a"] / df["a"].max()`, normalisation,
see ML106), by a scalar variable, and arithmetic on arrays that are not DataFrame columns.

## Why it matters
pandas does not raise on division by zero: `x / 0` is `inf` (or `-inf`), `0 / 0` is `NaN`.
Those values flow silently into the feature matrix. Scalers turn one `inf` into a column of
NaN, many estimators then fail with "Input contains infinity" far away from the cause, and tree
models that accept them put every zero-denominator row in one extreme bucket. Worse, serving
data often has zeros that training did not (a brand-new customer with `TotalCharges == 0`), so the
model meets values at inference time it never saw in training.

## Example
```python
df["debt_to_income"] = df["debt"] / df["income"]
```

## Use instead
```python
df["debt_to_income"] = df["debt"] / df["income"].replace(0, np.nan)   # NaN, not inf
# or an explicit policy
df["debt_to_income"] = np.where(df["income"] > 0, df["debt"] / df["income"], 0.0)
```

## Fix safety
The fix rewrites the denominator `df["b"]` as `df["b"].replace(0, float("nan"))`: a zero
denominator then gives NaN instead of ±inf. It is unsafe: the feature's values change for those
rows, and NaN may need an imputer downstream.

## References
- pandas docs, "Working with missing data" (arithmetic with `inf` and `NaN`).
- The review spec, "Unbounded feature engineering" (ratio features with zero denominators).
)md";

constexpr RuleInfo kInfo{"ML306",
                         "unguarded-division",
                         Category::DataQuality,
                         Severity::Warning,
                         FixAvailability::Always,
                         "Ratio feature divided by a column with no zero guard",
                         kDoc};

syntax::Node unparen(syntax::Node n) {
  while (n && n.kind() == "parenthesized_expression" && n.named_child_count() == 1)
    n = n.named_child(0);
  return n;
}

// `"name"` -> name; "" when `n` is not a plain string literal.
std::string_view string_key(syntax::Node n, const RuleContext& ctx) {
  if (!n || n.kind() != "string") return {};
  std::string_view t = ctx.text_of(n);
  if (t.size() < 2 || (t.front() != '"' && t.front() != '\'') || t.back() != t.front()) return {};
  return t.substr(1, t.size() - 2);
}

// The column a bare column expression names (`df["b"]` or `df.b`) and its frame expression.
struct ColumnRef {
  syntax::Node frame;
  std::string_view name;
  explicit operator bool() const { return !name.empty(); }
};

ColumnRef column_ref(syntax::Node n, const RuleContext& ctx) {
  n = unparen(n);
  if (!n) return {};
  if (n.kind() == "subscript" && n.named_child_count() == 2) {
    std::string_view key = string_key(n.named_child(1), ctx);
    if (!key.empty()) return {n.field("value"), key};
  }
  if (n.kind() == "attribute") return {n.field("object"), ctx.text_of(n.field("attribute"))};
  return {};
}

bool is_column_of_frame(syntax::Node n, const RuleContext& ctx) {
  const lineage::Program* p = ctx.program();
  const lineage::Value* v = p ? p->value_of(unparen(n)) : nullptr;
  return v != nullptr && v->kind == lineage::Kind::Data && v->shape == lineage::Shape::Series &&
         v->columns.size() == 1;
}

bool is_unknown(syntax::Node n, const RuleContext& ctx) {
  const lineage::Program* p = ctx.program();
  const lineage::Value* v = p ? p->value_of(unparen(n)) : nullptr;
  return v == nullptr || v->kind == lineage::Kind::Unknown;
}

bool mentions(std::string_view s, std::string_view needle) {
  return s.find(needle) != std::string_view::npos;
}

bool is_number(syntax::Node n) {
  n = unparen(n);
  if (n && n.kind() == "unary_operator") n = n.named_child(0);
  return n && (n.kind() == "integer" || n.kind() == "float");
}

bool is_count_method(std::string_view m) { return m == "nunique" || m == "count" || m == "size"; }

// `g["order_id"].nunique()`, `df.groupby("c").size()`, `g["x"].transform("count")`: a count of
// a group's rows, at least 1 for every group there is (when nothing fills absent groups
// afterwards: `.reindex(..., fill_value=0)` is an outer call, so it is not this shape).
bool is_group_count(syntax::Node n, const RuleContext& ctx) {
  n = unparen(n);
  if (!n || n.kind() != "call") return false;
  syntax::Node fn = n.field("function");
  if (!fn || fn.kind() != "attribute") return false;
  std::string_view m = ctx.text_of(fn.field("attribute"));
  syntax::Node args = n.field("arguments");
  if (m == "transform" || m == "agg" || m == "aggregate") {
    if (!args || args.named_child_count() != 1) return false;
    std::string_view how = string_key(args.named_child(0), ctx);
    if (!is_count_method(how)) return false;
  } else if (!is_count_method(m)) {
    return false;
  }
  syntax::Node recv = fn.field("object");
  const lineage::Program* p = ctx.program();
  const lineage::Value* v = p ? p->value_of(recv) : nullptr;
  if (v != nullptr && v->shape == lineage::Shape::GroupBy) return true;
  return mentions(ctx.text_of(recv), ".groupby(");
}

// A named aggregation that counts: `n_orders=("order_id", "nunique")`.
bool is_counting_aggregation(syntax::Node value, const RuleContext& ctx) {
  value = unparen(value);
  if (!value || value.kind() != "tuple" || value.named_child_count() != 2) return false;
  return is_count_method(string_key(value.named_child(1), ctx));
}

// What the whole file does about zero denominators: the columns compared with a number,
// replaced, clipped or masked anywhere, and whether infinities are handled at all. Columns
// defined as group counts are guarded by construction (a customer's order count).
struct FileGuards {
  std::vector<std::string> columns;
  bool handles_inf = false;
};

FileGuards file_guards(const RuleContext& ctx) {
  FileGuards g;
  auto add = [&](std::string_view name) {
    if (!name.empty()) g.columns.emplace_back(name);
  };
  syntax::walk(ctx.file().tree->root(), [&](syntax::Node n) {
    std::string_view k = n.kind();
    if (k == "comparison_operator" && n.named_child_count() == 2) {
      ColumnRef a = column_ref(n.named_child(0), ctx), b = column_ref(n.named_child(1), ctx);
      if (a && is_number(n.named_child(1))) add(a.name);
      if (b && is_number(n.named_child(0))) add(b.name);
    } else if (k == "pair") {  // {"n_orders": g["order_id"].nunique(), ...}
      if (is_group_count(n.field("value"), ctx)) add(string_key(n.field("key"), ctx));
    } else if (k == "keyword_argument") {  // .agg(n_orders=("order_id", "nunique"))
      if (is_counting_aggregation(n.field("value"), ctx)) add(ctx.text_of(n.field("name")));
    } else if (k == "assignment") {  // df["n_orders"] = g["order_id"].transform("count")
      syntax::Node left = n.field("left");
      if (left && left.kind() == "subscript" && left.named_child_count() == 2 &&
          is_group_count(n.field("right"), ctx))
        add(string_key(left.named_child(1), ctx));
    } else if (k == "call") {
      syntax::Node fn = n.field("function");
      std::string_view written = fn && fn.kind() == "attribute"
                                     ? ctx.text_of(fn.field("attribute"))
                                     : ctx.text_of(fn);
      if (written == "isinf" || written == "isfinite" || written == "nan_to_num" ||
          callee_is_imported_name(n, ctx.sem())) {
        const std::string& q = ctx.sem().callee(n);
        if (q == "numpy.isinf" || q == "numpy.isfinite" || q == "numpy.nan_to_num")
          g.handles_inf = true;
      }
      if (fn && fn.kind() == "attribute") {
        std::string_view m = written;
        if (m == "replace" && mentions(ctx.text_of(n.field("arguments")), "inf"))
          g.handles_inf = true;
        if (m == "replace" || m == "clip" || m == "mask" || m == "where" || m == "gt" ||
            m == "ne" || m == "ge")
          add(column_ref(fn.field("object"), ctx).name);
      }
    }
    return true;
  });
  return g;
}

class UnguardedDivision final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  std::vector<std::string_view> kinds() const override { return {"binary_operator"}; }

  void visit(syntax::Node op, RuleContext& ctx) override {
    if (op.child_count() != 3) return;
    std::string_view sym = op.child(1).kind();
    if (sym != "/" && sym != "//") return;
    syntax::Node num = op.child(0), den = op.child(2);
    ColumnRef dcol = column_ref(den, ctx);
    if (!dcol) return;
    // Climb to the assignment, giving up at any guard on the way.
    syntax::Node assignment;
    for (syntax::Node up = op, child = op; (up = up.parent());) {
      std::string_view k = up.kind();
      if (k == "assignment") {
        if (up.field("right") == child || unparen(up.field("right")) == unparen(child))
          assignment = up;
        break;
      }
      if (k == "conditional_expression" || k == "lambda" || k == "function_definition" ||
          k == "block" || k == "module" || k == "expression_statement")
        return;
      if (k == "call") {
        const std::string& q = ctx.sem().callee(up);
        if (q == "numpy.where" || q == "numpy.select" || q == "numpy.divide" ||
            q == "numpy.nan_to_num" || q == "numpy.clip")
          return;
        // a method applied to an expression that contains the division: (a / b).replace(...)
        syntax::Node fn = up.field("function");
        if (fn && fn.kind() == "attribute" && fn == child) {
          std::string_view m = ctx.text_of(fn.field("attribute"));
          // (fillna is no guard: x / 0 is inf, not NaN)
          if (m == "replace" || m == "where" || m == "mask" || m == "clip") return;
        }
      }
      child = up;
    }
    if (!assignment) return;
    syntax::Node target = assignment.field("left");
    if (!target || target.kind() != "subscript" || target.named_child_count() != 2) return;
    if (string_key(target.named_child(1), ctx).empty()) return;  // df.loc[mask, "c"] = ...
    syntax::Node target_frame = target.field("value");
    bool frame_column = is_column_of_frame(den, ctx);
    if (!frame_column) {
      // The engine cannot see the frame (a function's parameter): accept the column-assignment
      // shape x["new"] = ... x["a"] ... / x["b"] on one object.
      if (!is_unknown(den, ctx) || !is_unknown(target_frame, ctx)) return;
      if (unparen(den).kind() != "subscript") return;
      if (ctx.text_of(dcol.frame) != ctx.text_of(target_frame)) return;
      ColumnRef ncol = column_ref(num, ctx);
      if (ncol && ctx.text_of(ncol.frame) != ctx.text_of(target_frame)) return;
      if (!ncol && !mentions(ctx.text_of(num), std::string(ctx.text_of(target_frame)) + "[")) return;
    }
    if (!guards_) guards_ = file_guards(ctx);
    if (guards_->handles_inf ||
        std::find(guards_->columns.begin(), guards_->columns.end(), dcol.name) !=
            guards_->columns.end())
      return;
    syntax::Node d = unparen(den);
    std::string dtext(ctx.text_of(d));
    Finding f = finding(op, "`" + dtext + "` can be 0: the ratio becomes inf/NaN silently and "
                                          "flows into the features; guard the denominator "
                                          "(`.replace(0, np.nan)`, `np.where`)");
    f.fix = Fix{"Divide by `" + dtext + ".replace(0, float(\"nan\"))`", Applicability::Unsafe,
                {TextEdit{d.end_byte(), d.end_byte(), ".replace(0, float(\"nan\"))"}}};
    ctx.report(std::move(f));
  }

 private:
  std::optional<FileGuards> guards_;  // computed on the first candidate (one file per instance)
};

}  // namespace

std::unique_ptr<Rule> make_unguarded_division() { return std::make_unique<UnguardedDivision>(); }

}  // namespace mlroast::rules
