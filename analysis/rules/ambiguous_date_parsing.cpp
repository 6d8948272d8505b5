// ML304 ambiguous-date-parsing: pd.to_datetime / read_*(parse_dates=...) left to guess the date
// format.
#include <string>

#include "analysis/lineage/library.hpp"
#include "analysis/lineage/program.hpp"
#include "analysis/rules/call_name.hpp"
#include "analysis/rules/call_args.hpp"
#include "analysis/rules/rule.hpp"

namespace mlroast::rules {
namespace {

constexpr std::string_view kDoc = R"md(# ML304 ambiguous-date-parsing

## What it finds
- `pd.to_datetime(values)` with neither `format=` nor `dayfirst=`/`yearfirst=`;
- `pd.read_csv(..., parse_dates=...)` (and the other `read_*` readers) with neither
  `date_format=` (pandas >= 2.0), `date_parser=` nor `dayfirst=`.

Resolved by qualified name (`import pandas as pd`, `from pandas import to_datetime as td`).
`to_datetime` is reported when what it parses was read from a file or database by pandas or
polars (a column of `pd.read_csv(...)`, also after `astype(str)`, merges or filters), or is a
day-or-month-first string literal (`"01/06/2023"`). Values the lineage engine cannot trace to a
file (a function's parameter, arrays built in code, timestamps already typed) are left alone:
pandas' own code calls `to_datetime` thousands of times on values that are already dates.
Silent:
- numbers with a unit (`pd.to_datetime(df["ts"], unit="s")`) or an explicit `origin=`;
- a string literal in ISO 8601 form (`pd.to_datetime("2024-03-31")`): year first, no ambiguity;
- assembling from component columns (`pd.to_datetime(df[["year", "month", "day"]])`);
- `format="ISO8601"` or any other explicit `format=`, and `format="mixed"` (an explicit, if
  risky, choice);
- test code (`tests/`, `test_*.py`), where ambiguous strings are parsed on purpose.

## Why it matters
`01/02/2024` is January 2nd in the US and February 1st almost everywhere else. Left to infer,
pandas guesses the format from the first value (pandas >= 2.0) or element by element (older
versions), so a column can be parsed month-first for some files and day-first for others, or
mixed within one column around the 12th of each month. Nothing fails: the dates are simply
wrong by weeks or months, which corrupts recency features, time-based splits and every lag or
rolling window computed from them. `errors="coerce"` hides the rest as `NaT`.

## Example
```python
orders["order_date"] = pd.to_datetime(orders["order_date"])
events = pd.read_csv("events.csv", parse_dates=["ts"])
```

## Use instead
```python
orders["order_date"] = pd.to_datetime(orders["order_date"], format="%d/%m/%Y")
events = pd.read_csv("events.csv", parse_dates=["ts"], date_format="%Y-%m-%d %H:%M:%S")
```

## Fix safety
No fix: the format is a fact about the data that only the author (or the data) knows.

## References
- pandas docs, `pandas.to_datetime` (`format`, `dayfirst`; "dayfirst=True is not strict").
- pandas 2.0 release notes, "Datetimes are now parsed with a consistent format".
)md";

constexpr RuleInfo kInfo{"ML304",
                         "ambiguous-date-parsing",
                         Category::DataQuality,
                         Severity::Warning,
                         FixAvailability::None,
                         "Dates parsed without `format=` or `dayfirst=`",
                         kDoc};

syntax::Node first_positional(syntax::Node call) {
  syntax::Node args = call.field("arguments");
  for (uint32_t i = 0; args && i < args.named_child_count(); ++i) {
    syntax::Node a = args.named_child(i);
    if (a.kind() != "keyword_argument" && a.kind() != "comment") return a;
  }
  return {};
}

// "2024-03-31", "2024-03-31 12:00", "20240331": year first.
bool iso_literal(std::string_view t) {
  if (t.size() < 2) return false;
  t = t.substr(1, t.size() - 2);
  if (t.size() < 8) return false;
  for (size_t i = 0; i < 4; ++i)
    if (t[i] < '0' || t[i] > '9') return false;
  return t[4] == '-' || (t[4] >= '0' && t[4] <= '9');
}

// "01/06/2023", "6.1.2023", "01-06-2023": digits first, then a separator.
bool date_like_literal(std::string_view t) {
  if (t.size() < 2) return false;
  t = t.substr(1, t.size() - 2);
  size_t digits = 0;
  while (digits < t.size() && t[digits] >= '0' && t[digits] <= '9') ++digits;
  return digits >= 1 && digits <= 2 && digits < t.size() &&
         (t[digits] == '/' || t[digits] == '.' || t[digits] == '-');
}

// True when `arg` is data read from a table file or database (strings as written by someone).
bool from_table(syntax::Node arg, const RuleContext& ctx) {
  const lineage::Program* p = ctx.program();
  const lineage::Value* v = p ? p->value_of(arg) : nullptr;
  if (v == nullptr || v->kind != lineage::Kind::Data) return false;
  for (uint32_t o : v->origins) {
    syntax::Node site = p->origins()[o].site;
    if (site.kind() != "call") continue;
    const std::string& q = ctx.sem().callee(site);
    std::string_view m = lineage::library::module_of(q);
    if (lineage::library::is_loader(q) &&
        (m == "pandas" || m.starts_with("pandas.") || m == "polars" || m.starts_with("polars.")))
      return true;
  }
  return false;
}

// What a call asks of the rule, from its syntax and imports alone: nothing, a `to_datetime`
// whose argument may hold ambiguous dates (`arg` is set), or a `read_*` that parses dates
// without a format (reported as it is).
struct DateCall {
  enum Kind { None, ToDatetime, ReadDates } kind = None;
  syntax::Node arg;  // ToDatetime: the parsed argument
};

DateCall date_call(syntax::Node call, const RuleContext& ctx) {
  if (ctx.file().is_test) return {};  // tests of date handling parse ambiguous strings on purpose
  std::string_view written = call_last_name(call, ctx.text());
  if (written != "to_datetime" && !written.starts_with("read_") &&
      !callee_is_imported_name(call, ctx.sem()))
    return {};
  const std::string& q = ctx.sem().callee(call);
  if (q.empty() || has_kwargs_splat(call)) return {};
  std::string_view m = lineage::library::module_of(q);
  if (m != "pandas" && !m.starts_with("pandas.")) return {};
  std::string_view n = lineage::library::last_name(q);
  if (n == "to_datetime") {
    for (std::string_view kw : {"format", "dayfirst", "yearfirst", "unit", "origin"})
      if (keyword(call, kw, ctx)) return {};
    syntax::Node arg = first_positional(call);
    if (!arg) arg = keyword(call, "arg", ctx);
    if (!arg) return {};
    if (arg.kind() == "string" && iso_literal(ctx.text_of(arg))) return {};
    if (arg.kind() == "integer" || arg.kind() == "float") return {};
    // df[["year", "month", "day"]]: assembled from components
    if (arg.kind() == "subscript" && arg.named_child_count() == 2 &&
        arg.named_child(1).kind() == "list")
      return {};
    if (arg.kind() == "string" && !date_like_literal(ctx.text_of(arg))) return {};
    return {DateCall::ToDatetime, arg};
  }
  if (lineage::library::is_loader(q) && n.starts_with("read_")) {
    syntax::Node pd_kw = keyword(call, "parse_dates", ctx);
    if (!pd_kw || ctx.text_of(pd_kw) == "False" || ctx.text_of(pd_kw) == "None") return {};
    for (std::string_view kw : {"date_format", "date_parser", "dayfirst"})
      if (keyword(call, kw, ctx)) return {};
    return {DateCall::ReadDates, {}};
  }
  return {};
}

class AmbiguousDateParsing final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  std::vector<std::string_view> kinds() const override { return {"call"}; }

  // Everything but the lineage question (does a non-literal argument come from a table?) is
  // answered here, during the walk.
  bool select(syntax::Node call, const RuleContext& ctx) const override {
    return date_call(call, ctx).kind != DateCall::None;
  }

  // Only calls select() kept reach here (Lineage::InVisit).
  void visit(syntax::Node call, RuleContext& ctx) override {
    DateCall c = date_call(call, ctx);
    if (c.kind == DateCall::ToDatetime) {
      if (c.arg.kind() != "string" && !from_table(c.arg, ctx)) return;
      ctx.report(finding(call, "`to_datetime` without `format=` or `dayfirst=` guesses the date "
                               "format: 01/02/2024 may become January 2nd or February 1st "
                               "without any error; pass `format=`"));
    } else if (c.kind == DateCall::ReadDates) {
      std::string_view n = lineage::library::last_name(ctx.sem().callee(call));
      ctx.report(finding(call, "`" + std::string(n) + "(..., parse_dates=...)` without "
                               "`date_format=` or `dayfirst=` guesses the date format: day and "
                               "month can be swapped silently; pass `date_format=`"));
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_ambiguous_date_parsing() {
  return std::make_unique<AmbiguousDateParsing>();
}

}  // namespace mlroast::rules
