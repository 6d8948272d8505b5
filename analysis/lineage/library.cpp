#include "analysis/lineage/library.hpp"

#include <algorithm>
#include <functional>
#include <initializer_list>
#include <string>
#include <unordered_map>

#include "analysis/name_hash.hpp"

namespace mlroast::lineage::library {

namespace {

bool in(std::string_view s, std::initializer_list<std::string_view> set) {
  return std::find(set.begin(), set.end(), s) != set.end();
}

bool starts(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.substr(0, prefix.size()) == prefix;
}

// True when the module is `root` or a submodule of it.
bool under(std::string_view module, std::string_view root) {
  return module == root || (starts(module, root) && module.size() > root.size() &&
                            module[root.size()] == '.');
}

bool ml_module(std::string_view m) {
  return under(m, "sklearn") || under(m, "imblearn") || under(m, "category_encoders") ||
         under(m, "xgboost") || under(m, "lightgbm") || under(m, "catboost") ||
         under(m, "feature_engine") || under(m, "skopt");
}

}  // namespace

std::string_view last_name(std::string_view q) {
  auto dot = q.rfind('.');
  return dot == std::string_view::npos ? q : q.substr(dot + 1);
}

std::string_view module_of(std::string_view q) {
  auto dot = q.rfind('.');
  return dot == std::string_view::npos ? std::string_view{} : q.substr(0, dot);
}

namespace {
Role compute_estimator_role(std::string_view q);
}  // namespace

Role estimator_role(std::string_view q) { return facts(q).role; }

NameFacts facts(std::string_view q) {
  if (q.empty()) return {};
  thread_local std::unordered_map<std::string, NameFacts, NameHash, std::equal_to<>> memo;
  if (auto it = memo.find(q); it != memo.end()) return it->second;
  if (memo.size() >= 4096) memo.clear();
  NameFacts f;
  f.role = compute_estimator_role(q);
  f.stateless = is_stateless(q);
  f.splitter = is_splitter(q, f.grouped_splitter, f.chronological_splitter);
  f.loader = is_loader(q);
  f.loader_returns_split = loader_returns_split(q);
  f.train_test_split = is_train_test_split(q);
  f.cv_function = is_cv_function(q);
  f.functional_scaler = is_functional_scaler(q);
  f.combiner = is_combiner(q);
  f.data_constructor = is_data_constructor(q);
  f.datetime_parser = is_datetime_parser(q);
  memo.emplace(std::string(q), f);
  return f;
}

namespace {
Role compute_estimator_role(std::string_view q) {
  std::string_view m = module_of(q), n = last_name(q);
  // Keras models: keras.Sequential, tf.keras.models.Sequential, keras.Model(inputs, outputs)
  if ((under(m, "keras") || under(m, "tensorflow.keras") || under(m, "tf.keras")) &&
      (n == "Sequential" || n == "Model"))
    return Role::Model;
  // Keras preprocessing layers learn their state with adapt(data): a vocabulary, a mean and
  // variance, bin edges (keras.layers, its experimental.preprocessing home, tf.keras).
  if ((under(m, "keras") || under(m, "tensorflow.keras") || under(m, "tf.keras")) &&
      in(n, {"TextVectorization", "Normalization", "StringLookup", "IntegerLookup",
             "Discretization"}))
    return Role::Transformer;
  if (!ml_module(m)) return Role::None;
  if (under(m, "imblearn") && !under(m, "imblearn.pipeline") && !under(m, "imblearn.ensemble"))
    return Role::Resampler;
  if (in(n, {"Pipeline", "make_pipeline", "FeatureUnion", "make_union", "ColumnTransformer",
             "make_column_transformer", "TransformedTargetRegressor"}))
    return Role::Container;
  if (in(n, {"GridSearchCV", "RandomizedSearchCV", "HalvingGridSearchCV",
             "HalvingRandomSearchCV", "BayesSearchCV"}))
    return Role::Search;
  if (in(n, {"SimpleImputer", "KNNImputer", "IterativeImputer"})) return Role::Imputer;
  if (in(n, {"SelectKBest", "SelectPercentile", "SelectFpr", "SelectFdr", "SelectFwe",
             "GenericUnivariateSelect", "RFE", "RFECV", "SelectFromModel",
             "SequentialFeatureSelector"}))
    return Role::Selector;
  if (n == "TargetEncoder" ||
      (under(m, "category_encoders") &&
       in(n, {"MEstimateEncoder", "CatBoostEncoder", "LeaveOneOutEncoder", "JamesSteinEncoder",
              "WOEEncoder", "GLMMEncoder", "QuantileEncoder", "SummaryEncoder"})))
    return Role::TargetEncoder;
  if (under(m, "sklearn.preprocessing") || under(m, "sklearn.decomposition") ||
      under(m, "sklearn.feature_extraction") || under(m, "sklearn.random_projection") ||
      under(m, "sklearn.kernel_approximation") || under(m, "sklearn.manifold") ||
      under(m, "category_encoders") || under(m, "feature_engine") ||
      in(n, {"VarianceThreshold", "MissingIndicator"}))
    return Role::Transformer;
  if (under(m, "sklearn.linear_model") || under(m, "sklearn.ensemble") ||
      under(m, "sklearn.svm") || under(m, "sklearn.tree") || under(m, "sklearn.neighbors") ||
      under(m, "sklearn.naive_bayes") || under(m, "sklearn.neural_network") ||
      under(m, "sklearn.discriminant_analysis") || under(m, "sklearn.gaussian_process") ||
      under(m, "sklearn.kernel_ridge") || under(m, "sklearn.dummy") ||
      under(m, "sklearn.calibration") || under(m, "sklearn.multiclass") ||
      under(m, "sklearn.multioutput") || under(m, "sklearn.isotonic") ||
      in(n, {"XGBClassifier", "XGBRegressor", "XGBRanker", "XGBRFClassifier", "XGBRFRegressor",
             "LGBMClassifier", "LGBMRegressor", "LGBMRanker", "CatBoostClassifier",
             "CatBoostRegressor", "CatBoostRanker"}))
    return Role::Model;
  return Role::None;
}
}  // namespace

bool is_stateless(std::string_view q) {
  return in(last_name(q), {"Normalizer", "PolynomialFeatures", "FunctionTransformer",
                           "HashingVectorizer", "Binarizer", "SplineTransformer"}) &&
         ml_module(module_of(q));
}

bool is_splitter(std::string_view q, bool& grouped, bool& chronological) {
  if (!under(module_of(q), "sklearn.model_selection")) return false;
  std::string_view n = last_name(q);
  if (!in(n, {"KFold", "StratifiedKFold", "GroupKFold", "StratifiedGroupKFold", "ShuffleSplit",
              "StratifiedShuffleSplit", "GroupShuffleSplit", "TimeSeriesSplit", "RepeatedKFold",
              "RepeatedStratifiedKFold", "LeaveOneOut", "LeavePOut", "LeaveOneGroupOut",
              "LeavePGroupsOut", "PredefinedSplit"}))
    return false;
  grouped = n.find("Group") != std::string_view::npos;
  chronological = n == "TimeSeriesSplit" || n == "PredefinedSplit";
  return true;
}

bool is_loader(std::string_view q) {
  std::string_view m = module_of(q), n = last_name(q);
  if (under(m, "pandas") || under(m, "polars") || under(m, "modin.pandas"))
    return starts(n, "read_") || starts(n, "scan_");
  if (under(m, "numpy")) return in(n, {"load", "loadtxt", "genfromtxt", "fromfile"});
  if (under(m, "sklearn.datasets"))
    return starts(n, "load_") || starts(n, "fetch_") || starts(n, "make_");
  if (under(m, "datasets")) return n == "load_dataset";
  if (under(m, "seaborn")) return n == "load_dataset";
  return loader_returns_split(q);
}

bool is_dummy(std::string_view q) { return under(module_of(q), "sklearn.dummy"); }

bool loader_returns_split(std::string_view q) {
  return last_name(q) == "load_data" &&
         (module_of(q).find("keras.datasets") != std::string_view::npos);
}

bool is_train_test_split(std::string_view q) {
  return last_name(q) == "train_test_split" && under(module_of(q), "sklearn");
}

bool is_cv_function(std::string_view q) {
  return under(module_of(q), "sklearn.model_selection") &&
         in(last_name(q), {"cross_val_score", "cross_validate", "cross_val_predict",
                           "learning_curve", "validation_curve", "permutation_test_score"});
}

bool is_functional_scaler(std::string_view q) {
  return under(module_of(q), "sklearn.preprocessing") &&
         in(last_name(q), {"scale", "minmax_scale", "robust_scale", "maxabs_scale",
                           "quantile_transform", "power_transform"});
}

bool is_combiner(std::string_view q) {
  std::string_view m = module_of(q), n = last_name(q);
  if (under(m, "pandas") || under(m, "polars")) return in(n, {"concat", "merge", "merge_asof"});
  if (under(m, "numpy"))
    return in(n, {"vstack", "hstack", "concatenate", "column_stack", "row_stack", "dstack",
                  "append", "c_", "r_"});
  if (under(m, "scipy.sparse")) return in(n, {"hstack", "vstack"});
  return false;
}

bool is_data_constructor(std::string_view q) {
  std::string_view m = module_of(q), n = last_name(q);
  if (under(m, "pandas") || under(m, "polars")) return in(n, {"DataFrame", "Series"});
  if (under(m, "numpy"))
    return in(n, {"array", "asarray", "log1p", "log", "sqrt", "exp", "abs", "clip", "where",
                  "nan_to_num", "ravel", "squeeze", "expand_dims", "reshape", "float32"});
  if (under(m, "torch")) return in(n, {"tensor", "from_numpy", "as_tensor", "Tensor"});
  if (under(m, "scipy.sparse")) return in(n, {"csr_matrix", "csc_matrix"});
  return false;
}

bool is_datetime_parser(std::string_view q) {
  return under(module_of(q), "pandas") && last_name(q) == "to_datetime";
}

bool is_date_like_name(std::string_view name) {
  // Lower-cased into a stack buffer: this runs for every column a subscript reads.
  char small[64];
  std::string large;
  char* lower = small;
  if (name.size() > sizeof small) {
    large.resize(name.size());
    lower = large.data();
  }
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    lower[i] = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  }
  const std::string_view l(lower, name.size());
  for (std::string_view k : {"date", "time", "day", "month", "year", "week", "timestamp", "_ts",
                             "period", "quarter"})
    if (l.find(k) != std::string_view::npos) return true;
  // The short names of timestamps, as whole names or name parts: ts, dt, event_dt, dt_utc
  // (not inside words: "counts", "width").
  if (l == "ts" || l == "dt") return true;
  // created_at, shown_at, ordered_at: the Rails/SQL naming of timestamps (also quoted, as a
  // sort key's source text)
  std::string_view bare = l;
  while (!bare.empty() && (bare.back() == '"' || bare.back() == '\'')) bare.remove_suffix(1);
  if (bare.size() > 3 && bare.ends_with("_at")) return true;
  for (std::string_view k : {"_dt", "ts_", "dt_"}) {
    const size_t at = l.find(k);
    if (at == std::string_view::npos) continue;
    if (k == "_dt" && at + 3 == l.size()) return true;
    if (k != "_dt" && at == 0) return true;
  }
  return false;
}

bool is_period_key(std::string_view keys) {
  if (is_date_like_name(keys)) return true;
  // df.index.normalize(), ts.dt.floor("h"), ts.dt.to_period("M"), pd.Grouper(freq="W")
  for (std::string_view k : {"normalize(", ".floor(", "to_period(", "Grouper("})
    if (keys.find(k) != std::string_view::npos) return true;
  return false;
}

bool is_entity_key(std::string_view keys) {
  // Split the keys' source text into identifier-like words and look at each word's parts.
  std::string word;
  auto entity = [](const std::string& w) {
    std::string lower;
    for (char c : w) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    if (lower.size() > 2 && (lower.ends_with("_id") || lower.ends_with("id")) &&
        lower.find("paid") == std::string::npos && lower.find("valid") == std::string::npos &&
        lower.find("covid") == std::string::npos && lower.find("grid") == std::string::npos)
      return true;
    for (std::string_view k : {"user", "customer", "patient", "subject", "session", "account",
                               "client", "member", "device", "household", "player", "driver",
                               "visitor", "participant"})
      if (lower.find(k) != std::string::npos) return true;
    return false;
  };
  for (size_t i = 0; i <= keys.size(); ++i) {
    char c = i < keys.size() ? keys[i] : ' ';
    bool ident = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (ident) {
      word += c;
    } else {
      if (!word.empty() && entity(word)) return true;
      word.clear();
    }
  }
  return false;
}

bool is_moment_method(std::string_view m) {
  return in(m, {"mean", "std", "median", "mode", "var", "quantile", "min", "max", "describe",
                "nunique", "sem", "skew", "kurt", "mad"});
}

bool is_row_preserving_method(std::string_view m) {
  return in(m, {"copy", "dropna", "reset_index", "set_index", "astype", "rename", "replace",
                "assign", "drop", "fillna", "ffill", "bfill", "interpolate", "clip", "abs",
                "round", "sort_values", "sort_index", "query", "filter", "apply", "map",
                "applymap", "transform", "where", "mask", "pipe", "merge", "join", "head",
                "tail", "drop_duplicates", "select_dtypes", "reindex", "infer_objects",
                "to_numpy", "to_frame", "squeeze", "explode", "melt", "pivot_table", "stack",
                "unstack", "reshape", "ravel", "flatten", "tolist", "to_list", "isna", "isnull",
                "notna", "notnull", "isin", "between", "diff", "pct_change", "cumsum",
                "cumprod", "log1p", "astype", "tz_localize", "tz_convert", "loc", "iloc",
                "asfreq", "resample", "get_dummies", "cut", "str", "dt", "cat", "sample",
                "nlargest", "nsmallest", "add", "sub", "mul", "div", "truediv", "pow"});
}

bool is_window_method(std::string_view m) { return in(m, {"rolling", "expanding", "ewm"}); }

bool is_cumulative_method(std::string_view m) {
  return in(m, {"cumsum", "cumprod", "cummax", "cummin"});
}

bool is_aggregation_method(std::string_view m) {
  return in(m, {"mean", "sum", "std", "var", "median", "min", "max", "count", "agg",
                "aggregate", "transform", "apply", "size", "nunique", "first", "last",
                "quantile", "cumsum", "cumcount", "prod"});
}

bool is_predict_method(std::string_view m) {
  return in(m, {"predict", "predict_proba", "predict_log_proba", "decision_function", "score",
                "evaluate", "score_samples"});
}

}  // namespace mlroast::lineage::library
