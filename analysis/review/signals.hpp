// What the review needs to know about each Python source beyond the rules' findings: the modules
// it imports, the functions it calls (qualified through the semantic model: "pandas.read_csv";
// method calls on local values as ".fit"), the first row of each, and per function the
// "preprocessing signature" used to spot training/serving duplication (P10): `col|method` for
// every `frame["col"] = ...method(...)` assignment and `fn|pandas.get_dummies` for calls of
// pandas' reshaping functions. Computed from the syntax tree only; the code is never run.
#pragma once

#include <functional>
#include <map>
#include <set>
#include <span>
#include <string_view>
#include <string>
#include <vector>

#include "analysis/finding.hpp"
#include "analysis/review/workspace.hpp"

namespace mlroast::review {

struct FunctionShape {
  std::string name;
  TextRange name_range;
  std::set<std::string> signature;
};

struct SourceSignals {
  std::string path;
  bool is_test = false;
  bool is_notebook = false;
  // A notebook's byte -> (1-based cell, 1-based line) map (SourceEntry::locate); empty for .py.
  std::function<std::pair<uint32_t, uint32_t>(uint32_t byte)> locate;
  std::set<std::string> modules;              // top-level package of every import: "sklearn"
  std::map<std::string, TextRange> calls;     // callee -> first call site
  std::set<std::string> file_signature;       // the whole file's preprocessing signature
  std::vector<FunctionShape> functions;
  std::size_t lines = 0;

  using Names = std::span<const std::string_view>;
  bool imports_any(Names modules) const;
  bool imports_any(std::initializer_list<std::string_view> m) const { return imports_any(Names(m.begin(), m.size())); }
  // The first call whose callee equals one of `names` or, for names starting with '.', whose
  // method name is that; nullptr when none.
  const TextRange* first_call(Names names) const;
  const TextRange* first_call(std::initializer_list<std::string_view> n) const {
    return first_call(Names(n.begin(), n.size()));
  }
  bool calls_any(Names names) const { return first_call(names) != nullptr; }
  bool calls_any(std::initializer_list<std::string_view> n) const { return first_call(n) != nullptr; }
};

SourceSignals scan_source(const SourceEntry& source);

}  // namespace mlroast::review
