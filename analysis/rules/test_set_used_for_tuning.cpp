// ML107 test-set-used-for-tuning: test rows decide something about the model.
#include <algorithm>
#include <cctype>
#include <optional>
#include <string>

#include "analysis/fix/imports.hpp"
#include "analysis/lineage/library.hpp"
#include "analysis/lineage/program.hpp"
#include "analysis/rules/call_args.hpp"
#include "analysis/rules/call_name.hpp"
#include "analysis/rules/rule.hpp"
#include "analysis/rules/torch_facts.hpp"

namespace mlroast::rules {
namespace {

constexpr std::string_view kDoc = R"md(# ML107 test-set-used-for-tuning

## What it finds
The test split deciding something about the model:
- early stopping or best-checkpoint selection judged on the test split: `eval_set=[(X_test,
  y_test)]` with `early_stopping_rounds` (XGBoost/LightGBM/CatBoost) or
  `validation_data=(X_test, y_test)` with an `EarlyStopping`/`ModelCheckpoint(save_best_only=True)`
  callback (Keras), also when the validation data is read from a `test` directory
  (`image_dataset_from_directory(root / "test")`, through `.cache().prefetch()` and a loader
  function's returned tuple); in PyTorch Lightning, a `Trainer` built with `EarlyStopping` or a
  monitoring `ModelCheckpoint` whose `fit` gets the test loader as `val_dataloaders` (or third
  argument);
- a hyperparameter search (`GridSearchCV.fit`, `RandomizedSearchCV.fit`) fitted on the test split;
- in a PyTorch epoch loop, a result computed on the test split (a `DataLoader` over a dataset
  built from the test side of `train_test_split`, or the test tensors themselves) or on a set
  the code itself names as the test set (`loaders["test"]`, a torchvision dataset built with
  `train=False`, a dataset loaded with `split="test"` or from a `test` directory such as
  `ImageFolder(root / "test")`, also when a local function builds and returns the loaders)
  tested by an
  `if` that saves a checkpoint, stops the loop or records a best: early stopping or
  best-checkpoint selection on the test rows (evaluating the test set every epoch only to log
  it is not reported);
- a model, hyperparameter or threshold picked by comparing scores on the test split inside a
  loop, a comprehension or a `max(..., key=lambda ...)`: a score on the test rows computed where
  the surrounding code keeps the best one (`best`, `max(`, `argmax`, `idxmax`, `sorted(`, a
  running best `if f1 > best_f1: best_t, best_f1 = t, f1`).
Monitoring only (an `eval_set` without early stopping) is not reported, nor early stopping on a
held-out side that is named as a validation set and never predicted on (`X_train, X_val, ... =
train_test_split(...)`, `eval_set=[(X_val, y_val)]`, the model saved: there is no test score to
inflate). The same split named `X_te`/`X_test`, or scored afterwards, is reported.

## Why it matters
Every decision taken by looking at the test rows fits the model to those rows: the number of
boosting rounds, the value of `C`, the chosen model. The final test score is then the maximum of
several noisy estimates, biased upward, and no longer predicts production performance. Roth
(2026) found selection leakage (test reuse for selection, early stopping on test) to be among the
most damaging leak types across 2,047 datasets; it is the first in mlroast's damage ranking.

## Example
```python
model = XGBClassifier(n_estimators=2000, early_stopping_rounds=50)
model.fit(X_train, y_train, eval_set=[(X_test, y_test)])
print(roc_auc_score(y_test, model.predict_proba(X_test)[:, 1]))
```

## Use instead
```python
X_tr, X_val, y_tr, y_val = train_test_split(X_train, y_train, test_size=0.2, random_state=0)
model = XGBClassifier(n_estimators=2000, early_stopping_rounds=50)
model.fit(X_tr, y_tr, eval_set=[(X_val, y_val)])
print(roc_auc_score(y_test, model.predict_proba(X_test)[:, 1]))   # test used once, at the end
```

## Fix safety
For early stopping written as `model.fit(X_tr, y_tr, eval_set=[(X_te, y_te)], ...)` (or
`validation_data=(X_te, y_te)`) on a line of its own, an unsafe fix carves
`X_fit, X_val, y_fit, y_val = train_test_split(X_tr, y_tr, test_size=0.2, random_state=0)` on the
line before (importing `train_test_split` when needed), fits on `X_fit, y_fit` and stops on
`(X_val, y_val)`. Unsafe: the model trains on fewer rows, and the 20% / seed are choices to
confirm. Selection loops and searches on the test split get no fix.

## References
- Cawley & Talbot, "On Over-fitting in Model Selection and Subsequent Selection Bias in
  Performance Evaluation", JMLR 2010.
- Roth, "Which Leakage Types Matter?", 2026; Yang et al., ASE 2022 (multi-test leakage).
)md";

constexpr RuleInfo kInfo{"ML107", "test-set-used-for-tuning", Category::Leakage, Severity::Error,
                         FixAvailability::Sometimes,
                         "Test split used for early stopping, tuning or model selection", kDoc};

std::string line(syntax::Node n) { return std::to_string(n.start_point().row + 1); }

// The held-out test side of a train/test split (CV folds are validation, not the test set).
bool is_test_side(const lineage::Program& p, const lineage::Value& v) {
  if (v.kind != lineage::Kind::Data || v.part != lineage::Part::Test || v.split < 0) return false;
  return p.splits()[static_cast<size_t>(v.split)].kind != lineage::SplitKind::FoldLoop;
}

// "max(" as a call of max, not the method `.max(` of a frame; likewise "min(". "best" not as an
// attribute (`search.best_estimator_`, `booster.best_iteration`: chosen by the search's own CV or
// validation set, not here).
bool has_cue(std::string_view t) {
  for (std::string_view cue : {"argmax", "idxmax", "argmin", "idxmin", "sorted("})
    if (t.find(cue) != std::string_view::npos) return true;
  // `best_model`, `best_auc = ...`; not an attribute (`bst.best_iteration`) and not a record of
  // early stopping's rounds (`best_iters.append(...)`), which selects nothing by test score
  for (size_t at = t.find("best"); at != std::string_view::npos; at = t.find("best", at + 1))
    if ((at == 0 || t[at - 1] != '.') && !t.substr(at).starts_with("best_iter")) return true;
  for (std::string_view fn : {"max(", "min("})
    for (size_t at = t.find(fn); at != std::string_view::npos; at = t.find(fn, at + 1)) {
      char before = at == 0 ? ' ' : t[at - 1];
      bool ident = std::isalnum(static_cast<unsigned char>(before)) || before == '_' || before == '.';
      if (!ident) return true;
    }
  return false;
}

// The loop / comprehension / lambda around the use when the surrounding code keeps the best
// score (a cue in the loop, or in the statement around a lambda/comprehension such as
// `best = max(grid, key=lambda c: ...)`); a null node otherwise.
syntax::Node selecting_scope(const lineage::UseEvent& u, std::string_view text) {
  if (!u.loop) return syntax::Node();
  auto k = u.loop.kind();
  syntax::Node around = (k == "for_statement" || k == "while_statement") ? u.loop : u.statement;
  std::string_view t = around ? around.text(text) : u.loop.text(text);
  return has_cue(t) ? u.loop : syntax::Node();
}

// `model.fit(X_tr, y_tr, eval_set=[(X_te, y_te)], ...)` as its own statement: carve
// `X_fit, X_val, y_fit, y_val` from the training split on the line before, fit on X_fit and stop
// on (X_val, y_val). Unsafe: the model now trains on fewer rows, and the split parameters
// (20%, random_state=0) are a choice a human should confirm.
std::optional<Fix> validation_split_fix(const RuleContext& ctx, const lineage::UseEvent& u) {
  std::string_view text = ctx.text();
  syntax::Node call = u.site;
  syntax::Node stmt = call.parent();
  if (stmt.kind() != "expression_statement" || stmt.named_child_count() != 1) return std::nullopt;
  std::vector<syntax::Node> args = syntax::children(call.field("arguments"));
  if (args.size() < 3 || args[0].kind() != "identifier" || args[1].kind() != "identifier")
    return std::nullopt;
  syntax::Node sets;
  for (syntax::Node a : args)
    if (a.kind() == "keyword_argument" && (a.field("name").text(text) == "eval_set" ||
                                          a.field("name").text(text) == "validation_data"))
      sets = a.field("value");
  if (!sets) return std::nullopt;
  // eval_set=[(X_te, y_te)] or validation_data=(X_te, y_te): exactly one pair of names
  syntax::Node pair = sets.kind() == "list" && sets.named_child_count() == 1 ? sets.named_child(0) : sets;
  if (pair.kind() != "tuple" || pair.named_child_count() != 2) return std::nullopt;
  for (const char* name : {"X_fit", "X_val", "y_fit", "y_val"})
    if (ctx.sem().lookup(name, ctx.sem().scope_at(stmt.start_byte())) != nullptr) return std::nullopt;
  std::string indent(text.substr(stmt.start_byte() - stmt.start_point().column,
                                 stmt.start_point().column));
  for (char c : indent)
    if (c != ' ' && c != '\t') return std::nullopt;  // not on a line of its own
  std::string split_fn = "train_test_split";
  Fix fix{"Stop early on a validation split carved from the training data", Applicability::Unsafe,
          {}};
  // Import train_test_split when the file does not bind it.
  const auto* bound = ctx.sem().lookup("train_test_split", 0);
  if (bound == nullptr || bound->qualified != "sklearn.model_selection.train_test_split")
    fix.edits.push_back({import_insertion_point(ctx.file().tree->root(), text),
                         import_insertion_point(ctx.file().tree->root(), text),
                         "from sklearn.model_selection import train_test_split\n"});
  std::string xs(args[0].text(text)), ys(args[1].text(text));
  fix.edits.push_back({stmt.start_byte(), stmt.start_byte(),
                       "X_fit, X_val, y_fit, y_val = " + split_fn + "(" + xs + ", " + ys +
                           ", test_size=0.2, random_state=0)\n" + indent});
  fix.edits.push_back({args[0].start_byte(), args[0].end_byte(), "X_fit"});
  fix.edits.push_back({args[1].start_byte(), args[1].end_byte(), "y_fit"});
  fix.edits.push_back({pair.named_child(0).start_byte(), pair.named_child(0).end_byte(), "X_val"});
  fix.edits.push_back({pair.named_child(1).start_byte(), pair.named_child(1).end_byte(), "y_val"});
  return fix;
}

// Some model predicts on (or is scored on) the held-out side of split `split` in the file.
bool evaluated_on(const lineage::Program& p, int32_t split) {
  for (const lineage::UseEvent& e : p.uses()) {
    if (e.kind != lineage::UseKind::Evaluate || e.X == lineage::kNoValue) continue;
    const lineage::Value& v = p.value(e.X);
    if (v.split == split && v.part == lineage::Part::Test) return true;
  }
  return false;
}

// The validation-set argument of a fit/train call names a validation set: `eval_set=[(X_val,
// y_val)]`, `valid_sets=[dvalid]`, `evals=[(ddev, "dev")]`, and nothing in it says test.
bool names_validation(syntax::Node call, std::string_view text) {
  for (syntax::Node a : syntax::children(call.field("arguments"))) {
    if (a.kind() != "keyword_argument") continue;
    std::string_view k = a.field("name").text(text);
    if (k != "eval_set" && k != "validation_data" && k != "valid_sets" && k != "evals") continue;
    std::string v(a.field("value").text(text));
    for (char& c : v) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (v.find("test") != std::string::npos || v.find("_te") != std::string::npos ||
        v.find("hold") != std::string::npos)
      return false;
    return v.find("val") != std::string::npos || v.find("dev") != std::string::npos;
  }
  return false;
}

// Where the test data an argument reads comes from: the test side of a split, or a data set
// its own code names as the test set.
struct TestSide {
  syntax::Node site;   // the split, or the naming expression
  std::string origin;  // "split at line 12", "`loaders[\"test\"]`, line 178"
};

// A string literal that names the test set: "test", "testing", "holdout".
bool names_test(syntax::Node lit, std::string_view text) {
  if (lit.kind() != "string") return false;
  std::string_view t = lit.text(text);
  return t == "\"test\"" || t == "'test'" || t == "\"testing\"" || t == "'testing'" ||
         t == "\"holdout\"" || t == "'holdout'";
}

// A dataset's directory that names the test set: `root / "test"`, `"data/test/"`,
// `os.path.join(root, "test")`.
bool names_test_dir(syntax::Node arg, const semantic::SemanticModel& sem, std::string_view text) {
  if (!arg) return false;
  if (arg.kind() == "binary_operator" && arg.child_count() == 3 &&
      arg.child(1).text(text) == "/")
    return names_test(arg.field("right"), text);
  if (arg.kind() == "call" && sem.callee(arg) == "os.path.join") {
    syntax::Node args = arg.field("arguments");
    const uint32_t n = args ? args.named_child_count() : 0;
    return n > 0 && names_test(args.named_child(n - 1), text);
  }
  if (arg.kind() != "string") return false;
  std::string_view t = arg.text(text);
  if (t.size() < 2) return false;
  t = t.substr(1, t.size() - 2);
  while (!t.empty() && t.back() == '/') t.remove_suffix(1);
  const size_t slash = t.rfind('/');
  if (slash == std::string_view::npos) return false;
  t = t.substr(slash + 1);
  return t == "test" || t == "testing" || t == "holdout";
}

// A constructor of a dataset: torchvision's, or a class named like one (`ImageFolder`,
// `DefectDataset`).
bool dataset_constructor(syntax::Node ctor, const semantic::SemanticModel& sem,
                         std::string_view text) {
  const std::string& q = sem.callee(ctor);
  if (q.starts_with("torchvision.datasets.")) return true;
  const std::string_view name =
      q.empty() ? call_last_name(ctor, text) : lineage::library::last_name(q);
  // Keras reads a directory of images/texts/audio per class, or a generator flows from one
  return name.ends_with("Dataset") || name.ends_with("Folder") ||
         name == "image_dataset_from_directory" || name == "text_dataset_from_directory" ||
         name == "audio_dataset_from_directory" || name == "flow_from_directory";
}

// The test data `expr` (an argument) reads: the expression itself, or, through a DataLoader
// constructor, the dataset it wraps and that dataset's constructor arguments. Besides a split's
// test side: `loaders["test"]` (a dict of loaders keyed by split name), a torchvision dataset
// built with `train=False`, a dataset loaded with `split="test"`.
std::optional<TestSide> test_side_of(const lineage::Program& p,
                                     const torchfacts::TorchFacts& facts, syntax::Node expr,
                                     std::string_view text, int depth = 0) {
  if (!expr || depth > 3) return std::nullopt;
  const lineage::Value* v = p.value_of(expr);
  if (v != nullptr && is_test_side(p, *v)) {
    const auto& split = p.splits()[static_cast<size_t>(v->split)];
    if (split.kind == lineage::SplitKind::FoldLoop) return std::nullopt;
    return TestSide{split.site, "split at line " + line(split.site)};
  }
  if (expr.kind() == "subscript" && names_test(expr.field("subscript"), text))
    return TestSide{expr, "`" + std::string(expr.text(text)) + "`, line " + line(expr)};
  // a call is its own constructor (`test_ds.cache()` on the way to the dataset)
  syntax::Node ctor = expr.kind() == "call" ? expr : facts.resolve(expr);
  if (!ctor || (ctor == expr && expr.kind() != "call")) return std::nullopt;
  if (ctor.kind() == "subscript") return test_side_of(p, facts, ctor, text, depth + 1);
  if (ctor.kind() != "call") return std::nullopt;
  // `test_ds.cache().prefetch(AUTOTUNE)`: a tf.data pipeline over the same rows
  if (syntax::Node f = ctor.field("function"); f.kind() == "attribute") {
    const std::string_view m = f.field("attribute").text(text);
    if (m == "cache" || m == "prefetch" || m == "batch" || m == "unbatch" || m == "map" ||
        m == "shuffle" || m == "repeat" || m == "with_options" || m == "padded_batch")
      return test_side_of(p, facts, f.field("object"), text, depth + 1);
  }
  const bool dataset = dataset_constructor(ctor, facts.sem(), text);
  for (syntax::Node a : syntax::children(ctor.field("arguments"))) {
    if (dataset && names_test_dir(a.kind() == "keyword_argument" ? a.field("value") : a,
                                  facts.sem(), text))
      return TestSide{ctor, "`" + std::string(a.text(text)) + "`, line " + line(ctor)};
    if (a.kind() == "keyword_argument") {
      std::string_view name = a.field("name").text(text);
      syntax::Node value = a.field("value");
      if ((name == "train" && value.kind() == "false" &&
           facts.sem().callee(ctor).starts_with("torchvision.datasets.")) ||
          (name == "split" && names_test(value, text)))
        return TestSide{ctor, "`" + std::string(a.text(text)) + "`, line " + line(ctor)};
    }
    syntax::Node arg = a.kind() == "keyword_argument" ? a.field("value") : a;
    if (auto side = test_side_of(p, facts, arg, text, depth + 1)) return side;
  }
  return std::nullopt;
}

// The message of an epoch (early stopping, best checkpoint) chosen on a named test set.
std::string selected_on_test_set(const TestSide& side) {
  return "Early stopping or checkpoint selection is judged on the test set (" + side.origin +
         "): the test rows choose the epoch that is kept, so the test score is optimistic; "
         "select on a validation split carved from the training data";
}

// An `if` that acts on the best result so far: it saves a checkpoint, stops the loop, copies
// the weights, or assigns a name with "best" in it.
bool selects(syntax::Node if_stmt, std::string_view text) {
  bool found = false;
  syntax::walk(if_stmt, [&](syntax::Node n) {
    if (found) return false;
    auto k = n.kind();
    if (k == "break_statement") found = true;
    if (k == "call") {
      std::string_view f = n.field("function").text(text);
      found = f.ends_with("save") || f.ends_with("deepcopy") || f.ends_with("state_dict") ||
              f.ends_with("save_pretrained");
    }
    if (k == "assignment" && n.field("left").text(text).find("best") != std::string_view::npos)
      found = true;
    return !found;
  });
  return found;
}

class TestSetUsedForTuning final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }

  void finish(RuleContext& ctx) override {
    const lineage::Program* p = ctx.program();
    if (p == nullptr) return;
    if (ctx.sem().imports("torch")) check_torch_epoch_loops(ctx, *p);
    for (const lineage::UseEvent& u : p->uses()) {
      if (u.X == lineage::kNoValue) continue;
      const lineage::Value& X = p->value(u.X);
      if (!is_test_side(*p, X)) {
        if (u.kind == lineage::UseKind::EarlyStopping) check_test_directory(ctx, *p, u);
        continue;
      }
      const auto& split = p->splits()[static_cast<size_t>(X.split)];
      if (u.kind == lineage::UseKind::EarlyStopping) {
        // A held-out side named and used as a validation set (`X_train, X_val = ...` feeding
        // early stopping, no model ever predicting on it) has no test score to inflate.
        if (names_validation(u.site, ctx.text()) && !evaluated_on(*p, X.split)) continue;
        report(ctx, u.site,
               "Early stopping is judged on the test split (split at line " + line(split.site) +
                   "): the test rows choose when training stops, so the test score is "
                   "optimistic; stop on a validation split carved from the training data",
               split.site, ctx.fixes_wanted() ? validation_split_fix(ctx, u) : std::nullopt);
      } else if (u.kind == lineage::UseKind::CrossValidate && u.what == "search.fit") {
        report(ctx, u.site,
               "Hyperparameter search fitted on the test split (split at line " +
                   line(split.site) + "): the test rows pick the hyperparameters",
               split.site);
      } else if (u.kind == lineage::UseKind::Evaluate && u.scored && u.model != lineage::kNoValue &&
                 !p->value(u.model).several) {  // several models compared: ML111
        // A best picked among test scores: by data flow (argmax/max over the scores) or by a
        // selection in the loop/lambda around the evaluation.
        syntax::Node scope = u.selected ? u.site : selecting_scope(u, ctx.text());
        if (!scope) continue;
        if (std::find(reported_scopes_.begin(), reported_scopes_.end(), scope.id()) !=
            reported_scopes_.end())
          continue;
        reported_scopes_.push_back(scope.id());
        report(ctx, u.site,
               "Model or hyperparameter chosen by its score on the test split (split at line " +
                   line(split.site) + "): picking the best of several test scores fits the "
                   "choice to the test rows; compare on a validation split or with CV",
               split.site);
      }
    }
  }

 private:
  // Early stopping on data read from a `test` directory (Keras: `validation_data=test_ds` with
  // `test_ds = image_dataset_from_directory(root / "test")`), which no split made.
  void check_test_directory(RuleContext& ctx, const lineage::Program& p, const lineage::UseEvent& u) {
    if (!ctx.sem().imports("keras") && !ctx.sem().imports("tensorflow")) return;
    syntax::Node data = keyword(u.site, "validation_data", ctx);
    if (!data) return;
    // validation_data=(X_val, y_val) or a dataset
    if (data.kind() == "tuple" && data.named_child_count() > 0) data = data.named_child(0);
    const std::optional<TestSide> side = test_side_of(p, torch_facts(ctx), data, ctx.text());
    if (!side) return;
    report(ctx, u.site, selected_on_test_set(*side), side->site);
  }

  // `test_loss, acc = evaluate(model, test_loader)` in a loop, then `if test_loss < best: save`.
  void check_torch_epoch_loops(RuleContext& ctx, const lineage::Program& p) {
    const torchfacts::TorchFacts& facts = torch_facts(ctx);
    if (facts.training_loops().empty() && facts.backward_calls().empty()) return;
    std::string_view text = ctx.text();
    syntax::walk(ctx.file().tree->root(), [&](syntax::Node stmt) {
      if (stmt.kind() != "assignment") return true;
      syntax::Node call = stmt.field("right");
      if (call.kind() != "call") return false;
      // inside a loop
      syntax::Node loop = stmt.parent();
      while (loop && loop.kind() != "for_statement" && loop.kind() != "while_statement" &&
             loop.kind() != "function_definition")
        loop = loop.parent();
      if (!loop || loop.kind() == "function_definition") return false;
      std::optional<TestSide> side;
      for (syntax::Node a : syntax::children(call.field("arguments")))
        if (!side)
          side = test_side_of(p, facts, a.kind() == "keyword_argument" ? a.field("value") : a, text);
      if (!side) return false;
      // the names the result is bound to
      std::vector<std::string_view> names;
      syntax::Node left = stmt.field("left");
      if (left.kind() == "identifier") names.push_back(left.text(text));
      for (syntax::Node c : syntax::children(left))
        if (c.kind() == "identifier") names.push_back(c.text(text));
      // an `if` later in the same loop that tests one of them and selects
      syntax::Node hit;
      syntax::walk(loop, [&](syntax::Node n) {
        if (hit) return false;
        if (n.kind() != "if_statement" || n.start_byte() < stmt.end_byte()) return true;
        bool tests = false;
        syntax::walk(n.field("condition"), [&](syntax::Node id) {
          if (id.kind() == "identifier" &&
              std::find(names.begin(), names.end(), id.text(text)) != names.end())
            tests = true;
          return !tests;
        });
        if (tests && selects(n, text)) hit = n;
        return !hit;
      });
      if (!hit) return false;
      Finding f = finding(call, selected_on_test_set(*side));
      f.related.push_back({TextRange::of(side->site), "the test set comes from here"});
      f.related.push_back({TextRange::of(hit.field("condition")), "the test result decides here"});
      ctx.report(std::move(f));
      return false;
    });
  }

  void report(RuleContext& ctx, syntax::Node site, std::string msg, syntax::Node split,
              std::optional<Fix> fix = std::nullopt) {
    Finding f = finding(site, std::move(msg));
    f.related.push_back({TextRange::of(split), "the test split is created here"});
    f.fix = std::move(fix);
    ctx.report(std::move(f));
  }
  std::vector<const void*> reported_scopes_;
};

}  // namespace

std::unique_ptr<Rule> make_test_set_used_for_tuning() {
  return std::make_unique<TestSetUsedForTuning>();
}

}  // namespace mlroast::rules
