// ML110 group-leakage: rows of one entity on both sides of a random split.
#include <algorithm>

#include "analysis/lineage/library.hpp"
#include "analysis/lineage/program.hpp"
#include "analysis/rules/rule.hpp"

namespace mlroast::rules {
namespace {

constexpr std::string_view kDoc = R"md(# ML110 group-leakage

## What it finds
A random row split (`train_test_split`, `KFold`, `StratifiedKFold`, `ShuffleSplit`, a CV call
without `groups=`) of data in which rows repeat per entity. The evidence that they repeat is in
the code: the same data is grouped by an entity key (`groupby("user_id")`, `groupby("patient")`,
`customer_id`, `session_id`, ..., or `pivot_table(index="customer_id")`). A key that is only
dropped or used as an index is taken to be unique per row and is not reported. The result of
such a grouping (one row per customer) no longer repeats the entity: splitting it at random is
silent. `GroupKFold`, `GroupShuffleSplit`, `StratifiedGroupKFold`,
`LeaveOneGroupOut` or `groups=` are silent, and so is a fold loop that only builds features
(out-of-fold target encodings: a statistic learned per fold, no model fitted or scored on the
folds).

## Why it matters
The same patient, user or customer appears in training and in test. The model learns the
entity's idiosyncrasies (a patient's baseline, a user's habits) and recognises them in test,
so the score measures recall of known entities, not performance on new ones — which is what
production sees. Kapoor & Narayanan (2023) list this non-independence among the eight leakage
modes; in medical imaging and user modelling it routinely inflates accuracy by many points.

## Example
```python
visits = pd.read_csv("visits.csv")
visits["n_prior"] = visits.groupby("patient_id").cumcount()
X_train, X_test, y_train, y_test = train_test_split(visits[feats], visits["readmitted"])
```

## Use instead
```python
gss = GroupShuffleSplit(n_splits=1, test_size=0.2, random_state=0)
train_idx, test_idx = next(gss.split(visits, groups=visits["patient_id"]))
# for CV: cross_val_score(model, X, y, groups=visits["patient_id"], cv=GroupKFold(5))
```

## Fix safety
No automatic fix.

## References
- scikit-learn User Guide, "Cross-validation iterators for grouped data".
- Kapoor & Narayanan, Patterns 2023 (non-independence between train and test).
)md";

constexpr RuleInfo kInfo{"ML110", "group-leakage", Category::Leakage, Severity::Warning,
                         FixAvailability::None,
                         "Random split of rows that repeat per entity", kDoc};

class GroupLeakage final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }

  void finish(RuleContext& ctx) override {
    using namespace lineage;
    const Program* p = ctx.program();
    if (p == nullptr || p->groupings().empty()) return;
    for (const SplitEvent& s : p->splits()) {
      if (s.grouped) continue;
      if (s.kind != SplitKind::TrainTestSplit && s.kind != SplitKind::FoldLoop &&
          s.kind != SplitKind::SingleFold)
        continue;
      if (s.splitter == "TimeSeriesSplit") continue;
      // Folds that only make out-of-fold features (a target encoding's table per fold) evaluate
      // no model.
      if (s.kind == SplitKind::FoldLoop &&
          p->split_only_feeds_statistics(static_cast<int32_t>(&s - p->splits().data())))
        continue;
      bool by_entity = false, series = false;
      for (ValueId in : s.inputs) {
        const Value& v = p->value(in);
        // splitting the ids themselves (`train_test_split(df["user_id"].unique())`) is a group split
        by_entity = by_entity || (v.columns.size() == 1 && library::is_entity_key(v.columns.front()));
        // per-entity time series (a store, a sensor): the chronological split is ML201's job
        series = series || v.time_ordered;
      }
      if (by_entity || series) continue;
      const GroupingEvent* g = nullptr;
      for (const GroupingEvent& ge : p->groupings())
        for (ValueId in : s.inputs)
          for (uint32_t o : p->value(in).origins)
            if (!g && std::find(ge.origins.begin(), ge.origins.end(), o) != ge.origins.end())
              g = &ge;
      if (g == nullptr) continue;
      Finding f = finding(s.site, "Rows repeat per " + g->keys + " (grouped at line " +
                                      std::to_string(g->site.start_point().row + 1) +
                                      ") but `" + s.splitter +
                                      "` splits rows at random: the same entities land in train "
                                      "and test; split by group (GroupShuffleSplit/GroupKFold)");
      f.related.push_back({TextRange::of(g->site), "rows are grouped by entity here"});
      ctx.report(std::move(f));
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_group_leakage() { return std::make_unique<GroupLeakage>(); }

}  // namespace mlroast::rules
