#include "analysis/lineage/leaks.hpp"

#include <algorithm>

#include "analysis/lineage/library.hpp"

namespace mlroast::lineage {

namespace {

bool carries(const Value& v, uint32_t learn) {
  return std::binary_search(v.stats.begin(), v.stats.end(), learn);
}

bool overlap(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b) {
  for (uint32_t x : a)
    if (std::binary_search(b.begin(), b.end(), x)) return true;
  return false;
}

std::string line_of(syntax::Node n) { return std::to_string(n.start_point().row + 1); }

}  // namespace

bool on_target(const Program& p, const LearnEvent& e, const std::vector<std::string>& targets) {
  if (e.data == kNoValue) return false;
  for (const auto& c : p.value(e.data).columns)
    if (std::find(targets.begin(), targets.end(), c) != targets.end()) return true;
  return false;
}

bool grouped_by_period(const Program& p, const LearnEvent& e) {
  if (e.data == kNoValue) return false;
  return library::is_date_like_name(p.value(e.data).group_keys);
}

LeakFamily family_of(const Program& p, const LearnEvent& e,
                     const std::vector<std::string>& targets) {
  if (e.in_container_fold) return LeakFamily::None;
  switch (e.kind) {
    case StatKind::Estimator:
    case StatKind::Functional:
      switch (e.role) {
        case Role::Transformer: return LeakFamily::Preprocessing;
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
      return LeakFamily::None;
    case StatKind::Window:
      return LeakFamily::None;  // ML202 judges windows over the target
  }
  return LeakFamily::None;
}

std::vector<Leak> find_leaks(const Program& p) {
  std::vector<Leak> out;
  const auto& learns = p.learns();
  const std::vector<std::string> targets = target_columns(p);
  for (uint32_t li = 0; li < learns.size(); ++li) {
    const LearnEvent& L = learns[li];
    LeakFamily fam = family_of(p, L, targets);
    if (fam == LeakFamily::None || L.data == kNoValue) continue;
    const Value& D = p.value(L.data);
    if (D.kind != Kind::Data) continue;
    // Learned on the training side only: the protocol is right.
    if (D.part == Part::Train || D.part == Part::Val) continue;
    Leak leak{li, fam, {}};
    // (1) data carrying the statistic is split afterwards
    for (const SplitEvent& s : p.splits()) {
      if (s.kind == SplitKind::FoldLoop) continue;  // judged with the CV uses below
      bool split_carrier = false;
      for (ValueId in : s.inputs) split_carrier = split_carrier || carries(p.value(in), li);
      if (split_carrier) {
        leak.ends.push_back({s.site, "split into train/test at line " + line_of(s.site)});
        break;
      }
    }
    // (2) data carrying the statistic is cross-validated; (3) a model is trained or judged on a
    // partition whose rows were among those the statistic was learned from
    for (const UseEvent& u : p.uses()) {
      if (u.X == kNoValue) continue;
      const Value& X = p.value(u.X);
      if (!carries(X, li)) continue;
      if (u.kind == UseKind::CrossValidate && X.split < 0) {
        leak.ends.push_back({u.site, u.what + " at line " + line_of(u.site) +
                                         " cross-validates data that already carries it"});
        break;
      }
      if ((X.part == Part::Train || X.part == Part::Test || X.part == Part::Val) && X.split >= 0 &&
          leak.ends.empty()) {
        const SplitEvent& s = p.splits()[static_cast<size_t>(X.split)];
        bool same_rows = false;
        for (ValueId in : s.inputs) same_rows = same_rows || overlap(p.value(in).origins, D.origins);
        if (same_rows) {
          leak.ends.push_back({s.site, "the rows are split into train/test at line " +
                                           line_of(s.site)});
          leak.ends.push_back({u.site, "used by `" + u.what + "` at line " + line_of(u.site)});
          break;
        }
      }
    }
    if (!leak.ends.empty()) out.push_back(std::move(leak));
  }
  return out;
}

std::vector<std::string> target_columns(const Program& p) {
  std::vector<std::string> out;
  auto add = [&](ValueId y) {
    if (y == kNoValue) return;
    for (const auto& c : p.value(y).columns)
      if (std::find(out.begin(), out.end(), c) == out.end()) out.push_back(c);
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
