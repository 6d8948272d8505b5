// The one table of rules. Adding a rule: write analysis/rules/<slug>.cpp with its doc block and
// a `make_<slug>()` factory, declare the factory here and add it to kFactories (code order).
#include <algorithm>

#include "analysis/rules/rule.hpp"

#ifndef MLROAST_DOCS_DIR
#define MLROAST_DOCS_DIR "docs/rules"
#endif

namespace mlroast {

namespace rules {
std::unique_ptr<Rule> make_preprocessing_before_split();
std::unique_ptr<Rule> make_imputation_before_split();
std::unique_ptr<Rule> make_oversampling_before_split();
std::unique_ptr<Rule> make_feature_selection_before_split();
std::unique_ptr<Rule> make_normalization_before_split();
std::unique_ptr<Rule> make_target_encoding_leak();
std::unique_ptr<Rule> make_test_set_used_for_tuning();
std::unique_ptr<Rule> make_train_test_overlap();
std::unique_ptr<Rule> make_target_in_features();
std::unique_ptr<Rule> make_shuffled_split_on_time_series();
std::unique_ptr<Rule> make_rolling_without_shift();
std::unique_ptr<Rule> make_same_period_aggregation();
std::unique_ptr<Rule> make_group_leakage();
std::unique_ptr<Rule> make_multi_test_evaluation();
std::unique_ptr<Rule> make_row_wise_loop();
std::unique_ptr<Rule> make_bare_except();
std::unique_ptr<Rule> make_mutable_default_argument();
std::unique_ptr<Rule> make_hardcoded_absolute_path();
std::unique_ptr<Rule> make_pickle_untrusted_load();
std::unique_ptr<Rule> make_hardcoded_secret();
std::unique_ptr<Rule> make_unfixed_seed();
std::unique_ptr<Rule> make_duplicates_unchecked();
std::unique_ptr<Rule> make_refit_at_inference();
std::unique_ptr<Rule> make_dummies_column_mismatch();
std::unique_ptr<Rule> make_fillna_after_left_join();
std::unique_ptr<Rule> make_unguarded_division();
std::unique_ptr<Rule> make_ambiguous_date_parsing();
std::unique_ptr<Rule> make_onehot_unknown_category();
std::unique_ptr<Rule> make_partial_seeding();
std::unique_ptr<Rule> make_cudnn_nondeterministic();
std::unique_ptr<Rule> make_high_cardinality_onehot();
std::unique_ptr<Rule> make_label_encoding_nominal();
}  // namespace rules

namespace {
using Factory = std::unique_ptr<Rule> (*)();
constexpr Factory kFactories[] = {
    rules::make_preprocessing_before_split,
    rules::make_imputation_before_split,
    rules::make_oversampling_before_split,
    rules::make_feature_selection_before_split,
    rules::make_normalization_before_split,
    rules::make_target_encoding_leak,
    rules::make_test_set_used_for_tuning,
    rules::make_train_test_overlap,
    rules::make_target_in_features,
    rules::make_shuffled_split_on_time_series,
    rules::make_rolling_without_shift,
    rules::make_same_period_aggregation,
    rules::make_group_leakage,
    rules::make_multi_test_evaluation,
    rules::make_row_wise_loop,
    rules::make_bare_except,
    rules::make_mutable_default_argument,
    rules::make_hardcoded_absolute_path,
    rules::make_pickle_untrusted_load,
    rules::make_hardcoded_secret,
    rules::make_unfixed_seed,
    rules::make_duplicates_unchecked,
    rules::make_refit_at_inference,
    rules::make_dummies_column_mismatch,
    rules::make_fillna_after_left_join,
    rules::make_unguarded_division,
    rules::make_ambiguous_date_parsing,
    rules::make_onehot_unknown_category,
    rules::make_partial_seeding,
    rules::make_cudnn_nondeterministic,
    rules::make_high_cardinality_onehot,
    rules::make_label_encoding_nominal,
};
}  // namespace

const char* to_string(Category c) {
  switch (c) {
    case Category::Leakage: return "leakage";
    case Category::TimeSeries: return "time-series";
    case Category::DataQuality: return "data-quality";
    case Category::Evaluation: return "evaluation";
    case Category::DeepLearning: return "deep-learning";
    case Category::Reproducibility: return "reproducibility";
    case Category::CodeQuality: return "code-quality";
  }
  return "code-quality";
}

std::vector<std::unique_ptr<Rule>> make_all_rules() {
  std::vector<std::unique_ptr<Rule>> out;
  for (Factory f : kFactories) out.push_back(f());
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a->info().code < b->info().code; });
  return out;
}

const std::vector<const RuleInfo*>& all_rule_infos() {
  static const std::vector<const RuleInfo*> infos = [] {
    std::vector<const RuleInfo*> v;
    for (const auto& r : make_all_rules()) v.push_back(&r->info());  // info() is static storage
    return v;
  }();
  return infos;
}

const RuleInfo* find_rule(std::string_view code) {
  for (const RuleInfo* i : all_rule_infos())
    if (i->code == code || i->slug == code) return i;
  return nullptr;
}

std::string rule_url(const RuleInfo& info) {
  return std::string("file://") + MLROAST_DOCS_DIR + "/" + std::string(info.code) + ".md";
}

}  // namespace mlroast
