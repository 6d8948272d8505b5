// Methods of estimators (fit, fit_transform, transform, fit_resample, predict/score), and the
// split / cross-validation entry points (train_test_split, cross_val_score & co., eval_set).
#include <algorithm>

#include "analysis/lineage/interpreter.hpp"
#include "analysis/lineage/library.hpp"

namespace mlroast::lineage {

using Kwargs = std::vector<std::pair<std::string_view, ValueId>>;

namespace {
// The Tuple cls of lgb.Dataset / xgb.DMatrix / catboost.Pool values: {rows, label}.
constexpr std::string_view kNativeDataset = "native-dataset";
}  // namespace

ValueId Interpreter::call_estimator_method(ValueId recv, Node recv_node, std::string_view method,
                                           Node call, std::vector<ValueId>& args,
                                           Kwargs& kwargs) {
  const Value& e = val(recv);
  Node args_node = call.field("arguments");
  auto arg_at = [&](size_t i, std::string_view kw) {
    if (i < args.size()) return args[i];
    return kwarg(kwargs, kw);
  };
  ValueId X = arg_at(0, "X");
  ValueId y = arg_at(1, "y");
  if (X != kNoValue && val(X).kind == Kind::Tuple && val(X).cls == kNativeDataset) {
    // booster.predict(xgb.DMatrix(X_test)): the rows inside the native container
    if (y == kNoValue && val(X).items.size() > 1) y = val(X).items[1];
    X = val(X).items[0];
  }
  if (X != kNoValue && args_node && args_node.named_child_count() > 0)
    X = as_data(X, args_node.named_child(0));
  bool learner = e.role == Role::Transformer || e.role == Role::Imputer ||
                 e.role == Role::Selector || e.role == Role::TargetEncoder ||
                 e.role == Role::Resampler;
  bool model = e.role == Role::Model || e.role == Role::Container || e.role == Role::Search;
  auto learn = [&](uint8_t applied) {
    LearnEvent ev;
    ev.site = call;
    ev.kind = StatKind::Estimator;
    ev.estimator = recv;
    ev.role = e.role;
    ev.what = std::string(library::last_name(e.cls));
    ev.data = X;
    ev.target = y;
    ev.applied = applied;
    return p_.add_learn(std::move(ev));
  };
  auto fitted_copy = [&](uint32_t l) {
    Value f = e;
    f.fitted = static_cast<int32_t>(l);
    ValueId id = make(std::move(f));
    rebind(recv_node, id);
    return id;
  };

  // A Keras preprocessing layer's adapt(data) is its fit.
  if ((method == "fit" || method == "partial_fit" || (method == "adapt" && learner)) &&
      X != kNoValue) {
    if (learner) return fitted_copy(learn(0));
    if (model) {
      uint32_t l = learn(0);
      if (e.role == Role::Search)
        add_use(make_use(call, UseKind::CrossValidate, recv, X, y, "search.fit", false));
      add_use(make_use(call, UseKind::Train, recv, X, y, std::string(method), false));
      fit_validation_sets(recv, call, X, kwargs);
      return fitted_copy(l);
    }
    return recv;
  }
  if (method == "fit_transform" && X != kNoValue) {
    if (learner || e.role == Role::Container) {
      uint32_t l = learn(kApplyTransform);
      fitted_copy(l);
      return with_stat(derive({X}, Shape::Array), l);
    }
    return derive({X}, Shape::Array);
  }
  if ((method == "fit_resample" || method == "fit_sample") && X != kNoValue) {
    uint32_t l = learn(kApplyTransform);
    fitted_copy(l);
    Value t;
    t.kind = Kind::Tuple;
    t.items = {with_stat(X, l), y != kNoValue && is_data(y) ? with_stat(y, l) : y};
    return make(std::move(t));
  }
  if (method == "transform" && X != kNoValue) {
    ValueId out = derive({X}, Shape::Array);
    if (e.fitted >= 0 && (learner || e.role == Role::Container)) {
      p_.learn_mut(static_cast<uint32_t>(e.fitted)).applied |= kApplyTransform;
      out = with_stat(out, static_cast<uint32_t>(e.fitted));
    }
    return out;
  }
  if (library::is_predict_method(method) && X != kNoValue) {
    uint32_t u = add_use(make_use(call, UseKind::Evaluate, recv, X,
                                     method == "score" ? y : kNoValue, std::string(method),
                                     method == "score" || method == "evaluate"));
    if (method == "score" || method == "evaluate") {
      Value score;  // the number still knows which evaluation produced it
      score.kind = Kind::Scalar;
      score.produced_by = static_cast<int32_t>(u);
      return make(std::move(score));
    }
    Value pred = derived({X}, Shape::Array);
    pred.produced_by = static_cast<int32_t>(u);
    pred.stats.clear();
    return make(std::move(pred));
  }
  if (method == "fit_predict" && X != kNoValue) {
    uint32_t l = learn(kApplyTransform);
    fitted_copy(l);
    return with_stat(derive({X}, Shape::Array), l);
  }
  if (method == "inverse_transform" && X != kNoValue) return derive({X}, Shape::Array);
  if ((method == "get_support" || method == "get_feature_names_out") && e.fitted >= 0) {
    Value s;  // what a fitted selector kept: chosen with the data it was fitted on
    s.kind = Kind::Stat;
    s.stats = {static_cast<uint32_t>(e.fitted)};
    return make(std::move(s));
  }
  if (method == "set_params" || method == "set_output") return recv;
  return unknown();
}

bool Interpreter::row_indices(Node n) const {
  for (int depth = 0; n && depth < 4; ++depth) {
    if (n.kind() == "attribute") {
      const std::string_view a = n.field("attribute").text(text_);
      if (a == "index") return true;
      if (a != "values") return false;
      n = n.field("object");
    } else if (n.kind() == "call") {
      const std::string& q = sem_.callee(n);
      if (q == "numpy.arange" || q == "builtins.range") return true;
      Node fn = n.field("function");
      Node args = n.field("arguments");
      const bool wrapper = q == "builtins.list" || q == "numpy.array" || q == "numpy.asarray";
      if (wrapper && args && args.named_child_count() == 1) {
        n = args.named_child(0);
      } else if (fn && fn.kind() == "attribute" &&
                 (fn.field("attribute").text(text_) == "to_numpy" ||
                  fn.field("attribute").text(text_) == "tolist")) {
        n = fn.field("object");
      } else {
        return false;
      }
    } else {
      return false;
    }
  }
  return false;
}

ValueId Interpreter::train_test_split(Node call, std::vector<ValueId>& args, Kwargs& kwargs) {
  Node args_node = call.field("arguments");
  std::vector<ValueId> arrays;
  for (size_t i = 0; i < args.size(); ++i)
    arrays.push_back(as_data(args[i], args_node.named_child(static_cast<uint32_t>(i))));
  Node shuffle = kwarg_node(call, "shuffle", text_);
  SplitEvent ev{call, SplitKind::TrainTestSplit, arrays,
                !(shuffle && shuffle.text(text_) == "False"), false, "train_test_split"};
  (void)kwargs;
  int32_t sid = static_cast<int32_t>(p_.add_split(std::move(ev)));
  Value out;
  out.kind = Kind::Tuple;
  for (size_t i = 0; i < arrays.size(); ++i) {
    Value tr = val(arrays[i]), te = val(arrays[i]);
    if (tr.kind != Kind::Data) {
      out.items.push_back(unknown());
      out.items.push_back(unknown());
      continue;
    }
    bool of_train = tr.part == Part::Train;
    tr.part = Part::Train;
    te.part = of_train ? Part::Val : Part::Test;
    tr.split = te.split = sid;
    // train_idx, test_idx = train_test_split(np.arange(len(df))): the sides are row indices,
    // and X[train_idx] is the training side of X (as with a CV splitter's folds)
    if (i < args_node.named_child_count() &&
        row_indices(args_node.named_child(static_cast<uint32_t>(i)))) {
      tr.fold_index = te.fold_index = true;
      tr.shape = te.shape = Shape::Array;
      tr.stats.clear();
      te.stats.clear();
    }
    out.items.push_back(make(std::move(tr)));
    out.items.push_back(make(std::move(te)));
  }
  return make(std::move(out));
}

ValueId Interpreter::cross_validate(const std::string& q, Node call, std::vector<ValueId>& args,
                                    Kwargs& kwargs) {
  auto arg_at = [&](size_t i, std::string_view kw) {
    if (i < args.size()) return args[i];
    return kwarg(kwargs, kw);
  };
  ValueId est = arg_at(0, "estimator");
  ValueId X = arg_at(1, "X");
  ValueId y = arg_at(2, "y");
  Node args_node = call.field("arguments");
  if (X != kNoValue && args.size() > 1) X = as_data(X, args_node.named_child(1));
  ValueId cv = kwarg(kwargs, "cv");
  bool shuffled = cv != kNoValue && val(cv).kind == Kind::Splitter && val(cv).shuffle;
  bool grouped = kwarg(kwargs, "groups") != kNoValue ||
                 (cv != kNoValue && val(cv).kind == Kind::Splitter && val(cv).grouped);
  std::string splitter = cv != kNoValue && val(cv).kind == Kind::Splitter
                             ? std::string(library::last_name(val(cv).cls))
                             : "KFold";
  if (cv != kNoValue && val(cv).kind == Kind::Splitter && val(cv).temporal) splitter = "TimeSeriesSplit";
  p_.add_split(SplitEvent{call, SplitKind::FoldLoop, {X}, shuffled, grouped, splitter});
  add_use(make_use(call, UseKind::CrossValidate, est, X, y,
                      std::string(library::last_name(q)), true));
  if (library::last_name(q) == "cross_val_predict") return derive({X}, Shape::Array);
  return scalar();
}

// The boosting libraries' own API: lgb.Dataset(X, label=y) / xgb.DMatrix(X, label=y) /
// catboost.Pool(X, y) hold rows and labels; lgb.train(params, dtrain, valid_sets=[...]) and
// xgb.train(params, dtrain, evals=[(dval, "val")]) fit a booster on them like `.fit(X, y)`.
// kNoValue when `q` is none of these.
ValueId Interpreter::native_boosting(std::string_view q, Node call, std::vector<ValueId>& args,
                                     Kwargs& kwargs) {
  Node args_node = call.field("arguments");
  if (q == "lightgbm.Dataset" || q == "lightgbm.basic.Dataset" || q == "xgboost.DMatrix" ||
      q == "xgboost.core.DMatrix" || q == "xgboost.QuantileDMatrix" || q == "catboost.Pool") {
    ValueId X = args.empty() ? kwarg(kwargs, "data") : args[0];
    if (X == kNoValue) return kNoValue;
    if (!args.empty() && args_node.named_child_count() > 0) X = as_data(X, args_node.named_child(0));
    ValueId y = kwarg(kwargs, "label");
    if (y == kNoValue && q == "catboost.Pool" && args.size() > 1) y = args[1];
    Value d;
    d.kind = Kind::Tuple;
    d.cls = std::string(kNativeDataset);
    d.items = {X, y == kNoValue ? unknown() : y};
    return make(std::move(d));
  }
  if (q != "lightgbm.train" && q != "xgboost.train") return kNoValue;
  ValueId dtrain = args.size() > 1 ? args[1] : kwarg(kwargs, q == "xgboost.train" ? "dtrain" : "train_set");
  if (dtrain == kNoValue || val(dtrain).kind != Kind::Tuple || val(dtrain).cls != kNativeDataset)
    return unknown();
  ValueId X = val(dtrain).items[0];
  ValueId y = val(dtrain).items.size() > 1 && is_data(val(dtrain).items[1]) ? val(dtrain).items[1]
                                                                           : kNoValue;
  Value booster;
  booster.kind = Kind::Estimator;
  booster.cls = std::string(q);
  booster.role = Role::Model;
  ValueId model = make(std::move(booster));
  LearnEvent ev;
  ev.site = call;
  ev.kind = StatKind::Estimator;
  ev.estimator = model;
  ev.role = Role::Model;
  ev.what = q == "xgboost.train" ? "Booster" : "Booster";
  ev.data = X;
  ev.target = y;
  uint32_t l = p_.add_learn(std::move(ev));
  add_use(make_use(call, UseKind::Train, model, X, y, "train", false));
  // valid_sets=[dval] (LightGBM) / evals=[(dval, "val")] (XGBoost): early stopping when asked
  ValueId sets = kwarg(kwargs, q == "xgboost.train" ? "evals" : "valid_sets");
  if (sets != kNoValue) {
    std::string_view cbt = kwarg_node(call, "callbacks", text_).text(text_);
    bool stops = kwarg(kwargs, "early_stopping_rounds") != kNoValue ||
                 cbt.find("early_stopping") != std::string_view::npos ||
                 cbt.find("EarlyStopping") != std::string_view::npos;
    std::vector<ValueId> pending{sets};
    for (int guard = 0; !pending.empty() && guard < 64; ++guard) {
      ValueId v = pending.back();
      pending.pop_back();
      const Value& d = val(v);
      if (d.kind != Kind::Tuple) continue;
      if (d.cls != kNativeDataset) {
        pending.insert(pending.end(), d.items.begin(), d.items.end());
        continue;
      }
      if (v == dtrain || !is_data(d.items[0])) continue;  // the training set watched: no choice
      add_use(make_use(call, stops ? UseKind::EarlyStopping : UseKind::Monitor, model, d.items[0],
                       is_data(d.items[1]) ? d.items[1] : kNoValue, "valid_sets", stops));
    }
  }
  Value fitted = val(model);
  fitted.fitted = static_cast<int32_t>(l);
  return make(std::move(fitted));
}

void Interpreter::fit_validation_sets(ValueId model, Node call, ValueId X, Kwargs& kwargs,
                                      bool stops_known) {
  if (kwarg(kwargs, "validation_split") != kNoValue && X != kNoValue && is_data(X)) {
    // Keras carves the last rows of X as validation data: a split of X
    p_.add_split(SplitEvent{call, SplitKind::KerasValidation, {X}, false, false,
                            "validation_split"});
  }
  ValueId sets = kwarg(kwargs, "eval_set");
  if (sets == kNoValue) sets = kwarg(kwargs, "validation_data");
  if (sets == kNoValue) sets = kwarg(kwargs, "val_dataloaders");  // Lightning
  if (sets == kNoValue) return;
  Node cb = kwarg_node(call, "callbacks", text_);
  std::string_view cbt = cb.text(text_);
  bool stop_callback = false;
  if (ValueId cbs = kwarg(kwargs, "callbacks"); cbs != kNoValue && val(cbs).kind == Kind::Tuple)
    for (ValueId c : val(cbs).items) stop_callback = stop_callback || val(c).cls == "callback:stops";
  bool stops = stops_known || stop_callback || kwarg(kwargs, "early_stopping_rounds") != kNoValue ||
               (model != kNoValue && val(model).early_stopping) ||
               cbt.find("EarlyStopping") != std::string_view::npos ||
               cbt.find("early_stopping") != std::string_view::npos ||
               cbt.find("save_best_only=True") != std::string_view::npos ||
               (model != kNoValue && val(model).cls.find("catboost") != std::string::npos);
  // eval_set=[(X_val, y_val), ...] or validation_data=(X_val, y_val)
  std::vector<ValueId> pairs;
  const Value& s = val(sets);
  if (s.kind == Kind::Tuple && !s.items.empty() && val(s.items[0]).kind == Kind::Tuple)
    pairs = s.items;
  else
    pairs = {sets};
  for (ValueId p : pairs) {
    const Value& pv = val(p);
    ValueId x = pv.kind == Kind::Tuple && !pv.items.empty() ? pv.items[0] : p;
    ValueId y = pv.kind == Kind::Tuple && pv.items.size() > 1 ? pv.items[1] : kNoValue;
    // Data the engine cannot see (a Keras dataset read from a directory) still stops the
    // training: ML107 asks where it was read from.
    if (!is_data(x) && !(stops && val(x).kind == Kind::Unknown)) continue;
    add_use(make_use(call, stops ? UseKind::EarlyStopping : UseKind::Monitor, model, x, y,
                        "eval_set", stops));
  }
}

}  // namespace mlroast::lineage
