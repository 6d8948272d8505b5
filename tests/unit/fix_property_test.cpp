// Property: applying every fix (safe and unsafe) to every rule fixture and example file leaves
// code that parses wherever the original parsed.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "analysis/analyzer.hpp"
#include "analysis/fix/apply.hpp"
#include "analysis/syntax/tree.hpp"
#include "support/source_files.hpp"

namespace fs = std::filesystem;

TEST_CASE("fix-all on every fixture and example still parses", "[fix]") {
  mlroast::syntax::Parser parser;
  size_t files = 0, changed = 0;
  for (const char* dir : {"tests/fixtures/rules", "examples"}) {
    for (const fs::path& file : mlroast::test::python_files(fs::path(MLROAST_SOURCE_DIR) / dir)) {
      const std::string text = mlroast::test::read_file(file);
      if (parser.parse(text).root().has_error()) continue;
      ++files;
      auto outcome = mlroast::fix_text(file.filename().string(), text, mlroast::RuleSelection{}, true);
      if (outcome.applied == 0) continue;
      ++changed;
      INFO(file.string() << "\n" << outcome.text);
      CHECK_FALSE(parser.parse(outcome.text).root().has_error());
    }
  }
  CHECK(files > 200);
  CHECK(changed > 5);
}

namespace {

// What a reader of the report sees of a finding, and the fix it would apply.
std::string summary(const std::vector<mlroast::Finding>& findings) {
  std::string out;
  for (const mlroast::Finding& f : findings) {
    out += f.code + " " + std::to_string(f.range.start_byte) + "-" +
           std::to_string(f.range.end_byte) + " " + f.message;
    if (f.fix)
      for (const mlroast::TextEdit& e : f.fix->edits)
        out += " [" + std::to_string(e.start_byte) + "-" + std::to_string(e.end_byte) + ":" +
               e.replacement + "]";
    out += "\n";
  }
  return out;
}

}  // namespace

TEST_CASE("fix_text's remaining findings are a fresh analysis of the fixed text", "[fix]") {
  size_t compared = 0;
  for (const char* dir : {"tests/fixtures/rules", "examples"}) {
    for (const fs::path& file : mlroast::test::python_files(fs::path(MLROAST_SOURCE_DIR) / dir)) {
      const std::string text = mlroast::test::read_file(file);
      const std::string name = file.filename().string();
      const mlroast::RuleSelection all{};
      auto first = mlroast::analyze_text(name, text, all);
      bool fixable = false;
      for (const auto& f : first) fixable = fixable || f.fix.has_value();
      if (!fixable) continue;
      // Starting from the caller's findings changes nothing but the work done.
      auto plain = mlroast::fix_text(name, text, all, true);
      auto given = mlroast::fix_text(name, text, all, true, first);
      INFO(file.string());
      CHECK(given.text == plain.text);
      CHECK(given.applied == plain.applied);
      REQUIRE(given.remaining.has_value());
      CHECK(summary(*given.remaining) == summary(mlroast::analyze_text(name, given.text, all)));
      ++compared;
    }
  }
  CHECK(compared > 20);
}
