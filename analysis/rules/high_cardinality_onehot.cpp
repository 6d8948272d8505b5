// ML307 high-cardinality-onehot: one-hot encoding of identifier-like or free-text columns.
#include <string>
#include <vector>

#include "analysis/lineage/program.hpp"
#include "analysis/rules/call_name.hpp"
#include "analysis/rules/call_args.hpp"
#include "analysis/rules/rule.hpp"

namespace mlroast::rules {
namespace {

constexpr std::string_view kDoc = R"md(# ML307 high-cardinality-onehot

## What it finds
One-hot encoding applied to a column whose name says it is an identifier or free text, so that
nearly every row has its own category:
- `pd.get_dummies(df, columns=[...])` or `pd.get_dummies(df["col"])`;
- a scikit-learn `OneHotEncoder` in a `ColumnTransformer` / `make_column_transformer` entry,
  or fitted on `df[[...]]`.

Identifier-like: `id`, `*_id`/`*Id` (`customer_id`, `customerID`), `uuid`, `guid`, `email`,
`phone`, `ip`/`ip_address`, `url`, `zip`/`zipcode`/`postcode`/`postal_code`, `ssn`, person
names (`name`, `first_name`, `customer_name`...; not `city_name` or `product_name`). Free text:
`description`, `text`, `comment(s)`, `review`, `notes`, `message`, `body` (also as suffixes:
`product_description`), and prefixed addresses (`billing_address`, `home_street`; a bare
`address` is often a coded category, as in the UCI student data, and is not reported). Column lists are read from
literals and from variables the lineage engine can resolve to a list of names.

Silent: an encoder that caps the categories (`max_categories=` or `min_frequency=`), columns the
engine cannot name (`columns=CATEGORICAL` imported from another module), and low-cardinality
names such as `contract`, `region`, `plan`, `title` (ids that are only dropped are not encoded and are
not reported).

## Why it matters
One-hot encoding a column with 10,000 distinct values produces 10,000 sparse features, almost
all seen once: memory explodes, training slows, and the model gets near-useless features that
mostly let it memorise individual training rows. For identifiers it is worse than useless — each
test row's id is unseen, so its block is all zeros and the model has learned nothing
transferable; with `get_dummies` per batch (ML302) the column count even depends on the batch.

## Example
```python
X = pd.get_dummies(orders, columns=["customer_id", "zip_code", "channel"])
```

## Use instead
```python
X = orders.drop(columns=["customer_id"])                      # an id is not a feature
X["zip_freq"] = X["zip_code"].map(X["zip_code"].value_counts(normalize=True))  # or TargetEncoder in a Pipeline
enc = OneHotEncoder(handle_unknown="infrequent_if_exist", min_frequency=50)    # cap rare levels
```
Use frequency or target encoding (inside the CV pipeline), hashing, or embeddings for
high-cardinality categoricals; TF-IDF or embeddings for text.

## Fix safety
No fix: the right encoding depends on what the column means.

## References
- scikit-learn docs, `OneHotEncoder` (`min_frequency`, `max_categories`) and `TargetEncoder`.
- The review spec, "High-cardinality one-hot encoding".
)md";

constexpr RuleInfo kInfo{"ML307",
                         "high-cardinality-onehot",
                         Category::DataQuality,
                         Severity::Warning,
                         FixAvailability::None,
                         "One-hot encoding of an id-like or free-text column",
                         kDoc};

std::string lower(std::string_view s) {
  std::string out;
  for (char c : s) out += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return out;
}

// Why `name` reads as high-cardinality ("an identifier", "free text"), or "".
std::string_view high_cardinality(std::string_view name) {
  std::string l = lower(name);
  if (l.empty()) return {};
  bool camel_id = name.size() > 2 && (name.ends_with("ID") || name.ends_with("Id"));
  if (l == "id" || l.ends_with("_id") || camel_id) return "an identifier";
  for (std::string_view k : {"name", "first_name", "last_name", "full_name", "customer_name",
                             "user_name", "username", "surname"})
    if (l == k) return "an identifier";
  for (std::string_view k : {"uuid", "guid", "email", "e_mail", "phone", "ip_address", "url",
                             "zip", "zipcode", "zip_code", "postcode", "postal_code", "ssn", "ip"})
    if (l == k || (l.ends_with(k) && l.size() > k.size() && l[l.size() - k.size() - 1] == '_'))
      return "an identifier";
  for (std::string_view k : {"description", "text", "comment", "comments", "review", "notes",
                             "message", "body"})
    if (l == k || (l.ends_with(k) && l.size() > k.size() && l[l.size() - k.size() - 1] == '_'))
      return "free text";
  // `address` alone is often a coded category (urban/rural in the UCI student data)
  for (std::string_view k : {"_address", "_street", "street_name"})
    if (l.ends_with(k) && l.size() > k.size()) return "free text";
  return {};
}

// Column names an expression stands for: a list of strings, a string, a variable holding them,
// or the selected columns of `df[[...]]` / `df["c"]`.
std::vector<std::string> column_names(syntax::Node n, const RuleContext& ctx) {
  const lineage::Program* p = ctx.program();
  const lineage::Value* v = p && n ? p->value_of(n) : nullptr;
  if (v == nullptr) return {};
  if (v->kind == lineage::Kind::Columns) return v->columns;
  if (v->kind == lineage::Kind::Scalar && !v->text.empty()) return {v->text};
  if (v->kind == lineage::Kind::Data && !v->all_columns) return v->columns;
  return {};
}

class HighCardinalityOnehot final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  std::vector<std::string_view> kinds() const override { return {"call"}; }

  // `pd.get_dummies`, or scikit-learn's `OneHotEncoder` without `max_categories` or
  // `min_frequency`, by the name it is written or imported under. Which columns they encode is
  // the lineage part, asked in visit().
  bool select(syntax::Node call, const RuleContext& ctx) const override {
    std::string_view written = call_last_name(call, ctx.text());
    if (written != "get_dummies" && written != "OneHotEncoder" &&
        !callee_is_imported_name(call, ctx.sem()))
      return false;
    const std::string& q = ctx.sem().callee(call);
    if (q == "pandas.get_dummies") return true;
    return q.starts_with("sklearn.") && q.ends_with(".OneHotEncoder") &&
           !keyword(call, "max_categories", ctx) && !keyword(call, "min_frequency", ctx);
  }

  // Only calls select() kept reach here (Lineage::InVisit).
  void visit(syntax::Node call, RuleContext& ctx) override {
    const std::string& q = ctx.sem().callee(call);
    if (q == "pandas.get_dummies") {
      syntax::Node cols = keyword(call, "columns", ctx);
      syntax::Node data = positional(call, 0);
      if (!data) data = keyword(call, "data", ctx);
      std::vector<std::string> names =
          cols ? column_names(cols, ctx) : column_names(data, ctx);
      report(call, names, "`pd.get_dummies`", ctx);
      return;
    }
    // ("name", OneHotEncoder(...), columns) in a ColumnTransformer, or (OneHotEncoder(), columns)
    syntax::Node parent = call.parent();
    if (parent && parent.kind() == "tuple") {
      syntax::Node next = call.next_named_sibling();
      while (next && next.kind() == "comment") next = next.next_named_sibling();
      if (next) report(call, column_names(next, ctx), "`OneHotEncoder`", ctx);
      return;
    }
    // enc = OneHotEncoder(); enc.fit_transform(df[["zip"]]): the columns it is fitted on
    const lineage::Program* p = ctx.program();
    const lineage::Value* enc = p ? p->value_of(call) : nullptr;
    if (enc == nullptr) return;
    for (const lineage::LearnEvent& l : p->learns()) {
      if (l.estimator == lineage::kNoValue || &p->value(l.estimator) != enc) continue;
      if (l.data == lineage::kNoValue) continue;
      const lineage::Value& d = p->value(l.data);
      if (d.kind == lineage::Kind::Data && !d.all_columns) {
        report(call, d.columns, "`OneHotEncoder`", ctx);
        return;
      }
    }
  }

 private:
  void report(syntax::Node call, const std::vector<std::string>& names, const std::string& what,
              RuleContext& ctx) {
    for (const std::string& name : names) {
      std::string_view why = high_cardinality(name);
      if (why.empty()) continue;
      ctx.report(finding(call, what + " one-hot encodes `" + name + "`, which looks like " +
                                   std::string(why) +
                                   ": one sparse column per distinct value, unseen values at "
                                   "test time; drop it or use frequency/target encoding"));
      return;  // one finding per call
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_high_cardinality_onehot() {
  return std::make_unique<HighCardinalityOnehot>();
}

}  // namespace mlroast::rules
