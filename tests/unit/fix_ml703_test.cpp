// ML703's fix: `except:` becomes `except Exception:` (unsafe). Applies the edits back to front,
// checks the exact text, that it parses and that the finding is gone.
#include <algorithm>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "analysis/analyzer.hpp"
#include "support/fix_testing.hpp"
#include "analysis/syntax/tree.hpp"

namespace {

using mlroast::test::apply_fix;
using mlroast::test::only_rule;
using mlroast::test::parses_cleanly;

std::vector<mlroast::Finding> ml703(const std::string& text) {
  mlroast::RuleSelection sel;
  sel.select = {"ML703"};
  return mlroast::analyze_text("ingest.py", text, sel);
}

}  // namespace

TEST_CASE("ML703 fix: bare except becomes except Exception", "[rules][fix]") {
  const std::string before =
      "frames = []\n"
      "for path in paths:\n"
      "    try:\n"
      "        frames.append(pd.read_csv(path))\n"
      "    except:  # corrupt exports happen\n"
      "        logger.warning(\"skipping %s\", path)\n";
  auto findings = ml703(before);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].range.start.row == 4);
  REQUIRE(findings[0].fix.has_value());
  CHECK(findings[0].fix->applicability == mlroast::Applicability::Unsafe);
  std::string after = apply_fix(before, *findings[0].fix);
  CHECK(after ==
        "frames = []\n"
        "for path in paths:\n"
        "    try:\n"
        "        frames.append(pd.read_csv(path))\n"
        "    except Exception:  # corrupt exports happen\n"
        "        logger.warning(\"skipping %s\", path)\n");
  CHECK(parses_cleanly(after));
  CHECK(ml703(after).empty());
}

TEST_CASE("ML703 fix: only the bare clause of a chain is rewritten", "[rules][fix]") {
  const std::string before =
      "try:\n"
      "    model = joblib_loader(path)\n"
      "except FileNotFoundError:\n"
      "    model = train_fallback()\n"
      "except:\n"
      "    raise\n";
  auto findings = ml703(before);
  REQUIRE(findings.size() == 1);
  REQUIRE(findings[0].fix.has_value());
  std::string after = apply_fix(before, *findings[0].fix);
  CHECK(after ==
        "try:\n"
        "    model = joblib_loader(path)\n"
        "except FileNotFoundError:\n"
        "    model = train_fallback()\n"
        "except Exception:\n"
        "    raise\n");
  CHECK(parses_cleanly(after));
  CHECK(ml703(after).empty());
}

TEST_CASE("ML703 fix: no fix for `except Exception: pass`", "[rules][fix]") {
  auto findings = ml703("try:\n    import lightgbm\nexcept Exception:\n    pass\n");
  REQUIRE(findings.size() == 1);
  CHECK_FALSE(findings[0].fix.has_value());
}

TEST_CASE("ML703 fix: applying it to `except: pass` leaves the pass finding", "[rules][fix]") {
  // The fix names the exception but cannot invent handling: the swallow is still reported.
  const std::string before = "try:\n    x = 1\nexcept:\n    pass\n";
  auto findings = ml703(before);
  REQUIRE(findings.size() == 1);
  std::string after = apply_fix(before, *findings[0].fix);
  CHECK(after == "try:\n    x = 1\nexcept Exception:\n    pass\n");
  CHECK(parses_cleanly(after));
  auto again = ml703(after);
  REQUIRE(again.size() == 1);
  CHECK_FALSE(again[0].fix.has_value());
}
