// Import and alias resolution: rules match qualified names, never the raw text.
#include <catch2/catch.hpp>

#include <string>

#include "analysis/semantic/model.hpp"
#include "analysis/syntax/tree.hpp"

namespace {

using mlroast::syntax::Node;

// The qualified name of the callee of the first call whose source text starts with `prefix`.
std::string callee_of(const std::string& text, const std::string& prefix) {
  mlroast::syntax::Parser p;
  auto tree = p.parse(text);
  mlroast::semantic::SemanticModel sem(tree.root(), text);
  std::string out = "<no call>";
  bool found = false;
  mlroast::syntax::walk(tree.root(), [&](Node n) {
    if (!found && n.kind() == "call" && n.text(text).substr(0, prefix.size()) == prefix) {
      out = sem.callee(n);
      found = true;
    }
    return !found;
  });
  return out;
}

}  // namespace

TEST_CASE("import aliases resolve to qualified names", "[semantic]") {
  std::string text = R"(import pandas as pd
import numpy
import sklearn.preprocessing as skp
from sklearn.preprocessing import StandardScaler as SS, MinMaxScaler
from sklearn import model_selection
import os.path

df = pd.read_csv("train.csv")
a = numpy.load("x.npy")
s = skp.RobustScaler()
t = SS()
u = MinMaxScaler()
v = model_selection.train_test_split(df)
w = os.path.join("a", "b")
)";
  CHECK(callee_of(text, "pd.read_csv") == "pandas.read_csv");
  CHECK(callee_of(text, "numpy.load") == "numpy.load");
  CHECK(callee_of(text, "skp.RobustScaler") == "sklearn.preprocessing.RobustScaler");
  CHECK(callee_of(text, "SS()") == "sklearn.preprocessing.StandardScaler");
  CHECK(callee_of(text, "MinMaxScaler()") == "sklearn.preprocessing.MinMaxScaler");
  CHECK(callee_of(text, "model_selection.train_test_split") ==
        "sklearn.model_selection.train_test_split");
  CHECK(callee_of(text, "os.path.join") == "os.path.join");
}

TEST_CASE("imports inside functions are scoped to the function", "[semantic]") {
  std::string text = R"(def load():
    import pickle as pk
    return pk.load(open("m.pkl", "rb"))

def other(pk):
    return pk.load()
)";
  CHECK(callee_of(text, "pk.load(open") == "pickle.load");
  CHECK(callee_of(text, "pk.load()") == "");  // a parameter named pk, not the module
  CHECK(callee_of(text, "open(") == "builtins.open");
}

TEST_CASE("local definitions shadow imports and builtins", "[semantic]") {
  std::string text = R"(from joblib import load
def load(path):
    return path
model = load("m.joblib")

def print(*args):
    pass
print("x")
)";
  CHECK(callee_of(text, "load(\"m.joblib") == "");
  CHECK(callee_of(text, "print(\"x") == "");
}

TEST_CASE("unknown heads and attribute chains on variables are not qualified", "[semantic]") {
  std::string text = R"(import pandas as pd
df = pd.DataFrame()
df.fillna(0)
undefined_thing.run()
)";
  CHECK(callee_of(text, "df.fillna") == "");
  CHECK(callee_of(text, "undefined_thing.run") == "");
  CHECK(callee_of(text, "pd.DataFrame") == "pandas.DataFrame");
}

TEST_CASE("imports() answers module membership", "[semantic]") {
  std::string text = "import torch.nn as nn\nfrom sklearn.svm import SVC\n";
  mlroast::syntax::Parser p;
  auto tree = p.parse(text);
  mlroast::semantic::SemanticModel sem(tree.root(), text);
  CHECK(sem.imports("torch"));
  CHECK(sem.imports("torch.nn"));
  CHECK(sem.imports("sklearn"));
  CHECK_FALSE(sem.imports("tensorflow"));
  CHECK_FALSE(sem.imports("sk"));
}
