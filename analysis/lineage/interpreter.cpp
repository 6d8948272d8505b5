// Statements and environments of the abstract interpreter (see interpreter.hpp).
#include "analysis/lineage/interpreter.hpp"

#include <algorithm>

#include "analysis/lineage/library.hpp"

namespace mlroast::lineage {

namespace {
constexpr int kMaxCallDepth = 4;
constexpr int kMaxCallsPerFunction = 24;
}  // namespace

Interpreter::Interpreter(Program& program, const semantic::SemanticModel& sem)
    : p_(program), sem_(sem), text_(sem.text()) {
  unknown_ = make(Value{});
  Value s;
  s.kind = Kind::Scalar;
  scalar_ = make(std::move(s));
  budget_ = 200000 + 40 * text_.size();
}

void Interpreter::run(Node module) {
  frames_.push_back(Frame{});
  exec_block(module);
  // Functions never called from the module still deserve values for their expressions:
  // interpret each once with unknown (or annotated) parameters.
  for (size_t i = 0; i < functions_.size(); ++i) {
    if (functions_[i].interpreted) continue;
    call_function(static_cast<int>(i), Node(), {}, {});
  }
}

ValueId Interpreter::lookup(std::string_view name) const {
  // Python functions see their own locals and the module's globals, not their callers'.
  auto f = frames_.back().vars.find(name);
  if (f != frames_.back().vars.end()) return f->second;
  f = frames_.front().vars.find(name);
  return f != frames_.front().vars.end() ? f->second : kNoValue;
}

void Interpreter::bind(std::string_view name, ValueId v) {
  Env& vars = frames_.back().vars;
  if (auto f = vars.find(name); f != vars.end())
    f->second = v;
  else
    vars.emplace(std::string(name), v);
}

void Interpreter::rebind(Node target, ValueId v) {
  if (target.is_null()) return;
  if (target.kind() == "identifier") {
    std::string_view name = target.text(text_);
    // Update the binding where it lives (a global mutated from a function stays global).
    for (Frame* fr : {&frames_.back(), &frames_.front()}) {
      auto f = fr->vars.find(name);
      if (f != fr->vars.end()) {
        f->second = v;
        return;
      }
    }
    bind(name, v);
  }
}

void Interpreter::exec_block(Node block) {
  for (Node s : syntax::children(block)) exec(s);
}

void Interpreter::exec(Node s) {
  if (s.is_null() || budget_ == 0) return;
  auto k = s.kind();
  bool compound = k == "for_statement" || k == "while_statement" || k == "if_statement" ||
                  k == "with_statement" || k == "try_statement" || k == "function_definition" ||
                  k == "class_definition" || k == "decorated_definition" || k == "block" ||
                  k == "module" || k == "match_statement" || k == "ERROR";
  if (!compound) statement_ = s;
  if (k == "expression_statement") {
    for (uint32_t i = 0; i < s.named_child_count(); ++i) {
      Node e = s.named_child(i);
      if (e.kind() == "assignment" || e.kind() == "augmented_assignment") exec(e);
      else eval(e);
    }
  } else if (k == "assignment") {
    Node right = s.field("right");
    ValueId v = unknown();
    if (right.kind() == "assignment") {  // a = b = value
      exec(right);
      Node inner = right;
      while (inner.kind() == "assignment" && inner.field("right").kind() == "assignment")
        inner = inner.field("right");
      v = eval(inner.field("right"));
    } else if (right) {
      v = eval(right);
      rhs_ = right;
    } else if (Node type = s.field("type")) {
      // `df: pd.DataFrame` without a value: nothing to bind
      return;
    }
    assign(s.field("left"), v);
    rhs_ = Node();
  } else if (k == "augmented_assignment") {
    Node left = s.field("left");
    ValueId r = eval(s.field("right"));
    ValueId l = eval(left);
    ValueId v = (is_data(l) || is_data(r)) ? derive({l, r}, val(is_data(l) ? l : r).shape) : l;
    if (left.kind() == "identifier") rebind(left, v);
    else if (left.kind() == "subscript") assign_subscript(left, v);
  } else if (k == "if_statement") {
    exec_if(s);
  } else if (k == "for_statement") {
    exec_for(s);
  } else if (k == "while_statement") {
    eval(s.field("condition"));
    Node outer = loop_;
    loop_ = s;
    exec_block(s.field("body"));
    loop_ = outer;
    if (Node alt = s.field("alternative")) exec_block(alt.field("body"));
  } else if (k == "with_statement") {
    for (uint32_t i = 0; i < s.named_child_count(); ++i) {
      Node c = s.named_child(i);
      if (c.kind() != "with_clause") continue;
      for (uint32_t j = 0; j < c.named_child_count(); ++j) {
        Node item = c.named_child(j).field("value");
        if (item.kind() == "as_pattern") {
          ValueId v = eval(item.named_child(0));
          Node alias = item.field("alias");
          if (alias && alias.named_child_count() > 0) assign(alias.named_child(0), v);
        } else {
          eval(item);
        }
      }
    }
    exec_block(s.field("body"));
  } else if (k == "try_statement") {
    exec_block(s.field("body"));
    for (uint32_t i = 0; i < s.named_child_count(); ++i) {
      Node c = s.named_child(i);
      if (c.kind() == "except_clause" || c.kind() == "except_group_clause") {
        for (uint32_t j = 0; j < c.named_child_count(); ++j)
          if (c.named_child(j).kind() == "block") exec_block(c.named_child(j));
      } else if (c.kind() == "else_clause" || c.kind() == "finally_clause") {
        if (Node b = c.field("body")) exec_block(b);
        else
          for (uint32_t j = 0; j < c.named_child_count(); ++j)
            if (c.named_child(j).kind() == "block") exec_block(c.named_child(j));
      }
    }
  } else if (k == "function_definition") {
    exec_function_def(s);
  } else if (k == "decorated_definition") {
    if (Node d = s.field("definition")) exec(d);
  } else if (k == "class_definition") {
    // Methods are interpreted once (as functions never called) with unknown parameters.
    Node body = s.field("body");
    for (Node m : syntax::children(body)) {
      if (m.kind() == "decorated_definition") m = m.field("definition");
      if (m.kind() == "function_definition") {
        fn_by_node_[m.id()] = static_cast<int>(functions_.size());
        functions_.push_back(Function{m});
      } else if (m.kind() != "function_definition") {
        exec(m);
      }
    }
    if (Node name = s.field("name")) {
      Value c;
      c.kind = Kind::Module;
      c.cls = std::string(name.text(text_));
      bind(name.text(text_), make(std::move(c)));
    }
  } else if (k == "return_statement") {
    ValueId v = s.named_child_count() > 0 ? eval(s.named_child(0)) : scalar();
    Frame& f = frames_.back();
    f.ret = f.ret == kNoValue ? v : join(f.ret, v);
  } else if (k == "match_statement") {
    eval(s.field("subject"));
    Node body = s.field("body");
    for (uint32_t i = 0; body && i < body.named_child_count(); ++i)
      if (Node cb = body.named_child(i).field("consequence")) exec_block(cb);
  } else if (k == "delete_statement" || k == "assert_statement" || k == "print_statement" ||
             k == "raise_statement") {
    for (uint32_t i = 0; i < s.named_child_count(); ++i) eval(s.named_child(i));
  } else if (k == "block" || k == "module") {
    exec_block(s);
  } else if (k == "ERROR") {
    // Syntax errors mid-edit: analyse the statements tree-sitter could still recognise.
    for (Node c : syntax::children(s))
      if (c.kind().ends_with("statement") || c.kind() == "assignment") exec(c);
  }
  // import statements, pass, break, continue, global, nonlocal: nothing to track here
}

// `if f1 > best_f1: best_t, best_f1 = t, f1` in a loop: the running best of a score. The score
// compared is selected among, as by max()/argmax() over a list of them.
void Interpreter::keeps_best_so_far(Node s) {
  Node cond = s.field("condition");
  if (!loop_ || cond.kind() != "comparison_operator" || cond.named_child_count() != 2 ||
      cond.child_count() != 3)
    return;
  std::string_view op = cond.child(1).kind();
  if (op != ">" && op != ">=" && op != "<" && op != "<=") return;
  for (uint32_t i = 0; i < 2; ++i) {
    Node score = cond.named_child(i), best = cond.named_child(1 - i);
    if (best.kind() != "identifier") continue;
    const Value& v = val(eval(score));
    if (v.produced_by < 0 || v.kind == Kind::Data) continue;
    // the consequence rebinds the other operand: it keeps the best so far
    bool rebinds = false;
    syntax::walk(s.field("consequence"), [&](Node n) {
      if (rebinds) return false;
      if (n.kind() == "assignment") {
        Node left = n.field("left");
        if (left.kind() == "identifier" && left.text(text_) == best.text(text_)) rebinds = true;
        for (Node c : syntax::children(left))
          if (c.kind() == "identifier" && c.text(text_) == best.text(text_)) rebinds = true;
      }
      return !rebinds;
    });
    if (rebinds) mark_selected(eval(score));
  }
}

void Interpreter::exec_if(Node s) {
  eval(s.field("condition"));
  keeps_best_so_far(s);
  Env before = frames_.back().vars;
  exec_block(s.field("consequence"));
  std::vector<Env> arms{frames_.back().vars};
  bool has_else = false;
  for (uint32_t i = 0; i < s.named_child_count(); ++i) {
    Node c = s.named_child(i);
    if (c.kind() != "elif_clause" && c.kind() != "else_clause") continue;
    frames_.back().vars = before;
    if (c.kind() == "elif_clause") {
      eval(c.field("condition"));
      exec_block(c.field("consequence"));
    } else {
      has_else = true;
      exec_block(c.field("body"));
    }
    arms.push_back(frames_.back().vars);
  }
  if (!has_else) arms.push_back(before);
  // Join: a name bound to different values in different arms gets their join.
  Env joined = arms.front();
  for (size_t a = 1; a < arms.size(); ++a) {
    for (auto& [name, v] : arms[a]) {
      auto it = joined.find(name);
      if (it == joined.end()) joined.emplace(name, v);
      else if (it->second != v) it->second = join(it->second, v);
    }
  }
  frames_.back().vars = std::move(joined);
}

void Interpreter::bind_loop_target(Node left, ValueId it) {
  const Value& iv = val(it);
  bool pair = (left.kind() == "pattern_list" || left.kind() == "tuple_pattern") &&
              left.named_child_count() == 2;
  if (iv.kind == Kind::Tuple && iv.cls == "folds" && iv.items.size() == 2 && pair) {
    // for train_idx, test_idx in splitter.split(X): fold indices with parts Train / Test
    assign(left.named_child(0), iv.items[0]);
    assign(left.named_child(1), iv.items[1]);
  } else if (iv.kind == Kind::Tuple && iv.cls == "enumerate" && iv.items.size() == 1 && pair) {
    // for i, item in enumerate(xs): i is a number, item iterates xs
    assign(left.named_child(0), scalar());
    Node inner = left.named_child(1);
    if (inner.kind() == "parenthesized_expression" && inner.named_child_count() == 1)
      inner = inner.named_child(0);
    bind_loop_target(inner, iv.items[0]);
  } else if (iv.kind == Kind::Columns) {
    assign(left, scalar());
  } else if (iv.kind == Kind::Tuple && !iv.items.empty() && iv.cls != "enumerate") {
    ValueId elem = iv.items.front();
    for (size_t i = 1; i < iv.items.size(); ++i) elem = join(elem, iv.items[i]);
    mark_several_models(elem, iv.items);
    assign(left, elem);
  } else {
    assign(left, unknown());
  }
}

// A loop over a list/dict of estimators of different classes: the loop variable stands for
// several models (ML111 compares them); elements may be (name, model) pairs. A `sklearn.dummy`
// baseline among them is a reference point, not a candidate: [baseline, model] is one model.
void Interpreter::mark_several_models(ValueId& elem, const std::vector<ValueId>& items) {
  std::vector<std::string> classes;
  const auto made = [&](const Value* v) {  // a model factory (`lambda: Model()`): its model
    return is_model_factory(*v) ? &val(v->items.front()) : v;
  };
  for (ValueId it : items) {
    const Value* v = &val(it);
    if (v->kind == Kind::Tuple && v->items.size() == 2) v = &val(v->items[1]);
    v = made(v);
    if (v->kind == Kind::Estimator && !library::is_dummy(v->cls) &&
        std::find(classes.begin(), classes.end(), v->cls) == classes.end())
      classes.push_back(v->cls);
  }
  if (classes.size() < 2) return;
  // A copy of a model marked as several models, or of a factory of one; kNoValue for the rest.
  const auto marked = [&](ValueId id) {
    const Value* model = made(&val(id));
    if (model->kind != Kind::Estimator) return kNoValue;
    Value m = *model;
    m.several = true;
    const ValueId several = make(std::move(m));
    if (val(id).kind == Kind::Estimator) return several;
    Value factory = val(id);
    factory.items = {several};
    return make(std::move(factory));
  };
  Value e = val(elem);
  if (e.kind == Kind::Tuple && e.items.size() == 2) {  // (name, model)
    const ValueId m = marked(e.items[1]);
    if (m == kNoValue) return;
    e.items[1] = m;
    elem = make(std::move(e));
  } else if (const ValueId m = marked(elem); m != kNoValue) {
    elem = m;
  }
}

void Interpreter::exec_for(Node s) {
  bind_loop_target(s.field("left"), eval(s.field("right")));
  Node outer = loop_;
  loop_ = s;
  exec_block(s.field("body"));
  loop_ = outer;
  if (Node alt = s.field("alternative")) exec_block(alt.field("body"));
}

void Interpreter::exec_function_def(Node def) {
  int idx;
  auto found = fn_by_node_.find(def.id());
  if (found == fn_by_node_.end()) {
    idx = static_cast<int>(functions_.size());
    fn_by_node_[def.id()] = idx;
    functions_.push_back(Function{def});
  } else {
    idx = found->second;
  }
  // Default values are evaluated at definition time.
  if (Node params = def.field("parameters"))
    for (uint32_t i = 0; i < params.named_child_count(); ++i)
      if (Node d = params.named_child(i).field("value")) eval(d);
  Value f;
  f.kind = Kind::Function;
  f.fn = idx;
  if (Node name = def.field("name")) bind(name.text(text_), make(std::move(f)));
}

ValueId Interpreter::call_function(int fn, Node call, const std::vector<ValueId>& args,
                                   const std::vector<std::pair<std::string_view, ValueId>>& kwargs) {
  Function& f = functions_[static_cast<size_t>(fn)];
  if (depth_ >= kMaxCallDepth || f.calls >= kMaxCallsPerFunction || budget_ == 0) {
    std::vector<ValueId> ins = args;
    for (auto& kv : kwargs) ins.push_back(kv.second);
    return ins.empty() ? unknown() : derive(ins, Shape::Unknown);
  }
  ++f.calls;
  f.interpreted = true;
  ++depth_;
  Frame frame;
  // Module globals stay visible: a function frame sits above the module frame.
  size_t positional = 0;
  if (Node params = f.node.field("parameters")) {
    for (uint32_t i = 0; i < params.named_child_count(); ++i) {
      Node p = params.named_child(i);
      auto pk = p.kind();
      Node name = pk == "identifier" ? p : p.field("name");
      if (pk == "typed_parameter" && p.named_child_count() > 0) name = p.named_child(0);
      if (!name || name.kind() != "identifier") {
        if (pk == "list_splat_pattern" || pk == "dictionary_splat_pattern") continue;
        continue;
      }
      std::string pname(name.text(text_));
      if (pname == "self" || pname == "cls") {
        if (i == 0 && call.is_null()) continue;
      }
      ValueId v = kNoValue;
      for (auto& kv : kwargs)
        if (kv.first == pname) v = kv.second;
      if (v == kNoValue && positional < args.size()) v = args[positional++];
      if (v == kNoValue) {
        if (Node d = p.field("value")) v = eval(d);
      }
      if (v == kNoValue) {
        // A parameter of unknown value: annotated DataFrames/arrays are data of their own origin.
        std::string_view ann = p.field("type") ? p.field("type").text(text_) : std::string_view{};
        if (ann.find("DataFrame") != std::string_view::npos)
          v = new_data(name, Shape::Frame, "parameter " + pname);
        else if (ann.find("Series") != std::string_view::npos)
          v = new_data(name, Shape::Series, "parameter " + pname);
        else if (ann.find("ndarray") != std::string_view::npos)
          v = new_data(name, Shape::Array, "parameter " + pname);
        else
          v = unknown();
      }
      frame.vars[pname] = v;
      p_.record(name, v);
    }
  }
  frames_.push_back(std::move(frame));
  exec_block(f.node.field("body"));
  ValueId ret = frames_.back().ret;
  frames_.pop_back();
  --depth_;
  return ret == kNoValue ? scalar() : ret;
}

}  // namespace mlroast::lineage
