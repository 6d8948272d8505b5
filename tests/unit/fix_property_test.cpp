// Property: applying every fix (safe and unsafe) to every rule fixture and example file leaves
// code that parses wherever the original parsed.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "analysis/fix/apply.hpp"
#include "analysis/syntax/tree.hpp"

namespace fs = std::filesystem;

TEST_CASE("fix-all on every fixture and example still parses", "[fix]") {
  mlroast::syntax::Parser parser;
  size_t files = 0, changed = 0;
  for (const char* dir : {"tests/fixtures/rules", "examples"}) {
    for (const auto& e : fs::recursive_directory_iterator(fs::path(MLROAST_SOURCE_DIR) / dir)) {
      if (!e.is_regular_file() || e.path().extension() != ".py") continue;
      std::ifstream in(e.path(), std::ios::binary);
      std::stringstream ss;
      ss << in.rdbuf();
      const std::string text = ss.str();
      if (parser.parse(text).root().has_error()) continue;
      ++files;
      auto outcome = mlroast::fix_text(e.path().filename().string(), text, mlroast::RuleSelection{}, true);
      if (outcome.applied == 0) continue;
      ++changed;
      INFO(e.path().string() << "\n" << outcome.text);
      CHECK_FALSE(parser.parse(outcome.text).root().has_error());
    }
  }
  CHECK(files > 200);
  CHECK(changed > 5);
}
