#include "generate.hpp"

#include <nlohmann/json.hpp>
#include <random>

namespace mlroast::bench {

namespace {
const char* kHeader = R"(import numpy as np
import pandas as pd
from imblearn.over_sampling import SMOTE
from sklearn.ensemble import RandomForestClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, roc_auc_score
from sklearn.model_selection import cross_val_score, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

)";

std::string block(int i, std::mt19937& rng) {
  std::string n = std::to_string(i);
  std::string s;
  s += "# ---- experiment " + n + " ----\n";
  s += "df" + n + " = pd.read_csv(\"data/part_" + n + ".csv\", parse_dates=[\"signup_date\"])\n";
  s += "df" + n + "[\"income\"] = df" + n + "[\"income\"].fillna(df" + n + "[\"income\"].median())\n";
  s += "df" + n + "[\"ratio\"] = df" + n + "[\"debt\"] / (df" + n + "[\"income\"] + 1)\n";
  s += "df" + n + "[\"age_z\"] = (df" + n + "[\"age\"] - df" + n + "[\"age\"].mean()) / df" + n + "[\"age\"].std()\n";
  s += "features" + n + " = [\"income\", \"ratio\", \"age_z\", \"tenure\"]\n";
  s += "X" + n + " = df" + n + "[features" + n + "]\n";
  s += "y" + n + " = df" + n + "[\"default\"]\n";
  if (rng() % 2) {
    s += "scaler" + n + " = StandardScaler()\n";
    s += "X" + n + "_s = scaler" + n + ".fit_transform(X" + n + ")\n";
  } else {
    s += "X" + n + "_s = SimpleImputer(strategy=\"mean\").fit_transform(X" + n + ")\n";
    s += "scores" + n + " = cross_val_score(make_pipeline(StandardScaler(), LogisticRegression()), X" + n + ", y" + n + ", cv=5)\n";
  }
  s += "X" + n + "_tr, X" + n + "_te, y" + n + "_tr, y" + n + "_te = train_test_split(\n";
  s += "    X" + n + "_s, y" + n + ", test_size=0.2, stratify=y" + n + ", random_state=42\n)\n";
  s += "X" + n + "_tr, y" + n + "_tr = SMOTE(random_state=0).fit_resample(X" + n + "_tr, y" + n + "_tr)\n";
  s += "model" + n + " = RandomForestClassifier(n_estimators=300, random_state=0)\n";
  s += "model" + n + ".fit(X" + n + "_tr, y" + n + "_tr)\n";
  s += "proba" + n + " = model" + n + ".predict_proba(X" + n + "_te)[:, 1]\n";
  s += "print(\"auc\", roc_auc_score(y" + n + "_te, proba" + n + "))\n";
  s += "print(\"f1\", f1_score(y" + n + "_te, model" + n + ".predict(X" + n + "_te)))\n\n";
  return s;
}
}  // namespace

std::string leaky_script(int lines, unsigned seed) {
  std::mt19937 rng(seed);
  std::string s = kHeader;
  int count = 0;
  for (int i = 0; count < lines; ++i) {
    std::string b = block(i, rng);
    for (char c : b) count += c == '\n';
    s += b;
  }
  return s;
}

namespace {
nlohmann::ordered_json lines_of(const std::string& text) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  std::size_t b = 0;
  while (b < text.size()) {
    std::size_t nl = text.find('\n', b);
    std::size_t e = nl == std::string::npos ? text.size() : nl + 1;
    out.push_back(text.substr(b, e - b));
    b = e;
  }
  return out;
}
}  // namespace

std::string leaky_notebook(int code_cells, unsigned seed) {
  using nlohmann::ordered_json;
  std::mt19937 rng(seed);
  ordered_json cells = ordered_json::array();
  auto code = [&](const std::string& source, int count) {
    ordered_json outputs = ordered_json::array();
    outputs.push_back({{"name", "stdout"}, {"output_type", "stream"},
                       {"text", lines_of("auc 0.81\nf1 0.44\n")}});
    cells.push_back({{"cell_type", "code"}, {"execution_count", count}, {"metadata", ordered_json::object()},
                     {"outputs", outputs}, {"source", lines_of(source)}});
  };
  code(std::string("%matplotlib inline\n!nvidia-smi -L\n") + kHeader, 1);
  for (int i = 1; i < code_cells; ++i) {
    if (i % 10 == 0)
      cells.push_back({{"cell_type", "markdown"}, {"metadata", ordered_json::object()},
                       {"source", lines_of("## Experiment " + std::to_string(i) + "\nSame recipe, next slice.")}});
    std::string b = block(i, rng);
    if (i % 7 == 0) b = "%%time\n" + b;
    if (i % 11 == 0) b += "df" + std::to_string(i) + ".describe?\n";
    code(b, i + 1);
  }
  ordered_json nb = {{"cells", cells},
                     {"metadata", {{"kernelspec", {{"display_name", "Python 3"}, {"language", "python"}, {"name", "python3"}}}}},
                     {"nbformat", 4},
                     {"nbformat_minor", 5}};
  return nb.dump(1) + "\n";
}

}  // namespace mlroast::bench
