// `mlroast check` file discovery and robustness, end to end on throw-away trees: which folders
// the walker skips, the order it reports in, unreadable inputs (exit code 2, named on stderr,
// the rest still analysed) and inputs that must not crash it (bad bytes, a 10 MB file).
#include <unistd.h>

#include <catch2/catch.hpp>

#include "cli_process.hpp"

using mlroast::test::lines_of;
using mlroast::test::run_mlroast;
using mlroast::test::TempDir;
using mlroast::test::write_file;

namespace {

const std::string kBareExcept = "try:\n    pass\nexcept:\n    pass\n";

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// The paths reported by a concise run (the part of each finding line before the first ':').
std::vector<std::string> reported_paths(const std::string& out) {
  std::vector<std::string> paths;
  for (const auto& line : lines_of(out)) {
    if (line.rfind("Found ", 0) == 0 || line.rfind("[*]", 0) == 0 || line.rfind("All ", 0) == 0)
      continue;
    paths.push_back(line.substr(0, line.find(':')));
  }
  return paths;
}

}  // namespace

TEST_CASE("check skips environments, caches, build outputs and hidden folders", "[cli]") {
  TempDir tmp;
  const auto& root = tmp.path();
  for (const char* skipped :
       {".git/hooks/x.py", ".hidden/x.py", ".tox/py311/x.py", ".mypy_cache/x.py", ".venv/x.py",
        "venv/lib/x.py", "node_modules/pkg/x.py", "__pycache__/x.py", "build/lib/x.py", "dist/x.py",
        "lib/site-packages/x.py", "myenv/x.py", "pkg.egg-info/x.py", "src/__pycache__/y.py"})
    write_file(root / skipped, kBareExcept);
  write_file(root / "myenv" / "pyvenv.cfg", "home = /usr\n");
  for (const char* kept : {"src/b.py", "src/a.py", "src/sub/c.py", "a_script.py", "z.pyi",
                           "notes.txt"})
    write_file(root / kept, kBareExcept);
  write_file(root / ".ipynb_checkpoints" / "analysis-checkpoint.ipynb", "not even JSON");

  auto r = run_mlroast({"check", "--select", "ML703", "--output-format", "concise"}, root);
  CHECK(r.exit_code == 1);
  CHECK(r.err.empty());
  std::vector<std::string> expected{"a_script.py", "src/a.py", "src/b.py", "src/sub/c.py", "z.pyi"};
  CHECK(reported_paths(r.out) == expected);

  // A folder named explicitly is walked even when the walk would skip it.
  auto explicit_dir = run_mlroast({"check", "--output-format", "concise", "build"}, root);
  CHECK(reported_paths(explicit_dir.out) == std::vector<std::string>{"build/lib/x.py"});
}

TEST_CASE("check reports every file once, in sorted order, whatever the argument order", "[cli]") {
  TempDir tmp;
  write_file(tmp.path() / "b.py", kBareExcept);
  write_file(tmp.path() / "a" / "m.py", kBareExcept);
  auto r = run_mlroast(
      {"check", "--select", "ML703", "--output-format", "concise", "b.py", ".", "a/m.py", "a/"},
      tmp.path());
  CHECK(r.exit_code == 1);
  CHECK(reported_paths(r.out) == std::vector<std::string>{"a/m.py", "b.py"});
}

TEST_CASE("check says so when a folder holds no Python files", "[cli]") {
  TempDir tmp;
  write_file(tmp.path() / "readme.md", "# nothing here\n");
  auto r = run_mlroast({"check", "."}, tmp.path());
  CHECK(r.exit_code == 0);
  CHECK(r.out == "All checks passed!\n");
  CHECK(contains(r.err, "no Python files"));
}

TEST_CASE("check analyses notebooks found in a walk and named explicitly", "[cli]") {
  auto walk = run_mlroast({"check", "--select", "ML703", "--output-format", "concise", "."},
                          mlroast::test::cli_fixtures() / "project");
  CHECK(contains(walk.out, "notebook.ipynb:cell 1:3:1: ML703"));

  auto named = run_mlroast({"check", "--select", "ML703", "--output-format", "concise",
                            "notebook.ipynb"},
                           mlroast::test::cli_fixtures() / "project");
  CHECK(named.exit_code == 1);
  CHECK(named.err.empty());
  CHECK(lines_of(named.out).at(0).starts_with("notebook.ipynb:cell 1:3:1: ML703 [*] "));
}

TEST_CASE("check names an unreadable file on stderr, exits 2 and analyses the rest", "[cli]") {
  TempDir tmp;
  write_file(tmp.path() / "ok.py", kBareExcept);
  std::filesystem::create_symlink("missing-target.py", tmp.path() / "dangling.py");
  auto r = run_mlroast({"check", "--output-format", "concise", "--select", "ML703"}, tmp.path());
  CHECK(r.exit_code == 2);
  CHECK(contains(r.err, "dangling.py"));
  CHECK(reported_paths(r.out) == std::vector<std::string>{"ok.py"});

  if (::geteuid() != 0) {  // root reads files whatever their permissions
    write_file(tmp.path() / "secret.py", kBareExcept);
    std::filesystem::permissions(tmp.path() / "secret.py", std::filesystem::perms::none);
    auto locked = run_mlroast({"check", "secret.py", "ok.py"}, tmp.path());
    CHECK(locked.exit_code == 2);
    CHECK(contains(locked.err, "secret.py: cannot read file: Permission denied"));
  }
}

TEST_CASE("check analyses files with invalid UTF-8 and NUL bytes without crashing", "[cli]") {
  TempDir tmp;
  std::string bytes = "x = '\xff\xfe\xc3'\n";
  bytes += std::string("y = 1\0\0\n", 8);
  bytes += "z = '\xed\xa0\x80'  # a UTF-16 surrogate encoded in UTF-8\n" + kBareExcept;
  write_file(tmp.path() / "bytes.py", bytes);
  for (const char* format : {"full", "concise", "json"}) {
    auto r = run_mlroast({"check", "--output-format", format, "bytes.py"}, tmp.path());
    CHECK(r.exit_code == 1);
    CHECK(r.err.empty());
    CHECK(contains(r.out, "ML703"));
  }
  // Raw bytes never reach the terminal: code frames replace them with U+FFFD.
  auto full = run_mlroast({"check", "--output-format", "full", "bytes.py"}, tmp.path());
  CHECK_FALSE(contains(full.out, std::string(1, '\0')));
  CHECK_FALSE(contains(full.out, "\xff"));
}

TEST_CASE("check analyses a 10 MB file", "[cli]") {
  TempDir tmp;
  // Statements, not comments: tree-sitter 0.20.7 itself crashes on more than 65535 consecutive
  // comment lines (tree-sitter/tree-sitter#2134), a bug of the syntax layer, not of the CLI.
  std::string line = "v = \"" + std::string(190, 'x') + "\"\n";
  std::string text;
  text.reserve(10u << 20);
  while (text.size() < (10u << 20)) text += line;
  std::size_t rows = text.size() / line.size();
  text += kBareExcept;
  text += "blob = '" + std::string(300000, 'q') + "'\n";  // one very long line
  write_file(tmp.path() / "huge.py", text);
  auto r = run_mlroast({"check", "--select", "ML703", "huge.py"}, tmp.path());
  CHECK(r.exit_code == 1);
  CHECK(contains(r.out, "huge.py:" + std::to_string(rows + 3) + ":1: ML703"));
  CHECK(r.out.size() < 10000);  // the long line is clipped in the code frame
}
