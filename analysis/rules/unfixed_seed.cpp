// ML601 unfixed-seed: a randomized split, CV splitter, resampler or estimator with no
// `random_state` in a file that never seeds NumPy's global generator.
#include <string>

#include "analysis/lineage/library.hpp"
#include "analysis/lineage/program.hpp"
#include "analysis/rules/call_name.hpp"
#include "analysis/rules/call_args.hpp"
#include "analysis/rules/entry_point.hpp"
#include "analysis/rules/rule.hpp"
#include "analysis/rules/seeding.hpp"
#include "analysis/rules/torch_facts.hpp"

namespace mlroast::rules {
namespace {

constexpr std::string_view kDoc = R"md(# ML601 unfixed-seed

## What it finds
A call whose result depends on a random draw, written without `random_state=`, in a file that
never seeds NumPy's global generator:
- splits: `train_test_split` (it shuffles unless `shuffle=False`), `ShuffleSplit`,
  `StratifiedShuffleSplit`, `GroupShuffleSplit`, `RepeatedKFold`, `RepeatedStratifiedKFold`,
  and `KFold` / `StratifiedKFold` / `GroupKFold` with `shuffle=True`; `DataFrame.sample` /
  `Series.sample` that splits rows a model is then fitted or scored on, or resamples them (a
  `sample` that is only printed or shuffles rows for a check is silent); `sklearn.utils.shuffle` / `resample`;
- searches and resamplers: `RandomizedSearchCV`, `HalvingRandomSearchCV`, imbalanced-learn's
  SMOTE family, random over/under-samplers and `ClusterCentroids`;
- estimators whose fit draws random numbers: random forests, extra trees, gradient boosting
  (scikit-learn's; `HistGradientBoosting*` unless `early_stopping=False`, since its automatic
  early stopping holds out a random validation split above 10,000 rows), bagging, AdaBoost, isolation forests,
  decision trees, MLPs, SGD/Perceptron/PassiveAggressive, `RANSACRegressor`, k-means,
  `TruncatedSVD`, `FastICA`, LDA, t-SNE, UMAP, the imbalanced-learn ensembles;
  `LogisticRegression` only with `solver="sag"`/`"saga"`/`"liblinear"`, `SVC`/`NuSVC` only with
  `probability=True`;
- data generators and scorers: `sklearn.datasets.make_*`, `permutation_importance`;
- PyTorch training (a loop that calls `backward()` and an optimizer's `step()`) in a script (a
  `__main__` guard or top-level work) that seeds nothing at all: no `torch.manual_seed`,
  `np.random.seed`, `random.seed`, TensorFlow seed or all-in-one helper. The initial weights,
  dropout masks and a shuffled `DataLoader`'s batch order change every run. Reported once, at
  the `DataLoader(..., shuffle=True)` (else at the loop's `backward()`). A training helper in a
  library module (seeded by the program that calls it), a `DataLoader` given its own
  `generator=`, and a file seeding some generators but not others (ML602) are silent.

Classes and functions are recognised by qualified name through imports and aliases.
Silent:
- any `random_state=` argument (a number, a `RandomState`, a variable, or an explicit
  `random_state=None`, which states the choice), or a `**kwargs` splat that may carry it;
- a global seed anywhere in the file: `np.random.seed(...)` (scikit-learn's `random_state=None`
  draws from NumPy's global generator, so it makes these calls repeatable), Lightning's
  `seed_everything`, `transformers.set_seed`, `keras.utils.set_random_seed`, or a seeding helper
  imported from the project (`set_seed`, `seed_everything`, `seed_all`, `fix_seed`...) whose
  body the analysis cannot see;
- deterministic look-alikes: `KFold` without `shuffle=True`, `GridSearchCV`, `cross_val_score`
  with an integer `cv`, `LogisticRegression` with its default `lbfgs` solver, `SVC` without
  probabilities, `PCA`;
- a shuffled split of time-ordered data (sorted by date, lagged, windowed): ML201 reports it, and
  the fix there is not to shuffle, not to seed the shuffle;
- XGBoost, LightGBM and CatBoost models: their wrappers fall back to a fixed default seed, so
  they repeat run to run without one (`random.seed` or `torch.manual_seed` alone do not silence
  the rule: scikit-learn does not read them; ML602 looks at partial seeding).

## Why it matters
Every run draws a different split and a different model, so the reported score changes from run
to run and nobody can tell an improvement from noise: on small and imbalanced data the test
metric of two unseeded runs of the same script often differs by more than the gain being
claimed. A number that cannot be reproduced cannot be debugged, reviewed or compared with the
next version, and "re-run until it looks good" becomes seed cherry-picking, which Roth (2026)
counts among the selection leaks with a substantial effect on reported AUC. The review's
reference checklist asks for "reproducible data splits (fixed seed + stratification)" and
"random seeds fixed globally".

## Example
```python
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, stratify=y)
model = RandomForestClassifier(n_estimators=500)
```

## Use instead
```python
SEED = 42
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, stratify=y,
                                                    random_state=SEED)
model = RandomForestClassifier(n_estimators=500, random_state=SEED)
```
Pass the seed explicitly to every randomized call (and log it with the run); a single
`np.random.seed(SEED)` at the start also fixes scikit-learn's defaults.

## Fix safety
The PyTorch finding has no automatic fix (where the seed belongs is the author's choice). For
the other calls, the fix adds `random_state=42` as the call's last argument. It is unsafe: the run becomes
repeatable, but the split and the model change, so every number the script reports changes
once. Prefer a named seed constant that the run also logs.

## References
- scikit-learn User Guide, "Controlling randomness" (common pitfalls and recommended
  practices).
- Roth, "Which Leakage Types Matter?", 2026 (seed cherry-picking as selection leakage).
)md";

constexpr RuleInfo kInfo{"ML601",
                         "unfixed-seed",
                         Category::Reproducibility,
                         Severity::Warning,
                         FixAvailability::Sometimes,
                         "Randomized split or estimator with no `random_state` and no global seed",
                         kDoc};

using lineage::library::last_name;
using lineage::library::module_of;

bool in(std::string_view s, std::initializer_list<std::string_view> set) {
  for (std::string_view x : set)
    if (s == x) return true;
  return false;
}

bool under(std::string_view module, std::string_view root) {
  return module == root || (module.starts_with(root) && module.size() > root.size() &&
                            module[root.size()] == '.');
}

// What kind of random draw the qualified callee makes, or "" when it is deterministic (or not
// known). `call` is needed for the arguments that switch randomness on.
std::string randomized(const std::string& q, syntax::Node call, const RuleContext& ctx) {
  std::string_view m = module_of(q), n = last_name(q);
  auto literal = [&](std::string_view kw) { return std::string(ctx.text_of(keyword(call, kw, ctx))); };
  if (under(m, "sklearn")) {
    if (under(m, "sklearn.model_selection")) {
      if (n == "train_test_split") {
        syntax::Node sh = keyword(call, "shuffle", ctx);
        return !sh || ctx.text_of(sh) == "True" ? "shuffles the rows before splitting" : "";
      }
      if (in(n, {"ShuffleSplit", "StratifiedShuffleSplit", "GroupShuffleSplit", "RepeatedKFold",
                 "RepeatedStratifiedKFold"}))
        return "draws random folds";
      if (in(n, {"KFold", "StratifiedKFold", "GroupKFold"}))
        return literal("shuffle") == "True" ? "shuffles the rows into folds" : "";
      if (in(n, {"RandomizedSearchCV", "HalvingRandomSearchCV"}))
        return "samples the candidate hyperparameters at random";
      return "";
    }
    if (under(m, "sklearn.ensemble")) {
      if (n == "HistGradientBoostingClassifier" || n == "HistGradientBoostingRegressor")
        return literal("early_stopping") == "False"
                   ? ""
                   : "holds out a random validation split for early stopping (on by default "
                     "above 10,000 rows)";
      if (in(n, {"RandomForestClassifier", "RandomForestRegressor", "ExtraTreesClassifier",
                 "ExtraTreesRegressor", "GradientBoostingClassifier", "GradientBoostingRegressor",
                 "HistGradientBoostingClassifier", "HistGradientBoostingRegressor",
                 "BaggingClassifier", "BaggingRegressor", "IsolationForest", "AdaBoostClassifier",
                 "AdaBoostRegressor", "RandomTreesEmbedding"}))
        return "draws random samples and features while fitting";
      return "";
    }
    if (under(m, "sklearn.tree"))
      return in(n, {"DecisionTreeClassifier", "DecisionTreeRegressor", "ExtraTreeClassifier",
                    "ExtraTreeRegressor"})
                 ? "permutes the features at random at every split"
                 : "";
    if (under(m, "sklearn.neural_network"))
      return in(n, {"MLPClassifier", "MLPRegressor", "BernoulliRBM"})
                 ? "starts from random weights and shuffles the batches"
                 : "";
    if (under(m, "sklearn.linear_model")) {
      if (in(n, {"SGDClassifier", "SGDRegressor", "SGDOneClassSVM", "Perceptron",
                 "PassiveAggressiveClassifier", "PassiveAggressiveRegressor"}))
        return "shuffles the data between epochs";
      if (n == "RANSACRegressor") return "fits on random subsets";
      if (n == "LogisticRegression") {
        std::string solver = literal("solver");
        return solver == "\"sag\"" || solver == "\"saga\"" || solver == "\"liblinear\"" ||
                       solver == "'sag'" || solver == "'saga'" || solver == "'liblinear'"
                   ? "uses a randomized solver"
                   : "";
      }
      return "";
    }
    if (under(m, "sklearn.svm"))
      return in(n, {"SVC", "NuSVC"}) && literal("probability") == "True"
                 ? "calibrates its probabilities on random internal folds"
                 : "";
    if (under(m, "sklearn.cluster"))
      return in(n, {"KMeans", "MiniBatchKMeans", "BisectingKMeans", "SpectralClustering"})
                 ? "starts from random centroids"
                 : "";
    if (under(m, "sklearn.decomposition"))
      return in(n, {"TruncatedSVD", "FastICA", "LatentDirichletAllocation"})
                 ? "uses a randomized algorithm"
                 : "";
    if (under(m, "sklearn.manifold")) return n == "TSNE" ? "starts from a random embedding" : "";
    if (under(m, "sklearn.datasets"))
      return n.starts_with("make_") ? "generates random data" : "";
    if (under(m, "sklearn.inspection"))
      return n == "permutation_importance" ? "permutes each feature at random" : "";
    if (under(m, "sklearn.utils")) {
      if (n == "shuffle") return "shuffles the rows";
      if (n == "resample") return "draws rows at random";
    }
    return "";
  }
  if (under(m, "imblearn")) {
    if (in(n, {"SMOTE", "ADASYN", "BorderlineSMOTE", "SVMSMOTE", "KMeansSMOTE", "SMOTENC",
               "SMOTEN", "RandomOverSampler", "RandomUnderSampler", "ClusterCentroids",
               "SMOTEENN", "SMOTETomek"}))
      return "draws synthetic or kept rows at random";
    if (in(n, {"BalancedRandomForestClassifier", "BalancedBaggingClassifier",
               "EasyEnsembleClassifier", "RUSBoostClassifier"}))
      return "draws random balanced subsets while fitting";
    return "";
  }
  if (under(m, "umap") && n == "UMAP") return "starts from a random embedding";
  return "";
}

// A shuffled split of time-ordered data: ML201 reports it, and the fix is not to shuffle at all,
// so asking for a seed there would point the wrong way.
bool splits_time_series(syntax::Node call, const RuleContext& ctx) {
  const lineage::Program* p = ctx.program();
  if (p == nullptr) return false;
  for (const lineage::SplitEvent& s : p->splits()) {
    if (!(s.site == call)) continue;
    for (lineage::ValueId in : s.inputs)
      if (in != lineage::kNoValue && p->value(in).time_ordered) return true;
  }
  return false;
}

class UnfixedSeed final : public Rule {
 public:
  const RuleInfo& info() const override { return kInfo; }
  Lineage lineage() const override { return Lineage::InFinish; }

  std::vector<std::string_view> kinds() const override { return {"call", "string", "assignment"}; }

  void visit(syntax::Node n, RuleContext& ctx) override {
    seeding_.scan(n, ctx.sem());
    if (n.kind() == "call") calls_.push_back(n);
  }

  void finish(RuleContext& ctx) override {
    check_torch(ctx);
    if (seeding_.numpy_global()) return;
    for (syntax::Node call : calls_) check(call, ctx);
  }

 private:
  Seeding seeding_;
  std::vector<syntax::Node> calls_;

  // A PyTorch training loop in a script that seeds nothing at all (seeding some generators and
  // not others is ML602's): the initial weights, dropout masks and a shuffled DataLoader's batch
  // order differ on every run. Reported once, at the shuffled DataLoader (else the loop's
  // backward()). A loader given its own `generator=` states a choice: silent.
  void check_torch(RuleContext& ctx) {
    if (!seeding_.numpy.is_null() || !seeding_.python_random.is_null() ||
        !seeding_.torch.is_null() || !seeding_.torch_cuda.is_null() ||
        !seeding_.tensorflow.is_null() || !seeding_.everything.is_null() ||
        !ctx.sem().imports("torch"))
      return;
    const torchfacts::TorchFacts& facts = torch_facts(ctx);
    // A library module's training helper is seeded by the program that calls it.
    if (!facts.uses_torch() || facts.training_loops().empty() || !is_script(ctx)) return;
    syntax::Node shuffled;
    for (syntax::Node call : calls_) {
      const std::string& q = ctx.sem().callee(call);
      if (q != "torch.utils.data.DataLoader" && q != "torch.utils.data.dataloader.DataLoader")
        continue;
      if (keyword(call, "generator", ctx) || has_kwargs_splat(call)) return;
      if (shuffled.is_null() && ctx.text_of(keyword(call, "shuffle", ctx)) == "True") shuffled = call;
    }
    syntax::Node at = shuffled.is_null() ? facts.training_loops().front().backward : shuffled;
    if (at.is_null()) return;
    ctx.report(finding(at, std::string("PyTorch training ") +
                               (shuffled.is_null() ? "" : "shuffles its batches and ") +
                               "starts from random weights, but nothing in the file seeds torch: "
                               "every run trains a different model; call "
                               "`torch.manual_seed(SEED)` (and seed NumPy and `random`) first"));
  }

  void check(syntax::Node call, RuleContext& ctx) {
    std::string_view written = call_last_name(call, ctx.text());
    bool candidate = (!written.empty() && written[0] >= 'A' && written[0] <= 'Z') ||
                     written == "train_test_split" || written == "sample" ||
                     written == "shuffle" || written == "resample" ||
                     written.starts_with("make_") || written == "permutation_importance";
    // classes start upper-case and the randomized functions are listed; aliases pass too
    if (!candidate && !callee_is_imported_name(call, ctx.sem())) return;
    if (keyword(call, "random_state", ctx) || has_kwargs_splat(call)) return;
    std::string what;
    std::string shown;
    const std::string& q = ctx.sem().callee(call);
    if (!q.empty()) {
      what = randomized(q, call, ctx);
      shown = std::string(last_name(q));
    } else {
      // df.sample(frac=...) on data (not random.sample or a list's method)
      syntax::Node fn = call.field("function");
      if (!fn || fn.kind() != "attribute" || ctx.text_of(fn.field("attribute")) != "sample")
        return;
      // Only a sample that splits or resamples rows the model uses: `print(df.sample(5))` is a
      // look at the data.
      const lineage::Program* p = ctx.program();
      if (p == nullptr) return;
      // A sample split counts when a model is fitted or scored on one of its sides (a
      // `sample(frac=1)` that only reorders rows for a check is not a split).
      bool splits = false;
      for (size_t si = 0; si < p->splits().size(); ++si) {
        const lineage::SplitEvent& s = p->splits()[si];
        if (s.kind != lineage::SplitKind::Sample || !(s.site == call)) continue;
        // `val = df.sample(frac=0.2)` + `train = df.drop(val.index)`: a split by its shape
        splits = splits || s.complemented;
        for (const lineage::UseEvent& u : p->uses())
          for (lineage::ValueId v : {u.X, u.y})
            splits = splits || (v != lineage::kNoValue &&
                                p->value(v).split == static_cast<int32_t>(si));
      }
      for (const lineage::LearnEvent& l : p->learns())
        splits = splits || (l.role == lineage::Role::Resampler && l.site == call);
      if (!splits) return;
      what = "draws its rows at random";
      shown = "sample";
    }
    if (what.empty()) return;
    if (splits_time_series(call, ctx)) return;
    Finding f = finding(call, "`" + shown + "(...)` " + what +
                                  " but has no `random_state` and nothing seeds NumPy: every run "
                                  "gives a different result; pass `random_state=`");
    syntax::Node args = call.field("arguments");
    syntax::Node last;
    for (uint32_t i = 0; args && i < args.named_child_count(); ++i)
      if (args.named_child(i).kind() != "comment") last = args.named_child(i);
    if (args && args.kind() == "argument_list") {
      TextEdit e = last ? TextEdit{last.end_byte(), last.end_byte(), ", random_state=42"}
                        : TextEdit{args.start_byte() + 1, args.start_byte() + 1, "random_state=42"};
      f.fix = Fix{"Add `random_state=42`", Applicability::Unsafe, {e}};
    }
    ctx.report(std::move(f));
  }
};

}  // namespace

std::unique_ptr<Rule> make_unfixed_seed() { return std::make_unique<UnfixedSeed>(); }

}  // namespace mlroast::rules
