// Batch throughput of `mlroast check` next to a bare tree-sitter parse of the same files, in the
// same run: the CPython standard library of the machine's python3 (site-packages and
// dist-packages left out) plus a generated ML project of 500 files (generate.cpp), then the
// generated project alone at 1x/2x/4x/8x lines per file with the growth factor per doubling.
// `mlroast check` runs as a child process (stdout to /dev/null, --exit-zero); its CPU time and
// peak RSS come from wait4()'s rusage. MB/s per core = input bytes / CPU seconds (user + system),
// so the figure does not depend on how many cores the machine lends. The bare parse runs in this
// process on one thread, timed by its own CPU clock, each tree freed before the next file.
// Prints figures; asserts nothing. Run: scripts/bench.sh (or build/bench/mlroast_throughput_bench).
#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "bare_parse.hpp"
#include "generate.hpp"

extern char** environ;

namespace {

namespace fs = std::filesystem;

struct Options {
  std::string mlroast = "build/mlroast";
  std::string stdlib;  // empty: ask python3
  int project_files = 500;
  int project_lines = 150;  // lines per generated file at 1x
  unsigned threads = 0;     // passed to --threads; 0 = one per CPU
  bool scaling = true;
};

struct Input {
  std::vector<std::string> files;
  std::size_t bytes = 0;
};

struct Figures {
  double parse_cpu_s = 0;
  double check_cpu_s = 0, check_wall_s = 0;
  long check_peak_rss_kib = 0;
  int check_status = 0;
};

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

double seconds(const timeval& tv) {
  return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string python_stdlib() {
  FILE* p = popen("python3 -c 'import sysconfig; print(sysconfig.get_paths()[\"stdlib\"])'", "r");
  if (p == nullptr) return {};
  char buffer[4096] = {};
  const bool got = std::fgets(buffer, sizeof buffer, p) != nullptr;
  pclose(p);
  if (!got) return {};
  std::string path(buffer);
  while (!path.empty() && (path.back() == '\n' || path.back() == '\r')) path.pop_back();
  return path;
}

void add_tree(Input& input, const fs::path& root) {
  std::vector<std::string> found;
  for (auto it = fs::recursive_directory_iterator(root, fs::directory_options::skip_permission_denied);
       it != fs::recursive_directory_iterator(); ++it) {
    const std::string name = it->path().filename().string();
    if (it->is_directory() && (name == "site-packages" || name == "dist-packages" ||
                               name == "__pycache__")) {
      it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file() && it->path().extension() == ".py") found.push_back(it->path());
  }
  std::sort(found.begin(), found.end());
  for (auto& f : found) {
    input.bytes += fs::file_size(f);
    input.files.push_back(std::move(f));
  }
}

Input generate_project(const fs::path& dir, int files, int lines) {
  fs::create_directories(dir);
  Input input;
  for (int i = 0; i < files; ++i) {
    const fs::path path = dir / ("train_" + std::to_string(i) + ".py");
    const std::string text = mlroast::bench::leaky_script(lines, static_cast<unsigned>(i + 1));
    std::ofstream(path, std::ios::binary) << text;
    input.bytes += text.size();
    input.files.push_back(path);
  }
  return input;
}

double bare_parse(const Input& input) {
  mlroast::bench::BareParser parser;
  std::size_t sink = 0;
  double cpu = 0;
  for (const auto& file : input.files) {
    const std::string text = read_file(file);  // reading is timed too, as check reads its files
    const double t0 = thread_cpu_seconds();
    sink += parser.parse(text);
    cpu += thread_cpu_seconds() - t0;
  }
  if (sink == 0) std::printf("(every tree was empty)\n");
  return cpu;
}

// Runs `mlroast check --exit-zero [--threads N] files...`, stdout and stderr to /dev/null.
void run_check(const Options& options, const Input& input, Figures& figures) {
  std::vector<std::string> args = {options.mlroast, "check", "--exit-zero"};
  if (options.threads != 0) {
    args.emplace_back("--threads");
    args.push_back(std::to_string(options.threads));
  }
  args.insert(args.end(), input.files.begin(), input.files.end());
  std::vector<char*> argv;
  argv.reserve(args.size() + 1);
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  const auto t0 = std::chrono::steady_clock::now();
  pid_t pid = 0;
  if (posix_spawn(&pid, options.mlroast.c_str(), &actions, nullptr, argv.data(), environ) != 0) {
    std::fprintf(stderr, "cannot start %s\n", options.mlroast.c_str());
    std::exit(1);
  }
  posix_spawn_file_actions_destroy(&actions);
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  figures.check_wall_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  figures.check_cpu_s = seconds(usage.ru_utime) + seconds(usage.ru_stime);
  figures.check_peak_rss_kib = usage.ru_maxrss;
  figures.check_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

Figures measure(const Options& options, const Input& input) {
  Figures figures;
  figures.parse_cpu_s = bare_parse(input);
  run_check(options, input, figures);
  return figures;
}

void print_row(const char* label, const Input& input, const Figures& f) {
  const double mb = static_cast<double>(input.bytes) / 1e6;
  std::printf("%-22s %6zu files %8.1f MB | parse %6.2f s %6.2f MB/s | check cpu %6.2f s wall "
              "%6.2f s %6.2f MB/s/core | check/parse %4.2f | peak RSS %6.1f MB%s\n",
              label, input.files.size(), mb, f.parse_cpu_s, mb / f.parse_cpu_s, f.check_cpu_s,
              f.check_wall_s, mb / f.check_cpu_s, f.check_cpu_s / f.parse_cpu_s,
              static_cast<double>(f.check_peak_rss_kib) / 1024.0,
              f.check_status == 0 ? "" : "  (check exited non-zero!)");
}

int usage() {
  std::fprintf(stderr,
               "usage: mlroast_throughput_bench [--mlroast PATH] [--stdlib DIR] [--files N] "
               "[--lines N] [--threads N] [--no-scaling]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // rows appear as they are measured, even in a pipe
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const auto value = [&]() -> std::string {
      if (i + 1 >= argc) std::exit(usage());
      return argv[++i];
    };
    if (a == "--mlroast") options.mlroast = value();
    else if (a == "--stdlib") options.stdlib = value();
    else if (a == "--files") options.project_files = std::stoi(value());
    else if (a == "--lines") options.project_lines = std::stoi(value());
    else if (a == "--threads") options.threads = static_cast<unsigned>(std::stoul(value()));
    else if (a == "--no-scaling") options.scaling = false;
    else return usage();
  }
  if (options.stdlib.empty()) options.stdlib = python_stdlib();
  if (options.stdlib.empty() || !fs::is_directory(options.stdlib)) {
    std::fprintf(stderr, "no standard library found (python3 missing?); pass --stdlib DIR\n");
    return 1;
  }
  char tmpl[] = "/tmp/mlroast-throughput-XXXXXX";
  if (mkdtemp(tmpl) == nullptr) return 1;
  const fs::path scratch(tmpl);

  std::printf("mlroast batch throughput: `%s check` vs a bare tree-sitter parse\n",
              options.mlroast.c_str());
  std::printf("MB/s per core = input / CPU time (user + sys); check/parse = CPU time ratio\n");
  std::printf("stdlib: %s (site-packages, dist-packages left out)\n\n", options.stdlib.c_str());

  Input stdlib;
  add_tree(stdlib, options.stdlib);
  const Input project =
      generate_project(scratch / "project", options.project_files, options.project_lines);
  Input both = stdlib;
  both.files.insert(both.files.end(), project.files.begin(), project.files.end());
  both.bytes += project.bytes;
  print_row("stdlib", stdlib, measure(options, stdlib));
  print_row("ML project", project, measure(options, project));
  print_row("stdlib + ML project", both, measure(options, both));

  if (options.scaling) {
    std::printf("\nscaling: the ML project with 1x/2x/4x/8x lines per file (%d files)\n",
                options.project_files);
    double previous_check = 0, previous_parse = 0;
    for (int factor : {1, 2, 4, 8}) {
      const Input input = generate_project(scratch / ("scaled_" + std::to_string(factor)),
                                           options.project_files, options.project_lines * factor);
      const Figures f = measure(options, input);
      const std::string label = std::to_string(factor) + "x";
      print_row(label.c_str(), input, f);
      if (previous_check > 0) {
        std::printf("%-22s growth per doubling: check x%.2f, parse x%.2f\n", "", f.check_cpu_s /
                    previous_check, f.parse_cpu_s / previous_parse);
      }
      previous_check = f.check_cpu_s;
      previous_parse = f.parse_cpu_s;
    }
  }
  std::error_code ignored;
  fs::remove_all(scratch, ignored);
  return 0;
}
