// The anatomy of a rule. A rule declares its metadata (RuleInfo: code, slug, category, default
// severity, fix availability and its doc block) and the node kinds it wants to see; the analyzer
// walks each tree once and fans nodes out to the rules that asked for their kind, then calls
// finish() for rules that judge the whole file. Rules report through RuleContext::report and
// never keep state across files: one Rule instance analyses one file at a time on one thread.
// A rule says where it reads the lineage program (lineage()): what does not need the program
// runs while the program is being built, on a second thread when the analysis is parallel.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <typeindex>
#include <typeinfo>
#include <unordered_map>
#include <vector>

#include "analysis/finding.hpp"
#include "analysis/semantic/model.hpp"
#include "analysis/source_file.hpp"
#include "analysis/syntax/tree.hpp"

namespace mlroast {

namespace lineage {
class Program;
}

enum class Category {
  Leakage,          // ML1xx
  TimeSeries,       // ML2xx
  DataQuality,      // ML3xx
  Evaluation,       // ML4xx
  DeepLearning,     // ML5xx
  Reproducibility,  // ML6xx and P-rules
  CodeQuality,      // ML7xx
};
const char* to_string(Category c);

enum class FixAvailability { None, Sometimes, Always };

struct RuleInfo {
  std::string_view code;      // "ML703"
  std::string_view slug;      // "bare-except"
  Category category;
  Severity severity;          // default severity
  FixAvailability fix;
  std::string_view summary;   // one line, used in listings
  std::string_view doc;       // Markdown with the headings What it finds / Why it matters /
                              // Example / Use instead / Fix safety / References
};

// The whole-file facts several rules share (see RuleContext::shared), safe to use from the two
// threads of a parallel analysis: each fact is made once, by whichever rule asks first.
class SharedFacts {
 public:
  template <class T, class Make>
  const T& get(Make&& make) {
    Slot* slot = nullptr;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      std::unique_ptr<Slot>& s = slots_[std::type_index(typeid(T))];
      if (!s) s = std::make_unique<Slot>();
      slot = s.get();
    }
    std::call_once(slot->once, [&] { slot->value = std::shared_ptr<const T>(make()); });
    return *static_cast<const T*>(slot->value.get());
  }

 private:
  struct Slot {
    std::once_flag once;
    std::shared_ptr<const void> value;
  };
  std::mutex mutex_;
  std::unordered_map<std::type_index, std::unique_ptr<Slot>> slots_;
};

class RuleContext {
 public:
  // A context with facts of its own (tests, single rules).
  RuleContext(const SourceFile& file, const semantic::SemanticModel& sem,
              const lineage::Program* program, std::vector<Finding>& sink, bool fixes = true)
      : RuleContext(file, sem, program, sink, fixes, own_facts_) {}
  // A context whose shared facts live in `facts` (the analyzer's: one per analysis and kind of
  // rule, with and without the lineage program).
  RuleContext(const SourceFile& file, const semantic::SemanticModel& sem,
              const lineage::Program* program, std::vector<Finding>& sink, bool fixes,
              SharedFacts& facts)
      : RuleContext(file, sem, program, sink, fixes, facts, facts) {}
  // ...and the facts that need no program in `program_free_facts` (the analyzer's lineage rules
  // read those of the rules without lineage).
  RuleContext(const SourceFile& file, const semantic::SemanticModel& sem,
              const lineage::Program* program, std::vector<Finding>& sink, bool fixes,
              SharedFacts& facts, SharedFacts& program_free_facts)
      : file_(file),
        sem_(sem),
        program_(program),
        sink_(sink),
        fixes_(fixes),
        facts_(facts),
        program_free_facts_(program_free_facts) {}
  RuleContext(const RuleContext&) = delete;
  RuleContext& operator=(const RuleContext&) = delete;
  const SourceFile& file() const { return file_; }
  std::string_view text() const { return file_.text; }
  std::string_view text_of(syntax::Node n) const { return n.text(file_.text); }
  const semantic::SemanticModel& sem() const { return sem_; }
  // The lineage engine's results for this file; null for rules that run without it
  // (Rule::lineage()) and in contexts built without it.
  const lineage::Program* program() const { return program_; }
  void report(Finding f) { sink_.push_back(std::move(f)); }
  // Whether findings should carry their fix. The server analyses every keystroke without fixes
  // and computes them only when the client asks for code actions; rules skip the (sometimes
  // costly) fix construction when this is false.
  bool fixes_wanted() const { return fixes_; }
  // A whole-file fact several rules need (the workflow facts of the ML40x rules, the torch model
  // facts of ML5xx), computed once per analysis and shared: `make` returns a std::shared_ptr<T>
  // and runs on the first call for T only. Rules with and without the lineage program never
  // share a fact (a fact made without the program would be wrong for those that read it).
  template <class T, class Make>
  const T& shared(Make&& make) const {
    return facts_.get<T>(std::forward<Make>(make));
  }
  // A whole-file fact that does not depend on the lineage program (`make` never reads
  // program()): shared by every rule of the analysis, with or without the program, so a rule
  // can compute it in before_program() and read it in finish().
  template <class T, class Make>
  const T& shared_without_program(Make&& make) const {
    return program_free_facts_.get<T>(std::forward<Make>(make));
  }
  // Every call node of the file in pre-order, once the analyzer's walk has collected them (null
  // before, and in contexts without that walk): workflow::calls() reads them instead of walking
  // the tree again.
  void set_call_nodes(const std::vector<syntax::Node>* nodes) { call_nodes_ = nodes; }
  const std::vector<syntax::Node>* call_nodes() const { return call_nodes_; }

 private:
  SharedFacts own_facts_;  // declared first: constructed before facts_ may refer to it
  const SourceFile& file_;
  const semantic::SemanticModel& sem_;
  const lineage::Program* program_;
  std::vector<Finding>& sink_;
  bool fixes_;
  SharedFacts& facts_;
  SharedFacts& program_free_facts_;
  const std::vector<syntax::Node>* call_nodes_ = nullptr;
};

class Rule {
 public:
  virtual ~Rule() = default;
  virtual const RuleInfo& info() const = 0;
  // Node kinds this rule wants to visit ("call", "except_clause", ...). May be empty.
  virtual std::vector<std::string_view> kinds() const { return {}; }
  virtual void visit(syntax::Node, RuleContext&) {}
  // Called once after the walk; whole-file rules report here.
  virtual void finish(RuleContext&) {}
  // Where the rule reads the lineage program: ctx.program() is null where it does not (None:
  // in visit() and finish(); InFinish: in visit()), and that part runs while the program is
  // being built. The default, InVisit, waits for the program for all of it, so a rule that
  // forgets to declare loses only speed, never findings.
  enum class Lineage { None, InFinish, InVisit };
  virtual Lineage lineage() const { return Lineage::InVisit; }
  // For an InVisit rule: whether visit(n) may do anything with `n`, asked during the walk while
  // the program is still being built (ctx.program() is null); nodes turned down are never
  // visited. Each question of visit() that needs no program and is answered here instead (the
  // callee's written or qualified name, its keyword arguments) moves that cost off the critical
  // path. It must hold for every node visit() acts on, and visit() may rely on it. Keeps every
  // node by default.
  virtual bool select(syntax::Node, const RuleContext&) const { return true; }
  // For a rule that reads the program (InVisit, InFinish): called once after the walk, before
  // the program is ready (in a parallel analysis, on the helper thread while the program is
  // being built), with ctx.program() null. Computes what finish() will need that does not
  // depend on the program, into facts shared with RuleContext::shared_without_program().
  virtual void before_program(const RuleContext&) {}

 protected:
  // A finding of this rule on `node` with its default severity.
  Finding finding(syntax::Node node, std::string message) const {
    Finding f;
    f.code = std::string(info().code);
    f.message = std::move(message);
    f.range = TextRange::of(node);
    f.severity = info().severity;
    return f;
  }
};

// The rule table: every registered rule, in code order. Each call makes fresh instances.
std::vector<std::unique_ptr<Rule>> make_all_rules();
// Metadata of every registered rule in code order (static storage).
const std::vector<const RuleInfo*>& all_rule_infos();
const RuleInfo* find_rule(std::string_view code);
// Where a rule's documentation lives (a docs/rules/CODE.md page URL).
std::string rule_url(const RuleInfo& info);

}  // namespace mlroast
