// The semantic model of one Python file: lexical scopes (module, functions, lambdas, classes,
// comprehensions are folded into their enclosing function) and the names each scope binds,
// with imports resolved to qualified names. Rules ask "what does this expression name?" and get
// "sklearn.preprocessing.StandardScaler" for `SS` after `from sklearn.preprocessing import
// StandardScaler as SS`, never the raw text. Built once per analysis; logically read-only
// afterwards (qualified names are memoised as they are asked for, safely for concurrent readers:
// a parallel analysis reads it from two threads). The model keeps a view of the source text: the
// text must outlive it.
#pragma once

#include <atomic>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "analysis/name_hash.hpp"
#include "analysis/syntax/tree.hpp"

namespace mlroast::semantic {

enum class BindingKind { Import, Local };

struct Binding {
  BindingKind kind = BindingKind::Local;
  std::string qualified;  // for imports: "pandas", "sklearn.preprocessing.StandardScaler"
  uint32_t byte = 0;      // where it is bound (first binding in the scope)
};

struct Import {
  std::string qualified;  // the module or member imported
  std::string bound_as;   // the local name
  uint32_t byte = 0;
  syntax::Node node;      // the import statement
};

class SemanticModel {
 public:
  SemanticModel(syntax::Node root, std::string_view text);

  // Innermost scope containing `byte` (0 = module scope).
  int scope_at(uint32_t byte) const;
  // The binding `name` resolves to from `scope` (Python LEGB without the class-scope subtleties);
  // nullptr when the name is not bound in the file (a builtin or a typo).
  const Binding* lookup(std::string_view name, int scope) const;

  // Qualified name of an identifier or attribute chain: "pandas.read_csv" for `pd.read_csv`,
  // "builtins.print" for an unshadowed builtin, "" when the head is a local variable or unknown.
  // Memoised per node of the model's tree (the interpreter and a dozen rules ask about the same
  // calls): the reference stays valid for the model's lifetime.
  const std::string& qualified_name(syntax::Node expr) const;
  // Qualified name of a call's callee ("" when unknown).
  const std::string& callee(syntax::Node call) const;
  // True when any import in the file names `module` or a submodule/member of it.
  bool imports(std::string_view module) const;
  const std::vector<Import>& all_imports() const { return imports_; }
  std::string_view text() const { return text_; }
  std::string_view text_of(syntax::Node n) const { return n.text(text_); }

 private:
  struct Scope {
    uint32_t start = 0, end = 0;
    int parent = -1;
    std::unordered_map<std::string, Binding, NameHash, std::equal_to<>> names;
  };
  std::string compute_qualified_name(syntax::Node expr) const;
  void collect(syntax::Node root);
  void bind_target(syntax::Node target, int scope);
  void bind(std::string name, Binding b, int scope);

  std::string_view text_;
  std::vector<Scope> scopes_;  // in pre-order of their start byte
  std::vector<Import> imports_;
  // The memo of qualified_name(): per node index of the model's tree, the name (null = not
  // computed yet). Readers on several threads: a slot is published with a compare-and-swap, the
  // names live in a deque that only grows (references stay valid) under names_mutex_, and a
  // name computed twice by racing readers is equal, so either copy serves.
  const syntax::detail::FlatTree* tree_ = nullptr;
  mutable std::vector<std::atomic<const std::string*>> memo_;
  mutable std::mutex names_mutex_;  // guards names_ and foreign_
  mutable std::deque<std::string> names_;
  mutable std::unordered_map<const void*, std::string> foreign_;
};

// True when `name` is a Python builtin function or constant.
bool is_builtin(std::string_view name);

}  // namespace mlroast::semantic
