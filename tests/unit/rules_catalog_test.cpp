// The rule table: codes and slugs are unique, every rule documents itself with the fixed
// headings, and each rule lives in analysis/rules/<slug with underscores>.cpp.
#include <catch2/catch.hpp>
#include <filesystem>
#include <regex>
#include <set>
#include <string>

#include "analysis/rules/rule.hpp"

namespace {

std::string file_for(std::string_view slug) {
  std::string f(slug);
  for (char& c : f)
    if (c == '-') c = '_';
  return f + ".cpp";
}

}  // namespace

TEST_CASE("rule catalog: codes and slugs are unique and well-formed", "[rules]") {
  const auto& infos = mlroast::all_rule_infos();
  REQUIRE_FALSE(infos.empty());
  std::set<std::string_view> codes, slugs;
  static const std::regex kCode(R"(^(ML\d{3}|P\d{2})$)");
  static const std::regex kSlug(R"(^[a-z0-9]+(-[a-z0-9]+)*$)");
  std::string_view previous;
  for (const mlroast::RuleInfo* info : infos) {
    INFO(info->code << " " << info->slug);
    CHECK(std::regex_match(std::string(info->code), kCode));
    CHECK(std::regex_match(std::string(info->slug), kSlug));
    CHECK(codes.insert(info->code).second);
    CHECK(slugs.insert(info->slug).second);
    CHECK(previous < info->code);  // the table is in code order
    previous = info->code;
    CHECK(mlroast::find_rule(info->code) == info);
    CHECK(mlroast::find_rule(info->slug) == info);
  }
}

TEST_CASE("rule catalog: every rule documents itself with the fixed headings", "[rules]") {
  for (const mlroast::RuleInfo* info : mlroast::all_rule_infos()) {
    INFO(info->code << " " << info->slug);
    std::string_view doc = info->doc;
    CHECK_FALSE(info->summary.empty());
    CHECK(info->summary.find('\n') == std::string_view::npos);
    std::string title = "# " + std::string(info->code) + " " + std::string(info->slug) + "\n";
    CHECK(doc.substr(0, title.size()) == title);
    size_t last = 0;
    for (std::string_view heading : {"## What it finds\n", "## Why it matters\n", "## Example\n",
                                     "## Use instead\n", "## Fix safety\n", "## References\n"}) {
      INFO(heading);
      size_t at = doc.find(heading);
      REQUIRE(at != std::string_view::npos);
      CHECK(at > last);  // headings appear in this order
      last = at;
      // Each section has content before the next heading.
      size_t body = at + heading.size();
      size_t next = doc.find("\n## ", body);
      std::string_view section =
          doc.substr(body, next == std::string_view::npos ? next : next - body);
      CHECK(section.find_first_not_of(" \n") != std::string_view::npos);
    }
    // The Example and Use instead sections carry code (project rules: the project file's own
    // language, requirements.txt or TOML, so any fenced block).
    std::string_view fence = info->code[0] == 'P' ? "```" : "```python";
    CHECK(doc.find(fence, doc.find("## Example")) < doc.find("## Use instead"));
    CHECK(doc.find(fence, doc.find("## Use instead")) < doc.find("## Fix safety"));
  }
}

TEST_CASE("rule catalog: each rule lives in a file named after its slug", "[rules]") {
  namespace fs = std::filesystem;
  fs::path dir = fs::path(MLROAST_SOURCE_DIR) / "analysis" / "rules";
  for (const mlroast::RuleInfo* info : mlroast::all_rule_infos()) {
    if (info->code[0] == 'P') continue;  // project scanners live elsewhere
    INFO(info->code << " " << info->slug);
    CHECK(fs::exists(dir / file_for(info->slug)));
  }
}

TEST_CASE("rule catalog: the category follows the code's hundred", "[rules]") {
  using mlroast::Category;
  auto rules = mlroast::make_all_rules();
  REQUIRE(rules.size() == mlroast::all_rule_infos().size());
  for (size_t i = 0; i < rules.size(); ++i) {
    const mlroast::RuleInfo& info = rules[i]->info();
    INFO(info.code);
    CHECK(&info == mlroast::all_rule_infos()[i]);  // info() is static storage
    Category want = Category::Reproducibility;     // ML6xx and P-rules
    if (info.code.starts_with("ML1")) want = Category::Leakage;
    if (info.code.starts_with("ML2")) want = Category::TimeSeries;
    if (info.code.starts_with("ML3")) want = Category::DataQuality;
    if (info.code.starts_with("ML4")) want = Category::Evaluation;
    if (info.code.starts_with("ML5")) want = Category::DeepLearning;
    if (info.code.starts_with("ML7")) want = Category::CodeQuality;
    CHECK(info.category == want);
  }
}
