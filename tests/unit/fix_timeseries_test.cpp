// Golden tests of the ML201 and ML202 fixes: the exact rewritten text, which parses and no longer
// carries the finding (nor any new one).
#include <catch2/catch.hpp>

#include <string>

#include "analysis/analyzer.hpp"
#include "analysis/fix/apply.hpp"
#include "analysis/syntax/tree.hpp"

namespace {

const std::string kHeader = R"(import pandas as pd
from sklearn.linear_model import Ridge
from sklearn.model_selection import train_test_split

sales = pd.read_csv("sales.csv", parse_dates=["date"], date_format="%Y-%m-%d")
sales = sales.drop_duplicates(subset=["store", "date"]).sort_values("date")
sales["lag7"] = sales["units"].shift(7)
)";

std::string fixed(const std::string& text, bool unsafe) {
  return mlroast::fix_text("sales.py", text, mlroast::RuleSelection{}, unsafe).text;
}

bool parses(const std::string& text) {
  mlroast::syntax::Parser p;
  return !p.parse(text).root().has_error();
}

}  // namespace

TEST_CASE("ML201 fix: shuffle=False is added to train_test_split (unsafe)", "[fix]") {
  const std::string before = kHeader + R"(X_tr, X_te, y_tr, y_te = train_test_split(
    sales[["lag7", "price"]], sales["units"], test_size=0.2,
)
model = Ridge().fit(X_tr, y_tr)
print(model.score(X_te, y_te))
)";
  CHECK(fixed(before, false) == before);  // unsafe: not applied without --unsafe-fixes
  const std::string after = fixed(before, true);
  CHECK(after == kHeader + R"(X_tr, X_te, y_tr, y_te = train_test_split(
    sales[["lag7", "price"]], sales["units"], test_size=0.2, shuffle=False
)
model = Ridge().fit(X_tr, y_tr)
print(model.score(X_te, y_te))
)");
  CHECK(parses(after));
  CHECK(mlroast::analyze_text("sales.py", after, mlroast::RuleSelection{}).empty());
}

TEST_CASE("ML201 fix: an explicit shuffle=True becomes False", "[fix]") {
  const std::string before =
      kHeader + "X_tr, X_te, y_tr, y_te = train_test_split(sales[[\"lag7\"]], sales[\"units\"], shuffle=True)\n"
                "print(Ridge().fit(X_tr, y_tr).score(X_te, y_te))\n";
  const std::string after = fixed(before, true);
  CHECK(after.find("sales[\"units\"], shuffle=False)") != std::string::npos);
  CHECK(mlroast::analyze_text("sales.py", after, mlroast::RuleSelection{}).empty());
}

TEST_CASE("ML202 fix: .shift(1) before the window (safe)", "[fix]") {
  const std::string before = kHeader + R"(sales["units_ma7"] = sales["units"].rolling(7).mean()
sales["units_ewm"] = sales["units"].ewm(span=14).mean()
cut = sales["date"] < "2023-01-01"
feats = ["lag7", "units_ma7", "units_ewm"]
model = Ridge().fit(sales.loc[cut, feats], sales.loc[cut, "units"])
print(model.score(sales.loc[~cut, feats], sales.loc[~cut, "units"]))
)";
  const std::string after = fixed(before, false);
  CHECK(after == kHeader + R"(sales["units_ma7"] = sales["units"].shift(1).rolling(7).mean()
sales["units_ewm"] = sales["units"].shift(1).ewm(span=14).mean()
cut = sales["date"] < "2023-01-01"
feats = ["lag7", "units_ma7", "units_ewm"]
model = Ridge().fit(sales.loc[cut, feats], sales.loc[cut, "units"])
print(model.score(sales.loc[~cut, feats], sales.loc[~cut, "units"]))
)");
  CHECK(parses(after));
  CHECK(mlroast::analyze_text("sales.py", after, mlroast::RuleSelection{}).empty());
}

TEST_CASE("ML202: no fix for a per-group window", "[fix]") {
  const std::string text = kHeader + R"(sales["units_ma7"] = sales.groupby("store")["units"].rolling(7).mean().reset_index(level=0, drop=True)
cut = sales["date"] < "2023-01-01"
model = Ridge().fit(sales.loc[cut, ["units_ma7"]], sales.loc[cut, "units"])
)";
  auto findings = mlroast::analyze_text("sales.py", text, mlroast::RuleSelection{});
  bool window = false;
  for (const auto& f : findings)
    if (f.code == "ML202") {
      window = true;
      CHECK_FALSE(f.fix.has_value());
    }
  CHECK(window);
}

TEST_CASE("ML107 fix: early stopping on a validation split carved from train (unsafe)", "[fix]") {
  const std::string before = R"(import numpy as np
from lightgbm import LGBMRegressor

data = np.load("data/features.npy")
X, y = data[:, :-1], data[:, -1]
n = int(len(X) * 0.8)
X_tr, X_te, y_tr, y_te = X[:n], X[n:], y[:n], y[n:]
reg = LGBMRegressor(n_estimators=5000, random_state=3)
reg.fit(X_tr, y_tr, eval_set=[(X_te, y_te)], early_stopping_rounds=100)
print(reg.score(X_te, y_te))
)";
  auto findings = mlroast::analyze_text("train.py", before, mlroast::RuleSelection{});
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].code == "ML107");
  CHECK(fixed(before, false) == before);
  const std::string after = fixed(before, true);
  CHECK(after == R"(from sklearn.model_selection import train_test_split
import numpy as np
from lightgbm import LGBMRegressor

data = np.load("data/features.npy")
X, y = data[:, :-1], data[:, -1]
n = int(len(X) * 0.8)
X_tr, X_te, y_tr, y_te = X[:n], X[n:], y[:n], y[n:]
reg = LGBMRegressor(n_estimators=5000, random_state=3)
X_fit, X_val, y_fit, y_val = train_test_split(X_tr, y_tr, test_size=0.2, random_state=0)
reg.fit(X_fit, y_fit, eval_set=[(X_val, y_val)], early_stopping_rounds=100)
print(reg.score(X_te, y_te))
)");
  CHECK(parses(after));
  CHECK(mlroast::analyze_text("train.py", after, mlroast::RuleSelection{}).empty());
}

TEST_CASE("ML201 fix: a shuffling CV splitter becomes TimeSeriesSplit (unsafe)", "[fix]") {
  const std::string before = kHeader + R"(from sklearn.model_selection import KFold, cross_val_score
scores = cross_val_score(Ridge(), sales[["lag7", "price"]], sales["units"], cv=KFold(n_splits=4, shuffle=True, random_state=0))
print(scores.mean())
)";
  const std::string after = fixed(before, true);
  CHECK(after.rfind("from sklearn.model_selection import TimeSeriesSplit\nimport pandas as pd\n", 0) == 0);
  CHECK(after.find("cv=TimeSeriesSplit(n_splits=4))") != std::string::npos);
  CHECK(parses(after));
  CHECK(mlroast::analyze_text("sales.py", after, mlroast::RuleSelection{}).empty());
}
