// ML203 same-period-aggregation: a per-period aggregate of the target used for that period.
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

class SamePeriodAggregation final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }

  void finish(RuleContext& ctx) override {
    using namespace lineage;
    const Program* p = ctx.program();
    if (p == nullptr) return;
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
};

}  // namespace

std::unique_ptr<Rule> make_same_period_aggregation() {
  return std::make_unique<SamePeriodAggregation>();
}

}  // namespace mlroast::rules
