// Expressions other than calls: names, attributes, subscripts (column selection, positional and
// date-mask splits, fold indices), operators, literals, sequences and comprehensions.
#include <algorithm>
#include <boost/container/small_vector.hpp>
#include <cstdlib>
#include <functional>

#include "analysis/lineage/interpreter.hpp"
#include "analysis/lineage/library.hpp"

namespace mlroast::lineage {

namespace {
constexpr int kMaxExprDepth = 400;

std::string_view unquote(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && s[i] != '"' && s[i] != '\'') ++i;  // skip prefixes r, b, u, f
  if (i >= s.size()) return s;
  char q = s[i];
  size_t n = (s.size() - i >= 6 && s.substr(i, 3) == std::string(3, q)) ? 3 : 1;
  if (s.size() < i + 2 * n) return {};
  return s.substr(i + n, s.size() - i - 2 * n);
}

}  // namespace

ValueId Interpreter::eval(Node e) {
  if (e.is_null()) return unknown();
  if (budget_ == 0) return unknown();
  --budget_;
  static thread_local int expr_depth = 0;
  if (expr_depth > kMaxExprDepth) return unknown();
  ++expr_depth;
  ValueId v = eval_uncached(e);
  --expr_depth;
  if (v == kNoValue) v = unknown();
  p_.record(e, v);
  return v;
}

ValueId Interpreter::eval_uncached(Node e) {
  auto k = e.kind();
  if (k == "identifier") return eval_identifier(e);
  if (k == "attribute") return eval_attribute(e);
  if (k == "call") return eval_call(e);
  if (k == "subscript") return eval_subscript(e);
  if (k == "binary_operator" || k == "boolean_operator" || k == "comparison_operator" ||
      k == "unary_operator" || k == "not_operator")
    return eval_binary(e);
  if (k == "string" || k == "concatenated_string") {
    // f"AUC {roc_auc_score(y_test, proba):.3f}": what the interpolations compute happens (a
    // model scored, a key counted); the string itself stays a scalar
    eval_interpolations(e);
    const std::string_view content = k == "string" ? unquote(e.text(text_)) : std::string_view();
    auto [it, added] = strings_.try_emplace(content, kNoValue);
    if (added) {
      Value s;
      s.kind = Kind::Scalar;
      s.text = std::string(content);
      it->second = make(std::move(s));
    }
    return it->second;
  }
  if (k == "integer" || k == "float") {
    auto [it, added] = numbers_.try_emplace(e.text(text_), kNoValue);
    if (added) {
      Value s;
      s.kind = Kind::Scalar;
      s.number = std::strtod(std::string(e.text(text_)).c_str(), nullptr);
      it->second = make(std::move(s));
    }
    return it->second;
  }
  if (k == "true" || k == "false" || k == "none" || k == "ellipsis") return scalar();
  if (k == "parenthesized_expression")
    return e.named_child_count() > 0 ? eval(e.named_child(0)) : unknown();
  if (k == "list" || k == "tuple" || k == "expression_list" || k == "set" ||
      k == "pattern_list")
    return eval_sequence(e);
  if (k == "list_comprehension" || k == "generator_expression" || k == "set_comprehension" ||
      k == "dictionary_comprehension")
    return eval_comprehension(e);
  if (k == "conditional_expression") {
    ValueId a = e.named_child_count() > 0 ? eval(e.named_child(0)) : unknown();
    if (e.named_child_count() > 1) eval(e.named_child(1));
    ValueId b = e.named_child_count() > 2 ? eval(e.named_child(2)) : unknown();
    return join(a, b);
  }
  if (k == "named_expression") {
    ValueId v = eval(e.field("value"));
    assign(e.field("name"), v);
    return v;
  }
  if (k == "lambda") {
    // Evaluate the body once with unknown parameters so its calls are recorded.
    frames_.push_back(Frame{});
    Node outer = loop_;
    loop_ = e;
    const ValueId body = eval(e.field("body"));
    loop_ = outer;
    frames_.pop_back();
    // `lambda: LGBMClassifier(...)` (a model factory in a dict of candidates): calling it
    // gives the body's value.
    if (e.field("parameters").is_null() && val(body).kind == Kind::Estimator) {
      Value factory;
      factory.kind = Kind::Function;
      factory.items = {body};
      return make(std::move(factory));
    }
    return unknown();
  }
  if (k == "await" || k == "list_splat" || k == "dictionary_splat")
    return e.named_child_count() > 0 ? eval(e.named_child(0)) : unknown();
  if (k == "dictionary") {
    // {"lr": LogisticRegression(), "rf": RandomForestClassifier()}: a tuple of its values
    // with its string keys in `columns` ("" for any other key): CONFIG["target"] reads one
    Value t;
    t.kind = Kind::Tuple;
    t.cls = "dict";
    for (Node c : syntax::children(e)) {
      if (c.kind() != "pair") continue;
      const Value& key = val(eval(c.field("key")));
      std::string name = key.kind == Kind::Scalar && c.field("key").kind() == "string" ? key.text
                                                                                       : "";
      ValueId item = eval(c.field("value"));
      t.columns.push_back(std::move(name));
      t.items.push_back(item);
    }
    return make(std::move(t));
  }
  // slices, f-string interpolations...: evaluate the parts, value unknown
  for (Node c : syntax::children(e)) {
    if (c.kind() == "pair") {
      eval(c.field("key"));
      eval(c.field("value"));
    } else if (c.kind() != "comment") {
      eval(c);
    }
  }
  return unknown();
}

void Interpreter::eval_interpolations(Node str) {
  static const uint16_t kInterpolation = syntax::symbol_for("interpolation");
  static const uint16_t kString = syntax::symbol_for("string");
  static const uint16_t kFormatSpecifier = syntax::symbol_for("format_specifier");
  for (uint32_t i = 0, n = str.named_child_count(); i < n; ++i) {
    Node c = str.named_child(i);
    const uint16_t sym = c.symbol();
    if (sym == kString || sym == kFormatSpecifier) {
      eval_interpolations(c);
    } else if (sym == kInterpolation) {
      if (Node expr = c.field("expression")) eval(expr);
      for (uint32_t j = 0, m = c.named_child_count(); j < m; ++j)
        if (c.named_child(j).symbol() == kFormatSpecifier) eval_interpolations(c.named_child(j));
    }
  }
}

ValueId Interpreter::eval_identifier(Node id) {
  std::string_view name = id.text(text_);
  ValueId v = lookup(name);
  if (v != kNoValue) return v;
  const std::string& q = sem_.qualified_name(id);
  return q.empty() ? unknown() : module(q);
}

ValueId Interpreter::eval_attribute(Node a) {
  ValueId obj = eval(a.field("object"));
  std::string_view name = a.field("attribute").text(text_);
  const Value& o = val(obj);
  switch (o.kind) {
    case Kind::Module:
      return module(o.cls + "." + std::string(name));
    case Kind::Data: {
      if (name == "values" || name == "T") return with_shape(obj, Shape::Array);
      if (name == "index") {
        // row labels: the rows' lineage, but not computed from any column's values
        Value v = o;
        v.shape = Shape::Array;
        v.sources.clear();
        v.columns.clear();
        v.all_columns = false;
        return make(std::move(v));
      }
      if (name == "dt") {
        Value v = o;
        v.temporal = true;
        return make(std::move(v));
      }
      if (name == "str" || name == "cat" || name == "loc" || name == "iloc" || name == "at" ||
          name == "iat" || name == "data" || name == "target" || name == "frame")
        return obj;
      if (name == "columns") {
        Value c;
        c.kind = Kind::Columns;
        return make(std::move(c));
      }
      if (name == "shape" || name == "size" || name == "ndim" || name == "dtypes" ||
          name == "empty" || name == "dtype" || name == "name")
        return scalar();
      if (o.shape == Shape::Frame) {  // df.colname
        Value col = o;
        col.shape = Shape::Series;
        col.all_columns = false;
        col.columns = {std::string(name)};
        return make(std::move(col));
      }
      return obj;
    }
    case Kind::Stat:
      return obj;  // corr.index, stats.values: still the learned statistic
    case Kind::Estimator:
      if (name == "best_estimator_") return obj;
      if (o.fitted >= 0 && (name == "feature_importances_" || name == "coef_" ||
                            name == "ranking_" || name == "support_" || name == "scores_")) {
        Value s;  // learned from the data the estimator was fitted on
        s.kind = Kind::Stat;
        s.stats = {static_cast<uint32_t>(o.fitted)};
        return make(std::move(s));
      }
      return unknown();
    default:
      return unknown();
  }
}

ValueId Interpreter::eval_subscript(Node s) {
  Node base_node = s.field("value");
  ValueId base = eval(base_node);
  // Inline: a subscript has one or two keys, and this runs for every df["col"] of the file.
  boost::container::small_vector<Node, 2> keys;
  boost::container::small_vector<ValueId, 2> key_values;
  // Every named child after the subscripted value is a key (`df.loc[rows, cols]` has two).
  for (uint32_t i = 1; i < s.named_child_count(); ++i) {
    Node key = s.named_child(i);
    if (key.kind() == "comment") continue;
    keys.push_back(key);
    key_values.push_back(eval(key));
  }
  const Value& b = val(base);
  if (b.kind == Kind::Tuple) {
    const Value& key = val(key_values.empty() ? kNoValue : key_values[0]);
    if (keys.size() == 1 && b.cls == "dict" && key.kind == Kind::Scalar && !key.text.empty()) {
      // d["lgbm"], or d[name] with `name = "lgbm"`
      for (size_t i = 0; i < b.columns.size() && i < b.items.size(); ++i)
        if (b.columns[i] == key.text) return b.items[i];
      return unknown();
    }
    // candidates[best] with `best` chosen at run time (max of the scores): one of the models
    if (keys.size() == 1 && b.cls == "dict" && keys[0].kind() != "string" && !b.items.empty() &&
        std::all_of(b.items.begin(), b.items.end(), [&](ValueId i) {
          return i != kNoValue && (val(i).kind == Kind::Estimator || is_model_factory(val(i)));
        })) {
      ValueId chosen = b.items.front();
      for (size_t i = 1; i < b.items.size(); ++i) chosen = join(chosen, b.items[i]);
      return chosen;
    }
    if (keys.size() == 1 && keys[0].kind() == "integer") {
      long i = std::strtol(std::string(keys[0].text(text_)).c_str(), nullptr, 10);
      if (i < 0) i += static_cast<long>(b.items.size());
      if (i >= 0 && static_cast<size_t>(i) < b.items.size()) return b.items[static_cast<size_t>(i)];
    }
    return unknown();
  }
  if (b.kind == Kind::Stat) return base;
  if (b.kind == Kind::Scalar && b.produced_by >= 0) return base;  // f1s[:-1]: still the scores
  if (b.kind == Kind::Columns) {
    // X.columns[np.argsort(mi)[-10:]]: the selected names carry the statistic that chose them;
    // which names are kept (cols[:-1]) is not known
    Value c = b;
    c.columns.clear();
    for (ValueId k : key_values)
      for (uint32_t st : val(k).stats)
        if (std::find(c.stats.begin(), c.stats.end(), st) == c.stats.end()) c.stats.push_back(st);
    std::sort(c.stats.begin(), c.stats.end());
    return make(std::move(c));
  }
  if (b.kind != Kind::Data || keys.empty()) return unknown();

  bool indexer = false;
  if (base_node.kind() == "attribute") {
    std::string_view a = base_node.field("attribute").text(text_);
    indexer = a == "loc" || a == "iloc" || a == "at" || a == "iat";
  }
  Node row_key = keys[0];
  const Value& kv = val(key_values[0]);
  Value out = b;

  // Positional slices X[:n] / X[n:] split rows into a first (train) and a last (test) part.
  if (row_key.kind() == "slice" && (indexer || b.shape != Shape::Frame)) {
    bool has_start = false, has_stop = false;
    bool before_colon = true;
    for (uint32_t i = 0; i < row_key.child_count(); ++i) {
      Node c = row_key.child(i);
      if (c.kind() == ":") {
        if (!before_colon) break;
        before_colon = false;
      } else if (c.is_named()) {
        (before_colon ? has_start : has_stop) = true;
      }
    }
    if (b.cls == "permutation" && b.split < 0) {
      // idx[:n_tr] / idx[n_tr:n_tr + n_va] / idx[n_tr + n_va:]: the cuts of one permutation
      // are the sides of one split (the rows they index join it when they are indexed)
      int32_t& sid = permutation_splits_[base];
      if (sid == 0) {
        SplitEvent ev{s, SplitKind::Permutation, {}, true, false, "permutation"};
        sid = static_cast<int32_t>(p_.add_split(std::move(ev))) + 1;
      }
      out.split = sid - 1;
      // which cut trains and which tests is in the names, not the positions (the order is
      // random): a split, sides unknown
      out.part = Part::Unknown;
    } else if (has_start != has_stop && b.origins.size() < 2) {
    // A slice of a concatenation of separately loaded sets re-separates them: not a split.
      SplitEvent ev{s, SplitKind::Positional, {base}, false, false, "slice"};
      out.split = static_cast<int32_t>(p_.add_split(std::move(ev)));
      out.part = has_stop ? (b.part == Part::Train ? Part::Train : Part::Train) : Part::Test;
      if (b.part == Part::Train && has_start) out.part = Part::Val;
    }
  } else if (kv.kind == Kind::Data && kv.fold_index) {
    out.part = kv.part;
    out.split = kv.split;
    // X[idx[:k]], X[train_idx]: the rows a permutation's cut or a split's row indices index
    // are an input of that split
    if (kv.split >= 0) {
      SplitEvent& ev = p_.split_mut(static_cast<uint32_t>(kv.split));
      const bool indices_split =
          ev.kind == SplitKind::Permutation || ev.kind == SplitKind::TrainTestSplit;
      if (indices_split && std::find(ev.inputs.begin(), ev.inputs.end(), base) == ev.inputs.end())
        ev.inputs.push_back(base);
      // X_train[val_idx] with indices split from the training rows: a validation cut (also
      // with the indices of one GroupShuffleSplit fold: `next(inner.split(dev, groups=...))`)
      if ((ev.kind == SplitKind::TrainTestSplit || ev.kind == SplitKind::SingleFold) &&
          b.part == Part::Train && out.part == Part::Test)
        out.part = Part::Val;
    }
  } else if (kv.kind == Kind::Data && kv.mask_direction == 2) {
    // A window: the rows after `lower`, then of those the rows before `upper` (the two cuts a
    // train / validation / test by date makes, so that train + validation is a training side)
    const size_t sep = kv.text.find('\x1f');
    const ValueId later = make(date_cut(s, base, b, kv.text.substr(0, sep), +1));
    out = date_cut(s, later, val(later), kv.text.substr(sep + 1), -1);
  } else if (kv.kind == Kind::Data && kv.mask_direction != 0) {
    out = date_cut(s, base, b, kv.text, kv.mask_direction);
  } else if (kv.kind == Kind::Scalar && !kv.text.empty() && !indexer) {
    out.shape = Shape::Series;
    out.columns = {kv.text};
    out.sources.clear();  // the column itself; derived_cols says what it was computed from
    out.all_columns = false;
  } else if (kv.kind == Kind::Columns && kv.cls == kColumnsExcept) {
    out.shape = Shape::Frame;  // df[[c for c in df.columns if c not in ids]]: all but those
    out.dropped.insert(out.dropped.end(), kv.dropped.begin(), kv.dropped.end());
  } else if (kv.kind == Kind::Columns || kv.kind == Kind::Stat) {
    out.shape = Shape::Frame;
    out.all_columns = false;
    // the names selected, or none known (`df[kept + CAT_COLS]` with `kept` chosen by a
    // statistic): never the base's own (an aggregated table's `units_sold`)
    out.columns.clear();
    if (kv.kind == Kind::Columns) out.columns = kv.columns;
    for (uint32_t st : kv.stats) {
      p_.learn_mut(st).applied |= kApplySelect;
      add_stat(out, st);
    }
  } else if (!indexer && kv.kind != Kind::Data && row_key.kind() != "slice") {
    // df[a + b], df[cols()]: a column selection the engine cannot read; only some columns
    out.all_columns = false;
  }
  // df.loc[rows, "col"] / df.loc[rows, cols]: the column part
  if (keys.size() > 1) {
    out.all_columns = false;  // an explicit column part: only those columns remain
    const Value& ck = val(key_values[1]);
    if (ck.kind == Kind::Scalar && !ck.text.empty()) {
      out.shape = Shape::Series;
      out.columns = {ck.text};
      out.sources.clear();
    } else if (ck.kind == Kind::Columns || ck.kind == Kind::Stat) {
      out.shape = Shape::Frame;
      for (uint32_t st : ck.stats) {
        p_.learn_mut(st).applied |= kApplySelect;
        add_stat(out, st);
      }
    }
  }
  if (b.shape == Shape::GroupBy || b.shape == Shape::Window) out.shape = b.shape;
  return make(std::move(out));
}

Value Interpreter::date_cut(Node s, ValueId base, const Value& b, const std::string& cutoff,
                            int8_t direction) {
  Value out = b;
  // One split per cutoff over the same rows: `df[df.date < T]` and `df[df.date >= T]` are its
  // two sides, whichever statement takes each.
  int32_t id = -1;
  for (uint32_t i = 0; i < p_.splits().size() && !cutoff.empty(); ++i) {
    const SplitEvent& ev = p_.splits()[i];
    if (ev.kind != SplitKind::Mask || ev.cutoff != cutoff || ev.inputs.empty()) continue;
    const Value& rows = val(ev.inputs[0]);
    if (rows.origins == b.origins && rows.part == b.part && rows.split == b.split)
      id = static_cast<int32_t>(i);
  }
  if (id < 0) {
    SplitEvent ev{s, SplitKind::Mask, {base}, false, false, "date cutoff"};
    ev.cutoff = cutoff;
    id = static_cast<int32_t>(p_.add_split(std::move(ev)));
  }
  out.split = id;
  out.part = direction < 0 ? Part::Train : Part::Test;
  // the later rows of the training side: a validation cut (train, valid = cut(train_full))
  if (b.part == Part::Train && out.part == Part::Test) out.part = Part::Val;
  out.temporal = true;
  return out;
}

// g["y"].cumsum() - df["y"]: the sum of the earlier rows only, as a shift(1) before the window
// would give ("purchases so far, this one excluded"). Only a cumsum written right there: one
// kept in a variable may be used elsewhere with the current row in.
void Interpreter::exclude_current_row(Node op, const std::vector<ValueId>& operands) {
  if (op.kind() != "binary_operator" || op.child_count() != 3 || op.child(1).kind() != "-" ||
      operands.size() != 2)
    return;
  const Node left = op.named_child(0);
  const Node fn = left.kind() == "call" ? left.field("function") : Node();
  if (!fn || fn.kind() != "attribute" || fn.field("attribute").text(text_) != "cumsum") return;
  const Value& current = val(operands[1]);
  if (current.kind != Kind::Data || current.shifted || current.columns.size() != 1) return;
  for (uint32_t li : val(operands[0]).stats) {
    const LearnEvent& l = p_.learns()[li];
    if (l.kind != StatKind::Window || l.site != left || l.data == kNoValue) continue;
    const Value& summed = val(l.data);
    if (summed.columns.size() == 1 && summed.columns.front() == current.columns.front())
      p_.learn_mut(li).shifted_after = true;
  }
}

ValueId Interpreter::eval_binary(Node op) {
  std::vector<ValueId> operands;
  for (uint32_t i = 0; i < op.named_child_count(); ++i) operands.push_back(eval(op.named_child(i)));
  bool any_data = false, any_stat = false;
  for (ValueId v : operands) {
    any_data = any_data || val(v).kind == Kind::Data;
    any_stat = any_stat || val(v).kind == Kind::Stat;
  }
  if (!any_data && !any_stat && op.kind() == "binary_operator" && op.child_count() == 3 &&
      op.child(1).kind() == "+" && operands.size() == 2 && val(operands[0]).kind == Kind::Columns &&
      val(operands[1]).kind == Kind::Columns && val(operands[0]).cls.empty() &&
      val(operands[1]).cls.empty()) {
    Value names;  // [TARGET] + DROP_COLS: both lists of names
    names.kind = Kind::Columns;
    const Value& a = val(operands[0]);
    const Value& b = val(operands[1]);
    // Names chosen by a statistic (`kept = X.columns[selector.get_support()]`, which names is
    // not known) keep it in `kept + CAT_COLS`; the sum's names are then unknown too.
    if (!a.columns.empty() && !b.columns.empty()) {
      names.columns = a.columns;
      names.columns.insert(names.columns.end(), b.columns.begin(), b.columns.end());
    }
    names.stats = a.stats;
    merge_sorted(names.stats, b.stats);
    return make(std::move(names));
  }
  if (!any_data && !any_stat) {
    // Arithmetic on a model's score is still that score: 2 * p * r / (p + r) from
    // precision_recall_curve(y_test, proba) is an F1 of the model on the test rows.
    for (ValueId v : operands)
      if (val(v).kind == Kind::Scalar && val(v).produced_by >= 0) return scored_scalar({v});
    return scalar();
  }
  if (any_data && any_stat)
    for (ValueId v : operands)
      if (val(v).kind == Kind::Stat)
        for (uint32_t st : val(v).stats) p_.learn_mut(st).applied |= kApplyArithmetic;
  exclude_current_row(op, operands);
  ValueId r = derive(operands, Shape::Unknown);
  auto k = op.kind();
  if (k == "unary_operator" && op.child_count() > 0 && op.child(0).kind() == "~" &&
      val(r).kind == Kind::Data && !operands.empty()) {
    Value flipped = val(operands.back());  // derive() does not carry the mask's direction
    // ~(after lower and before upper) is no single side of a date
    flipped.mask_direction = flipped.mask_direction == 2
                                 ? int8_t{0}
                                 : static_cast<int8_t>(-flipped.mask_direction);
    return make(std::move(flipped));
  }
  bool date_operand = false;  // only a comparison asks (a date mask)
  for (uint32_t i = 0; k == "comparison_operator" && i < op.named_child_count(); ++i) {
    const Value& v = val(operands[i]);
    if (v.kind != Kind::Data || !v.temporal) continue;
    // df.index < cutoff on a frame with parsed dates: its (date) index
    Node operand = op.named_child(i);
    const bool index = operand.kind() == "attribute" &&
                       operand.field("attribute").text(text_) == "index";
    date_operand = date_operand || index || library::is_date_like_name(operand.text(text_)) ||
                   (!v.columns.empty() && library::is_date_like_name(v.columns.front()));
  }
  if (k == "comparison_operator" && val(r).kind == Kind::Data && date_operand) {
    // df["date"] < cutoff: a chronological mask (direction from the first operator)
    for (uint32_t i = 0; i < op.child_count(); ++i) {
      auto t = op.child(i).kind();
      int8_t dir = (t == "<" || t == "<=")   ? int8_t{-1}
                   : (t == ">" || t == ">=") ? int8_t{1}
                                             : int8_t{0};
      if (dir == 0) continue;
      // `cutoff > df.date` reads the other way round
      if (!operands.empty() && val(operands[0]).kind != Kind::Data) dir = static_cast<int8_t>(-dir);
      Value m = val(r);
      m.mask_direction = dir;
      m.shape = Shape::Series;
      // the cutoff's text (derive() carries none): masks at the same date over the same rows
      // are one split
      if (op.named_child_count() == 2)
        for (uint32_t j = 0; j < 2; ++j)
          if (val(operands[j]).kind != Kind::Data) m.text = cutoff_key(op.named_child(j), operands[j]);
      return make(std::move(m));
    }
  }
  // (df.date >= lower) & (df.date < upper): the rows between two cutoffs (a window)
  if (k == "binary_operator" && op.child_count() == 3 && op.child(1).kind() == "&" &&
      operands.size() == 2 && val(r).kind == Kind::Data) {
    const Value& a = val(operands[0]);
    const Value& b = val(operands[1]);
    if (a.kind == Kind::Data && b.kind == Kind::Data && a.mask_direction * b.mask_direction == -1 &&
        !a.text.empty() && !b.text.empty()) {
      const Value& lower = a.mask_direction > 0 ? a : b;
      const Value& upper = a.mask_direction > 0 ? b : a;
      Value w = val(r);
      w.mask_direction = 2;
      w.text = lower.text + '\x1f' + upper.text;
      w.shape = Shape::Series;
      return make(std::move(w));
    }
  }
  return r;  // any other operation on masks: derive() gave it no direction, so no date side
}

std::string Interpreter::cutoff_key(Node operand, ValueId v) const {
  // The date string of a literal or of a name bound to one; '"' keeps it apart from source text.
  const auto string_of = [&](Node n, ValueId value) -> std::string {
    if (value != kNoValue && val(value).kind == Kind::Scalar && !val(value).text.empty())
      return '"' + val(value).text;
    if (n.kind() == "string") return '"' + std::string(unquote(n.text(text_)));
    if (n.kind() == "identifier") {
      const ValueId bound = lookup(n.text(text_));
      if (bound != kNoValue && val(bound).kind == Kind::Scalar && !val(bound).text.empty())
        return '"' + val(bound).text;
    }
    return {};
  };
  if (std::string key = string_of(operand, v); !key.empty()) return key;
  // pd.Timestamp(CUTOFF), pd.to_datetime("2024-03-01"): the string parsed
  if (operand.kind() == "call") {
    const std::string& q = sem_.qualified_name(operand.field("function"));
    Node args = operand.field("arguments");
    if ((q == "pandas.Timestamp" || q == "pandas.to_datetime" ||
         q == "datetime.datetime.fromisoformat") &&
        args && args.named_child_count() == 1)
      if (std::string key = string_of(args.named_child(0), kNoValue); !key.empty()) return key;
  }
  return std::string(operand.text(text_));
}

ValueId Interpreter::eval_sequence(Node seq) {
  Value t;
  t.kind = Kind::Tuple;
  bool all_strings = seq.named_child_count() > 0;
  std::vector<std::string> names;
  for (Node c : syntax::children(seq)) {
    if (c.kind() == "comment") continue;
    ValueId v = eval(c);
    t.items.push_back(v);
    const Value& cv = val(v);
    // ["a", "b"] or [target, "id"] with target = "churn": column names
    if (cv.kind == Kind::Scalar && !cv.text.empty()) names.push_back(cv.text);
    else all_strings = false;
  }
  if (all_strings && seq.kind() != "expression_list") {
    Value c;
    c.kind = Kind::Columns;
    c.columns = std::move(names);
    return make(std::move(c));
  }
  return make(std::move(t));
}

// [c for c in df.columns if c not in ID_COLS] / ... if c != "id" and c not in DROP + [TARGET]:
// every column of the frame except the names the filters exclude; kNoValue for any other
// comprehension.
ValueId Interpreter::columns_except(Node comp) {
  if (comp.kind() != "list_comprehension") return kNoValue;
  Node body = comp.field("body");
  if (body.kind() != "identifier") return kNoValue;
  std::string_view var = body.text(text_);
  Value except;
  except.kind = Kind::Columns;
  except.cls = std::string(kColumnsExcept);
  // the names a node lists: "id", ID_COLS, ID_COLS + [TARGET]
  std::function<bool(Node)> names_of = [&](Node n) {
    if (n.kind() == "binary_operator" && n.child_count() == 3 && n.child(1).kind() == "+")
      return names_of(n.named_child(0)) && names_of(n.named_child(1));
    const Value& v = val(eval(n));
    if (v.kind == Kind::Scalar && !v.text.empty()) {
      except.dropped.push_back(v.text);
      return true;
    }
    if (v.kind == Kind::Tuple && !v.items.empty()) {  // ("timestamp", TARGET)
      for (ValueId item : v.items) {
        if (val(item).kind != Kind::Scalar || val(item).text.empty()) return false;
        except.dropped.push_back(val(item).text);
      }
      return true;
    }
    if (v.kind != Kind::Columns || v.columns.empty() || v.cls == kColumnsExcept) return false;
    except.dropped.insert(except.dropped.end(), v.columns.begin(), v.columns.end());
    return true;
  };
  // c not in NAMES / c != "name", joined by `and`
  std::function<bool(Node)> excludes = [&](Node cond) {
    if (cond.kind() == "parenthesized_expression" && cond.named_child_count() == 1)
      return excludes(cond.named_child(0));
    if (cond.kind() == "boolean_operator")
      return cond.child_count() == 3 && cond.child(1).kind() == "and" &&
             excludes(cond.named_child(0)) && excludes(cond.named_child(1));
    if (cond.kind() != "comparison_operator" || cond.named_child_count() != 2 ||
        cond.named_child(0).text(text_) != var)
      return false;
    std::string op;
    for (uint32_t k = 0; k < cond.child_count(); ++k)
      if (!cond.child(k).is_named()) op += std::string(cond.child(k).kind());
    return (op == "not in" || op == "!=") && names_of(cond.named_child(1));
  };
  bool over_columns = false;
  for (uint32_t i = 0; i < comp.named_child_count(); ++i) {
    Node c = comp.named_child(i);
    if (c.kind() == "for_in_clause") {
      Node right = c.field("right");
      if (over_columns || c.field("left").text(text_) != var || right.kind() != "attribute" ||
          right.field("attribute").text(text_) != "columns")
        return kNoValue;
      over_columns = true;
    } else if (c.kind() == "if_clause") {
      if (c.named_child_count() == 0 || !excludes(c.named_child(0))) return kNoValue;
    } else if (c != body) {
      return kNoValue;
    }
  }
  return over_columns ? make(std::move(except)) : kNoValue;
}

// [c for c in DROP_COLS if c in df.columns] / ... if c in df / [c for c in FEATURES]: the names of
// the list (those present in the frame, which is all a drop or a selection can use); kNoValue for
// any other comprehension (a filter on anything else picks an unknown subset).
ValueId Interpreter::names_present(Node comp) {
  if (comp.kind() != "list_comprehension") return kNoValue;
  Node body = comp.field("body");
  if (body.kind() != "identifier") return kNoValue;
  std::string_view var = body.text(text_);
  const auto presence = [&](Node cond) {
    if (cond.kind() != "comparison_operator" || cond.named_child_count() != 2 ||
        cond.child_count() != 3 || cond.child(1).kind() != "in" ||
        cond.named_child(0).text(text_) != var)
      return false;
    Node in = cond.named_child(1);
    if (in.kind() == "attribute") return in.field("attribute").text(text_) == "columns";
    return in.kind() == "identifier" && val(eval(in)).kind == Kind::Data;
  };
  ValueId names = kNoValue;
  for (uint32_t i = 0; i < comp.named_child_count(); ++i) {
    Node c = comp.named_child(i);
    if (c.kind() == "for_in_clause") {
      if (names != kNoValue || c.field("left").text(text_) != var) return kNoValue;
      const Value& v = val(eval(c.field("right")));
      if (v.kind != Kind::Columns || v.columns.empty() || v.cls == kColumnsExcept) return kNoValue;
      names = eval(c.field("right"));
    } else if (c.kind() == "if_clause") {
      if (c.named_child_count() == 0 || !presence(c.named_child(0))) return kNoValue;
    } else if (c != body) {
      return kNoValue;
    }
  }
  if (names == kNoValue) return kNoValue;
  Value copy = val(names);
  return make(std::move(copy));
}

ValueId Interpreter::eval_comprehension(Node comp) {
  struct RestoreLoop {
    Node& slot;
    Node saved;
    ~RestoreLoop() { slot = saved; }
  } restore{loop_, loop_};
  loop_ = comp;
  ValueId body = kNoValue;
  Node body_node = comp.field("body");
  for (uint32_t i = 0; i < comp.named_child_count(); ++i) {
    Node c = comp.named_child(i);
    if (c.kind() == "for_in_clause") {
      ValueId it = eval(c.field("right"));
      const Value& iv = val(it);
      ValueId elem = iv.kind == Kind::Tuple && !iv.items.empty() ? iv.items.front()
                     : iv.kind == Kind::Columns                  ? scalar()
                                                                 : unknown();
      assign(c.field("left"), elem);
    } else if (c.kind() == "if_clause") {
      if (c.named_child_count() > 0) eval(c.named_child(0));
    }
  }
  if (ValueId except = columns_except(comp); except != kNoValue) return except;
  if (ValueId present = names_present(comp); present != kNoValue) return present;
  if (body_node) {
    if (body_node.kind() == "pair") {
      eval(body_node.field("key"));
      body = eval(body_node.field("value"));
    } else {
      body = eval(body_node);
    }
  }
  if (body != kNoValue && val(body).kind == Kind::Scalar && val(body).produced_by < 0) {
    Value c;
    c.kind = Kind::Columns;
    return make(std::move(c));
  }
  Value t;
  t.kind = Kind::Tuple;
  if (body != kNoValue) t.items.push_back(body);
  return make(std::move(t));
}

}  // namespace mlroast::lineage
