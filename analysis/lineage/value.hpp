// Abstract values of the lineage engine (see docs/lineage.md and shared LINEAGE.md §1). A Value
// is what the interpreter knows about one Python value: data (with its origins, its partition and
// the statistics learned elsewhere that are baked into it), an estimator (with its role and what
// it was fitted on), a CV splitter, a learned statistic, or Unknown. Values live in the Program's
// arena and are referred to by ValueId; they are immutable once created (updates make new values).
#pragma once

#include <algorithm>
#include <boost/container/small_vector.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace mlroast::lineage {

using ValueId = int32_t;
constexpr ValueId kNoValue = -1;

// A sorted set of origin or learn-event ids. Most values hold a few (one origin, up to five
// statistics in the generated 2,000-line script), and values are copied at each derivation: kept
// inline, a copy allocates nothing (on that script, 6,800 of the semantic model + lineage
// program's 25,900 allocations were these sets' heap blocks).
using IdSet = boost::container::small_vector<uint32_t, 4>;

// Whether the two sets share an id.
inline bool overlaps(const IdSet& a, const IdSet& b) {
  for (uint32_t x : a)
    if (std::binary_search(b.begin(), b.end(), x)) return true;
  return false;
}
// Adds the ids of `from` to `into`, keeping it sorted and unique (values.cpp).
void merge_sorted(IdSet& into, const IdSet& from);
// Whether `part` is non-empty and every id of it is in `whole`.
inline bool includes_all(const IdSet& whole, const IdSet& part) {
  if (part.empty()) return false;
  for (uint32_t x : part)
    if (!std::binary_search(whole.begin(), whole.end(), x)) return false;
  return true;
}

enum class Kind : uint8_t {
  Unknown,    // cannot see through it: never produces a finding by itself
  Data,       // row-shaped: DataFrame, Series, ndarray, sparse matrix, list of texts
  Estimator,  // sklearn-style object with fit
  Splitter,   // KFold and friends
  Stat,       // a statistic learned from data (a mean, a Series of correlations, a mapping)
  Module,     // an imported module or class (its qualified name is in `cls`)
  Scalar,     // numbers, strings, booleans, None
  Columns,    // a list of column names
  Tuple,      // a tuple/list of values (elements in `items`)
  Function,   // a function defined in this file (index in `fn`), or a model factory
              // `lambda: Model(...)` (fn -1, the model it makes in `items`)
};

// The cls of a Columns value meaning "every column of the frame except `dropped`".
inline constexpr std::string_view kColumnsExcept = "columns-except";
// The cls of an Unknown value that is a Lightning `Trainer` (early_stopping: its callbacks stop
// training or keep the best checkpoint by a validation metric).
inline constexpr std::string_view kLightningTrainer = "lightning-trainer";

enum class Shape : uint8_t { Unknown, Frame, Series, Array, GroupBy, Window };

enum class Part : uint8_t { Unknown, Whole, Train, Test, Val };
const char* to_string(Part p);

enum class Role : uint8_t {
  None,
  Transformer,    // scalers, encoders, vectorizers, PCA, discretizers
  Imputer,        // SimpleImputer, KNNImputer, IterativeImputer
  Selector,       // SelectKBest, RFE, SelectFromModel ...
  Resampler,      // SMOTE, RandomOverSampler, RandomUnderSampler ...
  TargetEncoder,  // TargetEncoder, category_encoders target-style encoders
  Model,          // classifiers/regressors
  Search,         // GridSearchCV, RandomizedSearchCV, Halving*
  Container,      // Pipeline, make_pipeline, ColumnTransformer, FeatureUnion ...
};

struct Value {
  Kind kind = Kind::Unknown;
  Shape shape = Shape::Unknown;
  Part part = Part::Unknown;
  IdSet origins;                  // origin ids (sorted, unique)
  IdSet stats;                    // learn-event ids baked into this data (sorted, unique)
  int32_t split = -1;             // split event that produced this part
  bool temporal = false;          // has a parsed date/time column (weak evidence)
  bool time_ordered = false;      // ordered in time: sorted/indexed by date, resampled, lagged,
                                  // rolling windows (strong evidence that rows are a series)
  bool all_columns = true;        // Data frame: every column of its origin except `dropped`
  // Column lineage (for ML109): the columns an expression was computed from, and for a frame,
  // each assigned column with the columns it was computed from (`df["ppsf"] = df["price"] / ...`)
  std::vector<std::string> sources;
  using DerivedCols = std::vector<std::pair<std::string, std::vector<std::string>>>;
  // Shared by the copies of a value (a frame's value is copied at each step that derives from
  // it: this list was a tenth of the copying); replaced, never changed, when a column is added.
  std::shared_ptr<const DerivedCols> derived_cols;
  const DerivedCols& derived_columns() const {
    static const DerivedCols kNone;
    return derived_cols ? *derived_cols : kNone;
  }
  // Estimators, modules, splitters: the qualified class or module name.
  std::string cls;
  Role role = Role::None;
  int32_t fitted = -1;               // learn event of the last fit
  std::vector<ValueId> items;        // Tuple elements, Container steps
  std::vector<std::string> columns;  // Columns: names; Data: the column selected by df["c"];
                                     // a Tuple "dict": the string key of each item ("" if none);
                                     // a ColumnTransformer: the columns it reads (names_columns)
  double number = 0;                 // Scalar numbers
  std::string text;                  // Scalar strings; a date mask: its cutoff's source text
                                     // (a window: lower, '\x1f', upper)
  int32_t fn = -1;                   // Function: index of its summary
  int32_t produced_by = -1;          // predictions: the Evaluate use event that made them
  bool shifted = false;              // Data: shifted by k >= 1 rows (lagged)
  bool shuffle = true;               // Splitter: shuffles rows
  bool grouped = false;              // Splitter: group-aware
  bool early_stopping = false;       // Estimator: constructed with early_stopping_rounds
  bool several = false;              // Estimator: stands for several distinct models (a loop
                                     // over a list/dict of models)
  bool names_columns = false;        // ColumnTransformer: `columns` holds every column its
                                     // transformers read (each list was readable; "drop" ones
                                     // left out)
  bool fold_index = false;           // Data: row indices produced by a CV splitter
  int8_t mask_direction = 0;         // Data: boolean mask from a date comparison (-1 <, +1 >;
                                     // 2: a window `(d >= lower) & (d < upper)`)
  std::vector<std::string> dropped;  // Data: columns dropped from a frame (drop/pop/del)
  std::string group_keys;            // GroupBy: the source text of the grouping keys
};

// A model factory, `lambda: Model(...)`: calling it gives the model in `items`.
inline bool is_model_factory(const Value& v) {
  return v.kind == Kind::Function && v.fn < 0 && v.items.size() == 1;
}

}  // namespace mlroast::lineage
