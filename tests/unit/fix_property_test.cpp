// Property: applying every fix (safe and unsafe) to every rule fixture and example file leaves
// code that parses wherever the original parsed.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

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
