// `--statistics`: the number of findings per rule instead of the findings, most frequent first
// (ties by code), as ruff prints it: `count<TAB>code<TAB>[*] slug` where `[*]` marks rules with a
// fix available on at least one of the counted findings. With `--output-format json` the same as
// an array of {"code", "name", "count", "fixable"}. Nothing but the table is printed.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <iomanip>
#include <map>

#include "analysis/rules/rule.hpp"
#include "cli/output.hpp"

namespace mlroast::cli {

namespace {

struct Row {
  std::string code;
  std::string name;
  std::size_t count = 0;
  bool fixable = false;
};

std::vector<Row> rows_of(const CheckReport& report) {
  std::map<std::string, Row> by_code;
  for (const FileReport& file : report.files)
    for (const Finding& f : file.findings) {
      Row& r = by_code[f.code];
      r.code = f.code;
      const RuleInfo* info = find_rule(f.code);
      r.name = info ? std::string(info->slug) : std::string();
      ++r.count;
      r.fixable = r.fixable || f.fix.has_value();
    }
  std::vector<Row> rows;
  rows.reserve(by_code.size());
  for (auto& [code, row] : by_code) rows.push_back(std::move(row));
  std::stable_sort(rows.begin(), rows.end(),
                   [](const Row& a, const Row& b) { return a.count > b.count; });
  return rows;
}

}  // namespace

void write_statistics(std::ostream& out, const CheckReport& report, bool as_json) {
  std::vector<Row> rows = rows_of(report);
  if (as_json) {
    nlohmann::json all = nlohmann::json::array();
    for (const Row& r : rows)
      all.push_back({{"code", r.code}, {"name", r.name}, {"count", r.count}, {"fixable", r.fixable}});
    out << all.dump(2) << '\n';
    return;
  }
  std::size_t width = 1;
  for (const Row& r : rows) width = std::max(width, std::to_string(r.count).size());
  for (const Row& r : rows)
    out << std::setw(static_cast<int>(width)) << r.count << '\t' << r.code << '\t'
        << (r.fixable ? "[*] " : "") << r.name << '\n';
}

}  // namespace mlroast::cli
