// Rule selection: select/extend-select/ignore with codes and prefixes, and unknown selectors.
#include <catch2/catch.hpp>

#include "analysis/config/selection.hpp"

using mlroast::RuleSelection;

TEST_CASE("select, extend-select and ignore by code and prefix", "[config]") {
  RuleSelection s;
  CHECK(s.enabled("ML101"));
  s.select = {"ML1"};
  CHECK(s.enabled("ML107"));
  CHECK_FALSE(s.enabled("ML703"));
  s.extend_select = {"ML703"};
  CHECK(s.enabled("ML703"));
  s.ignore = {"ML10"};
  CHECK_FALSE(s.enabled("ML101"));
  CHECK(s.enabled("ML111"));  // ML111 does not start with ML10
  s.select = {"ML101"};       // the more specific selector wins over the ignored prefix
  s.extend_select = {};
  CHECK(s.enabled("ML101"));
  s.select = {"ALL"};
  s.ignore = {"ALL"};
  CHECK_FALSE(s.enabled("ML101"));
}

TEST_CASE("unknown selectors are reported, catalogue codes are not", "[config]") {
  RuleSelection s;
  s.select = {"ML1", "ML5", "ML601", "P01", "ALL"};  // families planned in the catalogue
  CHECK_FALSE(s.first_unknown_selector().has_value());
  s.select = {"ML99"};
  CHECK(s.first_unknown_selector() == "ML99");
  s.select = {"ML1"};
  s.ignore = {"MLfoo"};
  CHECK(s.first_unknown_selector() == "MLfoo");
  s.ignore = {"ML112"};
  CHECK(s.first_unknown_selector() == "ML112");
}
