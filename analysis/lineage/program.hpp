// The lineage engine's result for one file: an abstract interpretation of the module in
// execution order (function bodies are summarised and applied at their call sites) that records
// the abstract Value of every evaluated expression and the events where facts are born: loads,
// splits, learned statistics and uses of data by models (training, evaluation, cross-validation).
// Leakage rules query these; other rules use value_of() to ask "is this a DataFrame?".
// Built once per analysis on the analysing thread; read-only afterwards.
#pragma once

#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <unordered_map>
#include <vector>

#include "analysis/lineage/value.hpp"
#include "analysis/semantic/model.hpp"
#include "analysis/syntax/tree.hpp"

namespace mlroast::lineage {

struct Origin {
  syntax::Node site;  // the load call, the parameter, the unknown call
  std::string label;  // "pd.read_csv(\"train.csv\")" shortened for messages
};

enum class StatKind : uint8_t {
  Estimator,   // fit / fit_transform / fit_resample of an estimator
  Functional,  // preprocessing.scale(X), normalize, minmax_scale
  Moment,      // .mean() .std() .median() .mode() .var() .quantile() .min() .max() .describe()
  Counts,      // value_counts()
  Correlation, // corr()
  GroupAgg,    // groupby(...).agg/transform/mean...
  Window,      // rolling/expanding/ewm aggregates
};

struct LearnEvent {
  syntax::Node site;             // where the statistic is learned (the fit call, the .mean())
  StatKind kind = StatKind::Estimator;
  ValueId estimator = kNoValue;  // the estimator fitted (kNoValue for plain statistics)
  Role role = Role::None;        // the estimator's role
  std::string what;              // "StandardScaler", "mean", "SMOTE"
  ValueId data = kNoValue;       // the data learned from, as it was at that point
  ValueId target = kNoValue;     // y, when the learner is supervised
  bool in_container_fold = false;  // fitted per fold inside a cross-validated container
  bool on_target = false;        // the statistic is of the target column
  uint8_t applied = 0;           // Apply* bits: how the statistic was put back into data
  bool preceded_by_shift = false;  // Window: the series was shifted (k >= 1) first
  bool shifted_after = false;      // Window: the aggregate is shifted (k >= 1) right after
};

// How a learned statistic reached data (LearnEvent::applied bits).
enum Apply : uint8_t {
  kApplyFill = 1,       // fillna(stat)
  kApplyArithmetic = 2, // (x - mean) / std, x / max
  kApplyMap = 4,        // map(stat) / merge of a group aggregate
  kApplySelect = 8,     // df[cols chosen by the statistic]
  kApplyTransform = 16, // estimator transform / fit_transform / resample output
};

enum class SplitKind : uint8_t {
  TrainTestSplit,  // train_test_split(...)
  Positional,      // X[:n] / X[n:] / iloc[:cut]
  Mask,            // df[df.date < cutoff]
  Sample,          // df.sample(frac) + df.drop(sample.index)
  FoldLoop,        // for tr, te in KFold(...).split(X)
  SingleFold,      // tr, te = next(GroupShuffleSplit(...).split(X, y, groups)): one split, once
  Permutation,     // idx = rng.permutation(n); X[idx[:k]], X[idx[k:]]: shuffled row indices cut
  KerasValidation, // fit(..., validation_split=)
};

struct SplitEvent {
  syntax::Node site;
  SplitKind kind = SplitKind::TrainTestSplit;
  std::vector<ValueId> inputs;  // the arrays split (never kNoValue: add_split drops those)
  bool shuffled = true;         // rows are shuffled before splitting
  bool grouped = false;         // GroupKFold / groups= given
  std::string splitter;         // "train_test_split", "KFold", ...
  bool complemented = false;    // Sample: the rows not drawn were taken too (df.drop(s.index))
  std::string cutoff = {};      // Mask: the source text of the date it cuts at ("" if none)
};

enum class UseKind : uint8_t {
  Train,           // model.fit(X, y)
  Evaluate,        // predict / predict_proba / score / evaluate on data
  CrossValidate,   // cross_val_score / cross_validate / cross_val_predict / search.fit
  Monitor,         // eval_set= / validation_data= without early stopping
  EarlyStopping,   // eval_set= / validation_data= that decides when to stop or which epoch wins
};

struct UseEvent {
  syntax::Node site;
  UseKind kind = UseKind::Train;
  ValueId model = kNoValue;  // the estimator (for CrossValidate: what is cross-validated)
  ValueId X = kNoValue;
  ValueId y = kNoValue;
  std::string what;          // "fit", "score", "cross_val_score", ...
  bool scored = false;       // Evaluate: the result reaches a metric, a score or a print
  bool selected = false;     // Evaluate: its score is compared to pick a best (argmax, max...)
  syntax::Node loop;         // innermost enclosing for/while/lambda/comprehension, if any
  syntax::Node statement;    // the module- or function-level statement being executed
};

inline UseEvent make_use(syntax::Node site, UseKind kind, ValueId model, ValueId X, ValueId y,
                         std::string what, bool scored) {
  UseEvent u;
  u.site = site;
  u.kind = kind;
  u.model = model;
  u.X = X;
  u.y = y;
  u.what = std::move(what);
  u.scored = scored;
  return u;
}

struct Leak;

// A groupby over entity keys: evidence that rows repeat per entity (user, patient, ...).
struct GroupingEvent {
  syntax::Node site;
  IdSet origins;                  // of the grouped data
  std::string keys;               // source text of the keys
};

class Program {
 public:
  Program(syntax::Node root, const semantic::SemanticModel& sem);
  ~Program();
  Program(const Program&) = delete;
  Program& operator=(const Program&) = delete;

  // The abstract value an expression evaluated to (the last time it was evaluated), or nullptr.
  const Value* value_of(syntax::Node expr) const;
  // Calls f(node, value) for every node of the analysed tree whose value holds predictions
  // (produced_by >= 0), each once, in node index order. A rule looking for where
  // predictions are used reads these few nodes instead of walking the tree.
  template <class F>
  void for_each_prediction(F&& f) const {
    for (uint32_t i : predicted_)
      if (holds_predictions(by_index_[i]))
        f(syntax::Node(tree_, i), values_[static_cast<size_t>(by_index_[i])]);
  }
  // The value `id` names. kNoValue (an argument that was never given) reads as an unknown value:
  // events hold kNoValue for missing arguments, and a rule that forgets to test for it must
  // not index outside the values (a crash in the editor while the user types `f(model`).
  const Value& value(ValueId id) const {
    static const Value kUnknown;
    return static_cast<size_t>(id) < values_.size() ? values_[static_cast<size_t>(id)] : kUnknown;
  }
  const std::vector<Origin>& origins() const { return origins_; }
  const std::vector<LearnEvent>& learns() const { return learns_; }
  const std::vector<SplitEvent>& splits() const { return splits_; }
  const std::vector<UseEvent>& uses() const { return uses_; }
  const std::vector<GroupingEvent>& groupings() const { return groupings_; }
  // Every leak of a learned statistic (see leaks.hpp), computed once on first use.
  const std::vector<Leak>& leaks() const;
  // Per learn event: whether data carrying it reaches a model (see reaches_model in leaks.hpp);
  // computed once, on first use.
  const std::vector<bool>& learns_reaching_model() const;
  const semantic::SemanticModel& sem() const { return sem_; }
  // Whether the sides of split `split` only feed statistics: a table of statistics (group
  // aggregates, counts, moments) is learned from one of them (an out-of-fold target encoding's
  // table per fold), no estimator is fitted on them and no model is fitted, scored or
  // monitored on them. Such folds make features; they do not evaluate a model.
  bool split_only_feeds_statistics(int32_t split) const;

  // Used by the interpreter (analysis/lineage/*.cpp); not for rules.
  ValueId add(Value&& v);
  void record(syntax::Node expr, ValueId v) {
    if (expr.flat() == tree_ && expr.index() < by_index_.size()) {
      ValueId& slot = by_index_[expr.index()];
      // A node that comes to hold predictions is remembered (values never change once added;
      // for_each_prediction checks the value the node holds in the end, seal() drops repeats).
      if (holds_predictions(v) && !holds_predictions(slot)) predicted_.push_back(expr.index());
      slot = v;  // the last value recorded wins
    } else
      by_node_.emplace_back(expr.id(), v);
  }
  // Called once the interpretation is done: makes value_of() a binary search for nodes of
  // other trees (by_node_), and lists each node holding predictions once.
  void seal();
  uint32_t add_origin(Origin o);
  uint32_t add_learn(LearnEvent e);
  uint32_t add_split(SplitEvent e);
  uint32_t add_use(UseEvent e) {
    uses_.push_back(std::move(e));
    return static_cast<uint32_t>(uses_.size() - 1);
  }
  void add_grouping(GroupingEvent g) { groupings_.push_back(std::move(g)); }
  LearnEvent& learn_mut(uint32_t i) { return learns_[i]; }
  UseEvent& use_mut(uint32_t i) { return uses_[i]; }
  SplitEvent& split_mut(uint32_t i) { return splits_[i]; }

 private:
  bool holds_predictions(ValueId v) const {
    return v >= 0 && static_cast<size_t>(v) < values_.size() &&
           values_[static_cast<size_t>(v)].produced_by >= 0;
  }

  const semantic::SemanticModel& sem_;
  // Chunks of values: references stay valid while values are added. (A std::deque of Value, at
  // ~300 bytes each, allocated one node per value; ~9,000 values per analysis of a 2,000-line
  // script, each allocated and freed.)
  // Each value is move-constructed into raw chunk storage (not default-constructed with its
  // chunk and then move-assigned: half the cost of adding one).
  class Values {
   public:
    static constexpr size_t kChunk = 256;
    Values() = default;
    Values(const Values&) = delete;
    Values& operator=(const Values&) = delete;
    ~Values() {
      for (size_t i = 0; i < size_; ++i) (*this)[i].~Value();
    }
    Value& operator[](size_t i) { return chunks_[i / kChunk][i % kChunk]; }
    const Value& operator[](size_t i) const { return chunks_[i / kChunk][i % kChunk]; }
    size_t size() const { return size_; }
    void push_back(Value&& v) {
      if (size_ % kChunk == 0) chunks_.emplace_back(std::allocator<Value>().allocate(kChunk));
      ::new (static_cast<void*>(&chunks_[size_ / kChunk][size_ % kChunk])) Value(std::move(v));
      ++size_;
    }

   private:
    struct Free {
      void operator()(Value* p) const { std::allocator<Value>().deallocate(p, kChunk); }
    };
    std::vector<std::unique_ptr<Value[], Free>> chunks_;
    size_t size_ = 0;
  };
  Values values_;
  // The value of each node of the analysed tree, by node index (kNoValue when none): value_of()
  // is one array read. Nodes of another tree, which the interpreter never records today, go to
  // by_node_: (node id, value) in evaluation order until seal(), then sorted by id keeping the
  // last value.
  const syntax::detail::FlatTree* tree_ = nullptr;
  std::vector<ValueId> by_index_;
  std::vector<uint32_t> predicted_;  // node indices (see for_each_prediction)
  std::vector<std::pair<const void*, ValueId>> by_node_;
  std::vector<Origin> origins_;
  std::vector<LearnEvent> learns_;
  std::vector<SplitEvent> splits_;
  std::vector<UseEvent> uses_;
  std::vector<GroupingEvent> groupings_;
  // Computed on the first call of leaks(), once even when rules on two threads ask together.
  mutable std::once_flag leaks_once_;
  mutable std::vector<Leak> leaks_;
  mutable std::once_flag reaching_once_;
  mutable std::vector<bool> reaching_;  // see reaches_model(), per learn event
  mutable std::once_flag feeds_once_;
  mutable std::vector<bool> only_feeds_;  // see split_only_feeds_statistics(), per split
};

}  // namespace mlroast::lineage
