#include "analysis/lineage/leaks.hpp"

#include <algorithm>
#include <string_view>
#include <unordered_set>

#include "analysis/lineage/library.hpp"

namespace mlroast::lineage {

namespace {

std::string line_of(syntax::Node n) { return std::to_string(n.start_point().row + 1); }

}  // namespace

bool on_target(const Program& p, const LearnEvent& e, const std::vector<std::string>& targets) {
  if (e.data == kNoValue) return false;
  // the target column itself, or values computed from it (`np.log1p(df["price"])`)
  const Value& d = p.value(e.data);
  for (const auto* names : {&d.columns, &d.sources})
    for (const auto& c : *names)
      if (std::find(targets.begin(), targets.end(), c) != targets.end()) return true;
  return false;
}

bool grouped_by_period(const Program& p, const LearnEvent& e) {
  if (e.data == kNoValue) return false;
  return library::is_period_key(p.value(e.data).group_keys);
}

LeakFamily family_of(const Program& p, const LearnEvent& e,
                     const std::vector<std::string>& targets) {
  if (e.in_container_fold) return LeakFamily::None;
  switch (e.kind) {
    case StatKind::Estimator:
    case StatKind::Functional:
      switch (e.role) {
        case Role::Transformer:
          // LabelEncoder & co. on the target learn only the set of classes: no statistic.
          if ((e.what == "LabelEncoder" || e.what == "LabelBinarizer" ||
               e.what == "MultiLabelBinarizer") && on_target(p, e, targets))
            return LeakFamily::None;
          return LeakFamily::Preprocessing;
        case Role::Container:
          // a Pipeline/ColumnTransformer fit_transform'ed on all rows: its transformers leak
          return (e.applied & kApplyTransform) ? LeakFamily::Preprocessing : LeakFamily::None;
        case Role::Model:
        case Role::Search:
          // columns chosen by a model's feature_importances_/coef_ learned on all rows
          return (e.applied & kApplySelect) ? LeakFamily::Selection : LeakFamily::None;
        case Role::Imputer: return LeakFamily::Imputation;
        case Role::Resampler: return LeakFamily::Oversampling;
        case Role::Selector: return LeakFamily::Selection;
        case Role::TargetEncoder: return LeakFamily::TargetEncoding;
        default: return LeakFamily::None;
      }
    case StatKind::Moment:
    case StatKind::Counts:
      if (e.applied & kApplyFill) return LeakFamily::Imputation;
      if (e.applied & kApplyArithmetic) return LeakFamily::Normalization;
      if (e.applied & kApplyTransform) return LeakFamily::Preprocessing;  // pd.qcut bins
      return LeakFamily::None;
    case StatKind::Correlation:
      return (e.applied & kApplySelect) ? LeakFamily::Selection : LeakFamily::None;
    case StatKind::GroupAgg:
      // A target statistic per category mapped back onto the rows: target encoding by hand.
      // Per-period aggregates of the target are ML203's (a leak even without any split).
      if ((e.applied & kApplyMap) && on_target(p, e, targets) && !grouped_by_period(p, e))
        return LeakFamily::TargetEncoding;
      // fillna(df.groupby("Pclass")["Age"].transform("median")): group-wise imputation
      if (e.applied & kApplyFill) return LeakFamily::Imputation;
      return LeakFamily::None;
    case StatKind::Window:
      return LeakFamily::None;  // ML202 judges windows over the target
  }
  return LeakFamily::None;
}

std::vector<Leak> find_leaks(const Program& p) {
  // Event-driven: every split input and every use is visited once, with the statistics it
  // carries, so the cost is linear in events x statistics carried, never learns x events.
  const auto& learns = p.learns();
  const std::vector<std::string> targets = target_columns(p);
  std::vector<LeakFamily> fam(learns.size(), LeakFamily::None);
  // Resampling of the training side: right before a fit, a leak when the resampled rows are
  // then cross-validated or split again (synthetic copies of validation rows in the training
  // folds). Only those two ends apply to it.
  std::vector<bool> train_side(learns.size(), false);
  for (uint32_t li = 0; li < learns.size(); ++li) {
    const LearnEvent& L = learns[li];
    if (L.data == kNoValue) continue;
    const Value& D = p.value(L.data);
    if (D.kind != Kind::Data) continue;
    // A cut of a row permutation has no known side; learning on one cut is learning on one
    // side, and the training side is the one people learn on.
    const bool permutation_cut =
        D.split >= 0 && p.splits()[static_cast<size_t>(D.split)].kind == SplitKind::Permutation;
    const LeakFamily family = family_of(p, L, targets);
    if (D.part == Part::Train || D.part == Part::Val || permutation_cut) {
      // Learned on the training side only: the protocol is right, except for resampling.
      if (family != LeakFamily::Oversampling) continue;
      train_side[li] = true;
    }
    fam[li] = family;
  }
  std::vector<std::vector<LeakEnd>> ends(learns.size());
  // Slices, date masks and samples are splits only when a model uses a side of them: in library
  // code `x[:n]` or `x[mask]` is just indexing.
  std::vector<bool> used_split(p.splits().size(), false);
  // A date mask whose models are evaluated on its earlier side and never use a later side is a
  // filter (`feats[feats.signup < cutoff]` in a snapshot builder called for the training and
  // the evaluation cutoffs: one mask in the code, a split event per call), not a split.
  std::unordered_set<uint32_t> evaluated_on_earlier, later_used;  // mask sites (node index)
  for (const UseEvent& u : p.uses())
    for (ValueId v : {u.X, u.y}) {
      if (v == kNoValue || p.value(v).split < 0) continue;
      const Value& d = p.value(v);
      const auto si = static_cast<size_t>(d.split);
      used_split[si] = true;
      const uint32_t site = p.splits()[si].site.index();
      if (d.part == Part::Test || d.part == Part::Val) later_used.insert(site);
      if (u.kind == UseKind::Evaluate && v == u.X && d.part == Part::Train)
        evaluated_on_earlier.insert(site);
    }
  for (size_t si = 0; si < p.splits().size(); ++si) {
    const SplitEvent& s = p.splits()[si];
    if (s.kind == SplitKind::Mask && evaluated_on_earlier.count(s.site.index()) != 0 &&
        later_used.count(s.site.index()) == 0)
      used_split[si] = false;
  }
  // (1) data carrying the statistic is split afterwards. Keras' `validation_split=` carve is
  // named only when nothing else is (4): a vocabulary adapted on every text before the
  // train/test split of the texts leaks into the test rows, whatever `fit` carves later.
  const auto split_afterwards = [&](bool keras_validation) {
    for (size_t si = 0; si < p.splits().size(); ++si) {
      const SplitEvent& s = p.splits()[si];
      if (s.kind == SplitKind::FoldLoop) continue;  // judged with the CV uses below
      if ((s.kind == SplitKind::KerasValidation) != keras_validation) continue;
      bool explicit_split = s.kind == SplitKind::TrainTestSplit ||
                            s.kind == SplitKind::SingleFold ||
                            s.kind == SplitKind::Permutation ||
                            s.kind == SplitKind::KerasValidation;
      if (!explicit_split && !used_split[si]) continue;
      for (ValueId in : s.inputs)
        for (uint32_t li : p.value(in).stats)
          if (li < fam.size() && fam[li] != LeakFamily::None && ends[li].empty())
            ends[li].push_back({s.site, "split into train/test at line " + line_of(s.site)});
    }
  };
  split_afterwards(false);
  // (2) data carrying the statistic is cross-validated; (3) a model is trained or judged on a
  // partition whose rows were among those the statistic was learned from
  for (const UseEvent& u : p.uses()) {
    if (u.X == kNoValue) continue;
    const Value& X = p.value(u.X);
    for (uint32_t li : X.stats) {
      if (li >= fam.size() || fam[li] == LeakFamily::None || !ends[li].empty()) continue;
      if (u.kind == UseKind::CrossValidate && (X.split < 0 || train_side[li])) {
        ends[li].push_back({u.site, u.what + " at line " + line_of(u.site) +
                                        " cross-validates data that already carries it"});
        continue;
      }
      if (train_side[li]) {
        // Resampled training rows cross-validated by hand (`X_res, y_res = smote.fit_resample(
        // X_train, y_train)`, then `for tr, va in skf.split(X_res, y_res)`): the validation
        // folds hold synthetic rows made from the training folds' neighbours.
        if (fam[li] != LeakFamily::Oversampling || X.split < 0 ||
            (X.part != Part::Test && X.part != Part::Val))
          continue;
        const SplitEvent& s = p.splits()[static_cast<size_t>(X.split)];
        bool resampled_input = false;
        for (ValueId in : s.inputs)
          resampled_input = resampled_input || (in != kNoValue && std::binary_search(
                                                    p.value(in).stats.begin(),
                                                    p.value(in).stats.end(), li));
        if (s.kind != SplitKind::FoldLoop || !resampled_input) continue;
        ends[li].push_back({s.site, "the resampled rows are cross-validated at line " +
                                        line_of(s.site)});
        ends[li].push_back({u.site, "a validation fold is scored by `" + u.what + "` at line " +
                                        line_of(u.site)});
        continue;
      }
      if ((X.part == Part::Train || X.part == Part::Test || X.part == Part::Val) && X.split >= 0) {
        const SplitEvent& s = p.splits()[static_cast<size_t>(X.split)];
        const Value& D = p.value(learns[li].data);
        bool same_rows = false;
        for (ValueId in : s.inputs) same_rows = same_rows || overlaps(p.value(in).origins, D.origins);
        if (same_rows) {
          ends[li].push_back({s.site, "the rows are split into train/test at line " +
                                          line_of(s.site)});
          ends[li].push_back({u.site, "used by `" + u.what + "` at line " + line_of(u.site)});
        }
      }
    }
  }
  // (4) only Keras' validation carve splits data carrying the statistic
  split_afterwards(true);
  std::vector<Leak> out;
  for (uint32_t li = 0; li < learns.size(); ++li)
    if (!ends[li].empty()) out.push_back(Leak{li, fam[li], std::move(ends[li])});
  return out;
}

const std::vector<Leak>& Program::leaks() const {
  std::call_once(leaks_once_, [this] { leaks_ = find_leaks(*this); });
  return leaks_;
}

const std::vector<bool>& Program::learns_reaching_model() const {
  // One pass over the uses and splits for every learn event: asking per event was quadratic.
  std::call_once(reaching_once_, [this] {
    reaching_.assign(learns().size(), false);
    auto mark = [&](ValueId v) {
      if (v == kNoValue) return;
      for (uint32_t li : value(v).stats)
        if (li < reaching_.size()) reaching_[li] = true;
    };
    for (const UseEvent& u : uses())
      if (u.kind != UseKind::Monitor) mark(u.X);
    for (const SplitEvent& s : splits())
      for (ValueId in : s.inputs) mark(in);
  });
  return reaching_;
}

bool reaches_model(const Program& p, uint32_t learn) {
  const std::vector<bool>& reaching = p.learns_reaching_model();
  return learn < reaching.size() && reaching[learn];
}

std::vector<std::string> target_columns(const Program& p) {
  std::vector<std::string> out;
  std::unordered_set<std::string> seen;  // the names in `out`
  std::unordered_set<ValueId> added;            // a y given to many fits is read once
  auto add = [&](ValueId y) {
    if (y == kNoValue || !added.insert(y).second) return;
    const Value& v = p.value(y);
    for (const auto& c : v.columns)
      if (seen.insert(c).second) out.push_back(c);
    // The one column the target is an unshifted copy or transform of (`f["target"] =
    // px["ret"]`, `y = np.log1p(df["cnt"])`) is the target too; a shifted one (a future
    // value) is not, and a target combined from several columns makes none of them the target.
    std::vector<std::string> from = v.sources;
    for (const auto& [name, src] : v.derived_columns())
      if (std::find(v.columns.begin(), v.columns.end(), name) != v.columns.end())
        from.insert(from.end(), src.begin(), src.end());
    std::sort(from.begin(), from.end());
    from.erase(std::unique(from.begin(), from.end()), from.end());
    if (from.size() == 1 && seen.insert(from.front()).second) out.push_back(from.front());
  };
  for (const UseEvent& u : p.uses())
    if (u.kind == UseKind::Train || u.kind == UseKind::CrossValidate) add(u.y);
  for (const SplitEvent& s : p.splits())
    if (s.kind == SplitKind::TrainTestSplit && s.inputs.size() >= 2) add(s.inputs.back());
  return out;
}

std::string describe_data(const Program& p, ValueId data, std::string_view source) {
  const Value& d = p.value(data);
  std::string what = source.empty() ? std::string("the data") : "`" + std::string(source) + "`";
  if (d.part == Part::Whole || d.part == Part::Unknown) return "all rows of " + what;
  return std::string("the ") + to_string(d.part) + " rows of " + what;
}

}  // namespace mlroast::lineage
