// ML201 shuffled-split-on-time-series: random split of rows that form a time series.
#include "analysis/fix/imports.hpp"
#include "analysis/lineage/program.hpp"
#include "analysis/rules/call_args.hpp"
#include "analysis/rules/rule.hpp"

namespace mlroast::rules {
namespace {

constexpr std::string_view kDoc = R"md(# ML201 shuffled-split-on-time-series

## What it finds
`train_test_split` (which shuffles by default) or a shuffling CV splitter
(`KFold(shuffle=True)`, `ShuffleSplit`, `StratifiedKFold(shuffle=True)`) applied to data that is
ordered in time: sorted or indexed by a date column, resampled, or given lag (`shift`) or
rolling-window features. A parsed date column alone is not enough evidence (a churn table with a
signup date is not a time series) and is not reported. A fold loop that only builds features
(out-of-fold target encodings: a statistic learned per fold, no model fitted or scored on the
folds) evaluates nothing and is silent.

## Why it matters
A shuffled split trains on the future and tests on the past: every test day is surrounded by
training days, lags and rolling features of neighbouring rows carry the answer, and the model
is scored on interpolation instead of forecasting. The error looks small in the notebook and
explodes after deployment. Roth (2026) measured temporal leakage as invisible under random CV
yet worth about +0.023 AUC on truly temporal data; the spec calls it "an instant credibility
destroyer".

## Example
```python
df = pd.read_csv("sales.csv", parse_dates=["date"]).sort_values("date")
df["lag7"] = df["units"].shift(7)
X_train, X_test, y_train, y_test = train_test_split(df[["lag7", "price"]], df["units"])
```

## Use instead
```python
cutoff = df["date"] < "2023-01-01"
X_train, X_test = df.loc[cutoff, feats], df.loc[~cutoff, feats]
# or: train_test_split(..., shuffle=False) on date-sorted rows, or TimeSeriesSplit for CV
```

## Fix safety
For `train_test_split`, an unsafe fix passes `shuffle=False` (replacing `shuffle=True` when it
is written). Unsafe: the result is a chronological cut only when the rows are sorted by time,
which a human must check. For a cross-validation call with an inline shuffling splitter
(`cv=KFold(5, shuffle=True)`), an unsafe fix uses `cv=TimeSeriesSplit(n_splits=5)` (adding the
import): the folds change, and rows must be in time order.

## References
- scikit-learn User Guide, "Time Series Split".
- Roth, "Which Leakage Types Matter?", 2026; Kapoor & Narayanan, Patterns 2023 (temporal leakage).
)md";

constexpr RuleInfo kInfo{"ML201", "shuffled-split-on-time-series", Category::TimeSeries,
                         Severity::Error, FixAvailability::Sometimes,
                         "Shuffled split or CV on time-ordered data", kDoc};

// `train_test_split(..., shuffle=False)`: replace an explicit `shuffle=True`, or add the keyword
// before the closing parenthesis. Unsafe: a chronological cut needs rows sorted by time.
std::optional<Fix> no_shuffle_fix(syntax::Node call, std::string_view text) {
  syntax::Node args = call.field("arguments");
  if (args.kind() != "argument_list") return std::nullopt;
  // The edit goes before the ")": an argument list cut short by a syntax error has none.
  if (!has_closing_paren(args)) return std::nullopt;
  Fix fix{"Split without shuffling (`shuffle=False`): keeps time order if rows are sorted by time",
          Applicability::Unsafe, {}};
  for (syntax::Node a : syntax::children(args)) {
    if (a.kind() == "keyword_argument" && a.field("name").text(text) == "shuffle") {
      syntax::Node v = a.field("value");
      fix.edits.push_back({v.start_byte(), v.end_byte(), "False"});
      return fix;
    }
  }
  uint32_t close = args.end_byte() - 1;  // the ")"
  uint32_t i = close;
  while (i > args.start_byte() + 1 && (text[i - 1] == ' ' || text[i - 1] == '\n' ||
                                       text[i - 1] == '\r' || text[i - 1] == '\t'))
    --i;
  bool trailing_comma = text[i - 1] == ',';
  bool empty = i == args.start_byte() + 1;
  fix.edits.push_back({i, i, empty ? "shuffle=False" : trailing_comma ? " shuffle=False" : ", shuffle=False"});
  return fix;
}

// cross_val_score(..., cv=KFold(5, shuffle=True)) -> cv=TimeSeriesSplit(n_splits=5). Unsafe:
// the folds change (later folds train on more data) and rows must be in time order.
std::optional<Fix> time_series_cv_fix(const RuleContext& ctx, syntax::Node call) {
  std::string_view text = ctx.text();
  syntax::Node cv;
  for (syntax::Node a : syntax::children(call.field("arguments")))
    if (a.kind() == "keyword_argument" && a.field("name").text(text) == "cv") cv = a.field("value");
  if (cv.kind() != "call") return std::nullopt;
  std::string n_splits = "5";
  for (syntax::Node a : syntax::children(cv.field("arguments"))) {
    if (a.kind() == "integer") n_splits = std::string(a.text(text));
    if (a.kind() == "keyword_argument" && a.field("name").text(text) == "n_splits")
      n_splits = std::string(a.field("value").text(text));
  }
  Fix fix{"Cross-validate with TimeSeriesSplit (train on the past, test on the future)",
          Applicability::Unsafe, {}};
  const auto* bound = ctx.sem().lookup("TimeSeriesSplit", 0);
  if (bound == nullptr || bound->qualified != "sklearn.model_selection.TimeSeriesSplit") {
    uint32_t at = import_insertion_point(ctx.file().tree->root(), text);
    fix.edits.push_back({at, at, "from sklearn.model_selection import TimeSeriesSplit\n"});
  }
  fix.edits.push_back({cv.start_byte(), cv.end_byte(), "TimeSeriesSplit(n_splits=" + n_splits + ")"});
  return fix;
}

class ShuffledSplitOnTimeSeries final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }

  void finish(RuleContext& ctx) override {
    using namespace lineage;
    const Program* p = ctx.program();
    if (p == nullptr) return;
    for (const SplitEvent& s : p->splits()) {
      if (!s.shuffled) continue;
      if (s.kind != SplitKind::TrainTestSplit && s.kind != SplitKind::FoldLoop &&
          s.kind != SplitKind::SingleFold)
        continue;
      // Whole groups (units, stores) on one side each: every series stays in one piece, and
      // the split tests on unseen entities (GroupShuffleSplit, GroupKFold): not this rule.
      if (s.grouped) continue;
      // Folds that only make out-of-fold features (a target encoding's table per fold) evaluate
      // no model.
      if (s.kind == SplitKind::FoldLoop &&
          p->split_only_feeds_statistics(static_cast<int32_t>(&s - p->splits().data())))
        continue;
      bool ordered = false;
      for (ValueId in : s.inputs) ordered = ordered || (in != kNoValue && p->value(in).time_ordered);
      if (!ordered) continue;
      std::string how = s.kind == SplitKind::TrainTestSplit
                            ? "`train_test_split` shuffles rows by default"
                            : "`" + s.splitter + "` shuffles rows";
      Finding f = finding(s.site, how + ", but these rows are a time series (sorted by date, "
                                        "lagged or windowed): the model trains on the future "
                                        "and is tested on the past; split chronologically or "
                                        "use TimeSeriesSplit");
      if (!ctx.fixes_wanted()) {
      } else if (s.kind == SplitKind::TrainTestSplit) f.fix = no_shuffle_fix(s.site, ctx.text());
      else if (s.kind == SplitKind::FoldLoop) f.fix = time_series_cv_fix(ctx, s.site);
      ctx.report(std::move(f));
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_shuffled_split_on_time_series() {
  return std::make_unique<ShuffledSplitOnTimeSeries>();
}

}  // namespace mlroast::rules
