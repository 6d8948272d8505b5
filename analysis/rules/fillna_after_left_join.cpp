// ML305 fillna-after-left-join: the rows a left join could not match are filled with 0, which
// makes "absent from the other table" look like a real zero.
#include <algorithm>
#include <string>
#include <vector>

#include "analysis/lineage/program.hpp"
#include "analysis/rules/call_name.hpp"
#include "analysis/rules/call_args.hpp"
#include "analysis/rules/rule.hpp"

namespace mlroast::rules {
namespace {

constexpr std::string_view kDoc = R"md(# ML305 fillna-after-left-join

## What it finds
A left join — `left.merge(right, how="left")`, `pd.merge(left, right, how="left")`, or
`left.join(right)` (a left join by default) — whose result is later filled with zero:
`fillna(0)`, `fillna(0.0)`, `fillna(value=0)` or a dict of zeros, on the joined frame or on one
of its columns. The lineage engine decides that the filled data comes from the join (it carries
the right-hand table's rows), so a `fillna(0)` on the left table before the join, or on an
unrelated frame, is not reported; nor is a fill of a column that the code read from the left
table before the join (`df["age"]` used before, `df["age"].fillna(0)` after: the left table's own
gaps). The finding is on the `fillna`, with the join as a related
location.

Silent when the left table is a grid of every key combination made by a cross join
(`stores.merge(days, how="cross")`, then `grid.merge(sales, how="left").fillna(0)`): a cell with
no event is a zero, which is what densifying an event table means. Silent when the absence is modelled: `merge(..., indicator=True)`, or an
`isna()`/`notna()`/`isnull()`/`notnull()` flag taken from the joined data between the join and the
fill (`df["has_orders"] = df["n_orders"].notna()`). Inner and outer joins, and other fill values
(`-1`, the median, `"missing"`), are out of scope.

## Why it matters
A row with no match in the right-hand table gets NaN in every right-hand column, and
`fillna(0)` turns that NaN into a real value. "This customer has zero transactions" and "this
customer is not in the transactions table at all" (a new account, an ID-format mismatch, a
late-arriving extract, a broken upstream join key) become the same number, and the model learns
from a feature that silently mixes two populations. When the join key breaks in production,
every row gets zeros and the model keeps predicting with full confidence.

## Example
```python
df = customers.merge(tx_stats, on="customer_id", how="left")
df = df.fillna(0)
```

## Use instead
```python
df = customers.merge(tx_stats, on="customer_id", how="left", indicator=True)
df["has_transactions"] = (df.pop("_merge") == "both").astype(int)
df[["n_tx", "total_spent"]] = df[["n_tx", "total_spent"]].fillna(0)
```
Keep an explicit "was matched" flag (and monitor its rate), or leave the NaN for a model that
handles missing values natively.

## Fix safety
No fix: whether absence means zero is a fact about the data the analysis cannot know.

## References
- pandas docs, `DataFrame.merge` (`how`, `indicator`).
- The review spec, "Implicit zeros from missing join keys".
)md";

constexpr RuleInfo kInfo{"ML305",
                         "fillna-after-left-join",
                         Category::DataQuality,
                         Severity::Warning,
                         FixAvailability::None,
                         "Unmatched rows of a left join filled with 0",
                         kDoc};

std::string_view method_of(syntax::Node call, const RuleContext& ctx) {
  syntax::Node fn = call.field("function");
  return fn && fn.kind() == "attribute" ? ctx.text_of(fn.field("attribute")) : std::string_view();
}

bool is_zero(syntax::Node n, const RuleContext& ctx) {
  if (!n) return false;
  std::string_view t = ctx.text_of(n);
  if (t == "0" || t == "0.0" || t == "0." || t == "0.00") return true;
  if (n.kind() == "dictionary") {
    bool any = false;
    for (syntax::Node pair : syntax::children(n)) {
      if (pair.kind() != "pair") continue;
      if (!is_zero(pair.field("value"), ctx)) return false;
      any = true;
    }
    return any;
  }
  return false;
}

struct LeftJoin {
  syntax::Node call;
  lineage::IdSet left_origins;          // rows of the left-hand table (empty: not known)
  lineage::IdSet right_origins;         // rows of the right-hand table
  lineage::IdSet all_origins;           // rows of the joined result
  bool indicator = false;
};

// What a call is to the rule, from its syntax and imports alone.
struct Step {
  enum Kind { None, Join, Fill, Flag, Cross } kind = None;
  syntax::Node left;         // Join: the left-hand table
  syntax::Node right;        // Join: the right-hand table
  bool method_join = false;  // Join: `x.join(...)`, which is a join only when x is a frame
};

Step step_of(syntax::Node n, const RuleContext& ctx) {
  std::string_view written = call_last_name(n, ctx.text());
  if (written != "merge" && written != "join" && written != "fillna" && written != "isna" &&
      written != "notna" && written != "isnull" && written != "notnull" &&
      !callee_is_imported_name(n, ctx.sem()))
    return {};
  std::string_view m = method_of(n, ctx);
  const std::string& q = ctx.sem().callee(n);
  Step step;
  syntax::Node how = keyword(n, "how", ctx);
  std::string_view how_text = how ? ctx.text_of(how) : std::string_view();
  bool left = how_text == "\"left\"" || how_text == "'left'";
  const bool cross = how_text == "\"cross\"" || how_text == "'cross'";
  if (q == "pandas.merge") {
    step.left = keyword(n, "left", ctx);
    if (!step.left) step.left = positional(n, 0);
    step.right = keyword(n, "right", ctx);
    if (!step.right) step.right = positional(n, 1);
  } else if (q.empty() && m == "merge") {
    step.left = n.field("function").field("object");
    step.right = keyword(n, "right", ctx);
    if (!step.right) step.right = positional(n, 0);
  } else if (q.empty() && m == "join") {
    step.left = n.field("function").field("object");
    step.right = keyword(n, "other", ctx);
    if (!step.right) step.right = positional(n, 0);
    left = left || !how;  // DataFrame.join is a left join by default
    step.method_join = true;
  } else if (q.empty() && m == "fillna") {
    syntax::Node v = keyword(n, "value", ctx);
    if (!v) v = positional(n, 0);
    if (is_zero(v, ctx)) step.kind = Step::Fill;
    return step;
  } else if (q.empty() && (m == "isna" || m == "notna" || m == "isnull" || m == "notnull")) {
    step.kind = Step::Flag;
    return step;
  }
  if (step.right && left) step.kind = Step::Join;
  if (step.right && cross && !step.method_join) step.kind = Step::Cross;
  return step;
}

class FillnaAfterLeftJoin final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }

  std::vector<std::string_view> kinds() const override { return {"call"}; }

  // A left join with a right-hand table, a fill with zeros or a missingness flag, by the name it
  // is written or imported under. What the tables hold is the lineage part, asked in visit().
  bool select(syntax::Node n, const RuleContext& ctx) const override {
    return step_of(n, ctx).kind != Step::None;
  }

  // Only calls select() kept reach here (Lineage::InVisit).
  void visit(syntax::Node n, RuleContext& ctx) override {
    using namespace lineage;
    const Program* p = ctx.program();
    if (p == nullptr) return;
    Step step = step_of(n, ctx);
    if (step.kind == Step::Fill) {
      fills_.push_back(n);
    } else if (step.kind == Step::Flag) {
      flags_.push_back(n);
    } else if (step.kind == Step::Cross) {
      if (const Value* out = p->value_of(n); out != nullptr && out->kind == Kind::Data)
        grids_.emplace_back(n, std::vector<uint32_t>(out->origins.begin(), out->origins.end()));
    } else if (step.kind == Step::Join) {
      if (step.method_join) {
        const Value* recv = p->value_of(n.field("function").field("object"));
        if (recv == nullptr || recv->kind != Kind::Data) return;  // str.join, os.path.join
      }
      syntax::Node right = step.right;
      const Value* r = p->value_of(right);
      const Value* out = p->value_of(n);
      if (r == nullptr || out == nullptr || r->kind != Kind::Data || out->kind != Kind::Data)
        return;
      syntax::Node ind = keyword(n, "indicator", ctx);
      LeftJoin join;
      join.call = n;
      if (const Value* l = step.left ? p->value_of(step.left) : nullptr;
          l != nullptr && l->kind == Kind::Data)
        join.left_origins = l->origins;
      join.right_origins = r->origins;
      join.all_origins = out->origins;
      join.indicator = ind && ctx.text_of(ind) != "False";
      joins_.push_back(std::move(join));
    }
  }

  void finish(RuleContext& ctx) override {
    using namespace lineage;
    const Program* p = ctx.program();
    if (p == nullptr) return;
    const std::vector<LeftJoin>& joins = joins_;
    const std::vector<syntax::Node>& flags = flags_;
    if (joins.empty() || fills_.empty()) return;
    collect_columns(ctx);  // left joins are rare: the column reads are looked for only now
    for (syntax::Node fill : fills_) {
      const Value* recv = p->value_of(fill.field("function").field("object"));
      if (recv == nullptr || recv->kind != Kind::Data) continue;
      const LeftJoin* join = nullptr;
      for (const LeftJoin& j : joins)
        if (j.call != fill && j.call.start_byte() <= fill.start_byte() &&
            lineage::includes_all(recv->origins, j.all_origins) &&
            lineage::includes_all(recv->origins, j.right_origins))
          join = &j;  // the latest join before the fill
      if (join == nullptr || join->indicator) continue;
      if (left_table_column(*recv, *join) || onto_grid(*join)) continue;
      bool flagged = false;
      for (syntax::Node flag : flags) {
        if (flag.start_byte() < join->call.start_byte() || flag.start_byte() > fill.start_byte())
          continue;
        const Value* fv = p->value_of(flag.field("function").field("object"));
        flagged = flagged || (fv != nullptr && fv->kind == Kind::Data &&
                              lineage::includes_all(fv->origins, join->right_origins));
      }
      if (flagged) continue;
      syntax::Node value = positional(fill, 0) ? positional(fill, 0) : keyword(fill, "value", ctx);
      std::string shown = value.kind() == "dictionary" ? "{...: 0}" : std::string(ctx.text_of(value));
      Finding f = finding(fill, "`fillna(" + shown + ")` turns rows the left join at line " +
                                    std::to_string(join->call.start_point().row + 1) +
                                    " could not match into real zeros: \"absent from the other "
                                    "table\" becomes \"zero\"; keep a matched flag "
                                    "(`indicator=True`) before filling");
      f.related.push_back({TextRange::of(join->call), "left join here"});
      ctx.report(std::move(f));
    }
  }

 private:
  // `df["age"].fillna(0)` after the join, where `age` was already read from the left table
  // before it (and never from the right one): the fill is about the left table's own gaps.
  bool left_table_column(const lineage::Value& filled, const LeftJoin& join) const {
    if (filled.columns.size() != 1 || filled.all_columns) return false;
    const std::string_view name = filled.columns.front();
    bool on_left = false;
    for (const ColumnRead& c : columns_) {
      if (c.name != name) continue;
      bool right_rows = false;
      for (uint32_t o : c.origins)
        right_rows = right_rows || std::binary_search(join.right_origins.begin(),
                                                      join.right_origins.end(), o);
      if (right_rows && c.byte < join.call.start_byte()) return false;  // read from the right table
      if (!right_rows && c.byte < join.call.start_byte()) on_left = true;
    }
    return on_left;
  }

  // The left table holds every key combination, made by a cross join before (a store x day
  // calendar): the unmatched cells are the combinations with no event, and zero is what they
  // mean (densifying an event table), not a missing match.
  bool onto_grid(const LeftJoin& join) const {
    const auto& left = join.left_origins;
    for (const auto& [call, origins] : grids_)
      if (call.start_byte() < join.call.start_byte() && !origins.empty() &&
          std::all_of(origins.begin(), origins.end(), [&](uint32_t o) {
            return std::binary_search(left.begin(), left.end(), o);
          }))
        return true;
    return false;
  }

  // Every frame["col"] read: which rows' frame the column was read from, and where.
  void collect_columns(const RuleContext& ctx) {
    using namespace lineage;
    static const uint16_t kSubscript = syntax::symbol_for("subscript");
    const Program* p = ctx.program();
    syntax::walk(ctx.file().tree->root(), [&](syntax::Node n) {
      if (n.symbol() != kSubscript) return true;
      syntax::Node key = n.named_child_count() == 2 ? n.named_child(1) : syntax::Node();
      const Value* obj = p->value_of(n.field("value"));
      if (key && key.kind() == "string" && obj != nullptr && obj->kind == Kind::Data) {
        std::string_view t = ctx.text_of(key);
        if (t.size() >= 2 && (t.front() == '"' || t.front() == '\''))
          columns_.push_back({t.substr(1, t.size() - 2), n.start_byte(),
                              std::vector<uint32_t>(obj->origins.begin(), obj->origins.end())});
      }
      return true;
    });
  }

  struct ColumnRead {
    std::string_view name;
    uint32_t byte = 0;
    std::vector<uint32_t> origins;  // (not an IdSet: g++ 12 warns about its inlined move here)
  };
  std::vector<ColumnRead> columns_;
  std::vector<LeftJoin> joins_;
  std::vector<std::pair<syntax::Node, std::vector<uint32_t>>> grids_;  // cross joins, their rows
  std::vector<syntax::Node> fills_, flags_;
};

}  // namespace

std::unique_ptr<Rule> make_fillna_after_left_join() {
  return std::make_unique<FillnaAfterLeftJoin>();
}

}  // namespace mlroast::rules
