// Calls: library functions resolved by qualified name (loaders, splits, cross-validation,
// functional scalers, combiners), methods of data (statistics, groupby, windows, fillna, sample/
// drop), methods of estimators (fit, fit_transform, transform, fit_resample, predict, score),
// CV splitters, and functions defined in the same file.
#include "analysis/lineage/interpreter.hpp"
#include "analysis/lineage/library.hpp"

namespace mlroast::lineage {

using Kwargs = std::vector<std::pair<std::string_view, ValueId>>;

syntax::Node kwarg_node(syntax::Node call, std::string_view name, std::string_view text) {
  syntax::Node args = call.field("arguments");
  for (uint32_t i = 0; args && i < args.named_child_count(); ++i) {
    syntax::Node a = args.named_child(i);
    if (a.kind() == "keyword_argument" && a.field("name").text(text) == name) return a.field("value");
  }
  return syntax::Node();
}

ValueId Interpreter::eval_call(Node call) {
  Node fn = call.field("function");
  Node args_node = call.field("arguments");
  ValueId recv = kNoValue;
  Node recv_node;
  std::string_view method;
  ValueId callee = kNoValue;
  if (fn.kind() == "attribute") {
    recv_node = fn.field("object");
    method = fn.field("attribute").text(text_);
    recv = eval(recv_node);
  } else {
    callee = eval(fn);
  }
  std::vector<ValueId> args;
  Kwargs kwargs;
  for (Node a : syntax::children(args_node)) {
    if (a.kind() == "keyword_argument") {
      kwargs.emplace_back(a.field("name").text(text_), eval(a.field("value")));
    } else if (a.kind() == "comment") {
      continue;
    } else if (a.kind() == "dictionary_splat") {
      // `XGBRegressor(**CONFIG["xgb"])`: a dict literal's string keys are keyword arguments
      ValueId d = eval(a);
      const Value& dv = val(d);
      if (dv.kind == Kind::Tuple && dv.columns.size() == dv.items.size()) {
        for (size_t i = 0; i < dv.items.size(); ++i)
          if (!dv.columns[i].empty()) kwargs.emplace_back(dv.columns[i], dv.items[i]);
      } else {
        args.push_back(d);
      }
    } else if (args_node.kind() == "generator_expression") {
      args.push_back(eval(args_node));
      break;
    } else {
      args.push_back(eval(a));
    }
  }

  if (recv != kNoValue) {
    const Value& r = val(recv);
    if (r.kind == Kind::Module) {
      std::string q = r.cls + "." + std::string(method);
      return call_qualified(q, call, args, kwargs);
    }
    if (r.kind == Kind::Estimator)
      return call_estimator_method(recv, recv_node, method, call, args, kwargs);
    // rng.permutation(len(X)) on a NumPy Generator: shuffled row indices
    if (method == "permutation" && r.kind == Kind::Unknown && args.size() == 1 &&
        !is_data(args[0]))
      return row_permutation();
    if (r.kind == Kind::Splitter && method == "split" && !args.empty()) {
      bool grouped = r.grouped || kwarg(kwargs, "groups") != kNoValue || args.size() >= 3;
      ValueId x = as_data(args[0], args_node.named_child(0));
      SplitEvent ev{call, SplitKind::FoldLoop, {x}, r.shuffle, grouped, r.cls};
      int32_t sid = static_cast<int32_t>(p_.add_split(std::move(ev)));
      Value tr = val(x);
      tr.shape = Shape::Array;
      tr.fold_index = true;
      tr.split = sid;
      tr.part = Part::Train;
      tr.stats.clear();
      Value te = tr;
      te.part = Part::Test;
      Value folds;
      folds.kind = Kind::Tuple;
      folds.cls = "folds";
      folds.items = {make(std::move(tr)), make(std::move(te))};
      return make(std::move(folds));
    }
    // An unknown receiver of a pandas-style method (`X.mean()`, `frame.fillna(...)`) is taken as
    // data, unless data is passed positionally: `xp.std(X)` is a function of an array namespace.
    bool data_arg = false;
    for (ValueId a : args) data_arg = data_arg || is_data(a);
    if (r.kind == Kind::Data || r.kind == Kind::Stat ||
        (r.kind == Kind::Unknown && !data_arg &&
         (library::is_moment_method(method) || method == "fillna" || method == "groupby" ||
          library::is_window_method(method)))) {
      if (r.kind == Kind::Stat) {
        // Methods of a learned statistic (corr["y"].abs().sort_values()) stay that statistic.
        if (method == "tolist" || method == "to_list" || method == "keys") {
          Value c = r;
          c.kind = Kind::Stat;
          return make(std::move(c));
        }
        return recv;
      }
      ValueId d = r.kind == Kind::Unknown ? as_data(recv, recv_node) : recv;
      return call_data_method(d, recv_node, method, call, args, kwargs);
    }
    // X.columns[selector.get_support()].tolist(): the same names (and what chose them)
    if (r.kind == Kind::Columns && (method == "tolist" || method == "to_list" || method == "copy"))
      return recv;
    if ((r.kind == Kind::Tuple || r.kind == Kind::Columns) &&
        (method == "append" || method == "extend") && !args.empty()) {
      // scores.append(model.score(X_test, y_test)): the list now holds that value
      Value grown = r.kind == Kind::Tuple ? r : Value{};
      grown.kind = Kind::Tuple;
      grown.cls = r.cls;
      grown.items.push_back(args[0]);
      rebind(recv_node, make(std::move(grown)));
      return scalar();
    }
    if (r.kind == Kind::Tuple && (method == "values" || method == "items")) {
      // models.items(): (name, model) pairs; models.values(): the models
      if (method == "values") return recv;
      Value pairs;
      pairs.kind = Kind::Tuple;
      for (ValueId item : std::vector<ValueId>(r.items)) {
        Value pair;
        pair.kind = Kind::Tuple;
        pair.items = {scalar(), item};
        pairs.items.push_back(make(std::move(pair)));
      }
      return make(std::move(pairs));
    }
    // `.fit(..., eval_set=...)` on a model the engine cannot see (Keras, a custom wrapper).
    if (method == "fit" && r.cls == kLightningTrainer) {
      // trainer.fit(model, train_loader, val_loader): the validation loader is the third
      // argument or val_dataloaders=; the trainer's callbacks decide what it is used for.
      if (args.size() > 2 && kwarg(kwargs, "val_dataloaders") == kNoValue)
        kwargs.emplace_back("val_dataloaders", args[2]);
      fit_validation_sets(kNoValue, call, kNoValue, kwargs, r.early_stopping);
    } else if (method == "fit") {
      fit_validation_sets(kNoValue, call, args.empty() ? kNoValue : args[0], kwargs);
    }
    // A transformer the engine cannot see (a class of the file with its own fit/transform):
    // `featurizer.transform(test_df)` is still the test rows, transformed.
    if (r.kind == Kind::Unknown && (method == "transform" || method == "fit_transform")) {
      std::vector<ValueId> data;
      for (ValueId a : args)
        if (is_data(a)) data.push_back(a);
      if (!data.empty()) return derive(data, Shape::Array);
    }
    return unknown();
  }

  const Value& f = val(callee);
  if (f.kind == Kind::Module) return call_qualified(f.cls, call, args, kwargs);
  if (is_model_factory(f)) return f.items.front();
  // vectorizer(texts) with a Keras preprocessing layer: its transform
  if (f.kind == Kind::Estimator && f.role == Role::Transformer && !args.empty())
    return call_estimator_method(callee, fn, "transform", call, args, kwargs);
  if (f.kind == Kind::Function && f.fn >= 0) return call_function(f.fn, call, args, kwargs);
  return unknown();  // calling an unknown value (a variable holding a callable)
}

// np.random.permutation(n), rng.permutation(len(X)): shuffled row indices, not yet cut.
ValueId Interpreter::row_permutation() {
  Value v;
  v.kind = Kind::Data;
  v.shape = Shape::Array;
  v.fold_index = true;
  v.cls = "permutation";
  return make(std::move(v));
}

ValueId Interpreter::call_qualified(const std::string& qualified, Node call,
                                    std::vector<ValueId>& args, Kwargs& kwargs) {
  using namespace library;
  const std::string_view q = qualified;
  const NameFacts lib = facts(q);
  const std::string_view module = module_of(q), name = last_name(q);
  Node args_node = call.field("arguments");
  auto arg_node = [&](size_t i) {
    return args_node && i < args_node.named_child_count() ? args_node.named_child(static_cast<uint32_t>(i)) : Node();
  };
  if (ValueId native = native_boosting(q, call, args, kwargs); native != kNoValue) return native;
  // float(np.sqrt(mse)), abs(score), round(auc, 4): the same number (a score stays a score)
  if ((q == "builtins.float" || q == "builtins.abs" || q == "builtins.round" ||
       q == "numpy.sqrt" || q == "numpy.abs" || q == "numpy.round" || q == "numpy.log" ||
       q == "numpy.exp" || q == "math.sqrt" || q == "math.log" || q == "math.exp") &&
      !args.empty() && val(args[0]).kind == Kind::Scalar && val(args[0]).produced_by >= 0)
    return args[0];
  // clone(model): a new, unfitted estimator with the same class and parameters; a clone of
  // `candidates[best]` stands for the same models.
  if ((q == "sklearn.base.clone" || q == "sklearn.clone") && !args.empty() &&
      val(args[0]).kind == Kind::Estimator) {
    Value c = val(args[0]);
    c.fitted = -1;
    return make(std::move(c));
  }
  if (lib.loader_returns_split) {
    ValueId all = new_data(call, Shape::Array, label_of(call));
    SplitEvent ev{call, SplitKind::TrainTestSplit, {all}, false, false, qualified};
    int32_t sid = static_cast<int32_t>(p_.add_split(std::move(ev)));
    auto part = [&](Part p) {
      Value v = val(all);
      v.part = p;
      v.split = sid;
      return make(std::move(v));
    };
    Value tr, te;
    tr.kind = te.kind = Kind::Tuple;
    tr.items = {part(Part::Train), part(Part::Train)};
    te.items = {part(Part::Test), part(Part::Test)};
    Value both;
    both.kind = Kind::Tuple;
    both.items = {make(std::move(tr)), make(std::move(te))};
    return make(std::move(both));
  }
  if (lib.loader) {
    bool pandas = module.find("pandas") != std::string_view::npos ||
                  module.find("polars") != std::string_view::npos;
    ValueId d = new_data(call, pandas ? Shape::Frame : Shape::Unknown, label_of(call));
    if (kwarg(kwargs, "parse_dates") != kNoValue || kwarg(kwargs, "index_col") != kNoValue) {
      Value v = val(d);
      bool date_index = is_date_like_name(label_of(kwarg_node(call, "index_col", text_)));
      v.temporal = kwarg(kwargs, "parse_dates") != kNoValue || date_index;
      v.time_ordered = date_index && kwarg(kwargs, "parse_dates") != kNoValue;
      d = make(std::move(v));
    }
    bool xy = name.substr(0, 5) == "make_" ||
              (kwarg_node(call, "return_X_y", text_).text(text_) == "True");
    if (xy) {
      Value t;
      t.kind = Kind::Tuple;
      t.items = {d, d};
      return make(std::move(t));
    }
    return d;
  }
  if (lib.train_test_split) return train_test_split(call, args, kwargs);
  if (lib.cv_function) return cross_validate(qualified, call, args, kwargs);
  if (lib.functional_scaler && !args.empty()) {
    ValueId x = as_data(args[0], arg_node(0));
    LearnEvent ev;
    ev.site = call;
    ev.kind = StatKind::Functional;
    ev.role = Role::Transformer;
    ev.what = std::string(name);
    ev.data = x;
    ev.applied = kApplyTransform;
    return with_stat(x, p_.add_learn(std::move(ev)));
  }
  if (lib.combiner) {
    ValueId d = derive(args, Shape::Unknown);
    if (val(d).kind == Kind::Data && module.find("pandas") != std::string_view::npos)
      d = with_shape(d, Shape::Frame);
    return d;
  }
  if (lib.data_constructor) {
    ValueId d = derive(args, Shape::Unknown);
    Shape shape = name == "DataFrame" ? Shape::Frame
                  : name == "Series"  ? Shape::Series
                                              : Shape::Array;
    if (val(d).kind == Kind::Data) return with_shape(d, shape);
    if (val(d).kind == Kind::Stat) return d;  // pd.Series(mi, index=X.columns): still the statistic
    // The data argument is absent or a fill value (0.0, np.nan, pd.NA), not rows of its own.
    const ValueId data_arg = !args.empty() ? args.front() : kwarg(kwargs, "data");
    const bool fill_only =
        data_arg == kNoValue || val(data_arg).kind == Kind::Scalar ||
        (val(data_arg).kind == Kind::Module &&
         (val(data_arg).cls == "numpy.nan" || val(data_arg).cls == "numpy.NaN" ||
          val(data_arg).cls == "math.nan" || val(data_arg).cls == "pandas.NA"));
    if (name == "DataFrame" && fill_only) {
      // pd.DataFrame(index=frame.index), pd.DataFrame(np.nan, index=X.index, columns=names): a
      // frame without data of its own (empty, or a fill value) whose columns are the ones named
      // or assigned. Its rows are that frame's (a feature builder's `out` on the test rows is
      // test data); nothing learned or selected comes with the index.
      const ValueId index = kwarg(kwargs, "index");
      if (index != kNoValue && val(index).kind == Kind::Data) {
        const Value& rows = val(index);
        Value empty;
        empty.kind = Kind::Data;
        empty.shape = Shape::Frame;
        empty.part = rows.part;
        empty.split = rows.split;
        empty.origins = rows.origins;
        empty.temporal = rows.temporal;
        empty.time_ordered = rows.time_ordered;
        empty.all_columns = false;
        return make(std::move(empty));
      }
      Value empty = val(new_data(call, shape, label_of(call)));
      empty.all_columns = false;
      return make(std::move(empty));
    }
    if (name == "DataFrame" || name == "Series")
      return new_data(call, shape, label_of(call));
    return d;
  }
  if (lib.datetime_parser) {
    ValueId d = args.empty() ? unknown() : derive({args[0]}, Shape::Unknown);
    if (val(d).kind != Kind::Data) return d;
    Value v = val(d);
    v.temporal = true;
    return make(std::move(v));
  }
  if (q == "pandas.get_dummies" || q == "pandas.cut") {
    return args.empty() ? unknown() : derive({args[0]}, Shape::Unknown);
  }
  if ((q == "pandas.qcut" || q.starts_with("numpy.percentile") || q == "numpy.quantile" ||
       q == "numpy.mean" || q == "numpy.std" || q == "numpy.median" || q == "numpy.nanmean" ||
       q == "numpy.nanmedian" || q == "numpy.var") &&
      !args.empty() && is_data(args[0])) {
    LearnEvent ev;
    ev.site = call;
    ev.kind = StatKind::Moment;
    ev.what = std::string(name);
    ev.data = args[0];
    uint32_t l = p_.add_learn(std::move(ev));
    if (q == "pandas.qcut") {
      p_.learn_mut(l).applied |= kApplyTransform;
      return with_stat(args[0], l);
    }
    Value s;
    s.kind = Kind::Stat;
    s.stats = {l};
    return make(std::move(s));
  }
  if (module == "sklearn.feature_selection" &&
      (name.starts_with("mutual_info_") || name == "f_classif" ||
       name == "f_regression" || name == "chi2" ||
       name == "r_regression") &&
      !args.empty()) {
    // scores of each feature against the target: a supervised statistic over the rows given
    LearnEvent ev;
    ev.site = call;
    ev.kind = StatKind::Correlation;
    ev.what = std::string(name);
    ev.data = as_data(args[0], arg_node(0));
    ev.target = args.size() > 1 ? args[1] : kNoValue;
    Value s;
    s.kind = Kind::Stat;
    s.stats = {p_.add_learn(std::move(ev))};
    return make(std::move(s));
  }
  if (q == "sklearn.utils.resample" && !args.empty()) {
    ValueId x = as_data(args[0], arg_node(0));
    Node replace = kwarg_node(call, "replace", text_);
    if (replace.text(text_) == "True" || kwarg(kwargs, "n_samples") != kNoValue) {
      LearnEvent ev;
      ev.site = call;
      ev.kind = StatKind::Estimator;
      ev.role = Role::Resampler;
      ev.what = "resample";
      ev.data = x;
      ev.applied = kApplyTransform;
      return with_stat(x, p_.add_learn(std::move(ev)));
    }
    return x;
  }
  const bool lightning = module.starts_with("lightning") || module.starts_with("pytorch_lightning");
  if (lightning && name == "Trainer") {
    // pl.Trainer(callbacks=[EarlyStopping(...), ModelCheckpoint(monitor=...)]): whether its
    // validation loader decides when training stops or which checkpoint is kept
    Value t;
    t.cls = std::string(kLightningTrainer);
    if (ValueId cbs = kwarg(kwargs, "callbacks"); cbs != kNoValue && val(cbs).kind == Kind::Tuple)
      for (ValueId c : val(cbs).items) t.early_stopping = t.early_stopping || val(c).cls == "callback:stops";
    return make(std::move(t));
  }
  if (name == "EarlyStopping" || name == "early_stopping" ||
      (name == "ModelCheckpoint" &&
       (kwarg_node(call, "save_best_only", text_).text(text_) == "True" ||
        (lightning && kwarg(kwargs, "monitor") != kNoValue)))) {
    Value cb;  // a callback that decides when training stops or which epoch is kept
    cb.kind = Kind::Module;
    cb.cls = "callback:stops";
    return make(std::move(cb));
  }
  if (lib.splitter) {
    const bool grouped = lib.grouped_splitter, chrono = lib.chronological_splitter;
    Value s;
    s.kind = Kind::Splitter;
    s.cls = q;
    s.grouped = grouped;
    bool shuffles_by_default = name.find("ShuffleSplit") != std::string_view::npos;
    Node sh = kwarg_node(call, "shuffle", text_);
    s.shuffle = chrono ? false : (sh ? sh.text(text_) == "True" : shuffles_by_default);
    s.temporal = chrono;
    return make(std::move(s));
  }
  if (lib.role != Role::None) return construct_estimator(qualified, lib.role, call, args, kwargs);
  if (module.starts_with("sklearn.metrics") || q == "builtins.print") {
    for (ValueId a : args) mark_scored(a);
    for (auto& kv : kwargs) mark_scored(kv.second);
    return q == "builtins.print" ? unknown() : scored_scalar(args);
  }
  if (q == "numpy.argmax" || q == "numpy.argmin" || q == "numpy.nanargmax" ||
      q == "builtins.max" || q == "builtins.min" || q == "builtins.sorted" ||
      q == "numpy.max" || q == "numpy.argsort") {
    for (ValueId a : args) mark_selected(a);
    if (q.starts_with("builtins.") && !args.empty()) return args[0];
    return scalar();
  }
  if (q == "builtins.len") return scalar();
  // pd.date_range(df.date.min(), df.date.max()): new data, a calendar spanning the data's
  // dates, not a statistic put into features
  if (q == "pandas.date_range" || q == "pandas.bdate_range" || q == "pandas.period_range" ||
      q == "pandas.timedelta_range") {
    Value calendar = val(new_data(call, Shape::Array, label_of(call)));
    calendar.temporal = true;
    return make(std::move(calendar));
  }
  if (q == "numpy.random.permutation" && !args.empty() && val(args[0]).kind != Kind::Data)
    return row_permutation();
  if ((q == "builtins.next" || q == "builtins.iter") && !args.empty() &&
      val(args[0]).cls == "folds") {
    // tr, te = next(splitter.split(X)): the first fold taken as the one train/test split
    if (q == "builtins.next") {
      const Value& folds = val(args[0]);
      const int32_t sid = folds.items.empty() ? -1 : val(folds.items.front()).split;
      if (sid >= 0 && p_.splits()[static_cast<size_t>(sid)].kind == SplitKind::FoldLoop)
        p_.split_mut(static_cast<uint32_t>(sid)).kind = SplitKind::SingleFold;
    }
    return args[0];
  }
  if (q == "builtins.enumerate" && !args.empty()) {
    Value e;
    e.kind = Kind::Tuple;
    e.cls = "enumerate";
    e.items = {args[0]};
    return make(std::move(e));
  }
  if ((q == "builtins.list" || q == "builtins.sorted" || q == "builtins.set" ||
       q == "builtins.tuple" || q == "numpy.array") &&
      !args.empty())
    return args[0];
  if (q.starts_with("builtins.")) return unknown();
  // A function the engine does not know (`add_features(df)` from another module, `pd.to_numeric`)
  // that takes data is assumed to return data derived from it: lineage flows through, so a
  // statistic learned before the call is still seen after it. Nothing new is learned here.
  std::vector<ValueId> data_args;
  auto carries_lineage = [&](ValueId a) { return is_data(a) || val(a).kind == Kind::Stat; };
  for (ValueId a : args)
    if (carries_lineage(a)) data_args.push_back(a);
  for (auto& kv : kwargs)
    if (carries_lineage(kv.second)) data_args.push_back(kv.second);
  if (!data_args.empty()) return derive(data_args, Shape::Unknown);
  return unknown();
}

ValueId Interpreter::construct_estimator(const std::string& q, Role role, Node call,
                                         std::vector<ValueId>& args, Kwargs& kwargs) {
  Value e;
  e.kind = Kind::Estimator;
  e.cls = q;
  e.role = role;
  e.early_stopping = kwarg(kwargs, "early_stopping_rounds") != kNoValue ||
                     kwarg(kwargs, "early_stopping") != kNoValue;
  if (library::facts(q).stateless) e.role = Role::None;
  // Containers and searches remember the estimators inside them (steps, the searched model).
  std::vector<ValueId> pending = args;
  for (auto& kv : kwargs)
    if (kv.first == "steps" || kv.first == "estimator" || kv.first == "transformers" ||
        kv.first == "regressor" || kv.first == "transformer_list")
      pending.push_back(kv.second);
  while (!pending.empty() && (role == Role::Container || role == Role::Search)) {
    ValueId v = pending.back();
    pending.pop_back();
    const Value& x = val(v);
    if (x.kind == Kind::Estimator) e.items.push_back(v);
    else if (x.kind == Kind::Tuple)
      for (ValueId i : x.items) pending.push_back(i);
  }
  (void)call;
  // CalibratedClassifierCV(base, cv="prefit"): the model it calibrates
  if (q == "sklearn.calibration.CalibratedClassifierCV") {
    ValueId base = !args.empty() ? args.front() : kwarg(kwargs, "estimator");
    if (base == kNoValue) base = kwarg(kwargs, "base_estimator");
    if (base != kNoValue && val(base).kind == Kind::Estimator) e.items.push_back(base);
  }
  if (q == "sklearn.compose.ColumnTransformer" ||
      q == "sklearn.compose._column_transformer.ColumnTransformer") {
    ValueId list = kwarg(kwargs, "transformers");
    if (list == kNoValue && !args.empty()) list = args.front();
    read_transformer_columns(e, {list}, /*named=*/true);
  } else if (q == "sklearn.compose.make_column_transformer")
    read_transformer_columns(e, args, /*named=*/false);
  return make(std::move(e));
}

// ColumnTransformer([("num", scaler, NUMERIC), ("cat", encoder, ["city"]), ("ids", "drop",
// "id")]) or make_column_transformer((scaler, NUMERIC), ...): the columns its transformers
// read, into e.columns, with e.names_columns set only when every column list is readable (names
// or one name; not positions, slices, masks or make_column_selector).
void Interpreter::read_transformer_columns(Value& e, const std::vector<ValueId>& specs,
                                           bool named) {
  std::vector<ValueId> tuples;
  for (ValueId s : specs) {
    if (s == kNoValue) return;
    const Value& v = val(s);
    if (!named) tuples.push_back(s);  // make_column_transformer: one argument per transformer
    else if (v.kind == Kind::Tuple) tuples.insert(tuples.end(), v.items.begin(), v.items.end());
    else return;
  }
  if (tuples.empty()) return;
  const std::size_t width = named ? 3 : 2;
  std::vector<std::string> read;
  for (ValueId t : tuples) {
    const Value& tv = val(t);
    // A tuple of strings only ("ids", "drop", "id") is a Columns value; others are Tuples.
    std::string transformer;
    std::vector<std::string> columns;
    if (tv.kind == Kind::Columns && tv.cls.empty() && tv.columns.size() == width) {
      transformer = tv.columns[width - 2];
      columns = {tv.columns.back()};
    } else if (tv.kind == Kind::Tuple && tv.items.size() == width) {
      const Value& how = val(tv.items[width - 2]);
      if (how.kind == Kind::Scalar) transformer = how.text;
      const Value& cols = val(tv.items.back());
      if (cols.kind == Kind::Columns && cols.cls.empty() && !cols.columns.empty())
        columns = cols.columns;
      else if (cols.kind == Kind::Scalar && !cols.text.empty())
        columns = {cols.text};
      else
        return;
    } else {
      return;
    }
    if (transformer == "drop") continue;
    read.insert(read.end(), columns.begin(), columns.end());
  }
  e.columns = std::move(read);
  e.names_columns = true;
}

}  // namespace mlroast::lineage
