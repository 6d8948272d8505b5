// ML706 god-function: one long function that loads, preprocesses, trains, evaluates and saves.
#include <initializer_list>
#include <string>
#include <vector>

#include "analysis/lineage/library.hpp"
#include "analysis/rules/rule.hpp"

namespace mlroast::rules {
namespace {

constexpr std::string_view kDoc = R"md(# ML706 god-function

## What it finds
A function with more than 50 statements (every simple and compound statement in its body,
nested blocks included, nested function and class definitions counted as one) that mixes at
least three of the five stages of an ML pipeline:
- **load**: `pd.read_*`, `np.load`, `sklearn.datasets.load_*`...;
- **preprocess**: `fillna`, `dropna`, `drop_duplicates`, `astype`, `replace`, `merge`,
  `pd.get_dummies`, `pd.to_numeric`, `fit_transform`, `fit_resample`, a scaler/encoder/imputer/
  sampler constructed;
- **train**: `.fit(...)`, `loss.backward()`;
- **evaluate**: a `sklearn.metrics` function, `.predict`/`.predict_proba`/`.score`/`.evaluate`;
- **save**: `joblib.dump`, `pickle.dump`, `torch.save`, `.save_model`/`.save`, `.to_csv`/
  `.to_parquet`, `json.dump`, `savefig`.

Reported once per function, on its name. Not reported: long functions that do one thing (a
50-statement feature builder, a long argument parser), and test files. Statement counts, not
line counts, so comments, docstrings and long literals do not count.

## Why it matters
A `main()` that loads, cleans, trains, evaluates and saves cannot be tested piece by piece,
cannot be reused by the serving code (which then re-implements the preprocessing and drifts
from it: training/serving skew), and hides data flow between steps in local variables, which is
where leakage (a scaler fitted before the split) goes unnoticed. The review spec: "God
functions: a function longer than ~50 lines that loads data, preprocesses, trains, evaluates,
and saves is untestable, undebuggable, and unmaintainable. Decompose it."

## Example
```python
def main():
    df = pd.read_csv(DATA_PATH)
    df["TotalCharges"] = pd.to_numeric(df["TotalCharges"], errors="coerce")
    ...                      # 50 more statements: encode, split, fit 3 models, compare, pickle
```

## Use instead
```python
def main(cfg):
    raw = load_customers(cfg.data_path)
    X_train, X_test, y_train, y_test = split(raw, cfg)
    pipeline = build_pipeline(cfg).fit(X_train, y_train)   # preprocessing inside the Pipeline
    metrics = evaluate(pipeline, X_test, y_test)
    save(pipeline, metrics, cfg.out_dir)
```
Each step is then unit-testable and the serving code imports the same `build_pipeline`.

## Fix safety
No fix: decomposing a function is a design decision.

## References
- The review spec (`ml-review-spec.txt`), "Structure & Design".
- Sculley et al., "Hidden Technical Debt in Machine Learning Systems", NeurIPS 2015 (pipeline
  jungles, glue code).
)md";

constexpr RuleInfo kInfo{"ML706",
                         "god-function",
                         Category::CodeQuality,
                         Severity::Info,
                         FixAvailability::None,
                         "Long function mixing load, preprocess, train, evaluate and save",
                         kDoc};

constexpr int kMaxStatements = 50;

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool in(std::string_view s, std::initializer_list<std::string_view> set) {
  for (std::string_view x : set)
    if (s == x) return true;
  return false;
}

class GodFunction final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  Lineage lineage() const override { return Lineage::None; }
  std::vector<std::string_view> kinds() const override { return {"function_definition"}; }

  void visit(syntax::Node fn, RuleContext& ctx) override {
    if (ctx.file().is_test) return;
    syntax::Node body = fn.field("body");
    int statements = 0;
    bool stage[5] = {false, false, false, false, false};  // load, prep, train, eval, save
    syntax::walk(body, [&](syntax::Node n) {
      std::string_view k = n.kind();
      if (n != body && (k == "function_definition" || k == "class_definition")) {
        ++statements;
        return false;
      }
      if (ends_with(k, "_statement")) ++statements;
      if (k == "call") classify(n, ctx, stage);
      return true;
    });
    if (statements <= kMaxStatements) return;
    static constexpr std::string_view kNames[] = {"load", "preprocess", "train", "evaluate",
                                                  "save"};
    std::string mixed;
    int count = 0;
    for (int i = 0; i < 5; ++i) {
      if (!stage[i]) continue;
      mixed += (count++ ? " → " : "") + std::string(kNames[i]);
    }
    if (count < 3) return;
    syntax::Node name = fn.field("name");
    ctx.report(finding(name, "`" + std::string(ctx.text_of(name)) + "()` has " +
                                 std::to_string(statements) + " statements and does " + mixed +
                                 " in one body; split it into functions that can be tested and "
                                 "reused by the serving code"));
  }

 private:
  static void classify(syntax::Node call, const RuleContext& ctx, bool* stage) {
    const std::string& q = ctx.sem().callee(call);
    syntax::Node f = call.field("function");
    std::string_view m = f && f.kind() == "attribute" ? ctx.text_of(f.field("attribute"))
                                                      : std::string_view();
    namespace lib = lineage::library;
    if (!q.empty() && lib::is_loader(q)) stage[0] = true;
    lineage::Role role = q.empty() ? lineage::Role::None : lib::estimator_role(q);
    if (in(m, {"fillna", "dropna", "drop_duplicates", "astype", "replace", "merge",
               "fit_transform", "fit_resample"}) ||
        in(q, {"pandas.get_dummies", "pandas.to_numeric", "pandas.to_datetime"}) ||
        role == lineage::Role::Transformer || role == lineage::Role::Imputer ||
        role == lineage::Role::Resampler)
      stage[1] = true;
    if (m == "fit" || m == "backward") stage[2] = true;
    if (q.rfind("sklearn.metrics", 0) == 0 ||
        in(m, {"predict", "predict_proba", "score", "evaluate"}))
      stage[3] = true;
    if (in(q, {"joblib.dump", "pickle.dump", "torch.save", "json.dump"}) ||
        in(m, {"save_model", "to_csv", "to_parquet", "savefig"}) ||
        (m == "save" && q.empty()))
      stage[4] = true;
  }
};

}  // namespace

std::unique_ptr<Rule> make_god_function() { return std::make_unique<GodFunction>(); }

}  // namespace mlroast::rules
