// Value construction and combination for the abstract interpreter: new data from a load, data
// derived from several inputs (origins, statistics and flags are unioned), joins at control-flow
// merges, and the bookkeeping of assignments.
#include <algorithm>
#include <boost/container/small_vector.hpp>

#include "analysis/lineage/interpreter.hpp"
#include "analysis/lineage/library.hpp"

namespace mlroast::lineage {

// Most merges add nothing new (the inputs of one step share their origins): no allocation then.
void merge_sorted(IdSet& into, const IdSet& from) {
  if (from.empty()) return;
  if (into.empty()) {
    into = from;
    return;
  }
  if (std::includes(into.begin(), into.end(), from.begin(), from.end())) return;
  IdSet out;
  out.reserve(into.size() + from.size());
  std::set_union(into.begin(), into.end(), from.begin(), from.end(), std::back_inserter(out));
  into = std::move(out);
}

bool Interpreter::is_data(ValueId v) const { return v != kNoValue && val(v).kind == Kind::Data; }

ValueId Interpreter::new_data(Node site, Shape shape, std::string label) {
  Value d;
  d.kind = Kind::Data;
  d.shape = shape;
  d.part = Part::Whole;
  d.origins.push_back(p_.add_origin(Origin{site, std::move(label)}));
  return make(std::move(d));
}

ValueId Interpreter::module(std::string_view qualified) {
  if (auto it = modules_.find(qualified); it != modules_.end()) return it->second;
  Value m;
  m.kind = Kind::Module;
  m.cls = std::string(qualified);
  const ValueId id = make(std::move(m));
  modules_.emplace(std::string(qualified), id);
  return id;
}

ValueId Interpreter::as_data(ValueId v, Node site) {
  if (v == kNoValue) v = unknown();
  Kind k = val(v).kind;
  if (k == Kind::Data) return v;
  if (k != Kind::Unknown) return v;
  ValueId d = new_data(site, Shape::Unknown, label_of(site));
  rebind(site, d);  // the variable now names this data, so later uses share its origin
  return d;
}

ValueId Interpreter::derive(const std::vector<ValueId>& inputs, Shape shape) {
  Value v = derived(inputs, shape);
  return v.kind == Kind::Unknown ? unknown() : make(std::move(v));
}

Value Interpreter::derived(const std::vector<ValueId>& raw_inputs, Shape shape) const {
  // Tuples (pd.concat([train, test]), np.hstack((a, b))) contribute their elements.
  // Inline buffers: one step rarely has more than a few inputs, and this runs for most steps.
  boost::container::small_vector<ValueId, 8> inputs;
  boost::container::small_vector<std::pair<ValueId, int>, 8> pending;
  for (std::size_t i = raw_inputs.size(); i-- > 0;) pending.emplace_back(raw_inputs[i], 0);
  while (!pending.empty()) {
    auto [id, depth] = pending.back();
    pending.pop_back();
    if (id == kNoValue) continue;
    const Value& v = val(id);
    if (v.kind == Kind::Tuple && depth < 4) {
      for (std::size_t i = v.items.size(); i-- > 0;) pending.emplace_back(v.items[i], depth + 1);
    } else {
      inputs.push_back(id);
    }
  }
  Value out;
  bool any_data = false, any_stat = false, first = true;
  for (ValueId id : inputs) {
    const Value& in = val(id);
    if (in.kind != Kind::Data && in.kind != Kind::Stat) continue;
    merge_sorted(out.origins, in.origins);
    merge_sorted(out.stats, in.stats);
    out.temporal = out.temporal || in.temporal;
    out.time_ordered = out.time_ordered || in.time_ordered;
    // a single selected column is a source of whatever is computed from it
    const auto add_source = [&out](const std::string& c) {
      if (std::find(out.sources.begin(), out.sources.end(), c) == out.sources.end())
        out.sources.push_back(c);
    };
    // (a one-column frame joined to others is a part of the result, not its source:
    // `load[["load_mw"]].join(weather)` is not computed from load_mw)
    // A statistic is one number (or one per group) for every row, not the rows of the columns
    // it summarises: `np.full(n, df["units"].mean())` is not computed from units row by row.
    if (in.kind == Kind::Data) {
      if (in.columns.size() == 1 && !(in.shape == Shape::Frame && inputs.size() > 1))
        add_source(in.columns.front());
      for (const auto& c : in.sources) add_source(c);
    }
    if (in.kind == Kind::Stat) {
      any_stat = true;
      continue;
    }
    any_data = true;
    if (out.produced_by < 0) out.produced_by = in.produced_by;  // proba >= t: still predictions
    if (first) {
      out.part = in.part;
      out.split = in.split;
      out.shape = in.shape;
      out.shifted = in.shifted;
      out.columns = in.columns;
      out.dropped = in.dropped;
      out.all_columns = in.all_columns;
      out.derived_cols = in.derived_cols;
      first = false;
    } else if (out.part != in.part || out.split != in.split) {
      // A training side and the validation cut taken from it (pd.concat([X_train, X_val]) to
      // refit before the test): the training rows of the split before, not all rows.
      const bool train_and_val = out.split == in.split && out.split >= 0 &&
                                 ((out.part == Part::Train && in.part == Part::Val) ||
                                  (out.part == Part::Val && in.part == Part::Train));
      const SplitEvent* cut =
          train_and_val ? &p_.splits()[static_cast<size_t>(out.split)] : nullptr;
      const Value* rows = cut != nullptr && !cut->inputs.empty() && cut->inputs[0] != kNoValue
                              ? &val(cut->inputs[0])
                              : nullptr;
      if (rows != nullptr && rows->kind == Kind::Data && rows->part == Part::Train) {
        out.part = Part::Train;
        out.split = rows->split;
        continue;
      }
      // The training side of a split and a training or validation cut of its other side
      // (train, rest = split(X); valid, test = split(rest); concat([train, valid]) to refit):
      // every row but the nested split's test rows, so that split's training side.
      const auto nested_training = [&](const Value& a, const Value& b) -> int32_t {
        if (a.part != Part::Train || a.split < 0 || b.split < 0 || b.split == a.split) return -1;
        if (b.part != Part::Train && b.part != Part::Val) return -1;
        const SplitEvent& inner = p_.splits()[static_cast<size_t>(b.split)];
        if (inner.inputs.empty() || inner.inputs[0] == kNoValue) return -1;
        const Value& from = val(inner.inputs[0]);
        const bool other_side = from.kind == Kind::Data && from.split == a.split &&
                                from.part != Part::Train && from.part != Part::Unknown;
        return other_side ? b.split : -1;
      };
      int32_t nested = nested_training(out, in);
      if (nested < 0) nested = nested_training(in, out);
      if (nested >= 0) {
        out.part = Part::Train;
        out.split = nested;
        continue;
      }
      // Rows of different partitions together: the whole data again (train + test).
      bool both_sides = out.part != Part::Unknown && in.part != Part::Unknown;
      out.part = both_sides ? Part::Whole : Part::Unknown;
      out.split = -1;
    }
  }
  if (!any_data) {
    if (!any_stat) return Value{};
    out.kind = Kind::Stat;
    return out;
  }
  out.kind = Kind::Data;
  if (shape != Shape::Unknown) out.shape = shape;
  return out;
}

void Interpreter::add_stat(Value& v, uint32_t learn) {
  if (v.kind != Kind::Data) return;
  auto it = std::lower_bound(v.stats.begin(), v.stats.end(), learn);
  if (it == v.stats.end() || *it != learn) v.stats.insert(it, learn);
}

ValueId Interpreter::with_stat(ValueId data, uint32_t learn) {
  const Value& d = val(data);
  if (d.kind != Kind::Data || std::binary_search(d.stats.begin(), d.stats.end(), learn))
    return data;  // nothing to add: the same value
  Value v = d;
  add_stat(v, learn);
  return make(std::move(v));
}

ValueId Interpreter::with_shape(ValueId data, Shape shape) {
  if (val(data).shape == shape) return data;
  Value v = val(data);
  v.shape = shape;
  return make(std::move(v));
}

ValueId Interpreter::join(ValueId a, ValueId b) {
  if (a == b || b == kNoValue) return a;
  if (a == kNoValue) return b;
  const Value& va = val(a);
  const Value& vb = val(b);
  if (va.kind == Kind::Unknown) return b;
  if (vb.kind == Kind::Unknown) return a;
  if ((va.kind == Kind::Data || va.kind == Kind::Stat) &&
      (vb.kind == Kind::Data || vb.kind == Kind::Stat)) {
    Value out = va;
    merge_sorted(out.origins, vb.origins);
    merge_sorted(out.stats, vb.stats);
    out.temporal = va.temporal || vb.temporal;
    out.time_ordered = va.time_ordered || vb.time_ordered;
    out.all_columns = va.all_columns && vb.all_columns;
    if (va.part != vb.part) {
      out.part = Part::Unknown;
      out.split = -1;
    }
    if (vb.kind == Kind::Data) out.kind = Kind::Data;
    return make(std::move(out));
  }
  if (va.kind == Kind::Estimator && vb.kind == Kind::Estimator) {
    Value out = vb;
    out.fitted = std::max(va.fitted, vb.fitted);
    out.several = va.several || vb.several;
    return make(std::move(out));
  }
  if (is_model_factory(va) && is_model_factory(vb)) {  // two model factories: what they make
    Value out = va;
    out.items = {join(va.items.front(), vb.items.front())};
    return make(std::move(out));
  }
  if (va.kind == Kind::Tuple && vb.kind == Kind::Tuple && va.items.size() == vb.items.size()) {
    Value out = va;
    for (size_t i = 0; i < out.items.size(); ++i) out.items[i] = join(va.items[i], vb.items[i]);
    return make(std::move(out));
  }
  return b;
}

ValueId Interpreter::kwarg(const std::vector<std::pair<std::string_view, ValueId>>& kwargs,
                           std::string_view name) const {
  for (const auto& kv : kwargs)
    if (kv.first == name) return kv.second;
  return kNoValue;
}

std::string Interpreter::label_of(Node n) const {
  std::string s(n.text(text_));
  for (char& c : s)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  if (s.size() > 60) s = s.substr(0, 57) + "...";
  return s;
}

void Interpreter::mark_selected(ValueId v) {
  std::vector<ValueId> pending{v};
  for (int guard = 0; !pending.empty() && guard < 10000; ++guard) {
    ValueId id = pending.back();
    pending.pop_back();
    if (id == kNoValue) continue;
    const Value& x = val(id);
    // Scores are selected among (argmax of F1s); predictions are only sorted or ranked
    // (np.argsort(proba) for a KS statistic or a lift table).
    if (x.produced_by >= 0 && x.kind != Kind::Data)
      p_.use_mut(static_cast<uint32_t>(x.produced_by)).selected = true;
    if (x.kind == Kind::Tuple) pending.insert(pending.end(), x.items.begin(), x.items.end());
  }
}

ValueId Interpreter::scored_scalar(const std::vector<ValueId>& args) {
  Value s;
  s.kind = Kind::Scalar;
  for (ValueId a : args)
    if (a != kNoValue && val(a).produced_by >= 0) s.produced_by = val(a).produced_by;
  return make(std::move(s));
}

void Interpreter::mark_scored(ValueId v) {
  if (v == kNoValue) return;
  const Value& x = val(v);
  if (x.produced_by >= 0) p_.use_mut(static_cast<uint32_t>(x.produced_by)).scored = true;
  if (x.kind == Kind::Tuple)
    for (ValueId i : std::vector<ValueId>(x.items)) mark_scored(i);
}

uint32_t Interpreter::add_use(UseEvent e) {
  e.loop = loop_;
  e.statement = statement_;
  return p_.add_use(std::move(e));
}

void Interpreter::assign(Node t, ValueId v) {
  if (t.is_null()) return;
  auto k = t.kind();
  if (k == "identifier") {
    bind(t.text(text_), v);
    p_.record(t, v);
    return;
  }
  if (k == "pattern_list" || k == "tuple_pattern" || k == "list_pattern" ||
      k == "expression_list" || k == "tuple" || k == "list") {
    const Value& src = val(v);
    uint32_t n = t.named_child_count();
    std::vector<ValueId> items =
        src.kind == Kind::Tuple ? src.items : std::vector<ValueId>{};
    size_t next = 0;
    for (uint32_t i = 0; i < n; ++i) {
      Node c = t.named_child(i);
      if (c.kind() == "list_splat_pattern" || c.kind() == "list_splat") {
        // starred target takes the middle elements
        size_t rest = n - i - 1;
        Value tup;
        tup.kind = Kind::Tuple;
        while (next + rest < items.size()) tup.items.push_back(items[next++]);
        if (c.named_child_count() > 0) assign(c.named_child(0), make(std::move(tup)));
        continue;
      }
      ValueId elem = unknown();
      if (!items.empty()) {
        if (next < items.size()) elem = items[next++];
      } else if (src.kind == Kind::Data) {
        elem = v;  // a, b = data_pair: each side shares the data's lineage
      } else if (src.kind == Kind::Scalar && src.produced_by >= 0) {
        elem = v;  // precision, recall, thresholds = precision_recall_curve(y, proba): scores
      }
      assign(c, elem);
    }
    return;
  }
  if (k == "parenthesized_expression" && t.named_child_count() == 1) {
    assign(t.named_child(0), v);
    return;
  }
  if (k == "subscript") {
    assign_subscript(t, v);
    return;
  }
  if (k == "attribute") eval(t.field("object"));
}

void Interpreter::assign_subscript(Node t, ValueId v) {
  // df["col"] = expr / df.loc[mask, "col"] = expr: the frame now carries expr's lineage.
  Node base = t.field("value");
  Node holder = base;
  if (base.kind() == "attribute") {
    std::string_view a = base.field("attribute").text(text_);
    if (a == "loc" || a == "iloc" || a == "at" || a == "iat") holder = base.field("object");
  }
  ValueId b = eval(holder);
  ValueId last_key = kNoValue;
  for (uint32_t i = 1; i < t.named_child_count(); ++i) last_key = eval(t.named_child(i));
  if (val(b).kind == Kind::Tuple) {  // results[name] = score: the dict now holds that value
    Value grown = val(b);
    // cfg["target"] = "y": that key's value is replaced (a dict keeps its keys in `columns`)
    const Value& key = val(last_key == kNoValue ? unknown() : last_key);
    bool replaced = false;
    if (grown.cls == "dict" && key.kind == Kind::Scalar && !key.text.empty())
      for (size_t i = 0; i < grown.columns.size() && i < grown.items.size(); ++i)
        if (grown.columns[i] == key.text) {
          grown.items[i] = v;
          replaced = true;
        }
    if (!replaced) {
      grown.items.push_back(v);
      if (grown.cls == "dict") {
        grown.columns.resize(grown.items.size() - 1);
        grown.columns.push_back(key.kind == Kind::Scalar ? key.text : "");
      }
    }
    rebind(holder, make(std::move(grown)));
    return;
  }
  if (!is_data(b)) return;
  Value merged = derived({b, v}, val(b).shape);
  merged.part = val(b).part;
  merged.split = val(b).split;
  merged.columns = val(b).columns;
  merged.sources.clear();  // a frame is not "computed from" columns; its columns are
  merged.derived_cols = val(b).derived_cols;
  // df["ppsf"] = df["price"] / df["sqft"]: remember what the new column is computed from.
  // Lags (shifted values) are legitimate uses of past targets and are not recorded.
  const Value& kv = val(last_key == kNoValue ? unknown() : last_key);
  const Value& rhs = val(v);
  // Aggregates over groups or windows (target encodings, rolling means) are judged by ML105,
  // ML202 and ML203, not as copies of the target.
  // Only the statistics the right side adds: `df["chg"] = df["y"] - df["y_lag"]` reads columns
  // of a frame that already carries an earlier rolling mean, which is not this column's.
  bool aggregate = false;
  const auto& frame_stats = val(b).stats;
  for (uint32_t st : rhs.stats) {
    if (std::find(frame_stats.begin(), frame_stats.end(), st) != frame_stats.end()) continue;
    StatKind sk = p_.learns()[st].kind;
    aggregate = aggregate || sk == StatKind::GroupAgg || sk == StatKind::Window;
  }
  // lagged["date_block_num"] = lagged["date_block_num"] + lag: the table's rows move to later
  // periods, so its group aggregates now describe earlier periods than the rows they join.
  if (kv.kind == Kind::Scalar && rhs_.kind() == "binary_operator" && rhs_.child_count() == 3 &&
      rhs_.child(1).kind() == "+" && library::is_date_like_name(kv.text) &&
      std::find(rhs.sources.begin(), rhs.sources.end(), kv.text) != rhs.sources.end()) {
    for (uint32_t st : merged.stats)
      if (p_.learns()[st].kind == StatKind::GroupAgg) p_.learn_mut(st).shifted_after = true;
  }
  // A frame that lists its columns (built empty, or a readable selection) gains this one.
  if (!merged.all_columns && val(b).shape == Shape::Frame && kv.kind == Kind::Scalar && !kv.text.empty() &&
      std::find(merged.columns.begin(), merged.columns.end(), kv.text) == merged.columns.end())
    merged.columns.push_back(kv.text);
  if (kv.kind == Kind::Scalar && !kv.text.empty() && !rhs.shifted && !aggregate) {
    std::vector<std::string> from = rhs.sources;
    if (rhs.columns.size() == 1 && rhs.kind == Kind::Data) from.push_back(rhs.columns.front());
    // `f["target"] = px["ret"]`: a copy of that one column (what `ret` was computed from is
    // `ret`'s own record); anything else is computed from its sources and theirs.
    const bool copy = rhs.sources.empty() && rhs.columns.size() == 1 && rhs.kind == Kind::Data;
    for (const auto& [name, src] : rhs.derived_columns())
      if (!copy && std::find(from.begin(), from.end(), name) != from.end())
        from.insert(from.end(), src.begin(), src.end());
    if (!from.empty()) {
      auto next = std::make_shared<Value::DerivedCols>(merged.derived_columns());
      next->emplace_back(kv.text, std::move(from));
      merged.derived_cols = std::move(next);
    }
  }
  rebind(holder, make(std::move(merged)));
}

}  // namespace mlroast::lineage
