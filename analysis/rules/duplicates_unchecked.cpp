// ML308 duplicates-unchecked: a table read from disk is modelled and nothing in the file looks
// for duplicate rows.
#include <algorithm>
#include <string>

#include "analysis/lineage/library.hpp"
#include "analysis/lineage/program.hpp"
#include "analysis/rules/rule.hpp"
#include "analysis/rules/workflow_facts.hpp"

namespace mlroast::rules {
namespace {

constexpr std::string_view kDoc = R"md(# ML308 duplicates-unchecked

## What it finds
A table read with pandas or polars (`pd.read_csv`, `read_parquet`, `read_sql`, `pl.read_csv`...)
whose rows reach a model fit or a cross-validation, in a file where nothing checks for duplicate
rows. Reported once per file, on the load whose rows are modelled, with the fit as a related
location.

Like the other "something is missing" rules (ML404), it judges only complete modelling scripts:
files that train a model, score it and ship the result (persist the model or log metrics).
Exploration scripts, tutorials and minimal experiments stay quiet: there the missing check is
not yet a gap in a pipeline, and a finding on every `read_csv` would teach users to ignore it.

Any of these anywhere in the file counts as a check and silences the rule: `duplicated(...)`,
`drop_duplicates(...)`, polars `unique(subset=...)`/`is_duplicated()`, `.is_unique`,
a comparison of `nunique()` with `len(...)`, a schema column with `unique=True` (pandera),
`set_index(..., verify_integrity=True)`, `merge(..., validate="one_to_one")`, or a SQL string
with `DISTINCT` or `GROUP BY` (one row per key). A model fitted only on a pandas aggregate
(`df.groupby("customer_id").agg(...)`: one row per customer) does not model the loaded rows and
is not reported.

Silent by design: built-in and generated datasets (`sklearn.datasets`, `keras.datasets`: curated
or synthetic), data that reaches only `predict` (a scoring script), files that load nothing
themselves (a training module that calls the project's own `load_customers()` leaves the check
to the module that reads the file), and test code.

## Why it matters
Duplicate rows silently over-weight some observations, and when the same row lands in both the
training and the test split the test score measures memorisation: Kapoor & Narayanan (2023)
list duplicates across train and test among the eight leakage modes behind 294 affected papers,
and Roth (2026) finds the damage from duplicates grows with model capacity. Exports, joins and
appended daily extracts are where duplicates come from; `df.duplicated().sum()` should be 0 or
handled on purpose. For time series and event tables check duplicates by key
(`["customer_id", "timestamp"]`), not only whole rows.

## Example
```python
df = pd.read_csv("data/telco_churn.csv")
X_train, X_test, y_train, y_test = train_test_split(df[features], df["churn"], random_state=0)
model.fit(X_train, y_train)
```

## Use instead
```python
df = pd.read_csv("data/telco_churn.csv")
n_dupes = df.duplicated(subset=["customer_id"]).sum()
if n_dupes:
    raise ValueError(f"{n_dupes} duplicated customer rows")
```
or `df = df.drop_duplicates(subset=["customer_id"])` when dropping them is the intended policy.

## Fix safety
No fix: which key identifies a row, and whether duplicates are dropped or rejected, is a
decision about the data.

## References
- Kapoor & Narayanan, "Leakage and the reproducibility crisis in machine-learning-based
  science", Patterns 2023 (duplicates across train and test).
- Roth, "Which Leakage Types Matter?", 2026 (duplicates and memorisation).
- pandas docs, `DataFrame.duplicated` / `DataFrame.drop_duplicates`.
)md";

constexpr RuleInfo kInfo{"ML308",
                         "duplicates-unchecked",
                         Category::DataQuality,
                         Severity::Info,
                         FixAvailability::None,
                         "Data loaded and modelled with no duplicate check",
                         kDoc};

bool table_loader(const std::string& q) {
  using namespace lineage::library;
  if (!is_loader(q)) return false;
  std::string_view m = module_of(q);
  return m == "pandas" || m.starts_with("pandas.") || m == "polars" || m.starts_with("polars.") ||
         m == "modin.pandas";
}

bool mentions(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

// True when `upper` (upper case) occurs in `t` in any letter case; every string literal of the
// file is searched, so without copying it.
bool mentions_any_case(std::string_view t, std::string_view upper) {
  for (size_t i = 0; i + upper.size() <= t.size(); ++i) {
    size_t j = 0;
    for (; j < upper.size(); ++j) {
      char c = t[i + j];
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
      if (c != upper[j]) break;
    }
    if (j == upper.size()) return true;
  }
  return false;
}

// True when node `n` checks or removes duplicate rows.
bool checks_duplicates(syntax::Node n, const RuleContext& ctx) {
  bool found = false;
  [&] {
    std::string_view k = n.kind();
    if (k == "call") {
      syntax::Node fn = n.field("function");
      if (fn && fn.kind() == "attribute") {
        std::string_view m = ctx.text_of(fn.field("attribute"));
        std::string_view args = ctx.text_of(n.field("arguments"));
        if (m == "duplicated" || m == "drop_duplicates" || m == "is_duplicated" ||
            (m == "unique" && (mentions(args, "subset=") || mentions(args, "keep=") ||
                               mentions(args, "maintain_order="))) ||
            (m == "set_index" && mentions(args, "verify_integrity=True")) ||
            (m == "merge" && (mentions(args, "one_to_one") || mentions(args, "\"1:1\"") ||
                              mentions(args, "'1:1'"))))
          found = true;
      }
    } else if (k == "attribute") {
      if (ctx.text_of(n.field("attribute")) == "is_unique") found = true;
    } else if (k == "keyword_argument") {
      if (ctx.text_of(n.field("name")) == "unique" && ctx.text_of(n.field("value")) == "True")
        found = true;
    } else if (k == "comparison_operator") {
      std::string_view t = ctx.text_of(n);
      if (mentions(t, "nunique(") && mentions(t, "len(")) found = true;
    } else if (k == "string") {
      std::string_view t = ctx.text_of(n);
      if (mentions_any_case(t, "SELECT DISTINCT") || mentions_any_case(t, "COUNT(DISTINCT") ||
          mentions_any_case(t, "GROUP BY"))
        found = true;  // a grouped query returns one row per key
    }
    return !found;
  }();
  return found;
}

class DuplicatesUnchecked final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  Lineage lineage() const override { return Lineage::InFinish; }
  std::vector<std::string_view> kinds() const override {
    return {"call", "attribute", "keyword_argument", "comparison_operator", "string"};
  }

  void visit(syntax::Node n, RuleContext& ctx) override {
    if (!checked_ && checks_duplicates(n, ctx)) checked_ = true;
  }

  void before_program(const RuleContext& ctx) override { workflow::prepare_facts(ctx); }

  void finish(RuleContext& ctx) override {
    using namespace lineage;
    const Program* p = ctx.program();
    if (p == nullptr || ctx.file().is_test) return;
    // The first table load whose rows reach a fit or a cross-validation, with that use.
    const Origin* load = nullptr;
    const UseEvent* use = nullptr;
    for (uint32_t oi = 0; oi < p->origins().size() && load == nullptr; ++oi) {
      const Origin& o = p->origins()[oi];
      if (o.site.kind() != "call" || !table_loader(ctx.sem().callee(o.site))) continue;
      for (const UseEvent& u : p->uses()) {
        if (u.kind != UseKind::Train && u.kind != UseKind::CrossValidate) continue;
        if (u.X == kNoValue) continue;
        const auto& origins = p->value(u.X).origins;
        if (std::find(origins.begin(), origins.end(), oi) == origins.end()) continue;
        load = &o;
        use = &u;
        break;
      }
    }
    if (load == nullptr) return;
    if (checked_) return;
    if (!workflow::facts(ctx).full_workflow()) return;
    Finding f = finding(load->site,
                        "`" + load->label + "` is modelled (`" + use->what + "` at line " +
                            std::to_string(use->site.start_point().row + 1) +
                            ") but nothing in this file checks for duplicate rows: duplicates "
                            "over-weight rows and can sit on both sides of the split; check "
                            "`duplicated(subset=key)`");
    f.related.push_back({TextRange::of(use->site), "the rows are modelled here"});
    ctx.report(std::move(f));
  }

 private:
  bool checked_ = false;  // the file checks duplicates somewhere (from the analyzer's walk)
};

}  // namespace

std::unique_ptr<Rule> make_duplicates_unchecked() {
  return std::make_unique<DuplicatesUnchecked>();
}

}  // namespace mlroast::rules
