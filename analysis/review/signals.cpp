#include "analysis/review/signals.hpp"

#include "analysis/semantic/model.hpp"
#include "analysis/source_file.hpp"
#include "analysis/syntax/tree.hpp"

namespace mlroast::review {

namespace {

constexpr std::string_view kReshapers[] = {"pandas.get_dummies", "pandas.to_numeric",
                                           "pandas.to_datetime", "pandas.cut", "pandas.qcut"};

// The name a call is known by: the qualified callee, or ".method" for a method of a local value.
std::string call_name(const semantic::SemanticModel& sem, syntax::Node call) {
  const std::string& q = sem.callee(call);
  if (!q.empty()) return q;
  syntax::Node fn = call.field("function");
  if (fn.kind() == "attribute") {
    syntax::Node attr = fn.field("attribute");
    if (!attr.is_null()) return "." + std::string(sem.text_of(attr));
  }
  return {};
}

std::string string_content(const semantic::SemanticModel& sem, syntax::Node s) {
  if (s.kind() != "string") return {};
  std::string_view t = sem.text_of(s);
  while (!t.empty() && (t.front() == 'r' || t.front() == 'b' || t.front() == 'u' || t.front() == 'R'))
    t.remove_prefix(1);
  if (t.size() >= 2 && (t.front() == '"' || t.front() == '\'') && t.back() == t.front())
    return std::string(t.substr(1, t.size() - 2));
  return {};
}

// Adds the signature entries of `node` (a statement or a whole body) to `sig`.
void signature_of(const semantic::SemanticModel& sem, syntax::Node node, std::set<std::string>& sig) {
  syntax::walk(node, [&](syntax::Node n) {
    if (n.kind() == "call") {
      const std::string& name = sem.callee(n);
      for (std::string_view r : kReshapers)
        if (name == r) sig.insert("fn|" + name);
    }
    if (n.kind() != "assignment") return true;
    syntax::Node left = n.field("left"), right = n.field("right");
    if (left.kind() != "subscript" || right.is_null()) return true;
    std::string col = string_content(sem, left.field("subscript"));
    if (col.empty()) return true;
    syntax::walk(right, [&](syntax::Node c) {
      if (c.kind() == "call") {
        std::string name = call_name(sem, c);
        std::size_t dot = name.rfind('.');
        if (!name.empty()) sig.insert(col + "|" + name.substr(dot == std::string::npos ? 0 : dot + 1));
      }
      return true;
    });
    return true;
  });
}

}  // namespace

bool SourceSignals::imports_any(Names mods) const {
  for (std::string_view m : mods)
    if (modules.count(std::string(m))) return true;
  return false;
}

const TextRange* SourceSignals::first_call(Names names) const {
  const TextRange* best = nullptr;
  for (std::string_view n : names) {
    if (!n.empty() && n.front() == '.') {
      for (const auto& [callee, range] : calls) {
        if (callee.size() > n.size() && callee.compare(callee.size() - n.size(), n.size(), n) == 0 &&
            (best == nullptr || range.start_byte < best->start_byte))
          best = &range;
        if (callee == n && (best == nullptr || range.start_byte < best->start_byte)) best = &range;
      }
      continue;
    }
    auto it = calls.find(std::string(n));
    if (it != calls.end() && (best == nullptr || it->second.start_byte < best->start_byte))
      best = &it->second;
  }
  return best;
}

SourceSignals scan_source(const SourceEntry& source) {
  SourceSignals s;
  s.path = source.path;
  s.is_notebook = source.is_notebook;
  s.locate = source.locate;
  s.is_test = is_test_path(source.path);
  for (char c : source.text) s.lines += c == '\n' ? 1 : 0;
  thread_local syntax::Parser parser;
  syntax::Tree tree = parser.parse_once(source.text);
  if (!tree.valid()) return s;
  syntax::Node root = tree.root();
  semantic::SemanticModel sem(root, source.text);
  for (const semantic::Import& imp : sem.all_imports()) {
    std::string top = imp.qualified.substr(0, imp.qualified.find('.'));
    if (!top.empty()) s.modules.insert(top);
  }
  syntax::walk(root, [&](syntax::Node n) {
    if (n.kind() == "call") {
      std::string name = call_name(sem, n);
      if (!name.empty()) s.calls.emplace(name, TextRange::of(n));  // keeps the first (pre-order)
    } else if (n.kind() == "function_definition") {
      FunctionShape f;
      syntax::Node name = n.field("name");
      f.name = std::string(sem.text_of(name));
      f.name_range = TextRange::of(name);
      signature_of(sem, n.field("body"), f.signature);
      s.functions.push_back(std::move(f));
    }
    return true;
  });
  signature_of(sem, root, s.file_signature);
  return s;
}

}  // namespace mlroast::review
