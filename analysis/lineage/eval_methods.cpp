// Methods of data: statistics, groupby and windows, fillna/map/merge, sample/drop, shifts.
#include <algorithm>

#include "analysis/lineage/interpreter.hpp"
#include "analysis/lineage/library.hpp"

namespace mlroast::lineage {

using Kwargs = std::vector<std::pair<std::string_view, ValueId>>;

namespace {
// Shifting `shifted` moves a group aggregate `le` to earlier periods when the shifted column is
// the aggregate's output (`units_month`), not the raw column it aggregates (`units`, a plain lag).
bool shifts_aggregate_output(const Program& p, const Value& shifted, const LearnEvent& le) {
  if (le.kind != StatKind::GroupAgg || le.data == kNoValue) return false;
  // Rows of the one-row-per-group table the aggregate made (its origin is the aggregate call):
  // `item_daily.groupby("item_id")["sales"].shift(28)` on `item_daily = df.groupby(["item_id",
  // "date"])["sales"].sum()` moves every daily total to a later day, whatever the column's name.
  for (uint32_t o : shifted.origins)
    if (o < p.origins().size() && p.origins()[o].site == le.site) return true;
  if (shifted.columns.size() != 1) return false;
  const auto& aggregated = p.value(le.data).columns;
  return std::find(aggregated.begin(), aggregated.end(), shifted.columns.front()) ==
         aggregated.end();
}

bool row_wise_axis(syntax::Node call, std::string_view text) {
  std::string_view a = kwarg_node(call, "axis", text).text(text);
  return a == "1" || a == "\"columns\"" || a == "'columns'";
}
}  // namespace

ValueId Interpreter::call_data_method(ValueId recv, Node recv_node, std::string_view method,
                                      Node call, std::vector<ValueId>& args, Kwargs& kwargs) {
  using namespace library;
  const Value& r = val(recv);
  ValueId learn_data = recv;  // what the statistic is computed over
  auto learn = [&](StatKind kind, uint8_t applied) {
    LearnEvent ev;
    ev.site = call;
    ev.kind = kind;
    ev.what = std::string(method);
    ev.data = learn_data;
    ev.applied = applied;
    ev.preceded_by_shift = r.shifted;
    return p_.add_learn(std::move(ev));
  };
  auto stat_of = [&](uint32_t l) {
    Value s;
    s.kind = Kind::Stat;
    s.stats = r.stats;
    s.stats.push_back(l);
    s.origins = r.origins;
    s.columns = r.columns;
    s.temporal = r.temporal;
    return make(std::move(s));
  };
  Node first_arg = call.field("arguments").named_child(0);
  const bool takes_callable =
      method == "apply" || method == "transform" || method == "pipe" || method == "agg";
  // The function a callable argument names: `fn`, or `partial(fn, k=v)` (keywords kept).
  int user_fn = -1;
  Kwargs bound_kwargs;
  if (takes_callable && !first_arg.is_null() && first_arg.kind() != "lambda" && !args.empty()) {
    if (val(args[0]).kind == Kind::Function) {
      user_fn = val(args[0]).fn;
    } else if (first_arg.kind() == "call") {
      const Value& callee = val(eval(first_arg.field("function")));
      Node pargs = first_arg.field("arguments");
      if (callee.kind == Kind::Module && callee.cls == "functools.partial" &&
          pargs.named_child_count() > 0) {
        const Value& fn = val(eval(pargs.named_child(0)));
        if (fn.kind == Kind::Function) user_fn = fn.fn;
        for (uint32_t i = 1; i < pargs.named_child_count(); ++i) {
          Node a = pargs.named_child(i);
          if (a.kind() != "keyword_argument") continue;
          if (Node n = a.field("name"); n && a.field("value"))
            bound_kwargs.emplace_back(n.text(text_), eval(a.field("value")));
        }
      }
    }
  }
  if (takes_callable && (first_arg.kind() == "lambda" || user_fn >= 0)) {
    // df.apply(lambda s: (s - s.mean()) / s.std()), or a function of this file (directly or
    // through functools.partial): its body runs on the receiver's columns
    // on a groupby the callable sees each group's column: a Series of the same rows
    ValueId arg = r.shape == Shape::GroupBy ? with_shape(recv, Shape::Series) : recv;
    ValueId body;
    if (user_fn >= 0) {
      body = call_function(user_fn, call, {arg}, bound_kwargs);
    } else {
      Node params = first_arg.field("parameters");
      frames_.push_back(Frame{});
      if (params.named_child_count() > 0 && params.named_child(0).kind() == "identifier")
        bind(params.named_child(0).text(text_), arg);
      body = eval(first_arg.field("body"));
      frames_.pop_back();
    }
    // groupby(...)[target].transform(lambda s: s.mean()): one statistic per group broadcast
    // back onto the rows is a group aggregate, judged below like `.transform("mean")`. The
    // engine does not tell a function's `s.sum() / s.count()` from a row-wise result, so a
    // function's result on a groupby counts as row-wise only when it is made of lags or windows.
    bool aggregate = false;
    if (r.shape == Shape::GroupBy) {
      const Value& b = val(body);
      bool lags_or_windows = b.kind == Kind::Data && b.shifted;
      for (uint32_t li : b.stats)
        lags_or_windows = lags_or_windows || p_.learns()[li].kind == StatKind::Window;
      aggregate = b.kind == Kind::Stat || (user_fn >= 0 && !lags_or_windows);
    }
    if (!aggregate) {
      Value out = derived({arg, body}, r.shape == Shape::GroupBy ? Shape::Series : r.shape);
      out.part = r.part;
      out.split = r.split;
      return make(std::move(out));
    }
  }
  // Aggregations of a groupby or a rolling window: statistics over groups / windows of rows.
  if (r.shape == Shape::GroupBy && (method == "shift" || is_window_method(method))) {
    // df.groupby("store")["units"].shift(1) / .rolling(7): per-group lags and windows
    Value g = r;
    g.shape = method == "shift" ? Shape::Series : Shape::Window;
    g.time_ordered = true;
    if (method == "shift") {
      std::string_view k = args.empty() ? "1" : first_arg.text(text_);
      g.shifted = !k.empty() && k[0] != '-' && k != "0";
      g.sources.clear();
      g.columns.clear();
      for (uint32_t li : r.stats)  // a shifted group aggregate refers to earlier periods
        if (g.shifted && shifts_aggregate_output(p_, r, p_.learns()[li]))
          p_.learn_mut(li).shifted_after = true;
    }
    return make(std::move(g));
  }
  // grp["y"].cumsum(): per group, an expanding window over the rows so far, this one included.
  const bool cumulative = is_cumulative_method(method);
  if (r.shape == Shape::GroupBy || r.shape == Shape::Window) {
    if (!is_aggregation_method(method) && !cumulative) return recv;
    bool window = r.shape == Shape::Window || cumulative;
    bool keeps_rows = window || method == "transform";
    if (r.columns.empty() && (method == "agg" || method == "aggregate")) {
      // named aggregation: .agg(region_q_cost=("claim_cost", "mean")) aggregates claim_cost
      Value named = r;
      for (auto& kv : kwargs) {
        const Value& spec = val(kv.second);  // ("col", "fn") reads as a list of names
        if (spec.kind == Kind::Columns && !spec.columns.empty())
          named.columns.push_back(spec.columns.front());
        else if (spec.kind == Kind::Tuple && !spec.items.empty() &&
                 val(spec.items[0]).kind == Kind::Scalar && !val(spec.items[0]).text.empty())
          named.columns.push_back(val(spec.items[0]).text);
      }
      if (!named.columns.empty()) learn_data = make(std::move(named));
    }
    uint32_t l = learn(window ? StatKind::Window : StatKind::GroupAgg,
                       keeps_rows ? kApplyMap : 0);
    if (keeps_rows) {
      Value out = val(recv);
      add_stat(out, l);
      out.shape = Shape::Series;
      return make(std::move(out));
    }
    // One row per group: a new table (its rows are groups, not the original rows) that carries
    // the statistic, so mapping or merging it back onto rows applies the statistic.
    Value table;
    table.kind = Kind::Data;
    table.shape = Shape::Frame;
    table.part = Part::Whole;
    table.origins = {p_.add_origin(Origin{call, label_of(call)})};
    table.stats = r.stats;
    table.stats.push_back(l);
    std::sort(table.stats.begin(), table.stats.end());
    table.columns = r.columns;
    table.all_columns = false;
    table.temporal = r.temporal;
    table.time_ordered = r.time_ordered || is_period_key(r.group_keys);
    return make(std::move(table));
  }
  if (method == "resample") {
    Value g = r;
    g.shape = Shape::GroupBy;
    g.group_keys = "date period (resample)";
    g.temporal = g.time_ordered = true;
    return make(std::move(g));
  }
  if (method == "groupby" || is_window_method(method)) {
    Value g = r;
    g.shape = method == "groupby" ? Shape::GroupBy : Shape::Window;
    if (method != "groupby") g.time_ordered = true;
    if (method == "groupby") {
      // a frame's groupby selects its columns later; a Series (`log_price.groupby(df["nb"])`)
      // is still that column
      if (r.shape != Shape::Series || r.columns.size() != 1) g.columns.clear();
      Node by = args.empty() ? kwarg_node(call, "by", text_) : call.field("arguments").named_child(0);
      g.group_keys = std::string(by.text(text_));
      if (is_entity_key(g.group_keys)) p_.add_grouping(GroupingEvent{call, r.origins, g.group_keys});
    }
    return make(std::move(g));
  }
  if ((method == "value_counts" || method == "nunique" || method == "duplicated") &&
      r.columns.size() == 1 && is_entity_key(r.columns.front()))
    p_.add_grouping(GroupingEvent{call, r.origins, r.columns.front()});
  if (cumulative && r.kind == Kind::Data && (r.shape == Shape::Series || r.shape == Shape::Frame) &&
      !row_wise_axis(call, text_)) {
    Value out = r;  // df["y"].cumsum(): the same rows, each with the sum of the rows so far
    add_stat(out, learn(StatKind::Window, kApplyMap));
    return make(std::move(out));
  }
  if (is_moment_method(method)) {
    if (row_wise_axis(call, text_)) return derive({recv}, Shape::Series);
    return stat_of(learn(StatKind::Moment, 0));
  }
  if (method == "value_counts") return stat_of(learn(StatKind::Counts, 0));
  if (method == "rank" && kwarg_node(call, "pct", text_).text(text_) == "True") {
    uint32_t l = learn(StatKind::Moment, kApplyArithmetic);
    return with_stat(derive({recv}, r.shape), l);
  }
  if (method == "corr" || method == "corrwith" || method == "cov")
    return stat_of(learn(StatKind::Correlation, 0));
  if (method == "shift") {
    Value v = derived({recv}, Shape::Unknown);
    std::string_view k = args.empty() ? "1" : call.field("arguments").named_child(0).text(text_);
    Node periods = kwarg_node(call, "periods", text_);
    if (periods) k = periods.text(text_);
    v.shifted = !k.empty() && k[0] != '-' && k != "0";
    v.temporal = true;
    v.time_ordered = true;
    // another row's value: not "computed from" this row's columns (a lag, or a future target)
    if (k != "0") {
      v.sources.clear();
      v.columns.clear();
    }
    // `s.rolling(7).mean().shift(1)`: the window aggregate is moved out of the current row.
    for (uint32_t li : r.stats) {
      const LearnEvent& le = p_.learns()[li];
      if (v.shifted && ((le.kind == StatKind::Window && le.site == recv_node) ||
                        shifts_aggregate_output(p_, r, le)))
        p_.learn_mut(li).shifted_after = true;  // the value now refers to earlier rows/periods
    }
    return make(std::move(v));
  }
  ValueId result = recv;
  if (method == "fillna" || method == "map" || method == "replace" || method == "merge" ||
      method == "join" || method == "where" || method == "mask" || method == "clip" ||
      method == "combine_first" || method == "update") {
    std::vector<ValueId> ins{recv};
    for (ValueId a : args) ins.push_back(a);
    for (auto& kv : kwargs)
      if (kv.first == "value" || kv.first == "other" || kv.first == "right" ||
          kv.first == "lower" || kv.first == "upper")
        ins.push_back(kv.second);
    uint8_t how = method == "fillna" ? kApplyFill
                  : (method == "clip" || method == "where" || method == "mask") ? kApplyArithmetic
                                                                                  : kApplyMap;
    // The statistics put back into the data: a Stat, data carrying one (a groupby transform),
    // or a dict of them ({"Age": df["Age"].mean(), ...}).
    std::vector<ValueId> pending(ins.begin() + 1, ins.end());
    while (!pending.empty()) {
      const Value& a = val(pending.back());
      pending.pop_back();
      if (a.kind == Kind::Tuple) pending.insert(pending.end(), a.items.begin(), a.items.end());
      else if (a.kind == Kind::Stat || a.kind == Kind::Data)
        for (uint32_t st : a.stats)
          if (std::find(r.stats.begin(), r.stats.end(), st) == r.stats.end())
            p_.learn_mut(st).applied |= how;
    }
    Value out = derived(ins, r.shape);
    out.part = r.part;
    out.split = r.split;
    result = make(std::move(out));
  } else if (method == "sample" && kwarg_node(call, "replace", text_).text(text_) == "True") {
    // df.sample(n=..., replace=True): rows duplicated to rebalance classes
    LearnEvent ev;
    ev.site = call;
    ev.kind = StatKind::Estimator;
    ev.role = Role::Resampler;
    ev.what = "sample(replace=True)";
    ev.data = recv;
    ev.applied = kApplyTransform;
    result = with_stat(recv, p_.add_learn(std::move(ev)));
  } else if (method == "sample" && (kwarg_node(call, "frac", text_).text(text_) == "1" ||
                                    kwarg_node(call, "frac", text_).text(text_) == "1.0")) {
    result = recv;  // sample(frac=1): every row, shuffled; not a split
  } else if (method == "sample") {
    SplitEvent ev{call, SplitKind::Sample, {recv}, true, false, "sample"};
    Value v = r;
    v.split = static_cast<int32_t>(p_.add_split(std::move(ev)));
    v.part = Part::Train;
    result = make(std::move(v));
  } else if (method == "drop") {
    // df.drop(train.index): the rows not sampled, i.e. the other side of a sample() split.
    ValueId a = !args.empty() ? args[0] : kwarg(kwargs, "index");
    if (a != kNoValue && val(a).kind == Kind::Data && val(a).split >= 0 &&
        p_.splits()[static_cast<size_t>(val(a).split)].kind == SplitKind::Sample) {
      Value v = r;
      v.split = val(a).split;
      v.part = Part::Test;
      p_.split_mut(static_cast<uint32_t>(v.split)).complemented = true;
      result = make(std::move(v));
    } else {
      Value v = r;
      ValueId cols = kwarg(kwargs, "columns");
      if (cols == kNoValue && !args.empty()) cols = args[0];
      if (cols != kNoValue) {
        const Value& c = val(cols);
        if (c.kind == Kind::Scalar && !c.text.empty()) v.dropped.push_back(c.text);
        for (const auto& name : c.columns) v.dropped.push_back(name);
      }
      result = make(std::move(v));
    }
  } else if (method == "sort_values" || method == "set_index" || method == "resample" ||
             method == "asfreq" || method == "sort_index") {
    Value v = r;
    std::string_view by = args.empty() ? kwarg_node(call, "by", text_).text(text_)
                                       : call.field("arguments").named_child(0).text(text_);
    if (method == "resample" || method == "asfreq" || is_date_like_name(by) ||
        (method == "sort_index" && r.temporal)) {
      v.temporal = true;
      v.time_ordered = true;
    }
    result = make(std::move(v));
  } else if (method == "pop" && !args.empty() && val(args[0]).kind == Kind::Scalar) {
    // y = df.pop("target"): df loses the column, y is that column.
    Value rest = r;
    rest.dropped.push_back(val(args[0]).text);
    rebind(recv_node, make(std::move(rest)));
    Value col = r;
    col.shape = Shape::Series;
    col.columns = {val(args[0]).text};
    col.all_columns = false;
    return make(std::move(col));
  } else if (method == "to_numpy" || method == "ravel" || method == "reshape" ||
             method == "flatten") {
    result = with_shape(recv, Shape::Array);
  } else if (method == "iterrows" || method == "itertuples" || method == "items" ||
             method == "iteritems") {
    return unknown();
  } else if (method == "to_csv" || method == "to_parquet" || method == "to_sql" ||
             method == "plot" || method == "hist" || method == "info" || method == "head" ||
             method == "tail" || method == "sum" || method == "count" || method == "any" ||
             method == "all" || method == "nunique" || method == "duplicated" ||
             method == "isna" || method == "isnull" || method == "notna") {
    result = method == "head" || method == "tail" || method == "isna" || method == "isnull" ||
                     method == "notna" || method == "duplicated"
                 ? derive({recv}, Shape::Unknown)
                 : scalar();
    if (method == "sum" || method == "count" || method == "any" || method == "all" ||
        method == "nunique")
      result = derive({recv}, Shape::Unknown);
  } else {
    std::vector<ValueId> ins{recv};
    for (ValueId a : args)
      if (is_data(a)) ins.push_back(a);
    // test.assign(score=model.predict_proba(X_test)[:, 1]): as with `test["score"] = ...`, the
    // frame now holds the new columns' values (their rows, statistics and, for predictions, the
    // evaluation that made them: a metric on test["score"] scores that model).
    if (method == "assign")
      for (const auto& kv : kwargs)
        if (is_data(kv.second)) ins.push_back(kv.second);
    Value out = derived(ins, r.shape);
    out.part = r.part;
    out.split = r.split;
    if (method == "assign") out.sources = r.sources;  // a frame is not computed from its columns
    // users.index.isin(window["user_id"]): one flag per row of the receiver; the rows tested
    // against are not rows of the result (a per-user table did not start repeating per user
    // because its label looks up an order table).
    if (method == "isin") out.origins = r.origins;
    if (method == "apply" || method == "assign" || method == "astype" || method == "copy" ||
        method == "dropna" || method == "reset_index" || method == "rename" ||
        method == "drop_duplicates" || method == "query" || method == "filter" ||
        method == "select_dtypes" || method == "pipe")
      out.shape = r.shape;
    if (method == "filter" || method == "reindex" || method == "to_frame" || method == "melt" ||
        method == "pivot_table" || method == "stack" || method == "unstack")
      out.all_columns = false;
    if (Node index = kwarg_node(call, "index", text_); method == "pivot_table" && !index.is_null()) {
      // One row per index key, like groupby(key).agg(...): a new table whose rows are the keys
      // (a customer's rows pivoted into one row no longer repeat the customer), and like a
      // groupby, evidence that the pivoted rows repeat per key.
      const std::string_view keys = index.text(text_);
      if (is_entity_key(keys)) p_.add_grouping(GroupingEvent{call, r.origins, std::string(keys)});
      out.origins = {p_.add_origin(Origin{call, label_of(call)})};
      out.part = Part::Whole;
      out.split = -1;
    }
    if (method == "drop_duplicates") {
      // One row per key is left: with no date among the keys (the latest sale of each parcel),
      // the rows are a snapshot, not a series, whatever order chose the row that stays.
      ValueId subset = kwarg(kwargs, "subset");
      if (subset == kNoValue && !args.empty()) subset = args[0];
      const Value* keys = subset == kNoValue ? nullptr : &val(subset);
      std::vector<std::string> names;
      if (keys != nullptr && keys->kind == Kind::Scalar && !keys->text.empty())
        names.push_back(keys->text);
      if (keys != nullptr && keys->kind == Kind::Columns) names = keys->columns;
      if (!names.empty() && std::none_of(names.begin(), names.end(), [](const std::string& n) {
            return is_date_like_name(n);
          }))
        out.time_ordered = false;
    }
    result = make(std::move(out));
  }
  if (kwarg_node(call, "inplace", text_).text(text_) == "True") {
    rebind(recv_node, result);
    return scalar();
  }
  return result;
}

}  // namespace mlroast::lineage
