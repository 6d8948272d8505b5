// The analyzer never executes or imports the code it reviews. A workspace is baited with Python
// that, if executed or imported, writes a marker file: a top-level script, a package
// `__init__.py`, `sitecustomize.py` / `usercustomize.py` (run by any Python started with the
// workspace on its path), pytest's `conftest.py`, `setup.py`, a test module and a notebook whose
// cells also run a shell command. `mlroast check`, `mlroast review`, and the server (didOpen of
// every file, notebookDocument/didOpen of the notebook, the reviewWorkspace command) all run over
// it; afterwards no marker may exist. When python3 is installed, the test then imports the bait
// itself to prove that every marker would have been written had the code run.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "../unit/cli_process.hpp"
#include "support/lsp_client.hpp"

using mlroast::test::json;
using mlroast::test::LspClient;
using mlroast::test::TempDir;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

std::string file_uri(const fs::path& p) { return "file://" + p.string(); }

// A line of Python that writes the marker `name`.
std::string touch(const fs::path& markers, const std::string& name) {
  return "open(r\"" + (markers / name).string() + "\", \"w\").write(\"ran\")\n";
}

// Leaky ML code, so that the analysis has something to follow through the baited files.
const std::string kLeaky =
    "import pandas as pd\n"
    "from sklearn.model_selection import train_test_split\n"
    "from sklearn.preprocessing import StandardScaler\n"
    "df = pd.read_csv(\"data.csv\")\n"
    "X = StandardScaler().fit_transform(df.drop(columns=[\"y\"]))\n"
    "X_train, X_test, y_train, y_test = train_test_split(X, df[\"y\"], random_state=0)\n";

// The baited Python files (path relative to the workspace -> marker name).
const std::vector<std::pair<std::string, std::string>> kBait = {
    {"train.py", "train"},
    {"features/__init__.py", "package_init"},
    {"features/build.py", "package_module"},
    {"sitecustomize.py", "sitecustomize"},
    {"usercustomize.py", "usercustomize"},
    {"conftest.py", "conftest"},
    {"setup.py", "setup"},
    {"tests/test_model.py", "test_module"},
};

std::string notebook(const fs::path& markers) {
  json cell_source = json::array({touch(markers, "notebook_cell"),
                                  "!touch " + (markers / "notebook_shell").string() + "\n",
                                  "%run train.py\n", kLeaky});
  json nb = {{"cells", json::array({{{"cell_type", "code"},
                                     {"execution_count", 1},
                                     {"metadata", json::object()},
                                     {"outputs", json::array()},
                                     {"source", cell_source}}})},
             {"metadata", json::object()},
             {"nbformat", 4},
             {"nbformat_minor", 5}};
  return nb.dump(1);
}

// Writes the workspace: every baited file runs its marker line first, then imports the others,
// then the leaky code.
void write_workspace(const fs::path& ws, const fs::path& markers) {
  for (const auto& [path, marker] : kBait)
    mlroast::test::write_file(ws / path, touch(markers, marker) +
                                             "import features.build\nimport conftest\n" + kLeaky);
  mlroast::test::write_file(ws / "analysis.ipynb", notebook(markers));
  mlroast::test::write_file(ws / "pyproject.toml",
                            "[project]\nname = \"bait\"\nversion = \"0\"\n"
                            "[build-system]\nrequires = [\"setuptools\"]\n"
                            "build-backend = \"setuptools.build_meta\"\n");
}

std::set<std::string> markers_in(const fs::path& markers) {
  std::set<std::string> found;
  for (const auto& entry : fs::directory_iterator(markers))
    found.insert(entry.path().filename().string());
  return found;
}

void run_server_over(const fs::path& ws) {
  LspClient client;
  const int init = client.request(
      "initialize", {{"processId", nullptr},
                     {"rootUri", file_uri(ws)},
                     {"workspaceFolders", {{{"uri", file_uri(ws)}, {"name", "bait"}}}},
                     {"capabilities", json::object()}});
  client.response(init);
  client.notify("initialized", json::object());
  for (const auto& [path, marker] : kBait) {
    INFO("didOpen " << path);
    client.notify("textDocument/didOpen",
                  {{"textDocument",
                    {{"uri", file_uri(ws / path)},
                     {"languageId", "python"},
                     {"version", 1},
                     {"text", mlroast::test::read_all(ws / path)}}}});
    const json published = client.notification("textDocument/publishDiagnostics", 30s)["params"];
    CHECK(published["uri"] == file_uri(ws / path));
    // The leaky code was analysed (test files are not held to the leakage rules).
    if (path != "conftest.py" && !path.starts_with("tests/"))
      CHECK_FALSE(published["diagnostics"].empty());
  }
  const json nb = json::parse(mlroast::test::read_all(ws / "analysis.ipynb"));
  std::string cell_text;
  for (const auto& line : nb["cells"][0]["source"]) cell_text += line.get<std::string>();
  const std::string cell_uri = "vscode-notebook-cell:" + (ws / "analysis.ipynb").string() + "#c0";
  client.notify("notebookDocument/didOpen",
                {{"notebookDocument",
                  {{"uri", file_uri(ws / "analysis.ipynb")},
                   {"notebookType", "jupyter-notebook"},
                   {"version", 1},
                   {"cells", {{{"kind", 2}, {"document", cell_uri}}}}}},
                 {"cellTextDocuments",
                  {{{"uri", cell_uri}, {"languageId", "python"}, {"version", 1}, {"text", cell_text}}}}});
  CHECK(client.notification("textDocument/publishDiagnostics", 30s)["params"]["uri"] == cell_uri);
  const int review = client.request("workspace/executeCommand",
                                    {{"command", "mlroast.reviewWorkspace"},
                                     {"arguments", {{{"root", file_uri(ws)}}}}});
  CHECK(client.response(review, 60s)["result"].contains("verdict"));
  client.response(client.request("shutdown", nullptr));
  client.notify("exit", nullptr);
  CHECK(client.wait_exit() == 0);
}

}  // namespace

TEST_CASE("user code is never executed or imported by check, review or the server",
          "[lsp][cli][hardening]") {
  TempDir dir;
  const fs::path ws = dir.path() / "workspace";
  const fs::path markers = dir.path() / "markers";
  fs::create_directories(markers);
  write_workspace(ws, markers);

  const auto check = mlroast::test::run_mlroast({"check", "."}, ws);
  INFO(check.out << check.err);
  CHECK(check.exit_code == 1);  // findings: the files were analysed
  CHECK_THAT(check.out, Catch::Contains("train.py") && Catch::Contains("analysis.ipynb"));
  const auto review = mlroast::test::run_mlroast({"review", "."}, ws);
  CHECK_THAT(review.out, Catch::Contains("sitecustomize.py"));
  run_server_over(ws);
  CHECK(markers_in(markers).empty());

  // The bait is live: Python importing the modules writes their markers (the notebook's cell,
  // %run and ! lines are IPython, so its markers are left out).
  if (std::system("command -v python3 >/dev/null 2>&1") != 0) {
    WARN("python3 not installed: the bait was not proven live");
    return;
  }
  // Each module is imported on its own (pandas and sklearn need not be installed: an import
  // error after the marker line does not matter); sitecustomize and usercustomize run at start-up.
  mlroast::test::write_file(dir.path() / "prove.py",
                            "import importlib\n"
                            "for m in ['train', 'features.build', 'conftest', 'setup',\n"
                            "          'tests.test_model']:\n"
                            "    try:\n"
                            "        importlib.import_module(m)\n"
                            "    except Exception:\n"
                            "        pass\n");
  const std::string prove = "cd '" + ws.string() + "' && PYTHONPATH=. python3 '" +
                            (dir.path() / "prove.py").string() + "' >/dev/null 2>&1";
  CHECK(std::system(prove.c_str()) == 0);
  std::set<std::string> expected;
  for (const auto& [path, marker] : kBait) expected.insert(marker);
  CHECK(markers_in(markers) == expected);
}
