// A parallel analysis (AnalysisOptions::parallel: the walk and the rules without lineage on a
// helper thread while the caller builds the lineage program, then the lineage rules on both)
// must find exactly what the one-thread analysis finds: same findings, messages, related
// locations and fixes, in the same order. Checked over every rule fixture, example script and
// fixture notebook, each analysed as a plain script (so the leakage rules, which skip test
// files, run too), twice in parallel to give the scheduling a second chance to differ.
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <future>
#include <sstream>
#include <string>

#include "analysis/analyzer.hpp"
#include "analysis/lanes.hpp"
#include "analysis/notebook/analyze.hpp"
#include "analysis/notebook/reader.hpp"
#include "analysis/notebook/virtual_program.hpp"
#include "support/source_files.hpp"

namespace {

namespace fs = std::filesystem;
using mlroast::AnalysisOptions;
using mlroast::Finding;

const fs::path kRoot = MLROAST_SOURCE_DIR;

// Everything a client sees of the findings, one line per finding.
std::string render(const std::vector<Finding>& findings) {
  std::ostringstream out;
  for (const Finding& f : findings) {
    out << f.code << ' ' << f.range.start_byte << '-' << f.range.end_byte << ' '
        << static_cast<int>(f.severity) << ' ' << f.message;
    for (const auto& r : f.related)
      out << " | " << r.range.start_byte << '-' << r.range.end_byte << ' ' << r.message;
    if (f.fix) {
      out << " || " << f.fix->title << ' ' << static_cast<int>(f.fix->applicability);
      for (const auto& e : f.fix->edits)
        out << " [" << e.start_byte << '-' << e.end_byte << ' ' << e.replacement << ']';
    }
    out << '\n';
  }
  return out.str();
}

AnalysisOptions options(bool parallel) {
  AnalysisOptions o;
  o.fixes = true;
  o.parallel = parallel;
  return o;
}

std::string analyse_script(const std::string& text, bool parallel) {
  thread_local mlroast::syntax::Parser parser;
  const mlroast::syntax::Tree tree = parser.parse(text);
  mlroast::SourceFile file;
  file.path = "script.py";
  file.text = text;
  file.tree = &tree;
  return render(mlroast::analyze(file, mlroast::RuleSelection{}, options(parallel)));
}

// Compares the two ways over every `.py` under `dir`; returns how many files had findings.
size_t compare_scripts(const fs::path& dir) {
  size_t with_findings = 0;
  for (const fs::path& path : mlroast::test::python_files(dir)) {
    const std::string text = mlroast::test::read_file(path);
    const std::string serial = analyse_script(text, false);
    INFO(path.string());
    CHECK(analyse_script(text, true) == serial);
    CHECK(analyse_script(text, true) == serial);
    with_findings += serial.empty() ? 0 : 1;
  }
  return with_findings;
}

}  // namespace

TEST_CASE("a parallel analysis finds what a serial one finds in every fixture",
          "[analysis][parallel]") {
  CHECK(compare_scripts(kRoot / "tests" / "fixtures") > 300);
}

TEST_CASE("a parallel analysis finds what a serial one finds in the examples",
          "[analysis][parallel]") {
  CHECK(compare_scripts(kRoot / "examples") >= 5);
}

TEST_CASE("a parallel analysis of a notebook finds what a serial one finds",
          "[analysis][parallel][notebook]") {
  size_t notebooks = 0;
  for (const fs::path& dir : {kRoot / "tests" / "fixtures", kRoot / "examples"})
  for (const fs::path& path : mlroast::test::files_with_extension(dir, ".ipynb")) {
    const auto read = mlroast::notebook::read_notebook(mlroast::test::read_file(path));
    if (!read.notebook) continue;
    const mlroast::notebook::VirtualProgram program(*read.notebook);
    const auto run = [&](bool parallel) {
      return render(mlroast::notebook::analyze_program("analysis.ipynb", program,
                                                       mlroast::RuleSelection{},
                                                       options(parallel)));
    };
    INFO(path.string());
    CHECK(run(true) == run(false));
    ++notebooks;
  }
  CHECK(notebooks >= 5);
}

TEST_CASE("a parallel analysis does not wait for a busy helper thread", "[analysis][parallel]") {
  // Another task holds the helper for the whole analysis: the calling thread must walk and run
  // every rule itself, and return while the helper is still held. Once released, the helper
  // runs the finished analysis' task, which must find nothing to do and leave the returned
  // call's frame alone (AddressSanitizer, in CI, reports it if not); a second analysis queues
  // behind it.
  const std::string text =
      mlroast::test::read_file(kRoot / "examples" / "churn-project" / "src" / "churn" / "train.py");
  const std::string serial = analyse_script(text, false);
  REQUIRE(!serial.empty());

  std::promise<void> started, release;
  std::shared_future<void> released = release.get_future().share();
  mlroast::post_to_analysis_helper([&started, released] {
    started.set_value();
    released.wait();
  });
  started.get_future().wait();
  auto parallel = std::async(std::launch::async, [&] { return analyse_script(text, true); });
  // Not a speed check: a generous bound, so that an analysis that waits for the helper fails
  // here instead of hanging the suite (it finishes once the helper is released below).
  const bool returned_while_held =
      parallel.wait_for(std::chrono::seconds(120)) == std::future_status::ready;
  release.set_value();
  CHECK(returned_while_held);
  CHECK(parallel.get() == serial);
  CHECK(analyse_script(text, true) == serial);
}
