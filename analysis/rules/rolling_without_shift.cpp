// ML202 rolling-without-shift: a window aggregate of the target that includes the current row.
#include "analysis/lineage/leaks.hpp"
#include "analysis/rules/rule.hpp"

namespace mlroast::rules {
namespace {

constexpr std::string_view kDoc = R"md(# ML202 rolling-without-shift

## What it finds
A `rolling(...)`, `expanding()` or `ewm(...)` aggregate of the target column (the column given
to the model as `y`) used as a feature without a preceding `shift(k)` with `k >= 1`, so the
window includes the current row's own target. A cumulative `cumsum()` / `cumprod()` /
`cummax()` / `cummin()` is an expanding window too (`df.groupby("card_id")["is_fraud"].cumsum()`
as "frauds so far"). A `.shift(1)` before the window, or right after the aggregate, is silent,
and so is a running sum minus the current row written in one expression
(`g["is_fraud"].cumsum() - df["is_fraud"]`: the earlier rows only).

## Why it matters
`df["units"].rolling(7).mean()` at day *t* averages days *t-6 … t*: today's target is one
seventh of today's feature. The model learns to read it back, validation error looks excellent,
and at prediction time the value does not exist yet (the spec: "rolling windows that bleed into
the target period").

## Example
```python
df["units_ma7"] = df["units"].rolling(7).mean()
model.fit(df[["units_ma7", "price"]], df["units"])
```

## Use instead
```python
df["units_ma7"] = df["units"].shift(1).rolling(7).mean()
```

## Fix safety
A safe fix inserts `.shift(1)` before the window (`s.rolling(7).mean()` becomes
`s.shift(1).rolling(7).mean()`): the feature keeps its meaning, a trailing window, and only
stops containing the current row. Not offered for per-group windows
(`df.groupby(k)[c].rolling(...)`), where the shift must happen inside each group.

## References
- pandas documentation, "Windowing operations".
- Kapoor & Narayanan, Patterns 2023 (temporal leakage).
)md";

constexpr RuleInfo kInfo{"ML202", "rolling-without-shift", Category::TimeSeries, Severity::Error,
                         FixAvailability::Sometimes,
                         "Rolling/expanding window over the target without a shift", kDoc};

class RollingWithoutShift final : public Rule {
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
      if (e.kind != StatKind::Window || e.preceded_by_shift) continue;
      if (!reaches_model(*p, li)) continue;  // only plotted or printed: dead data
      if (!on_target(*p, e, targets)) continue;
      if (e.shifted_after) continue;
      const std::string& col = p->value(e.data).columns.front();
      Finding f = finding(e.site, "Window aggregate of the target \"" + col +
                                      "\" includes the current row: each row's feature contains "
                                      "its own label; shift before the window (`.shift(1)`)");
      // s.rolling(7).mean() -> s.shift(1).rolling(7).mean(). Not for per-group windows: a
      // SeriesGroupBy.shift(1) followed by rolling would let windows cross group boundaries.
      syntax::Node window_call = e.site.field("function").field("object");
      syntax::Node series = window_call.field("function").field("object");
      if (ctx.fixes_wanted() && window_call.kind() == "call" && series && p->value(e.data).group_keys.empty())
        f.fix = Fix{"Shift by one row before the window (`.shift(1)`)", Applicability::Safe,
                    {TextEdit{series.end_byte(), series.end_byte(), ".shift(1)"}}};
      ctx.report(std::move(f));
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_rolling_without_shift() {
  return std::make_unique<RollingWithoutShift>();
}

}  // namespace mlroast::rules
