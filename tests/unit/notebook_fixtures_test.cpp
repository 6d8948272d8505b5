// Notebook fixtures: every tests/fixtures/notebooks/*.ipynb is read, its code cells analysed as
// one program with all rules enabled, and each finding compared with the `# expect: CODE`
// annotations written in the cells (the same convention as the rule fixtures, per cell: the
// annotation sits on the cell line where the finding starts). A notebook without any `expect:`
// must carry `# expect-file-ok` in one of its cells. Findings are mapped back through the
// notebook's virtual program, so this also checks that cell, line and column come out right.
#include <catch2/catch.hpp>

#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "analysis/notebook/analyze.hpp"
#include "analysis/notebook/reader.hpp"
#include "analysis/notebook/virtual_program.hpp"
#include "support/source_files.hpp"

namespace fs = std::filesystem;
using namespace mlroast::notebook;

namespace {

const fs::path kDir = fs::path(MLROAST_SOURCE_DIR) / "tests" / "fixtures" / "notebooks";

using Key = std::pair<std::uint32_t, std::uint32_t>;  // (cell index, line in the cell)

std::string check_notebook(const fs::path& path) {
  std::string name = path.filename().string();
  ReadResult r = read_notebook(mlroast::test::read_file(path));
  if (!r.notebook) return name + ": " + r.error + "\n";
  std::map<Key, std::multiset<std::string>> want, got;
  bool file_ok = false;
  static const std::regex kExpect(R"(#.*\bexpect:\s*(.*)$)");
  for (std::uint32_t c = 0; c < r.notebook->cells.size(); ++c) {
    std::istringstream in(r.notebook->cells[c].source);
    std::string line;
    for (std::uint32_t row = 0; std::getline(in, line); ++row) {
      if (line.find("# expect-file-ok") != std::string::npos) file_ok = true;
      std::smatch m;
      if (!std::regex_search(line, m, kExpect)) continue;
      std::stringstream codes(m[1].str());
      for (std::string code; std::getline(codes, code, ',');) {
        code.erase(0, code.find_first_not_of(" \t"));
        code.erase(code.find_last_not_of(" \t\r") + 1);
        want[{c, row}].insert(code);
      }
    }
  }
  std::string problems;
  if (want.empty() && !file_ok) problems += name + ": no `# expect:` and no `# expect-file-ok`\n";
  VirtualProgram program(*r.notebook);
  std::map<Key, std::string> messages;
  for (const auto& f : analyze_program(name, program, mlroast::RuleSelection{})) {
    auto at = program.locate(f.range.start_byte);
    if (!at) {
      problems += name + ": finding " + f.code + " outside every cell\n";
      continue;
    }
    got[{at->cell, at->line}].insert(f.code);
    messages[{at->cell, at->line}] = f.message;
  }
  std::set<Key> keys;
  for (auto& [k, _] : want) keys.insert(k);
  for (auto& [k, _] : got) keys.insert(k);
  for (const Key& k : keys) {
    if (want[k] == got[k]) continue;
    std::string where = name + ":cell " + std::to_string(k.first + 1) + ":" +
                        std::to_string(k.second + 1) + ": ";
    std::string w, g;
    for (const auto& c : want[k]) w += c + " ";
    for (const auto& c : got[k]) g += c + " ";
    problems += where + "expected [" + w + "] got [" + g + "] " + messages[k] + "\n";
  }
  return problems;
}

}  // namespace

TEST_CASE("notebook fixtures: findings match the expectations in each cell", "[notebook]") {
  std::vector<fs::path> notebooks;
  for (const auto& e : fs::directory_iterator(kDir))
    if (e.path().extension() == ".ipynb") notebooks.push_back(e.path());
  std::sort(notebooks.begin(), notebooks.end());
  REQUIRE(notebooks.size() >= 5);
  std::string report;
  for (const auto& p : notebooks) report += check_notebook(p);
  INFO("notebook fixture mismatches:\n" << report);
  CHECK(report.empty());
}

TEST_CASE("notebook fixtures: a cell with a syntax error is left out, the rest analysed",
          "[notebook]") {
  ReadResult r = read_notebook(mlroast::test::read_file(kDir / "fire_leak_after_broken_cell.ipynb"));
  REQUIRE(r.notebook);
  VirtualProgram program(*r.notebook);
  REQUIRE(program.skipped().size() == 1);
  CHECK(program.skipped()[0].cell == 3);
  CHECK(program.skipped()[0].reason == "syntax error");
  CHECK(program.segments().size() == 4);
}
