// `mlroast review` draws a progress line on stderr for large trees, only when stderr is a
// terminal: run under util-linux `script` (a pseudo-terminal) and through plain pipes.
#include <catch2/catch.hpp>

#include <cstdlib>

#include "cli_process.hpp"

using mlroast::test::read_all;
using mlroast::test::run_mlroast;
using mlroast::test::TempDir;
using mlroast::test::write_file;

TEST_CASE("review: a progress line on a terminal for 200+ files, none through a pipe", "[review][cli]") {
  TempDir dir;
  for (int i = 0; i < 210; ++i)
    write_file(dir.path() / "pipeline" / ("step_" + std::to_string(1000 + i) + ".py"),
               "import pandas as pd\n\ndf = pd.read_csv(\"data/part_" + std::to_string(i) +
                   ".csv\")\ndf = df.dropna(subset=[\"amount\"])\n");
  auto piped = run_mlroast({"review", "-o", "piped.md", "."}, dir.path());
  CHECK(piped.exit_code == 0);
  CHECK(piped.err.empty());

  const std::string command = "cd '" + dir.path().string() + "' && script -qec \"'" MLROAST_BINARY
                              "' review -o tty.md .\" /dev/null > terminal.txt 2>&1";
  REQUIRE(std::system(command.c_str()) == 0);
  const std::string terminal = read_all(dir.path() / "terminal.txt");
  INFO(terminal);
  CHECK(terminal.find("\rmlroast review: 25/210 files") != std::string::npos);
  CHECK(terminal.find("mlroast review: 210/210 files") != std::string::npos);
  CHECK(read_all(dir.path() / "tty.md") == read_all(dir.path() / "piped.md"));
}
