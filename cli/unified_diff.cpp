#include "cli/unified_diff.hpp"

#include <algorithm>
#include <vector>

namespace mlroast::cli {

namespace {

constexpr size_t kContext = 3;
constexpr size_t kMaxCells = 4'000'000;  // LCS table limit; beyond it, one hunk

std::vector<std::string_view> split_lines(std::string_view t) {
  std::vector<std::string_view> out;
  size_t pos = 0;
  while (pos < t.size()) {
    size_t nl = t.find('\n', pos);
    size_t end = nl == std::string_view::npos ? t.size() : nl + 1;
    out.push_back(t.substr(pos, end - pos));
    pos = end;
  }
  return out;
}

enum class Op { Keep, Del, Add };
struct Step {
  Op op;
  size_t a, b;  // line indices in before / after
};

std::vector<Step> align(const std::vector<std::string_view>& a,
                        const std::vector<std::string_view>& b) {
  size_t pre = 0;
  while (pre < a.size() && pre < b.size() && a[pre] == b[pre]) ++pre;
  size_t suf = 0;
  while (suf < a.size() - pre && suf < b.size() - pre &&
         a[a.size() - 1 - suf] == b[b.size() - 1 - suf])
    ++suf;
  size_t n = a.size() - pre - suf, m = b.size() - pre - suf;
  std::vector<Step> steps;
  for (size_t i = 0; i < pre; ++i) steps.push_back({Op::Keep, i, i});
  if ((n + 1) * (m + 1) <= kMaxCells) {
    std::vector<std::vector<uint32_t>> L(n + 1, std::vector<uint32_t>(m + 1, 0));
    for (size_t i = n; i-- > 0;)
      for (size_t j = m; j-- > 0;)
        L[i][j] = a[pre + i] == b[pre + j] ? L[i + 1][j + 1] + 1 : std::max(L[i + 1][j], L[i][j + 1]);
    size_t i = 0, j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a[pre + i] == b[pre + j]) {
        steps.push_back({Op::Keep, pre + i++, pre + j++});
      } else if (j < m && (i == n || L[i][j + 1] > L[i + 1][j])) {
        steps.push_back({Op::Add, pre + i, pre + j++});
      } else {
        steps.push_back({Op::Del, pre + i++, pre + j});
      }
    }
  } else {
    for (size_t i = 0; i < n; ++i) steps.push_back({Op::Del, pre + i, pre});
    for (size_t j = 0; j < m; ++j) steps.push_back({Op::Add, pre + n, pre + j});
  }
  for (size_t k = 0; k < suf; ++k) steps.push_back({Op::Keep, pre + n + k, pre + m + k});
  return steps;
}

void emit_line(std::string& out, char mark, std::string_view line) {
  out += mark;
  out += line;
  if (line.empty() || line.back() != '\n') out += "\n\\ No newline at end of file\n";
}

}  // namespace

std::string unified_diff(std::string_view before, std::string_view after,
                         const std::string& path) {
  if (before == after) return "";
  auto a = split_lines(before), b = split_lines(after);
  std::vector<Step> steps = align(a, b);
  std::string out = "--- " + path + "\n+++ " + path + "\n";
  size_t k = 0;
  while (k < steps.size()) {
    while (k < steps.size() && steps[k].op == Op::Keep) ++k;
    if (k == steps.size()) break;
    // Hunk: from kContext lines before this change to kContext after the last change that is
    // closer than 2*kContext to the next one.
    size_t begin = k >= kContext ? k - kContext : 0;
    size_t end = k;
    for (size_t keep_run = 0; end < steps.size(); ++end) {
      keep_run = steps[end].op == Op::Keep ? keep_run + 1 : 0;
      if (keep_run > 2 * kContext) break;
    }
    while (end > k && steps[end - 1].op == Op::Keep) --end;
    end = std::min(steps.size(), end + kContext);
    size_t a_start = steps[begin].a, b_start = steps[begin].b, a_len = 0, b_len = 0;
    std::string body;
    for (size_t s = begin; s < end; ++s) {
      if (steps[s].op != Op::Add) ++a_len;
      if (steps[s].op != Op::Del) ++b_len;
      if (steps[s].op == Op::Keep) emit_line(body, ' ', a[steps[s].a]);
      else if (steps[s].op == Op::Del) emit_line(body, '-', a[steps[s].a]);
      else emit_line(body, '+', b[steps[s].b]);
    }
    auto range = [](size_t start, size_t len) {
      return std::to_string(len == 0 ? start : start + 1) + "," + std::to_string(len);
    };
    out += "@@ -" + range(a_start, a_len) + " +" + range(b_start, b_len) + " @@\n" + body;
    k = end;
  }
  return out;
}

}  // namespace mlroast::cli
