// ML109 target-in-features: the feature matrix still contains the target column.
#include <algorithm>

#include "analysis/lineage/program.hpp"
#include "analysis/rules/rule.hpp"
#include "analysis/rules/workflow_facts.hpp"

namespace mlroast::rules {
namespace {

constexpr std::string_view kDoc = R"md(# ML109 target-in-features

## What it finds
A model fitted or cross-validated with a feature matrix built from a frame that still
contains the target column: `X = df` or `X = df.drop(columns=["id"])` while `y = df["target"]`,
or a whole-frame transformation (`pd.get_dummies(df)`, `df.select_dtypes("number")`) that keeps
the target. Also a feature computed from the target (`df["price_per_sqft"] = df["price"] /
df["sqft"]` with `y = df["price"]`, a flag `df["churned"] = df["Churn"] == "Yes"` left in X
after dropping `Churn`) and the raw column a transformed target is computed from (`y =
np.log1p(df["cnt"])` with `cnt` still in X). When the target combines several columns
(`home_win = home_goals > away_goals`), a feature computed from exactly those columns
(`margin = home_goals - away_goals`) is the outcome in another form and is reported; one of
the columns alone is not (a price can be a legitimate feature of `revenue = units * price`).
A pipeline that starts with a `ColumnTransformer` reads only the columns it names (the default
`remainder="drop"`), so giving it the whole frame is silent; with `remainder="passthrough"` the
target goes through and is reported. When its column lists name the target, or a column the
target is computed from (`loan_status` among the categorical columns while `default` is defined
from it), that column reaches the model and is reported; columns given to a `"drop"`
transformer do not. Lists it cannot read (`make_column_selector`, positions) are assumed
correct. Features passed as arrays (`scaler.transform(X_train)`) are judged by the columns of the frame
the scaler or imputer was fitted on. A supervised feature selector (`SelectKBest(...).fit(X, y)`, RFE, `SelectFromModel`) given
such a matrix is reported at its fit: it keeps the target first, and the model then gets it
under the names the selector kept. Lagged copies (`shift(k)`) are legitimate and silent. Explicit feature lists and `df.drop(columns=[target])` are silent; a column
selection the analysis cannot read (`df.iloc[:, :-1]`, a computed list) is assumed correct.

## Why it matters
The model can read the answer from its input. Validation scores are near perfect and mean
nothing; in production the column does not exist at prediction time, so the pipeline crashes
or, worse, is fed a placeholder and predicts garbage. It is the most direct form of target
leakage (Kapoor & Narayanan's "illegitimate features").

## Example
```python
y = df["churn"]
X = df.drop(columns=["customer_id"])          # churn is still in X
model.fit(X, y)
```

## Use instead
```python
y = df["churn"]
X = df.drop(columns=["customer_id", "churn"])
```

## Fix safety
No automatic fix yet.

## References
- Kapoor & Narayanan, Patterns 2023 (illegitimate features).
- Kaufman et al., "Leakage in Data Mining: Formulation, Detection, and Avoidance", TKDD 2012.
)md";

constexpr RuleInfo kInfo{"ML109", "target-in-features", Category::Leakage, Severity::Error,
                         FixAvailability::None,
                         "Feature matrix still contains the target column", kDoc};

bool shares_origin(const lineage::Value& a, const lineage::Value& b) {
  for (uint32_t x : a.origins)
    if (std::binary_search(b.origins.begin(), b.origins.end(), x)) return true;
  return false;
}

bool contains(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

// Is column `c` among X's columns? Every column of the frame except the dropped ones, or the
// explicit selection.
bool in_features(const lineage::Value& X, const std::string& c) {
  if (contains(X.dropped, c)) return false;
  return X.all_columns || contains(X.columns, c);
}

bool is_column_transformer(const lineage::Value& v) {
  return v.cls == "sklearn.compose.ColumnTransformer" ||
         v.cls == "sklearn.compose.make_column_transformer" ||
         v.cls == "sklearn.compose._column_transformer.ColumnTransformer";
}

// The ColumnTransformer that picks the model's columns: the model itself or one of its steps (in
// practice the first: it turns the frame into the features); null when there is none.
const lineage::Value* column_selector(const lineage::Program& p, const lineage::Value& model) {
  if (is_column_transformer(model)) return &model;
  if (model.role != lineage::Role::Container) return nullptr;
  for (const lineage::ValueId step : model.items)
    if (step != lineage::kNoValue && is_column_transformer(p.value(step))) return &p.value(step);
  return nullptr;
}

// Some ColumnTransformer of the file keeps the columns it does not name
// (`remainder="passthrough"`, or an estimator): then the target may pass through.
bool passes_remainder(const RuleContext& ctx) {
  for (const workflow::CallSite& c : workflow::calls(ctx)) {
    if (c.qualified != "sklearn.compose.ColumnTransformer" &&
        c.qualified != "sklearn.compose.make_column_transformer")
      continue;
    syntax::Node r = c.keyword("remainder");
    if (r && ctx.text_of(r) != "\"drop\"" && ctx.text_of(r) != "'drop'") return true;
  }
  return false;
}

// The frame whose columns an array of features has: `scaler.transform(X_train)` keeps the
// columns of the frame the scaler (or imputer) was fitted on, in the same places. `X` itself
// when it is a frame or when no such frame is known.
const lineage::Value& frame_behind(const lineage::Program& p, const lineage::Value& X) {
  using namespace lineage;
  if (X.kind != Kind::Data || X.shape == Shape::Frame) return X;
  for (uint32_t li : X.stats) {
    const LearnEvent& l = p.learns()[li];
    if (l.kind != StatKind::Estimator || !(l.applied & kApplyTransform) ||
        (l.role != Role::Transformer && l.role != Role::Imputer))
      continue;
    const Value& fitted_on = p.value(l.data);
    if (fitted_on.kind == Kind::Data && fitted_on.shape == Shape::Frame &&
        shares_origin(fitted_on, X))
      return fitted_on;
  }
  return X;
}

class TargetInFeatures final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }

  void finish(RuleContext& ctx) override {
    using namespace lineage;
    const Program* p = ctx.program();
    if (p == nullptr) return;
    // What learns from features and the target: models fitted or cross-validated, and
    // supervised feature selectors (`SelectKBest(...).fit(X, y)` picks the target first when X
    // holds it, and hands it to the model with the names it kept).
    struct Fit {
      syntax::Node site;
      std::string what;
      ValueId X, y, model;
    };
    std::vector<Fit> fits;
    for (const UseEvent& u : p->uses())
      if (u.kind == UseKind::Train || u.kind == UseKind::CrossValidate)
        fits.push_back({u.site, u.what, u.X, u.y, u.model});
    for (const LearnEvent& l : p->learns())
      if (l.kind == StatKind::Estimator && l.role == Role::Selector)
        fits.push_back({l.site, l.what, l.data, l.target, kNoValue});
    std::vector<std::string> reported;
    for (const Fit& u : fits) {
      if (u.X == kNoValue || u.y == kNoValue) continue;
      const Value& X = frame_behind(*p, p->value(u.X));
      const Value& y = p->value(u.y);
      if (X.kind != Kind::Data || y.kind != Kind::Data || y.columns.size() != 1) continue;
      if (X.shape != Shape::Frame || !shares_origin(X, y)) continue;
      // A pipeline that starts by picking its columns (a ColumnTransformer, whose default
      // remainder is "drop") reads only the columns it names: the whole frame may go in, and
      // only the named columns count. Lists the analysis cannot read are assumed correct.
      const Value* selector =
          u.model == kNoValue ? nullptr : column_selector(*p, p->value(u.model));
      if (selector != nullptr && passes_remainder(ctx)) selector = nullptr;
      if (selector != nullptr && !selector->names_columns) continue;
      const auto reaches_model = [&](const std::string& c) {
        return in_features(X, c) && (selector == nullptr || contains(selector->columns, c));
      };
      const std::string& target = y.columns.front();
      if (contains(reported, target)) continue;
      // The target, and the column it is a transformation of (y = log1p(cnt): cnt too). A target
      // combined from several columns (revenue = units * price) does not make each part the
      // answer: a price can be a legitimate feature.
      std::vector<std::string> answer{target};
      std::vector<std::string> target_from;  // what the target itself is computed from
      for (size_t i = 0; i < answer.size(); ++i) {
        std::vector<std::string> from = i == 0 ? y.sources : std::vector<std::string>{};
        for (const auto& [name, src] : y.derived_columns())
          if (name == answer[i]) from.insert(from.end(), src.begin(), src.end());
        std::sort(from.begin(), from.end());
        from.erase(std::unique(from.begin(), from.end()), from.end());
        if (i == 0) target_from = from;
        if (from.size() == 1 && !contains(answer, from.front())) answer.push_back(from.front());
      }
      std::string leaked, how;
      bool same_inputs = false;
      for (const auto& c : answer)
        if (leaked.empty() && reaches_model(c)) {
          leaked = c;
          how = c == target ? "still contain the target column" : "still contain the column";
        }
      // Columns computed from the target or its sources (price_per_sqft = price / sqft).
      for (const auto& [name, src] : X.derived_columns()) {
        if (!leaked.empty()) break;
        if (contains(answer, name) || !reaches_model(name)) continue;
        for (const auto& s : src)
          if (contains(answer, s)) {
            leaked = name;
            how = "contain the column";
            break;
          }
      }
      // A target combined from several columns (home_win = home_goals > away_goals): a feature
      // computed from exactly those columns (margin = home_goals - away_goals) is the outcome
      // in another form, though neither column alone is the answer.
      if (leaked.empty() && target_from.size() >= 2) {
        for (const auto& [name, src] : X.derived_columns()) {
          if (contains(answer, name) || !reaches_model(name)) continue;
          std::vector<std::string> from = src;
          std::sort(from.begin(), from.end());
          from.erase(std::unique(from.begin(), from.end()), from.end());
          if (from != target_from) continue;
          leaked = name;
          how = "contain the column";
          same_inputs = true;
          break;
        }
      }
      if (leaked.empty()) continue;
      reported.push_back(target);
      std::string why = same_inputs ? " computed from the same columns as the target \"" + target + "\""
                        : leaked == target ? ""
                        : contains(answer, leaked)
                            ? " from which the target \"" + target + "\" is computed"
                            : " computed from the target \"" + target + "\"";
      ctx.report(finding(u.site, "The features passed to `" + u.what +
                                     "` come from the same frame as the target and " + how +
                                     " \"" + leaked + "\"" + why +
                                     (u.model == kNoValue
                                          ? ": the selector keeps it and the model can read the "
                                            "answer; drop it from X"
                                          : ": the model can read the answer; drop it from X")));
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_target_in_features() { return std::make_unique<TargetInFeatures>(); }

}  // namespace mlroast::rules
