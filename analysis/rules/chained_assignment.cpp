// ML713 chained-assignment: `df[a][b] = v` writes into a temporary, not into df.
#include <string>

#include "analysis/lineage/program.hpp"
#include "analysis/rules/rule.hpp"

namespace mlroast::rules {
namespace {

constexpr std::string_view kDoc = R"md(# ML713 chained-assignment

## What it finds
Assignments (plain or augmented) through two chained indexing steps on a pandas DataFrame:
`df["col"][mask] = v`, `df[mask]["col"] = v`, `df.loc[rows]["col"] = v`,
`df["col"].iloc[0] = v`, `df["col"][i] += 1`. The frame must be a DataFrame according to the
lineage engine (loaded with `pd.read_*`, built with `pd.DataFrame`, a merge, a copy...).

Not reported: nested dicts and lists (`config["a"]["b"] = 1`), NumPy arrays (`arr[i][j] = v`
writes into a view and works), single-step `.loc[rows, "col"] = v`, reads (`x = df["a"][0]`),
values the engine cannot identify as a DataFrame, and test files (pandas' own test-suite
exercises chained assignment on purpose).

## Why it matters
The first indexing step may return a copy. Writing into it either changes `df` or silently
changes nothing, depending on the pandas version, the dtypes and whether the selection was a
view: pandas warns `SettingWithCopyWarning` at best, and with Copy-on-Write (the default from
pandas 3.0) chained assignment never updates `df`. A cleaning step such as
`df["age"][df["age"] < 0] = np.nan` then leaves the bad values in the training data with no
error.

## Example
```python
df["TotalCharges"][df["TotalCharges"] == " "] = "0"
df[df["tenure"] == 0]["segment"] = "new"
```

## Use instead
```python
df.loc[df["TotalCharges"] == " ", "TotalCharges"] = "0"
df.loc[df["tenure"] == 0, "segment"] = "new"
```

## Fix safety
When one of the two keys is a string literal (the column), the fix rewrites the target as one
`.loc[rows, "col"]`. It is unsafe: the assignment now always updates the frame (that is the
point, but it changes behaviour where the old code silently did nothing), and `.loc` selects
rows by label where `df["col"][i]` on a non-default index may have meant a position. No fix for
other shapes.

## References
- pandas docs, "Indexing and selecting data: Returning a view versus a copy" and
  "Copy-on-Write (CoW)" ("chained assignment will never work").
)md";

constexpr RuleInfo kInfo{"ML713",
                         "chained-assignment",
                         Category::CodeQuality,
                         Severity::Warning,
                         FixAvailability::Sometimes,
                         "Chained indexing assignment may not update the DataFrame",
                         kDoc};

bool is_frame(syntax::Node expr, const RuleContext& ctx) {
  if (!expr || ctx.program() == nullptr) return false;
  const lineage::Value* v = ctx.program()->value_of(expr);
  return v != nullptr && v->kind == lineage::Kind::Data && v->shape == lineage::Shape::Frame;
}

bool is_indexer(syntax::Node n, const RuleContext& ctx) {
  if (!n || n.kind() != "attribute") return false;
  std::string_view a = ctx.text_of(n.field("attribute"));
  return a == "loc" || a == "iloc" || a == "at" || a == "iat";
}

class ChainedAssignment final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  std::vector<std::string_view> kinds() const override {
    return {"assignment", "augmented_assignment"};
  }

  void visit(syntax::Node n, RuleContext& ctx) override {
    if (ctx.file().is_test) return;
    syntax::Node left = n.field("left");
    if (!left || left.kind() != "subscript") return;
    syntax::Node outer_key = left.field("subscript");
    syntax::Node inner = left.field("value");
    if (!inner) return;
    // df[c].loc[i] = v / df[c].iloc[i] = v
    if (is_indexer(inner, ctx)) {
      syntax::Node sel = inner.field("object");
      if (sel && sel.kind() == "subscript" && is_frame(sel.field("value"), ctx))
        report(n, left, {}, {}, ctx);
      return;
    }
    if (inner.kind() != "subscript") return;
    syntax::Node inner_key = inner.field("subscript");
    syntax::Node base = inner.field("value");
    // df.loc[rows][c] = v
    if (is_indexer(base, ctx)) {
      if (is_frame(base.field("object"), ctx)) report(n, left, {}, {}, ctx);
      return;
    }
    if (!is_frame(base, ctx)) return;
    report(n, left, inner_key, outer_key, ctx);
  }

 private:
  void report(syntax::Node stmt, syntax::Node left, syntax::Node k1, syntax::Node k2,
              RuleContext& ctx) {
    Finding f = finding(stmt, "`" + std::string(ctx.text_of(left)) +
                                  " = ...` assigns through chained indexing: the first step may "
                                  "return a copy, so the DataFrame may not change (never under "
                                  "pandas Copy-on-Write); use one `.loc[rows, col]`");
    // df["col"][rows] -> df.loc[rows, "col"]; df[rows]["col"] -> df.loc[rows, "col"]
    if (k1 && k2 && k1.kind() != "slice" && k2.kind() != "slice") {
      syntax::Node base = left.field("value").field("value");
      syntax::Node col, rows;
      if (k1.kind() == "string") {
        col = k1;
        rows = k2;
      } else if (k2.kind() == "string") {
        col = k2;
        rows = k1;
      }
      if (col && base.kind() == "identifier") {
        std::string text = std::string(ctx.text_of(base)) + ".loc[" +
                           std::string(ctx.text_of(rows)) + ", " + std::string(ctx.text_of(col)) +
                           "]";
        f.fix = Fix{"Use `" + text + "`", Applicability::Unsafe,
                    {TextEdit{left.start_byte(), left.end_byte(), text}}};
      }
    }
    ctx.report(std::move(f));
  }
};

}  // namespace

std::unique_ptr<Rule> make_chained_assignment() { return std::make_unique<ChainedAssignment>(); }

}  // namespace mlroast::rules
