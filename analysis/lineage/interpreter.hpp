// The abstract interpreter behind lineage::Program. Executes a module's statements in order over
// abstract Values (see value.hpp): assignments and unpacking, branches (both arms joined), loops
// (body once), with/try, function definitions (bodies interpreted at each call site with the
// arguments' values, bounded in depth and count; functions never called are interpreted once
// with unknown parameters so that every expression still gets a value). Records events and the
// value of every evaluated expression into the Program. Internal to analysis/lineage.
#pragma once

#include <string>
#include <string_view>
#include <functional>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "analysis/lineage/program.hpp"
#include "analysis/name_hash.hpp"

namespace mlroast::lineage {

// The value node of keyword argument `name` in `call`, or a null node.
syntax::Node kwarg_node(syntax::Node call, std::string_view name, std::string_view text);

class Interpreter {
 public:
  Interpreter(Program& program, const semantic::SemanticModel& sem);
  void run(syntax::Node module);

 private:
  using Node = syntax::Node;
  using Env = std::unordered_map<std::string, ValueId, NameHash, std::equal_to<>>;
  struct Function {
    Node node;
    int calls = 0;
    bool interpreted = false;
  };
  struct Frame {
    Env vars;
    ValueId ret = kNoValue;
  };

  // statements (interpreter.cpp)
  void exec_block(Node block);
  void exec(Node stmt);
  void exec_if(Node stmt);
  void keeps_best_so_far(Node if_stmt);
  ValueId row_permutation();
  std::unordered_map<ValueId, int32_t> permutation_splits_;  // permutation value -> split id + 1
  void exec_for(Node stmt);
  void bind_loop_target(Node target, ValueId iterable);
  void mark_several_models(ValueId& elem, const std::vector<ValueId>& items);
  void exec_function_def(Node def);
  void assign(Node target, ValueId v);
  void assign_subscript(Node target, ValueId v);
  ValueId call_function(int fn, Node call, const std::vector<ValueId>& args,
                        const std::vector<std::pair<std::string_view, ValueId>>& kwargs);

  // expressions (eval_expr.cpp)
  ValueId eval(Node expr);
  ValueId eval_uncached(Node expr);
  ValueId eval_identifier(Node id);
  ValueId eval_attribute(Node attr);
  ValueId eval_subscript(Node sub);
  // The rows of `b` (value `base`) on one side of a date cutoff: -1 before, +1 from it on.
  Value date_cut(Node s, ValueId base, const Value& b, const std::string& cutoff, int8_t direction);
  // What identifies a date mask's cutoff `operand` (value `v`): the date string it holds when
  // the analysis can read one (`"2024-03-01"`, `CUTOFF = "2024-03-01"`, `pd.Timestamp(CUTOFF)`),
  // else its source text.
  std::string cutoff_key(Node operand, ValueId v) const;
  ValueId eval_binary(Node op);
  // `g["y"].cumsum() - df["y"]`: marks that cumsum's window as excluding the current row.
  void exclude_current_row(Node op, const std::vector<ValueId>& operands);
  // Evaluates the expressions interpolated in an f-string (also in the parts of a concatenated
  // string and in format specifications), for what they do.
  void eval_interpolations(Node str);
  ValueId eval_sequence(Node seq);
  ValueId eval_comprehension(Node comp);
  ValueId columns_except(Node comp);
  ValueId names_present(Node comp);

  // calls (eval_call.cpp)
  ValueId eval_call(Node call);
  ValueId call_qualified(const std::string& q, Node call, std::vector<ValueId>& args,
                         std::vector<std::pair<std::string_view, ValueId>>& kwargs);
  ValueId call_data_method(ValueId recv, Node recv_node, std::string_view method, Node call,
                           std::vector<ValueId>& args,
                           std::vector<std::pair<std::string_view, ValueId>>& kwargs);
  ValueId call_estimator_method(ValueId recv, Node recv_node, std::string_view method,
                                Node call, std::vector<ValueId>& args,
                                std::vector<std::pair<std::string_view, ValueId>>& kwargs);
  ValueId construct_estimator(const std::string& q, Role role, Node call,
                              std::vector<ValueId>& args,
                              std::vector<std::pair<std::string_view, ValueId>>& kwargs);
  void read_transformer_columns(Value& e, const std::vector<ValueId>& specs, bool named);
  // Whether `n` spells row positions or labels: `np.arange(len(df))`, `range(n)`, `df.index`,
  // or list() / np.array() / `.values` / `.to_numpy()` of one of those.
  bool row_indices(Node n) const;
  ValueId train_test_split(Node call, std::vector<ValueId>& args,
                           std::vector<std::pair<std::string_view, ValueId>>& kwargs);
  ValueId cross_validate(const std::string& q, Node call, std::vector<ValueId>& args,
                         std::vector<std::pair<std::string_view, ValueId>>& kwargs);
  ValueId native_boosting(std::string_view q, Node call, std::vector<ValueId>& args,
                          std::vector<std::pair<std::string_view, ValueId>>& kwargs);
  // `stops`: the caller knows the validation sets decide when training stops (a Lightning
  // trainer built with EarlyStopping or a monitoring ModelCheckpoint).
  void fit_validation_sets(ValueId model, Node call, ValueId X,
                           std::vector<std::pair<std::string_view, ValueId>>& kwargs,
                           bool stops = false);

  // values (values.cpp)
  const Value& val(ValueId id) const { return p_.value(id); }
  ValueId make(Value&& v) { return p_.add(std::move(v)); }  // moved once, into place
  ValueId unknown() const { return unknown_; }
  ValueId module(std::string_view qualified);  // the Module value of that name (shared)
  ValueId scalar() const { return scalar_; }
  ValueId new_data(Node site, Shape shape, std::string label);
  ValueId as_data(ValueId v, Node site);  // Unknown used as data becomes data of a new origin
  ValueId derive(const std::vector<ValueId>& inputs, Shape shape);
  // What derive() would add, not added (an Unknown value when no input is data or a statistic).
  Value derived(const std::vector<ValueId>& inputs, Shape shape) const;
  // Bakes learn event `learn` into `v` when it is data.
  static void add_stat(Value& v, uint32_t learn);
  ValueId with_stat(ValueId data, uint32_t learn);
  ValueId with_shape(ValueId data, Shape shape);
  ValueId join(ValueId a, ValueId b);
  bool is_data(ValueId v) const;
  ValueId kwarg(const std::vector<std::pair<std::string_view, ValueId>>& kwargs,
                std::string_view name) const;
  // Rebinds the variable `target` (an identifier) to `v`: in-place updates (fit, inplace=True).
  void rebind(Node target, ValueId v);
  ValueId lookup(std::string_view name) const;
  void bind(std::string_view name, ValueId v);
  std::string label_of(Node n) const;
  void mark_scored(ValueId v);
  // A best is picked among `v`'s values (argmax, max, sorted, idxmax): the evaluations that
  // produced them are used for selection.
  void mark_selected(ValueId v);
  // A metric's value, remembering the evaluation whose predictions it scores.
  ValueId scored_scalar(const std::vector<ValueId>& args);
  // Records a use with the loop and statement it happens in.
  uint32_t add_use(UseEvent e);

  Program& p_;
  const semantic::SemanticModel& sem_;
  std::string_view text_;
  std::vector<Frame> frames_;
  std::vector<Function> functions_;
  std::unordered_map<const void*, int> fn_by_node_;
  ValueId unknown_ = kNoValue, scalar_ = kNoValue;
  // One value per distinct string or number literal, by its text (values never change once
  // made, so nodes of equal literals can share theirs): ~2,900 of the ~8,400 values of a
  // 2,000-line script were literals.
  std::unordered_map<std::string_view, ValueId, NameHash> strings_, numbers_;
  // Likewise one value per module or qualified name (`pandas.read_csv`): see module().
  Env modules_;
  int depth_ = 0;
  Node loop_;       // innermost for/while/lambda/comprehension being interpreted
  Node statement_;  // the simple statement being executed
  Node rhs_;        // the right-hand side of the assignment being executed, if any
  size_t budget_ = 0;  // expression evaluations left (bounds pathological inputs)
};

}  // namespace mlroast::lineage
