#include "analysis/source_file.hpp"

namespace mlroast {

bool is_test_path(std::string_view path) {
  std::string p = "/" + std::string(path);
  for (char& c : p)
    if (c == '\\') c = '/';
  if (p.find("/tests/") != std::string::npos || p.find("/test/") != std::string::npos) return true;
  auto slash = p.rfind('/');
  std::string_view base = std::string_view(p).substr(slash + 1);
  // pytest also collects *_test.py, but scripts such as evaluate_on_test.py are common in ML
  // projects and must not lose their leakage checks; only test_*.py and conftest.py count.
  return base.starts_with("test_") || base == "conftest.py";
}

}  // namespace mlroast
