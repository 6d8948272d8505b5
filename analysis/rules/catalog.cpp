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
std::unique_ptr<Rule> make_print_instead_of_logging();
std::unique_ptr<Rule> make_accuracy_on_imbalanced();
std::unique_ptr<Rule> make_hardcoded_threshold();
std::unique_ptr<Rule> make_no_baseline();
std::unique_ptr<Rule> make_single_split_no_cv();
std::unique_ptr<Rule> make_roc_auc_without_pr_auc();
std::unique_ptr<Rule> make_rmse_only();
std::unique_ptr<Rule> make_missing_class_weight();
std::unique_ptr<Rule> make_default_hyperparameters();
std::unique_ptr<Rule> make_no_early_stopping();
std::unique_ptr<Rule> make_sys_path_hack();
std::unique_ptr<Rule> make_debug_server_exposed();
std::unique_ptr<Rule> make_chained_assignment();
std::unique_ptr<Rule> make_uncalibrated_probabilities();
std::unique_ptr<Rule> make_unsafe_model_serialization();
std::unique_ptr<Rule> make_unvalidated_serving_input();
std::unique_ptr<Rule> make_god_function();
std::unique_ptr<Rule> make_global_state_mutation();
// Project rules P01-P11 (analysis/review/project_rules.cpp).
std::unique_ptr<Rule> make_unpinned_dependencies();
std::unique_ptr<Rule> make_python_version_unspecified();
std::unique_ptr<Rule> make_no_experiment_tracking();
std::unique_ptr<Rule> make_no_data_versioning();
std::unique_ptr<Rule> make_no_data_validation();
std::unique_ptr<Rule> make_no_tests();
std::unique_ptr<Rule> make_no_orchestration();
std::unique_ptr<Rule> make_no_model_metadata();
std::unique_ptr<Rule> make_no_monitoring();
std::unique_ptr<Rule> make_train_serve_skew();
std::unique_ptr<Rule> make_notebook_as_production();
std::unique_ptr<Rule> make_softmax_before_cross_entropy();
std::unique_ptr<Rule> make_loss_tensor_accumulation();
std::unique_ptr<Rule> make_missing_zero_grad();
std::unique_ptr<Rule> make_missing_eval_mode();
std::unique_ptr<Rule> make_bce_without_sigmoid();
std::unique_ptr<Rule> make_constant_learning_rate();
std::unique_ptr<Rule> make_no_gradient_clipping();
std::unique_ptr<Rule> make_dataloader_single_worker();
std::unique_ptr<Rule> make_wrong_loss_for_target();
std::unique_ptr<Rule> make_notebook_out_of_order();
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
    rules::make_print_instead_of_logging,
    rules::make_accuracy_on_imbalanced,
    rules::make_hardcoded_threshold,
    rules::make_no_baseline,
    rules::make_single_split_no_cv,
    rules::make_roc_auc_without_pr_auc,
    rules::make_rmse_only,
    rules::make_missing_class_weight,
    rules::make_default_hyperparameters,
    rules::make_no_early_stopping,
    rules::make_sys_path_hack,
    rules::make_debug_server_exposed,
    rules::make_chained_assignment,
    rules::make_uncalibrated_probabilities,
    rules::make_unsafe_model_serialization,
    rules::make_unvalidated_serving_input,
    rules::make_god_function,
    rules::make_global_state_mutation,
    rules::make_unpinned_dependencies,
    rules::make_python_version_unspecified,
    rules::make_no_experiment_tracking,
    rules::make_no_data_versioning,
    rules::make_no_data_validation,
    rules::make_no_tests,
    rules::make_no_orchestration,
    rules::make_no_model_metadata,
    rules::make_no_monitoring,
    rules::make_train_serve_skew,
    rules::make_notebook_as_production,
    rules::make_softmax_before_cross_entropy,
    rules::make_loss_tensor_accumulation,
    rules::make_missing_zero_grad,
    rules::make_missing_eval_mode,
    rules::make_bce_without_sigmoid,
    rules::make_constant_learning_rate,
    rules::make_no_gradient_clipping,
    rules::make_dataloader_single_worker,
    rules::make_wrong_loss_for_target,
    rules::make_notebook_out_of_order,
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
