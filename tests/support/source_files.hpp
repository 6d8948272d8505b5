// The repository's source files as tests read them: a file's bytes, and every Python file (or
// notebook, ...) under a folder in path order (the rule fixtures, the examples).
#pragma once

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace mlroast::test {

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// Every regular file under `dir` (recursively) whose extension is `extension` (".ipynb"),
// sorted; none when `dir` does not exist.
inline std::vector<std::filesystem::path> files_with_extension(const std::filesystem::path& dir,
                                                               const std::string& extension) {
  std::vector<std::filesystem::path> out;
  if (!std::filesystem::is_directory(dir)) return out;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir))
    if (e.is_regular_file() && e.path().extension() == extension) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

// Every regular `.py` file under `dir` (recursively), sorted.
inline std::vector<std::filesystem::path> python_files(const std::filesystem::path& dir) {
  return files_with_extension(dir, ".py");
}

}  // namespace mlroast::test
