// ML203 same-period-aggregation: a per-period aggregate of the target used for that period.
#include <algorithm>

#include "analysis/lineage/leaks.hpp"
#include "analysis/rules/rule.hpp"

namespace mlroast::rules {
namespace {

constexpr std::string_view kDoc = R"md(# ML203 same-period-aggregation

## What it finds
A group aggregate of the target (the column given to the model as `y`) over groups that include
a period key (month, week, date, quarter..., or a timestamp floored to a period:
`df.index.normalize()`, `.dt.floor("h")`, `.to_period("M")`, `pd.Grouper(freq="W")`) mapped
back onto the rows of that same period:
`df.groupby(["store", "month"])["units"].transform("sum")`, or the same aggregate computed with
`agg`/`mean` and merged or mapped back. Aggregates of strictly earlier periods (a shifted
aggregate) are silent.

Also the snapshot form (customer lifetime value, next-period spend): the target is a per-entity
aggregate of an event table's rows after a date cutoff (`window = tx[(tx.date > T) & (tx.date
<= T + H)]`, `y = window.groupby("customer_id")["amount"].sum()`), and a feature aggregates the
same column over every row of that table (`tx.groupby("customer_id")["amount"].sum()`), label
window included. Features built from the rows before the cutoff (`tx[tx.date <= T]`) are
silent; so are aggregates of other columns, and tables the analysis cannot tie to the cutoff.

## Why it matters
When the target is the value of period *M*, an aggregate over period *M* did not exist when the
prediction is made: it is computed from the very rows (and labels) being predicted. This is the
"prediction window contamination" the spec calls the most insidious leakage in business
forecasting: metrics look excellent and the feature is unavailable in production.

## Example
```python
df["store_month_units"] = df.groupby(["store", "month"])["units"].transform("sum")
model.fit(df[["store_month_units", "price"]], df["units"])
```

## Use instead
```python
monthly = df.groupby(["store", "month"])["units"].sum().rename("units_m").reset_index()
monthly["units_m1"] = monthly.groupby("store")["units_m"].shift(1)   # previous month only
df = df.merge(monthly[["store", "month", "units_m1"]], on=["store", "month"], how="left")
```

## Fix safety
No automatic fix.

## References
- The review specification, "Prediction window contamination (same-period aggregation leakage)".
)md";

constexpr RuleInfo kInfo{"ML203", "same-period-aggregation", Category::TimeSeries,
                         Severity::Error, FixAvailability::None,
                         "Aggregate of the target over its own period used as a feature", kDoc};

// The date-mask split whose later side (`d >= cutoff`, `d > cutoff`) holds the rows of `d`,
// directly or through a window cut from that side (`(d > cutoff) & (d <= end)`); -1 if none.
int32_t after_cutoff_split(const lineage::Program& p, const lineage::Value* d) {
  using namespace lineage;
  for (int depth = 0; depth < 4 && d->split >= 0; ++depth) {
    const SplitEvent& s = p.splits()[static_cast<size_t>(d->split)];
    if (s.kind != SplitKind::Mask) return -1;
    if (d->part == Part::Test) return d->split;
    if (s.inputs.empty() || s.inputs[0] == kNoValue) return -1;
    d = &p.value(s.inputs[0]);
  }
  return -1;
}

class SamePeriodAggregation final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }

  void finish(RuleContext& ctx) override {
    using namespace lineage;
    const Program* p = ctx.program();
    if (p == nullptr) return;
    report_label_window(*p, ctx);
    const std::vector<std::string> targets = target_columns(*p);
    if (targets.empty()) return;
    for (uint32_t li = 0; li < p->learns().size(); ++li) {
      const LearnEvent& e = p->learns()[li];
      if (e.kind != StatKind::GroupAgg || !(e.applied & kApplyMap) || e.shifted_after) continue;
      if (!reaches_model(*p, li)) continue;  // an EDA table: dead data
      if (!on_target(*p, e, targets) || !grouped_by_period(*p, e)) continue;
      const Value& d = p->value(e.data);
      ctx.report(finding(e.site, "Aggregate of the target \"" + d.columns.front() +
                                     "\" grouped by " + d.group_keys +
                                     " is mapped back onto rows of the same period: the feature "
                                     "is computed from the labels it predicts; use strictly "
                                     "earlier periods (lag >= 1 period)"));
    }
  }

 private:
  // Features aggregated over every row of an event table whose rows after a cutoff make the
  // target (customer lifetime value: `y` = spend per customer in the 180 days after the cutoff,
  // a feature = spend per customer over the whole table): the feature sums the label window.
  void report_label_window(const lineage::Program& p, RuleContext& ctx) const {
    using namespace lineage;
    std::vector<uint32_t> reported;
    for (const UseEvent& u : p.uses()) {
      if ((u.kind != UseKind::Train && u.kind != UseKind::CrossValidate) || u.X == kNoValue ||
          u.y == kNoValue)
        continue;
      const Value& X = p.value(u.X);
      const Value& y = p.value(u.y);
      for (uint32_t ly : y.stats) {
        const LearnEvent& label = p.learns()[ly];
        if (label.kind != StatKind::GroupAgg ||
            std::binary_search(X.stats.begin(), X.stats.end(), ly))
          continue;
        const Value& rows = p.value(label.data);
        const int32_t cut = after_cutoff_split(p, &rows);
        if (cut < 0 || rows.columns.size() != 1) continue;
        const SplitEvent& split = p.splits()[static_cast<size_t>(cut)];
        if (split.inputs.empty() || split.inputs[0] == kNoValue) continue;
        const Value& table = p.value(split.inputs[0]);
        for (uint32_t lx : X.stats) {
          const LearnEvent& feature = p.learns()[lx];
          const Value& from = p.value(feature.data);
          // every row of the same table (rows cut by any split are taken to be the history)
          if (feature.kind != StatKind::GroupAgg || from.split >= 0 || from.columns.size() != 1 ||
              from.columns.front() != rows.columns.front() || !overlaps(from.origins, table.origins) ||
              std::find(reported.begin(), reported.end(), lx) != reported.end())
            continue;
          reported.push_back(lx);
          Finding f = finding(
              feature.site,
              "`" + feature.what + "` of \"" + from.columns.front() + "\" per " + from.group_keys +
                  " aggregates every row, including the rows after the cutoff (line " +
                  std::to_string(split.site.start_point().row + 1) + ") whose \"" +
                  rows.columns.front() + "\" makes the target (line " +
                  std::to_string(label.site.start_point().row + 1) +
                  "): the feature contains the label window; aggregate the rows before the cutoff "
                  "only");
          f.related.push_back({TextRange::of(label.site), "the target is aggregated here"});
          ctx.report(std::move(f));
        }
      }
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_same_period_aggregation() {
  return std::make_unique<SamePeriodAggregation>();
}

}  // namespace mlroast::rules
