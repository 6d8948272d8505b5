// Golden tests of the "move the fit after the split" fix (ML101/ML102/ML104).
#include <catch2/catch.hpp>

#include <string>

#include "analysis/analyzer.hpp"
#include "analysis/fix/apply.hpp"
#include "analysis/syntax/tree.hpp"

namespace {

const std::string kHeader = R"(import pandas as pd
from sklearn.feature_selection import SelectKBest, f_classif
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

df = pd.read_csv("data/churn.csv").drop_duplicates()
X = df.drop(columns=["churn"])
y = df["churn"]
)";

const std::string kTail = R"(model = LogisticRegression(max_iter=1000).fit(X_tr, y_tr)
print(model.score(X_te, y_te))
)";

std::string fix_all(const std::string& text) {
  return mlroast::fix_text("train.py", text, mlroast::RuleSelection{}, false).text;
}

// No leakage or time-series finding is left (evaluation rules such as ML401 may still have
// something to say about `.score` on a churn target; that is not what these fixes claim).
void check_clean(const std::string& text) {
  mlroast::syntax::Parser p;
  CHECK_FALSE(p.parse(text).root().has_error());
  mlroast::RuleSelection leakage;
  leakage.select = {"ML1", "ML2"};
  auto findings = mlroast::analyze_text("train.py", text, leakage);
  INFO(text);
  CHECK(findings.empty());
}

}  // namespace

TEST_CASE("move-fit fix: a named scaler", "[fix]") {
  const std::string before = kHeader + R"(scaler = StandardScaler()
X_s = scaler.fit_transform(X)
X_tr, X_te, y_tr, y_te = train_test_split(X_s, y, test_size=0.25, random_state=7)
)" + kTail;
  const std::string after = fix_all(before);
  CHECK(after == kHeader + R"(scaler = StandardScaler()
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.25, random_state=7)
X_tr = scaler.fit_transform(X_tr)
X_te = scaler.transform(X_te)
)" + kTail);
  check_clean(after);
}

TEST_CASE("move-fit fix: an imputer built inline gets a variable", "[fix]") {
  const std::string before = kHeader + R"(X_imp = SimpleImputer(strategy="median").fit_transform(X)
X_tr, X_te, y_tr, y_te = train_test_split(X_imp, y, random_state=7)
)" + kTail;
  const std::string after = fix_all(before);
  CHECK(after == kHeader + R"(X_tr, X_te, y_tr, y_te = train_test_split(X, y, random_state=7)
simple_imputer = SimpleImputer(strategy="median")
X_tr = simple_imputer.fit_transform(X_tr)
X_te = simple_imputer.transform(X_te)
)" + kTail);
  check_clean(after);
}

TEST_CASE("move-fit fix: a supervised selector keeps y's training side", "[fix]") {
  const std::string before = kHeader + R"(selector = SelectKBest(f_classif, k=10)
X_sel = selector.fit_transform(X, y)
X_tr, X_te, y_tr, y_te = train_test_split(X_sel, y, stratify=y, random_state=7)
)" + kTail;
  const std::string after = fix_all(before);
  CHECK(after.find("X_tr = selector.fit_transform(X_tr, y_tr)\nX_te = selector.transform(X_te)\n") !=
        std::string::npos);
  check_clean(after);
}

TEST_CASE("move-fit fix: not offered when the transformed matrix is used elsewhere", "[fix]") {
  const std::string text = kHeader + R"(scaler = StandardScaler()
X_s = scaler.fit_transform(X)
X_tr, X_te, y_tr, y_te = train_test_split(X_s, y, random_state=7)
)" + kTail + "final = LogisticRegression().fit(X_s, y)\n";
  for (const auto& f : mlroast::analyze_text("train.py", text, mlroast::RuleSelection{}))
    if (f.code == "ML101") CHECK_FALSE(f.fix.has_value());
  CHECK(fix_all(text) == text);
}

TEST_CASE("resample fix: SMOTE moves after the split, stratify follows", "[fix]") {
  const std::string header = R"(import pandas as pd
from imblearn.over_sampling import SMOTE
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import train_test_split

df = pd.read_csv("data/fraud.csv").drop_duplicates()
X = df.drop(columns=["is_fraud"])
y = df["is_fraud"]
)";
  const std::string tail = R"(clf = RandomForestClassifier(random_state=0).fit(X_tr, y_tr)
print(clf.score(X_te, y_te))
)";
  const std::string before = header + R"(X_res, y_res = SMOTE(random_state=0).fit_resample(X, y)
X_tr, X_te, y_tr, y_te = train_test_split(X_res, y_res, stratify=y_res, random_state=0)
)" + tail;
  const std::string after = fix_all(before);
  CHECK(after == header + R"(X_tr, X_te, y_tr, y_te = train_test_split(X, y, stratify=y, random_state=0)
X_tr, y_tr = SMOTE(random_state=0).fit_resample(X_tr, y_tr)
)" + tail);
  check_clean(after);
}

TEST_CASE("pipeline fix: a scaler fitted before cross_val_score joins the pipeline", "[fix]") {
  const std::string before = R"("""Wine quality: SVC with cross-validation."""
from __future__ import annotations

import pandas as pd
from sklearn.model_selection import cross_val_score
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

df = pd.read_csv("data/wine.csv").drop_duplicates()
X = df.drop(columns=["quality"])
y = df["quality"]
X_s = StandardScaler().fit_transform(X)
scores = cross_val_score(SVC(C=3.0), X_s, y, cv=5, scoring="f1_macro")
print(scores.mean())
)";
  const std::string after = fix_all(before);
  CHECK(after == R"("""Wine quality: SVC with cross-validation."""
from __future__ import annotations

from sklearn.pipeline import make_pipeline
import pandas as pd
from sklearn.model_selection import cross_val_score
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

df = pd.read_csv("data/wine.csv").drop_duplicates()
X = df.drop(columns=["quality"])
y = df["quality"]
scores = cross_val_score(make_pipeline(StandardScaler(), SVC(C=3.0)), X, y, cv=5, scoring="f1_macro")
print(scores.mean())
)");
  check_clean(after);
}

TEST_CASE("resample fix: SMOTE before cross_val_score joins an imblearn pipeline", "[fix]") {
  const std::string before = R"(import pandas as pd
from imblearn.over_sampling import SMOTE
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import cross_val_score

df = pd.read_csv("data/fraud.csv").drop_duplicates()
X = df.drop(columns=["is_fraud"])
y = df["is_fraud"]
X_res, y_res = SMOTE(random_state=0).fit_resample(X, y)
scores = cross_val_score(RandomForestClassifier(random_state=0), X_res, y_res, cv=5, scoring="f1")
print(scores.mean())
)";
  const std::string after = fix_all(before);
  CHECK(after == R"(from imblearn.pipeline import make_pipeline as make_imb_pipeline
import pandas as pd
from imblearn.over_sampling import SMOTE
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import cross_val_score

df = pd.read_csv("data/fraud.csv").drop_duplicates()
X = df.drop(columns=["is_fraud"])
y = df["is_fraud"]
scores = cross_val_score(make_imb_pipeline(SMOTE(random_state=0), RandomForestClassifier(random_state=0)), X, y, cv=5, scoring="f1")
print(scores.mean())
)");
  check_clean(after);
}

TEST_CASE("normalisation fix: z-score written back to X, statistics from the training side",
          "[fix]") {
  const std::string before = kHeader + R"(X = (X - X.mean()) / (X.std() + 1e-8)
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.25, random_state=7)
)" + kTail;
  const std::string after = fix_all(before);
  CHECK(after == kHeader + R"(X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.25, random_state=7)
X_te = (X_te - X_tr.mean()) / (X_tr.std() + 1e-8)
X_tr = (X_tr - X_tr.mean()) / (X_tr.std() + 1e-8)
)" + kTail);
  check_clean(after);
}

TEST_CASE("normalisation fix: min-max into a new name inside a function keeps the indentation",
          "[fix]") {
  const std::string before = kHeader + R"(

def train(path):
    frame = pd.read_csv(path)
    X, y = frame.drop(columns=["churn"]), frame["churn"]
    X_mm = (X - X.min()) / (X.max() - X.min())
    X_tr, X_te, y_tr, y_te = train_test_split(
        X_mm, y, stratify=y, random_state=7
    )
    model = LogisticRegression(max_iter=1000).fit(X_tr, y_tr)
    return model.score(X_te, y_te)
)";
  const std::string after = fix_all(before);
  CHECK(after == kHeader + R"(

def train(path):
    frame = pd.read_csv(path)
    X, y = frame.drop(columns=["churn"]), frame["churn"]
    X_tr, X_te, y_tr, y_te = train_test_split(
        X, y, stratify=y, random_state=7
    )
    X_te = (X_te - X_tr.min()) / (X_tr.max() - X_tr.min())
    X_tr = (X_tr - X_tr.min()) / (X_tr.max() - X_tr.min())
    model = LogisticRegression(max_iter=1000).fit(X_tr, y_tr)
    return model.score(X_te, y_te)
)");
  check_clean(after);
}

TEST_CASE("normalisation fix: not offered when equivalence is not provable", "[fix]") {
  // X inside another call: which X would become the test side is not a text substitution.
  const std::string in_call = kHeader + R"(import numpy as np
X_l = np.log1p(X) / np.log1p(X).max()
X_tr, X_te, y_tr, y_te = train_test_split(X_l, y, random_state=7)
)" + kTail;
  CHECK(fix_all(in_call) == in_call);
  // The normalised matrix is used again after the split.
  const std::string reused = kHeader + R"(X_n = (X - X.mean()) / X.std()
X_tr, X_te, y_tr, y_te = train_test_split(X_n, y, random_state=7)
print(X_n.describe())
)" + kTail;
  CHECK(fix_all(reused) == reused);
  // A column loop: the frame is split later, under another name.
  const std::string loop = kHeader + R"(for col in ["tenure", "charges"]:
    X[col] = (X[col] - X[col].mean()) / X[col].std()
X_tr, X_te, y_tr, y_te = train_test_split(X, y, random_state=7)
)" + kTail;
  CHECK(fix_all(loop) == loop);
}
