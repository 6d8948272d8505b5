// Leak judgement over a lineage::Program (shared LINEAGE.md §3): which learned statistics reach
// rows that later act as test/validation rows, and through which split or cross-validation.
// Computed once per Program by the leakage rules; each rule keeps the leaks of its own family.
#pragma once

#include <string>
#include <vector>

#include "analysis/lineage/program.hpp"

namespace mlroast::lineage {

enum class LeakFamily {
  None,
  Preprocessing,   // ML101: scalers, encoders, vectorizers, PCA...
  Imputation,      // ML102: imputers, fillna(stat)
  Oversampling,    // ML103: SMOTE & co., resample with replacement
  Selection,       // ML104: SelectKBest & co., columns chosen by correlation
  TargetEncoding,  // ML105: target encoders, target means mapped back
  Normalization,   // ML106: (x - mean) / std by hand
};

LeakFamily family_of(const Program& p, const LearnEvent& e,
                     const std::vector<std::string>& targets);

// True when the statistic of `e` is computed over one of the target columns.
bool on_target(const Program& p, const LearnEvent& e, const std::vector<std::string>& targets);
// True when the grouping keys of a group aggregation name a period (month, week, date...).
bool grouped_by_period(const Program& p, const LearnEvent& e);

struct LeakEnd {
  syntax::Node site;
  std::string message;  // "split into train/test here", "cross-validated here"
};

struct Leak {
  uint32_t learn = 0;
  LeakFamily family = LeakFamily::None;
  std::vector<LeakEnd> ends;  // the split / CV / evaluation the statistic leaks into
};

// Every leak in the program, in learn-event order; one per learned statistic.
std::vector<Leak> find_leaks(const Program& p);

// True when data carrying learn event `learn` reaches a model: a fit, an evaluation, a
// cross-validation or early stopping, or a train/test split. False for dead data (a rolling mean
// that is only plotted).
bool reaches_model(const Program& p, uint32_t learn);

// The target columns of the program: the columns of every `y` given to a model fit,
// cross-validation or train_test_split's second array.
std::vector<std::string> target_columns(const Program& p);

// Short description of the data a statistic was learned from: "all rows of X".
std::string describe_data(const Program& p, ValueId data, std::string_view source);

}  // namespace mlroast::lineage
