// What the lineage engine knows about the ML libraries: which qualified names load data, split
// it, cross-validate, and which estimator classes play which role. Pure lookup tables over
// qualified names ("sklearn.preprocessing.StandardScaler"), so aliases never matter.
#pragma once

#include <string_view>

#include "analysis/lineage/value.hpp"

namespace mlroast::lineage::library {

// The last dotted component: "StandardScaler" for "sklearn.preprocessing.StandardScaler".
std::string_view last_name(std::string_view qualified);
// The module part: "sklearn.preprocessing" (everything before the last dot).
std::string_view module_of(std::string_view qualified);

// Role of an estimator class, Role::None when the name is not a known estimator class.
Role estimator_role(std::string_view qualified);

// Everything the tables below say about one qualified name. The interpreter asks most of it for
// every call it resolves, nearly always about the same few names: computed once per name and
// thread (a bounded memo), each field equal to its predicate's answer.
struct NameFacts {
  Role role = Role::None;  // estimator_role
  bool stateless = false;  // is_stateless
  bool splitter = false;   // is_splitter, with its two outputs
  bool grouped_splitter = false;
  bool chronological_splitter = false;
  bool loader = false;  // is_loader
  bool loader_returns_split = false;
  bool train_test_split = false;
  bool cv_function = false;
  bool functional_scaler = false;
  bool combiner = false;
  bool data_constructor = false;
  bool datetime_parser = false;
};
NameFacts facts(std::string_view qualified);
// Estimators whose fit learns nothing from the rows (Normalizer, PolynomialFeatures, ...).
bool is_stateless(std::string_view qualified);
// KFold, StratifiedKFold, GroupKFold, TimeSeriesSplit, ... (sets `grouped`, `temporal_ok`).
bool is_splitter(std::string_view qualified, bool& grouped, bool& chronological);

bool is_loader(std::string_view qualified);             // read_csv, np.load, load_iris, ...
bool is_dummy(std::string_view qualified);              // sklearn.dummy.*: baselines
bool loader_returns_split(std::string_view qualified);  // keras.datasets.*.load_data
bool is_train_test_split(std::string_view qualified);
bool is_cv_function(std::string_view qualified);        // cross_val_score, cross_validate, ...
// sklearn.preprocessing.scale / minmax_scale / robust_scale / maxabs_scale / quantile_transform
// / power_transform: learn a statistic over rows and apply it in one call.
bool is_functional_scaler(std::string_view qualified);
// pd.concat, np.vstack/hstack/concatenate/column_stack, pd.merge
bool is_combiner(std::string_view qualified);
// pd.DataFrame, pd.Series, np.array, np.asarray, ... (data in, same data out)
bool is_data_constructor(std::string_view qualified);
// pd.to_datetime: the result is temporal.
bool is_datetime_parser(std::string_view qualified);

// A column or variable name that reads as a date/time ("date", "order_ts", "month").
bool is_date_like_name(std::string_view name);
// Grouping keys (their source text) that cut time into periods: a date-like name, or a
// timestamp floored to one (`df.index.normalize()`, `.dt.floor("h")`, `.to_period("M")`,
// `pd.Grouper(freq="W")`).
bool is_period_key(std::string_view keys);

// A key that names an entity whose rows can repeat: user_id, patient, customer_id, session...
bool is_entity_key(std::string_view keys_text);

// Methods of DataFrame/Series/ndarray that learn a statistic over rows.
bool is_moment_method(std::string_view method);
// Methods that return the same rows (possibly fewer or reordered columns): dropna, copy, ...
bool is_row_preserving_method(std::string_view method);
// Window constructors on a Series/DataFrame: rolling, expanding, ewm.
bool is_window_method(std::string_view method);
// cumsum / cumprod / cummax / cummin: an expanding window that ends at (and includes) each row.
bool is_cumulative_method(std::string_view m);
// Aggregations applicable to a GroupBy or a Window: mean, sum, agg, transform, ...
bool is_aggregation_method(std::string_view method);
// Estimator methods that evaluate a fitted model on data.
bool is_predict_method(std::string_view method);

}  // namespace mlroast::lineage::library
