#include "analysis/rules/leak_rule.hpp"

#include <algorithm>
#include <optional>

#include "analysis/lineage/program.hpp"
#include "analysis/rules/move_fit_fix.hpp"

namespace mlroast::rules {

namespace {

std::string shorten(std::string_view s) {
  std::string out;
  for (char c : s) out += (c == '\n' || c == '\r') ? ' ' : c;
  if (out.size() > 40) out = out.substr(0, 37) + "...";
  return out;
}

class LeakRule final : public Rule {
 public:
  LeakRule(const RuleInfo& info, lineage::LeakFamily family, std::string_view consequence)
      : info_(info), family_(family), consequence_(consequence) {}
  const RuleInfo& info() const override { return info_; }

  void finish(RuleContext& ctx) override {
    const lineage::Program* p = ctx.program();
    if (p == nullptr) return;
    std::vector<uint32_t> rows;  // one finding per expression: (x - x.mean()) / x.std() is one leak
    // Hand-written statistics of the same data on separate lines (`mu = x.mean()`, then
    // `sd = x.std()`) are one normalisation too: the later ones become notes of the first.
    std::vector<std::pair<std::string, size_t>> by_source;  // learned-from text, finding
    std::vector<Finding> out;
    std::optional<std::vector<std::string>> targets;  // computed at the first hand-written statistic
    for (const lineage::Leak& leak : p->leaks()) {
      if (leak.family != family_) continue;
      const lineage::LearnEvent& e = p->learns()[leak.learn];
      uint32_t row = e.site.start_point().row;
      if (std::find(rows.begin(), rows.end(), row) != rows.end()) continue;
      rows.push_back(row);
      std::string src = learned_from_text(ctx, e);
      if (family_ == lineage::LeakFamily::Normalization && !src.empty()) {
        const auto same = std::find_if(by_source.begin(), by_source.end(),
                                       [&](const auto& s) { return s.first == src; });
        if (same != by_source.end()) {
          out[same->second].related.push_back(
              {TextRange::of(e.site), "`." + e.what + "()` of the same data, also over all rows"});
          continue;
        }
        by_source.emplace_back(src, out.size());
      }
      std::string what = e.kind == lineage::StatKind::Estimator ||
                                 e.kind == lineage::StatKind::Functional
                             ? e.what + " fitted on "
                             : "`." + e.what + "()` computed over ";
      // A mean or a fill value of the target itself (a smoothing prior, `y.fillna(y.mean())`)
      // carries the test labels, not only their scale.
      std::string_view consequence = consequence_;
      if (e.kind == lineage::StatKind::Moment || e.kind == lineage::StatKind::Counts) {
        if (!targets) targets = lineage::target_columns(*p);
        if (lineage::on_target(*p, e, *targets))
          consequence = "the test rows' labels are built into the training data";
      }
      std::string msg = what + lineage::describe_data(*p, e.data, src) + " (line " +
                        std::to_string(e.site.start_point().row + 1) + "); " +
                        leak.ends.front().message + ", so " + std::string(consequence);
      Finding f = finding(e.site, std::move(msg));
      if (!ctx.fixes_wanted()) {
      } else if (family_ == lineage::LeakFamily::Preprocessing ||
          family_ == lineage::LeakFamily::Imputation || family_ == lineage::LeakFamily::Selection)
        f.fix = move_fit_after_split(ctx, e, leak);
      else if (family_ == lineage::LeakFamily::Oversampling)
        f.fix = resample_after_split(ctx, e, leak);
      else if (family_ == lineage::LeakFamily::Normalization)
        f.fix = normalize_after_split(ctx, e, leak);
      for (const auto& end : leak.ends) f.related.push_back({TextRange::of(end.site), end.message});
      out.push_back(std::move(f));
    }
    for (Finding& f : out) ctx.report(std::move(f));
  }

 private:
  const RuleInfo& info_;
  lineage::LeakFamily family_;
  std::string_view consequence_;
};

}  // namespace

std::string learned_from_text(const RuleContext& ctx, const lineage::LearnEvent& e) {
  syntax::Node site = e.site;
  if (site.kind() != "call") return "";
  syntax::Node fn = site.field("function");
  // `df["x"].mean()`: the receiver; `np.percentile(x, 99)` (a module's function): the argument
  if (e.kind != lineage::StatKind::Estimator && e.kind != lineage::StatKind::Functional &&
      fn.kind() == "attribute" && ctx.sem().qualified_name(fn.field("object")).empty())
    return shorten(ctx.text_of(fn.field("object")));
  syntax::Node args = site.field("arguments");
  for (uint32_t i = 0; args && i < args.named_child_count(); ++i) {
    syntax::Node a = args.named_child(i);
    if (a.kind() != "keyword_argument" && a.kind() != "comment") return shorten(ctx.text_of(a));
  }
  return "";
}

std::unique_ptr<Rule> make_leak_rule(const RuleInfo& info, lineage::LeakFamily family,
                                     std::string_view consequence) {
  return std::make_unique<LeakRule>(info, family, consequence);
}

}  // namespace mlroast::rules
