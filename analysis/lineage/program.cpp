#include "analysis/lineage/program.hpp"

#include <algorithm>

#include "analysis/lineage/interpreter.hpp"
#include "analysis/lineage/leaks.hpp"

namespace mlroast::lineage {

const char* to_string(Part p) {
  switch (p) {
    case Part::Unknown: return "unknown";
    case Part::Whole: return "all rows";
    case Part::Train: return "train";
    case Part::Test: return "test";
    case Part::Val: return "validation";
  }
  return "unknown";
}

Program::Program(syntax::Node root, const semantic::SemanticModel& sem) : sem_(sem) {
  if (!root.is_null()) {
    tree_ = root.flat();
    by_index_.assign(tree_->nodes.size(), kNoValue);
    Interpreter(*this, sem).run(root);
  }
  seal();
}

void Program::seal() {
  // Keep the last value recorded for each node: stable sort by id, then keep each run's last.
  std::stable_sort(by_node_.begin(), by_node_.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  size_t out = 0;
  for (size_t i = 0; i < by_node_.size(); ++i) {
    if (i + 1 < by_node_.size() && by_node_[i + 1].first == by_node_[i].first) continue;
    by_node_[out++] = by_node_[i];
  }
  by_node_.resize(out);
  std::sort(predicted_.begin(), predicted_.end());
  predicted_.erase(std::unique(predicted_.begin(), predicted_.end()), predicted_.end());
}

Program::~Program() = default;

bool Program::split_only_feeds_statistics(int32_t split) const {
  // One pass over the uses and learn events for every split (a file has a fold loop per model,
  // and asking per split would be quadratic).
  std::call_once(feeds_once_, [this] {
    enum : uint8_t { kNone = 0, kTables = 1, kModelling = 2 };
    std::vector<uint8_t> seen(splits_.size(), kNone);
    const auto mark = [&](ValueId v, uint8_t what) {
      if (v == kNoValue) return;
      const int32_t s = value(v).split;
      if (s >= 0 && static_cast<size_t>(s) < seen.size()) seen[static_cast<size_t>(s)] |= what;
    };
    for (const UseEvent& u : uses_) {
      mark(u.X, kModelling);
      mark(u.y, kModelling);
    }
    // Tables of statistics (a category's target mean, counts) make features; an estimator
    // fitted on a fold (a scaler before a torch model the analysis cannot see) is modelling.
    for (const LearnEvent& l : learns_) {
      const bool table = l.kind == StatKind::GroupAgg || l.kind == StatKind::Counts ||
                         l.kind == StatKind::Moment;
      mark(l.data, table ? kTables : kModelling);
      mark(l.target, table ? kTables : kModelling);
    }
    only_feeds_.resize(splits_.size());
    for (size_t i = 0; i < seen.size(); ++i) only_feeds_[i] = seen[i] == kTables;
  });
  return split >= 0 && static_cast<size_t>(split) < only_feeds_.size() &&
         only_feeds_[static_cast<size_t>(split)];
}

const Value* Program::value_of(syntax::Node expr) const {
  if (expr.is_null()) return nullptr;
  if (expr.flat() == tree_ && expr.index() < by_index_.size()) {
    const ValueId v = by_index_[expr.index()];
    // A node recorded without a value (kNoValue, e.g. a tuple target whose item has none) has none.
    if (v < 0 || static_cast<size_t>(v) >= values_.size()) return nullptr;
    return &values_[static_cast<size_t>(v)];
  }
  const void* id = expr.id();
  auto it = std::lower_bound(by_node_.begin(), by_node_.end(), id,
                             [](const auto& entry, const void* key) { return entry.first < key; });
  // A node recorded without a value (kNoValue, e.g. a tuple target whose item has none) has none.
  if (it == by_node_.end() || it->first != id || it->second < 0 ||
      static_cast<size_t>(it->second) >= values_.size())
    return nullptr;
  return &values_[static_cast<size_t>(it->second)];
}

ValueId Program::add(Value&& v) {
  values_.push_back(std::move(v));
  return static_cast<ValueId>(values_.size() - 1);
}

uint32_t Program::add_origin(Origin o) {
  origins_.push_back(std::move(o));
  return static_cast<uint32_t>(origins_.size() - 1);
}

uint32_t Program::add_learn(LearnEvent e) {
  learns_.push_back(std::move(e));
  return static_cast<uint32_t>(learns_.size() - 1);
}

uint32_t Program::add_split(SplitEvent e) {
  // A call missing its data (`cross_val_score(model)`, typed half-way) has no value for it; the
  // rules index values() with every input, so such an input is left out here, once for all.
  std::erase(e.inputs, kNoValue);
  splits_.push_back(std::move(e));
  return static_cast<uint32_t>(splits_.size() - 1);
}

}  // namespace mlroast::lineage
