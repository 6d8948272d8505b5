#include "analysis/lineage/program.hpp"

#include "analysis/lineage/interpreter.hpp"
#include "analysis/lineage/leaks.hpp"

namespace mlroast::lineage {

const char* to_string(Part p) {
  switch (p) {
    case Part::Unknown: return "unknown";
    case Part::Whole: return "all rows";
    case Part::Train: return "train";
    case Part::Test: return "test";
    case Part::Val: return "validation";
  }
  return "unknown";
}

Program::Program(syntax::Node root, const semantic::SemanticModel& sem) : sem_(sem) {
  if (!root.is_null()) Interpreter(*this, sem).run(root);
}

Program::~Program() = default;

const Value* Program::value_of(syntax::Node expr) const {
  auto it = by_node_.find(expr.id());
  return it == by_node_.end() ? nullptr : &values_[static_cast<size_t>(it->second)];
}

ValueId Program::add(Value v) {
  values_.push_back(std::move(v));
  return static_cast<ValueId>(values_.size() - 1);
}

uint32_t Program::add_origin(Origin o) {
  origins_.push_back(std::move(o));
  return static_cast<uint32_t>(origins_.size() - 1);
}

uint32_t Program::add_learn(LearnEvent e) {
  learns_.push_back(std::move(e));
  return static_cast<uint32_t>(learns_.size() - 1);
}

uint32_t Program::add_split(SplitEvent e) {
  splits_.push_back(std::move(e));
  return static_cast<uint32_t>(splits_.size() - 1);
}

}  // namespace mlroast::lineage
