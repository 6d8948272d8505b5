// Analysis cost next to the bare tree-sitter parse of the same input: a generated leaky script
// of 5,000 lines, a 50-file project, and the same script at 1x/2x/4x/8x size to show the growth
// factor (linear analysis keeps it near 2.0 per doubling), the same for one file made of every
// test fixture (the generated script exercises few rules; the fixtures exercise all of them, so
// a rule that is quadratic in the size of a file shows there), and a 300-cell Jupyter notebook
// (read + virtual program + analysis). Prints figures; asserts nothing.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "analysis/analyzer.hpp"
#include "analysis/notebook/analyze.hpp"
#include "analysis/notebook/reader.hpp"
#include "analysis/notebook/virtual_program.hpp"
#include "bare_parse.hpp"
#include "generate.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

struct Stats {
  double median = 0, p99 = 0;
};

Stats summarize(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  Stats s;
  s.median = v[v.size() / 2];
  s.p99 = v[std::min(v.size() - 1, static_cast<size_t>(static_cast<double>(v.size()) * 0.99))];
  return s;
}

// Times a bare tree-sitter parse and the full analysis (parse + semantic model + lineage + rules) of `text`.
std::pair<Stats, Stats> measure(const std::string& text, int runs) {
  mlroast::bench::BareParser parser;
  mlroast::RuleSelection all;
  std::vector<double> parse, full;
  size_t sink = 0;
  for (int i = 0; i < runs; ++i) {
    auto t0 = Clock::now();
    sink += parser.parse(text);
    parse.push_back(ms_since(t0));
    t0 = Clock::now();
    auto findings = mlroast::analyze_text("bench.py", text, all);
    full.push_back(ms_since(t0));
    sink += findings.size();
  }
  if (sink == 0) std::printf("(no findings)\n");
  return {summarize(parse), summarize(full)};
}

// Every tests/fixtures/**/*.py in path order, concatenated into one file (`from __future__`
// lines dropped: they are legal only at the top of a file).
std::string all_fixtures(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> paths;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec))
    if (it->is_regular_file() && it->path().extension() == ".py") paths.push_back(it->path());
  std::sort(paths.begin(), paths.end());
  std::string out;
  for (const auto& p : paths) {
    std::ifstream in(p, std::ios::binary);
    std::string line;
    while (std::getline(in, line))
      if (line.rfind("from __future__", 0) != 0) out.append(line).push_back('\n');
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  const std::filesystem::path fixtures = argc > 1 ? argv[1] : MLROAST_FIXTURES_DIR;
  std::printf("mlroast analysis benchmark (times in ms; analysis includes its own parse)\n\n");
  std::string script = mlroast::bench::leaky_script(5000);
  auto [p, a] = measure(script, 30);
  std::printf("5,000-line leaky script (%zu KB), 30 runs\n", script.size() / 1024);
  std::printf("  parse     median %8.2f  p99 %8.2f\n", p.median, p.p99);
  std::printf("  analysis  median %8.2f  p99 %8.2f\n", a.median, a.p99);
  std::printf("  analysis added over the parse / parse: %.2f (goal <= 1.0)\n\n",
              (a.median - p.median) / p.median);

  std::vector<std::string> files;
  files.reserve(50);
  for (int i = 0; i < 50; ++i) files.push_back(mlroast::bench::leaky_script(120 + i * 4, i + 7));
  std::vector<double> per_parse, per_full;
  for (const auto& f : files) {
    auto [fp, fa] = measure(f, 9);
    per_parse.push_back(fp.median);
    per_full.push_back(fa.median);
  }
  Stats pp = summarize(per_parse), pa = summarize(per_full);
  std::printf("50-file project (120-316 lines each), per file, 9 runs each\n");
  std::printf("  parse     median %8.3f  p99 %8.3f\n", pp.median, pp.p99);
  std::printf("  analysis  median %8.3f  p99 %8.3f\n\n", pa.median, pa.p99);

  std::printf("scaling (analysis median, ms)\n");
  double prev = 0;
  for (int f : {1, 2, 4, 8}) {
    std::string s = mlroast::bench::leaky_script(2500 * f);
    auto [sp, sa] = measure(s, 7);
    std::printf("  %dx %6d lines  parse %8.2f  analysis %8.2f", f, 2500 * f, sp.median, sa.median);
    if (prev > 0) std::printf("  growth x%.2f", sa.median / prev);
    std::printf("\n");
    prev = sa.median;
  }

  // One file made of every fixture: each rule meets the code it is written for, many times over.
  const std::string corpus = all_fixtures(fixtures);
  if (corpus.empty()) {
    std::printf("\nno fixtures found under %s: fixture scaling skipped\n", fixtures.c_str());
  } else {
    const auto base_lines = static_cast<size_t>(std::count(corpus.begin(), corpus.end(), '\n'));
    std::printf("\nscaling, every fixture in one file (%s, %zu lines, %zu KB at 1x; analysis "
                "median of 3, ms)\n", fixtures.c_str(), base_lines, corpus.size() / 1024);
    prev = 0;
    std::string s;
    for (int f : {1, 2, 4, 8}) {
      while (s.size() < corpus.size() * static_cast<size_t>(f)) s += corpus;
      auto [sp, sa] = measure(s, 3);
      std::printf("  %dx %7zu lines  parse %8.2f  analysis %8.2f", f, base_lines * f, sp.median,
                  sa.median);
      if (prev > 0) std::printf("  growth x%.2f", sa.median / prev);
      std::printf("\n");
      prev = sa.median;
    }
  }

  // A 300-cell notebook: JSON read, the virtual program (masking and a parse per cell to keep a
  // broken cell from swallowing the rest), and the whole-notebook analysis.
  std::string nb_json = mlroast::bench::leaky_notebook(300);
  std::vector<double> read_ms, program_ms, analysis_ms, total_ms;
  size_t findings = 0, lines = 0;
  for (int i = 0; i < 15; ++i) {
    auto t0 = Clock::now();
    auto read = mlroast::notebook::read_notebook(nb_json);
    read_ms.push_back(ms_since(t0));
    auto t1 = Clock::now();
    mlroast::notebook::VirtualProgram program(*read.notebook);
    program_ms.push_back(ms_since(t1));
    auto t2 = Clock::now();
    findings = mlroast::notebook::analyze_program("bench.ipynb", program, mlroast::RuleSelection{}).size();
    analysis_ms.push_back(ms_since(t2));
    total_ms.push_back(ms_since(t0));
    lines = static_cast<size_t>(std::count(program.text().begin(), program.text().end(), '\n'));
  }
  std::printf("\n300-cell notebook (%zu KB of JSON, %zu program lines, %zu findings), 15 runs\n",
              nb_json.size() / 1024, lines, findings);
  std::printf("  read JSON        median %8.2f  p99 %8.2f\n", summarize(read_ms).median, summarize(read_ms).p99);
  std::printf("  virtual program  median %8.2f  p99 %8.2f\n", summarize(program_ms).median, summarize(program_ms).p99);
  std::printf("  analysis         median %8.2f  p99 %8.2f\n", summarize(analysis_ms).median, summarize(analysis_ms).p99);
  std::printf("  total            median %8.2f  p99 %8.2f\n", summarize(total_ms).median, summarize(total_ms).p99);
  return 0;
}
