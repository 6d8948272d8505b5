// The worked cases of shared/LINEAGE.md §4 as executable expectations for the lineage engine
// and the leakage rules. Each case is a small but complete program.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "analysis/analyzer.hpp"

namespace {

const std::string kPrelude = R"(import numpy as np
import pandas as pd
from imblearn.over_sampling import SMOTE
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MinMaxScaler, StandardScaler
from sklearn.svm import SVC

df = pd.read_csv("data/train.csv")
X = df.drop(columns=["y"])
y = df["y"]
model = LogisticRegression()
)";

struct Hit {
  std::string code;
  uint32_t line;  // 1-based, counted from the first line of the case body
};

std::vector<Hit> leaks(const std::string& body) {
  mlroast::RuleSelection sel;
  sel.select = {"ML1", "ML2"};
  auto findings = mlroast::analyze_text("case.py", kPrelude + body, sel);
  uint32_t offset = 0;
  for (char c : kPrelude) offset += c == '\n';
  std::vector<Hit> out;
  out.reserve(findings.size());
  for (const auto& f : findings) out.push_back({f.code, f.range.start.row + 1 - offset});
  return out;
}

std::string show(const std::vector<Hit>& hits) {
  std::string s;
  for (const auto& h : hits) s += h.code + "@" + std::to_string(h.line) + " ";
  return s.empty() ? "(none)" : s;
}

}  // namespace

TEST_CASE("A: scaler fitted on all of X, then split", "[lineage]") {
  auto hits = leaks(R"(scaler = StandardScaler()
X_s = scaler.fit_transform(X)
X_tr, X_te, y_tr, y_te = train_test_split(X_s, y, random_state=0)
model.fit(X_tr, y_tr)
print(model.score(X_te, y_te))
)");
  INFO(show(hits));
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].code == "ML101");
  CHECK(hits[0].line == 2);
}

TEST_CASE("B: fitted on the train side only", "[lineage]") {
  auto hits = leaks(R"(X_tr, X_te, y_tr, y_te = train_test_split(X, y, random_state=0)
sc = StandardScaler().fit(X_tr)
X_tr, X_te = sc.transform(X_tr), sc.transform(X_te)
model.fit(X_tr, y_tr)
print(model.score(X_te, y_te))
)");
  INFO(show(hits));
  CHECK(hits.empty());
}

TEST_CASE("C: split first, scaler still sees every row", "[lineage]") {
  auto hits = leaks(R"(X_tr, X_te, y_tr, y_te = train_test_split(X, y)
sc = MinMaxScaler().fit(X)
model.fit(sc.transform(X_tr), y_tr); print(model.score(sc.transform(X_te), y_te))
)");
  INFO(show(hits));
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].code == "ML101");
  CHECK(hits[0].line == 2);
}

TEST_CASE("D: scaler inside the cross-validated pipeline", "[lineage]") {
  auto hits = leaks(R"(scores = cross_val_score(make_pipeline(StandardScaler(), SVC()), X, y, cv=5)
)");
  INFO(show(hits));
  CHECK(hits.empty());
}

TEST_CASE("E: cross-validation of data scaled beforehand", "[lineage]") {
  auto hits = leaks(R"(X_s = StandardScaler().fit_transform(X)
scores = cross_val_score(SVC(), X_s, y, cv=5)
)");
  INFO(show(hits));
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].code == "ML101");
  CHECK(hits[0].line == 1);
}

TEST_CASE("F: Kaggle concat imputed with the joint mean", "[lineage]") {
  auto hits = leaks(R"(train = pd.read_csv("train.csv")
test = pd.read_csv("test.csv")
full = pd.concat([train, test])
full["Age"] = full["Age"].fillna(full["Age"].mean())
train = full.iloc[: len(train)]
X_tr, X_va, y_tr, y_va = train_test_split(train.drop(columns="y"), train["y"])
model.fit(X_tr, y_tr)
print(model.score(X_va, y_va))
)");
  INFO(show(hits));
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].code == "ML102");
  CHECK(hits[0].line == 4);
}

TEST_CASE("G: a constant fill learns nothing", "[lineage]") {
  auto hits = leaks(R"(df["Cabin"] = df["Cabin"].fillna("missing")
X_tr, X_te, y_tr, y_te = train_test_split(df[["Cabin"]], y)
)");
  INFO(show(hits));
  CHECK(hits.empty());
}

TEST_CASE("H: SMOTE before the split", "[lineage]") {
  auto hits = leaks(R"(X_r, y_r = SMOTE().fit_resample(X, y)
X_tr, X_te, y_tr, y_te = train_test_split(X_r, y_r)
)");
  INFO(show(hits));
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].code == "ML103");
  CHECK(hits[0].line == 1);
}

TEST_CASE("I: resampling the training side only", "[lineage]") {
  auto hits = leaks(R"(X_tr, X_te, y_tr, y_te = train_test_split(X, y, stratify=y)
X_tr, y_tr = SMOTE().fit_resample(X_tr, y_tr)
model.fit(X_tr, y_tr)
)");
  INFO(show(hits));
  CHECK(hits.empty());
}

TEST_CASE("M: columns chosen by correlation with the target on all rows", "[lineage]") {
  auto hits = leaks(R"(corr = df.corr()["price"].abs()
cols = corr[corr > 0.3].index.drop("price")
X_tr, X_te, y_tr, y_te = train_test_split(df[cols], df["price"])
)");
  INFO(show(hits));
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].code == "ML104");
  CHECK(hits[0].line == 1);
}

TEST_CASE("S: leak through a helper defined in the same file", "[lineage]") {
  auto hits = leaks(R"(def prep(frame):
    return StandardScaler().fit_transform(frame)
X_tr, X_te, y_tr, y_te = train_test_split(prep(X), y)
)");
  INFO(show(hits));
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].code == "ML101");
  CHECK(hits[0].line == 2);
}

TEST_CASE("T: helper applies a scaler fitted on train to each side", "[lineage]") {
  auto hits = leaks(R"(def prep(frame, scaler):
    return scaler.transform(frame)
X_tr, X_te, y_tr, y_te = train_test_split(X, y)
sc = StandardScaler().fit(X_tr)
model.fit(prep(X_tr, sc), y_tr)
print(model.score(prep(X_te, sc), y_te))
)");
  INFO(show(hits));
  CHECK(hits.empty());
}

TEST_CASE("Normalisation by hand before the split", "[lineage]") {
  auto hits = leaks(R"(df["inc"] = (df["inc"] - df["inc"].mean()) / df["inc"].std()
X_tr, X_te, y_tr, y_te = train_test_split(df[["inc"]], y)
)");
  INFO(show(hits));
  REQUIRE(hits.size() >= 1);
  CHECK(hits[0].code == "ML106");
  CHECK(hits[0].line == 1);
}

TEST_CASE("ML106 on a statistic of the target says that labels leak, not the scale",
          "[lineage]") {
  mlroast::RuleSelection sel;
  sel.select = {"ML106"};
  const auto message = [&](const std::string& body) {
    auto findings = mlroast::analyze_text("case.py", kPrelude + body, sel);
    return findings.size() == 1 ? findings.front().message : std::to_string(findings.size());
  };
  // A smoothing prior: the target's mean over every row, mixed into a feature.
  const std::string prior = message(R"(prior = df["y"].mean()
df["city_te"] = (df.groupby("city")["inc"].transform("sum") + 20 * prior) / 21
X_tr, X_te, y_tr, y_te = train_test_split(df[["city_te"]], y)
)");
  CHECK_THAT(prior, Catch::Contains("the test rows' labels are built into the training data"));
  const std::string scale = message(R"(df["inc"] = (df["inc"] - df["inc"].mean()) / 100
X_tr, X_te, y_tr, y_te = train_test_split(df[["inc"]], y)
)");
  CHECK_THAT(scale, Catch::Contains("test rows set the scale of the training features"));
}

TEST_CASE("J: early stopping judged on the test split", "[lineage]") {
  auto hits = leaks(R"(from tensorflow.keras.callbacks import EarlyStopping
X_tr, X_te, y_tr, y_te = train_test_split(X, y, random_state=0)
net.fit(X_tr, y_tr, validation_data=(X_te, y_te), callbacks=[EarlyStopping(patience=5)])
)");
  INFO(show(hits));
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].code == "ML107");
  CHECK(hits[0].line == 3);
}

TEST_CASE("K: validation_data without early stopping is monitoring", "[lineage]") {
  auto hits = leaks(R"(X_tr, X_te, y_tr, y_te = train_test_split(X, y, random_state=0)
net.fit(X_tr, y_tr, validation_data=(X_te, y_te), epochs=20)
)");
  INFO(show(hits));
  CHECK(hits.empty());
}

TEST_CASE("L: C chosen by test accuracy", "[lineage]") {
  auto hits = leaks(R"(X_tr, X_te, y_tr, y_te = train_test_split(X, y, random_state=0)
best = max([0.01, 0.1, 1, 10], key=lambda C: LogisticRegression(C=C).fit(X_tr, y_tr).score(X_te, y_te))
)");
  INFO(show(hits));
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].code == "ML107");
  CHECK(hits[0].line == 2);
}

TEST_CASE("N: shuffled split of a lagged, date-sorted series", "[lineage]") {
  auto hits = leaks(R"(df = pd.read_csv("sales.csv", parse_dates=["date"]).sort_values("date")
df["lag7"] = df["units"].shift(7)
X_tr, X_te, y_tr, y_te = train_test_split(df[["lag7", "price"]], df["units"])
)");
  INFO(show(hits));
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].code == "ML201");
  CHECK(hits[0].line == 3);
}

TEST_CASE("O: chronological cut", "[lineage]") {
  auto hits = leaks(R"(df = pd.read_csv("sales.csv", parse_dates=["date"]).sort_values("date")
df["lag7"] = df["units"].shift(7)
feats = ["lag7", "price"]
cut = df["date"] < "2023-01-01"
X_tr, X_te = df.loc[cut, feats], df.loc[~cut, feats]
y_tr, y_te = df.loc[cut, "units"], df.loc[~cut, "units"]
model.fit(X_tr, y_tr)
print(model.score(X_te, y_te))
)");
  INFO(show(hits));
  CHECK(hits.empty());
}

TEST_CASE("P/Q: rolling mean of the target with and without shift", "[lineage]") {
  auto hits = leaks(R"(df = pd.read_csv("sales.csv", parse_dates=["date"]).sort_values("date")
df["units_ma7"] = df["units"].rolling(7).mean()
df["units_ma7_ok"] = df["units"].shift(1).rolling(7).mean()
cut = df["date"] < "2023-01-01"
model.fit(df.loc[cut, ["units_ma7", "units_ma7_ok"]], df.loc[cut, "units"])
)");
  INFO(show(hits));
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].code == "ML202");
  CHECK(hits[0].line == 2);
}

TEST_CASE("R: store-month total of the target mapped back", "[lineage]") {
  auto hits = leaks(R"(df["store_month_units"] = df.groupby(["store", "month"])["units"].transform("sum")
model.fit(df[["store_month_units", "price"]], df["units"])
)");
  INFO(show(hits));
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].code == "ML203");
  CHECK(hits[0].line == 1);
}

TEST_CASE("ML105: target mean per category mapped back before the split", "[lineage]") {
  auto hits = leaks(R"(df["city_te"] = df["city"].map(df.groupby("city")["price"].mean())
X_tr, X_te, y_tr, y_te = train_test_split(df[["city_te", "sqft"]], df["price"])
)");
  INFO(show(hits));
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].code == "ML105");
  CHECK(hits[0].line == 1);
}

TEST_CASE("ML108: fitted on every row, scored on the test split", "[lineage]") {
  auto hits = leaks(R"(X_tr, X_te, y_tr, y_te = train_test_split(X, y, random_state=0)
model.fit(X, y)
print(model.score(X_te, y_te))
)");
  INFO(show(hits));
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].code == "ML108");
  CHECK(hits[0].line == 2);
}

TEST_CASE("ML109: the target is still a column of X", "[lineage]") {
  auto hits = leaks(R"(target = df["churn"]
features = df.drop(columns=["customer_id"])
model.fit(features, target)
safe = df.drop(columns=["customer_id", "churn"])
model.fit(safe, target)
)");
  INFO(show(hits));
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].code == "ML109");
  CHECK(hits[0].line == 3);
}

TEST_CASE("ML110: rows repeat per patient, random split", "[lineage]") {
  auto hits = leaks(R"(visits = pd.read_csv("visits.csv")
visits["n_prior"] = visits.groupby("patient_id").cumcount()
X_tr, X_te, y_tr, y_te = train_test_split(visits[["n_prior", "age"]], visits["readmitted"])
)");
  INFO(show(hits));
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].code == "ML110");
  CHECK(hits[0].line == 3);
}

TEST_CASE("ML110 silent: grouped split", "[lineage]") {
  auto hits = leaks(R"(from sklearn.model_selection import GroupKFold
visits = pd.read_csv("visits.csv")
visits["n_prior"] = visits.groupby("patient_id").cumcount()
scores = cross_val_score(model, visits[["n_prior"]], visits["readmitted"], groups=visits["patient_id"], cv=GroupKFold(5))
)");
  INFO(show(hits));
  CHECK(hits.empty());
}

TEST_CASE("ML111: a loop over several models scored on the test split", "[lineage]") {
  auto hits = leaks(R"(from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import f1_score
X_tr, X_te, y_tr, y_te = train_test_split(X, y, random_state=0)
models = {"lr": LogisticRegression(), "rf": RandomForestClassifier()}
for name, m in models.items():
    m.fit(X_tr, y_tr)
    print(name, f1_score(y_te, m.predict(X_te)))
)");
  INFO(show(hits));
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].code == "ML111");
  CHECK(hits[0].line == 7);
}

TEST_CASE("ML111 silent: one final model scored once", "[lineage]") {
  auto hits = leaks(R"(from sklearn.metrics import f1_score
X_tr, X_te, y_tr, y_te = train_test_split(X, y, random_state=0)
model.fit(X_tr, y_tr)
print(f1_score(y_te, model.predict(X_te)))
print(model.score(X_te, y_te))
)");
  INFO(show(hits));
  CHECK(hits.empty());
}
