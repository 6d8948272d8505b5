// Configuration files and the resolver: [tool.mlroast] / mlroast.toml parsing, errors naming the
// file, line and key, the closest config winning in nested projects, per-file ignores, exclude,
// and the CLI honouring all of it.
#include <catch2/catch.hpp>

#include "analysis/config/config_file.hpp"
#include "analysis/config/resolver.hpp"
#include "cli_process.hpp"

using mlroast::ConfigResolver;
using mlroast::parse_config;
using mlroast::test::run_mlroast;
using mlroast::test::TempDir;
using mlroast::test::write_file;

namespace {

constexpr const char* kLeakyTrain = R"(import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression

df = pd.read_csv("data/churn.csv")
X = df.drop(columns=["churned"])
y = df["churned"]
X = StandardScaler().fit_transform(X)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
model = LogisticRegression(max_iter=1000).fit(X_train, y_train)
print(model.score(X_test, y_test))
try:
    model.predict(X_test[:5])
except:
    pass
)";

}  // namespace

TEST_CASE("config: [tool.mlroast] keys are read, a pyproject without the table is no config",
          "[config]") {
  auto load = parse_config(R"(
[project]
name = "churn"

[tool.mlroast]
select = ["ML1", "ML7"]
extend-select = ["ML201"]
ignore = ["ML106"]
exclude = ["legacy"]

[tool.mlroast.per-file-ignores]
"tests/*" = ["ML7"]

[tool.mlroast.severity]
ML703 = "error"
)",
                           "/p/pyproject.toml");
  REQUIRE_FALSE(load.error);
  REQUIRE(load.config);
  CHECK(*load.config->select == std::vector<std::string>{"ML1", "ML7"});
  CHECK(load.config->extend_select == std::vector<std::string>{"ML201"});
  CHECK(load.config->ignore == std::vector<std::string>{"ML106"});
  CHECK(load.config->exclude == std::vector<std::string>{"legacy"});
  REQUIRE(load.config->per_file_ignores.size() == 1);
  CHECK(load.config->per_file_ignores[0].first == "tests/*");
  CHECK(load.config->severity.at("ML703") == mlroast::Severity::Error);
  CHECK(load.config->root == "/p");

  auto none = parse_config("[project]\nname = \"x\"\n[tool.ruff]\nline-length = 100\n",
                           "/p/pyproject.toml");
  CHECK_FALSE(none.error);
  CHECK_FALSE(none.config);
}

TEST_CASE("config: errors name the file, the line and the key", "[config]") {
  auto unknown_key = parse_config("[tool.mlroast]\nselect = [\"ML1\"]\nselec = [\"ML7\"]\n",
                                  "/p/pyproject.toml");
  REQUIRE(unknown_key.error);
  CHECK(*unknown_key.error ==
        "/p/pyproject.toml:3: key `tool.mlroast.selec`: unknown key (known keys: select, "
        "extend-select, ignore, per-file-ignores, severity, exclude)");

  auto bad_code = parse_config("ignore = [\"ML1\", \"ML99\"]\n", "/p/mlroast.toml");
  REQUIRE(bad_code.error);
  CHECK(*bad_code.error ==
        "/p/mlroast.toml:1: key `ignore`: unknown rule selector `ML99`: it matches no rule code "
        "(see `mlroast rules`)");

  auto bad_type = parse_config("select = \"ML1\"\n", "/p/mlroast.toml");
  REQUIRE(bad_type.error);
  CHECK(bad_type.error->find("key `select`: expected an array of strings") != std::string::npos);

  auto bad_sev = parse_config("[severity]\nML703 = \"fatal\"\n", "/p/mlroast.toml");
  REQUIRE(bad_sev.error);
  CHECK(bad_sev.error->find("key `severity.ML703`: expected \"error\", \"warning\" or \"info\"") !=
        std::string::npos);

  auto bad_pfi = parse_config("[per-file-ignores]\n\"tests/*\" = [\"XX1\"]\n", "/p/mlroast.toml");
  REQUIRE(bad_pfi.error);
  CHECK(bad_pfi.error->find("key `per-file-ignores.tests/*`: unknown rule selector `XX1`") !=
        std::string::npos);

  auto syntax = parse_config("select = [\"ML1\"\n", "/p/mlroast.toml");
  REQUIRE(syntax.error);
  CHECK(syntax.error->rfind("/p/mlroast.toml:", 0) == 0);
  CHECK(syntax.error->find("invalid TOML") != std::string::npos);
}

TEST_CASE("config: globs match the path, the file name or a leading folder", "[config]") {
  CHECK(mlroast::glob_matches("tests/*", "tests/unit/test_x.py"));
  CHECK(mlroast::glob_matches("legacy", "legacy/old/train.py"));
  CHECK(mlroast::glob_matches("test_*.py", "src/test_features.py"));
  CHECK(mlroast::glob_matches("./src/*.py", "src/train.py"));
  CHECK_FALSE(mlroast::glob_matches("tests/*", "src/tests.py"));
  CHECK_FALSE(mlroast::glob_matches("legacy", "src/legacy_loader.py"));
}

TEST_CASE("config: the closest config wins in nested projects; overrides apply on top",
          "[config]") {
  TempDir dir;
  const auto& root = dir.path();
  write_file(root / "pyproject.toml", "[tool.mlroast]\nignore = [\"ML703\"]\n"
                                      "[tool.mlroast.per-file-ignores]\n\"scripts/*\" = [\"ML1\"]\n");
  write_file(root / "sub" / "pyproject.toml", "[project]\nname = \"sub\"\n");  // no table
  write_file(root / "nested" / "mlroast.toml", "select = [\"ML7\"]\n");
  write_file(root / "nested" / "pyproject.toml", "[tool.mlroast]\nselect = [\"ML1\"]\n");

  ConfigResolver resolver;
  auto top = resolver.selection_for(root / "train.py");
  CHECK(top.enabled("ML101"));
  CHECK_FALSE(top.enabled("ML703"));
  // A pyproject.toml without [tool.mlroast] does not stop the walk up.
  CHECK(resolver.config_for(root / "sub" / "x.py")->file == root / "pyproject.toml");
  auto scripts = resolver.selection_for(root / "scripts" / "prep.py");
  CHECK_FALSE(scripts.enabled("ML101"));
  CHECK(scripts.enabled("ML701"));
  // mlroast.toml wins over the pyproject.toml of the same folder, and over the parent's.
  auto nested = resolver.selection_for(root / "nested" / "pkg" / "a.py");
  CHECK(nested.enabled("ML703"));
  CHECK_FALSE(nested.enabled("ML101"));
  CHECK(resolver.errors().empty());

  // Overrides (flags, editor settings): select replaces, ignore adds; per-file ignores still win.
  resolver.set_overrides({std::vector<std::string>{"ML101", "ML7"}, {}, {"ML701"}});
  resolver.clear();
  auto over = resolver.selection_for(root / "nested" / "a.py");
  CHECK(over.enabled("ML101"));
  CHECK_FALSE(over.enabled("ML701"));
  CHECK_FALSE(resolver.selection_for(root / "scripts" / "prep.py").enabled("ML101"));
}

TEST_CASE("config: with boundaries (the server's workspace folders) nothing outside is read",
          "[config]") {
  TempDir dir;
  const auto& root = dir.path();
  // A config above the workspace folder, and a broken one beside it: neither may be read.
  write_file(root / "pyproject.toml", "[tool.mlroast]\nignore = [\"ML703\"]\n");
  write_file(root / "other" / "mlroast.toml", "select = [\n");
  write_file(root / "ws" / "inner" / "mlroast.toml", "ignore = [\"ML101\"]\n");

  ConfigResolver resolver;
  resolver.set_boundaries({root / "ws"});
  // Inside the folder: the walk stops at it, so the config above does not apply.
  CHECK(resolver.config_for(root / "ws" / "train.py") == nullptr);
  CHECK(resolver.selection_for(root / "ws" / "train.py").enabled("ML703"));
  CHECK_FALSE(resolver.selection_for(root / "ws" / "inner" / "a.py").enabled("ML101"));
  // Outside every folder: no configuration file is read at all (the broken one raises nothing).
  CHECK(resolver.config_for(root / "other" / "x.py") == nullptr);
  CHECK(resolver.config_for(root / "x.py") == nullptr);
  CHECK(resolver.errors().empty());
  // No folder at all: nothing is read either.
  resolver.set_boundaries({});
  CHECK(resolver.config_for(root / "ws" / "inner" / "a.py") == nullptr);
  // Without boundaries (the CLI) the walk goes up as before.
  ConfigResolver cli;
  CHECK(cli.config_for(root / "ws" / "train.py") != nullptr);
}

TEST_CASE("config: a broken closest config is an error, never a silent fallback", "[config]") {
  TempDir dir;
  write_file(dir.path() / "pyproject.toml", "[tool.mlroast]\nignore = [\"ML703\"]\n");
  write_file(dir.path() / "pkg" / "mlroast.toml", "ignroe = [\"ML7\"]\n");
  ConfigResolver resolver;
  CHECK(resolver.config_for(dir.path() / "pkg" / "a.py") == nullptr);
  REQUIRE(resolver.errors().size() == 1);
  CHECK(resolver.errors()[0].find("mlroast.toml:1: key `ignroe`: unknown key") != std::string::npos);
}

TEST_CASE("config: check honours per-file ignores, severity, exclude and reports bad config",
          "[config][cli]") {
  TempDir dir;
  const auto& root = dir.path();
  write_file(root / "pyproject.toml",
             "[tool.mlroast]\nexclude = [\"legacy\"]\n"
             "[tool.mlroast.per-file-ignores]\n\"experiments/*\" = [\"ML101\"]\n"
             "[tool.mlroast.severity]\nML703 = \"error\"\n");
  write_file(root / "src" / "train.py", kLeakyTrain);
  write_file(root / "experiments" / "train.py", kLeakyTrain);
  write_file(root / "legacy" / "train.py", kLeakyTrain);

  auto r = run_mlroast({"check", "--output-format", "concise", "."}, root);
  CHECK(r.exit_code == 1);
  INFO(r.out << r.err);
  CHECK(r.out.find("src/train.py:9:5: ML101") != std::string::npos);
  CHECK(r.out.find("experiments/train.py:9:5: ML101") == std::string::npos);
  CHECK(r.out.find("experiments/train.py:15:1: ML703") != std::string::npos);
  CHECK(r.out.find("legacy/") == std::string::npos);

  auto json = run_mlroast({"check", "--output-format", "json", "src"}, root);
  CHECK(json.out.find("\"code\": \"ML703\"") != std::string::npos);

  // A flag overrides the config: --select ML7 leaves only ML703.
  auto sel = run_mlroast({"check", "--output-format", "concise", "--select", "ML7", "src"}, root);
  CHECK(sel.out.find("ML101") == std::string::npos);
  CHECK(sel.out.find("ML703") != std::string::npos);

  write_file(root / "experiments" / "mlroast.toml", "[severity]\nML703 = \"loud\"\n");
  auto bad = run_mlroast({"check", "."}, root);
  CHECK(bad.exit_code == 2);
  CHECK(bad.out.empty());
  CHECK(bad.err.find("experiments/mlroast.toml:2: key `severity.ML703`") != std::string::npos);
}
