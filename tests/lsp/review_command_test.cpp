// Transcripts for the workspace features of `mlroast server`: the `mlroast.reviewWorkspace`
// command (progress with create/begin/report/end, cancellation, default roots, the reply contract
// the editor clients rely on), settings and config-file reloads re-analysing open documents, and
// hover on a code inside a `# noqa:` comment. The server runs with --sync: the review runs inline,
// so the order of messages is deterministic.
#include <catch2/catch.hpp>

#include <map>
#include <regex>

#include "../unit/cli_process.hpp"
#include "support/lsp_client.hpp"

using mlroast::test::json;
using mlroast::test::LspClient;
using mlroast::test::TempDir;
namespace fs = std::filesystem;

namespace {

std::string file_uri(const fs::path& p) { return "file://" + p.string(); }

fs::path copy_example(const TempDir& dir, const std::string& name) {
  fs::path to = dir.path() / name;
  fs::copy(fs::path(MLROAST_SOURCE_DIR) / "examples" / name, to, fs::copy_options::recursive);
  return to;
}

json initialize(LspClient& client, json params) {
  params["processId"] = nullptr;
  if (!params.contains("capabilities")) params["capabilities"] = json::object();
  int id = client.request("initialize", params);
  json reply = client.response(id);
  client.notify("initialized", json::object());
  return reply;
}

std::vector<std::string> codes_of(const json& publish) {
  std::vector<std::string> out;
  for (const auto& d : publish["params"]["diagnostics"]) out.push_back(d["code"]);
  return out;
}

bool has(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

TEST_CASE("lsp: reviewWorkspace writes the report, reports progress, replies the contract", "[lsp][review]") {
  TempDir dir;
  fs::path root = copy_example(dir, "churn-project");
  LspClient client;
  json init = initialize(client, {{"workspaceFolders", {{{"uri", file_uri(root)}, {"name", "churn"}}}},
                                  {"capabilities", {{"window", {{"workDoneProgress", true}}}}},
                                  {"initializationOptions", {{"mlroast", {{"reviewOutput", "reports/review.md"}}}}}});
  CHECK(init["result"]["capabilities"]["executeCommandProvider"]["commands"] ==
        json::array({"mlroast.reviewWorkspace"}));
  CHECK(init["result"]["capabilities"]["hoverProvider"] == true);

  int id = client.request("workspace/executeCommand", {{"command", "mlroast.reviewWorkspace"}, {"arguments", json::array()}});
  json create = client.read("window/workDoneProgress/create");
  REQUIRE(create["method"] == "window/workDoneProgress/create");
  json token = create["params"]["token"];
  client.send({{"jsonrpc", "2.0"}, {"id", create["id"]}, {"result", nullptr}});

  json begin = client.read("progress begin");
  CHECK(begin["method"] == "$/progress");
  CHECK(begin["params"]["token"] == token);
  CHECK(begin["params"]["value"]["kind"] == "begin");
  CHECK(begin["params"]["value"]["cancellable"] == true);
  int last = -1;
  json msg;
  for (;;) {
    msg = client.read("progress report or end");
    REQUIRE(msg["method"] == "$/progress");
    if (msg["params"]["value"]["kind"] != "report") break;
    int pct = msg["params"]["value"]["percentage"];
    CHECK(pct > last);
    last = pct;
  }
  CHECK(last == 100);
  CHECK(msg["params"]["value"]["kind"] == "end");
  json reply = client.response(id);
  INFO(reply.dump(2));
  const json& result = reply["result"];
  fs::path written = root / "reports" / "review.md";
  CHECK(result["path"] == written.string());
  CHECK(result["uri"] == file_uri(written));
  CHECK(result["verdict"] == "Fundamental methodological failure");
  CHECK(std::regex_match(result["summary"].get<std::string>(),
                         std::regex(R"(\d+ findings, \d+ critical, Fundamental methodological failure)")));
  CHECK(msg["params"]["value"]["message"] == result["summary"]);
  // The editor and the CLI give the same report.
  auto cli = mlroast::test::run_mlroast({"review", "."}, root);
  CHECK(mlroast::test::read_all(written) == cli.out);
}

TEST_CASE("lsp: reviewWorkspace without progress support, default root and output, explicit root",
          "[lsp][review]") {
  TempDir dir;
  fs::path root = copy_example(dir, "clean-project");
  fs::path other = copy_example(dir, "prototype-project");
  LspClient client;
  initialize(client, {{"rootUri", file_uri(root)}});
  int id = client.request("workspace/executeCommand", {{"command", "mlroast.reviewWorkspace"}});
  json reply = client.read("the reply, with no progress before it");
  REQUIRE(reply["id"] == id);
  CHECK(reply["result"]["path"] == (root / "mlroast-review.md").string());
  CHECK(fs::exists(root / "mlroast-review.md"));

  int id2 = client.request("workspace/executeCommand", {{"command", "mlroast.reviewWorkspace"},
                                                        {"arguments", {{{"root", file_uri(other)}}}}});
  json reply2 = client.response(id2);
  CHECK(reply2["result"]["verdict"] == "Prototype with a clear path to production");
  CHECK(fs::exists(other / "mlroast-review.md"));

  int bad = client.request("workspace/executeCommand", {{"command", "mlroast.somethingElse"}});
  CHECK(client.response(bad)["error"]["code"] == -32602);
}

TEST_CASE("lsp: a review cancelled from its progress is answered RequestCancelled", "[lsp][review]") {
  TempDir dir;
  fs::path root = copy_example(dir, "churn-project");
  LspClient client;
  initialize(client, {{"workspaceFolders", {{{"uri", file_uri(root)}, {"name", "churn"}}}},
                      {"capabilities", {{"window", {{"workDoneProgress", true}}}}}});
  int id = client.request("workspace/executeCommand", {{"command", "mlroast.reviewWorkspace"}});
  json create = client.read("window/workDoneProgress/create");
  client.notify("window/workDoneProgress/cancel", {{"token", create["params"]["token"]}});
  client.send({{"jsonrpc", "2.0"}, {"id", create["id"]}, {"result", nullptr}});
  json reply = client.response(id);
  REQUIRE(reply.contains("error"));
  CHECK(reply["error"]["code"] == -32800);
  CHECK_FALSE(fs::exists(root / "mlroast-review.md"));
}

TEST_CASE("lsp: settings and config files re-analyse open documents; hover on noqa codes", "[lsp][review]") {
  TempDir dir;
  const std::string text =
      "import pandas as pd\n"
      "from sklearn.model_selection import train_test_split\n"
      "from sklearn.preprocessing import StandardScaler\n"
      "\n"
      "df = pd.read_csv(\"loans.csv\")\n"
      "X = StandardScaler().fit_transform(df.drop(columns=[\"default\"]))\n"
      "X_train, X_test, y_train, y_test = train_test_split(X, df[\"default\"], random_state=3)\n"
      "try:\n"
      "    import torch\n"
      "except:  # noqa: ML704\n"
      "    torch = None\n";
  mlroast::test::write_file(dir.path() / "train.py", text);
  LspClient client;
  initialize(client, {{"rootUri", file_uri(dir.path())}});
  const std::string uri = file_uri(dir.path() / "train.py");
  client.notify("textDocument/didOpen",
                {{"textDocument", {{"uri", uri}, {"languageId", "python"}, {"version", 1}, {"text", text}}}});
  auto first = codes_of(client.notification("textDocument/publishDiagnostics"));
  CHECK(has(first, "ML101"));
  CHECK(has(first, "ML703"));

  client.notify("workspace/didChangeConfiguration", {{"settings", {{"mlroast", {{"ignore", {"ML703"}}}}}}});
  auto second = codes_of(client.notification("textDocument/publishDiagnostics"));
  CHECK(has(second, "ML101"));
  CHECK_FALSE(has(second, "ML703"));

  mlroast::test::write_file(dir.path() / "mlroast.toml", "ignore = [\"ML101\"]\n");
  client.notify("workspace/didChangeWatchedFiles",
                {{"changes", {{{"uri", file_uri(dir.path() / "mlroast.toml")}, {"type", 1}}}}});
  auto third = codes_of(client.notification("textDocument/publishDiagnostics"));
  CHECK_FALSE(has(third, "ML101"));
  CHECK_FALSE(has(third, "ML703"));  // the setting still applies on top of the file

  // Hover over "ML704" in the noqa comment on line 9 (0-based), and somewhere else.
  int h = client.request("textDocument/hover", {{"textDocument", {{"uri", uri}}}, {"position", {{"line", 9}, {"character", 19}}}});
  json hover = client.response(h)["result"];
  REQUIRE(hover.is_object());
  CHECK(hover["contents"]["kind"] == "markdown");
  CHECK(hover["contents"]["value"].get<std::string>().rfind("# ML704 mutable-default-argument\n", 0) == 0);
  CHECK(hover["range"] == json{{"start", {{"line", 9}, {"character", 17}}}, {"end", {{"line", 9}, {"character", 22}}}});
  int h2 = client.request("textDocument/hover", {{"textDocument", {{"uri", uri}}}, {"position", {{"line", 5}, {"character", 6}}}});
  CHECK(client.response(h2)["result"].is_null());
}

TEST_CASE("lsp: the server asks to watch its config files when the client can register watchers",
          "[lsp][review]") {
  LspClient client;
  int id = client.request("initialize",
                          {{"processId", nullptr},
                           {"capabilities", {{"workspace", {{"didChangeWatchedFiles", {{"dynamicRegistration", true}}}}}}}});
  client.response(id);
  client.notify("initialized", json::object());
  json reg = client.read("client/registerCapability");
  REQUIRE(reg["method"] == "client/registerCapability");
  const json& r = reg["params"]["registrations"][0];
  CHECK(r["method"] == "workspace/didChangeWatchedFiles");
  CHECK(r["registerOptions"]["watchers"] ==
        json::array({{{"globPattern", "**/pyproject.toml"}}, {{"globPattern", "**/mlroast.toml"}}}));
  client.send({{"jsonrpc", "2.0"}, {"id", reg["id"]}, {"result", nullptr}});
  // Without the capability nothing is registered: the next message is the reply to a request.
  LspClient plain;
  plain.initialize();
  int hover = plain.request("textDocument/hover", {{"textDocument", {{"uri", "file:///nowhere.py"}}},
                                                  {"position", {{"line", 0}, {"character", 0}}}});
  json next = plain.read("the hover reply");
  CHECK(next["id"] == hover);
  CHECK(next["result"].is_null());
}

TEST_CASE("lsp: a notebook follows its folder's config file, and is re-analysed when it changes",
          "[lsp][review][notebook]") {
  TempDir dir;
  mlroast::test::write_file(dir.path() / "mlroast.toml", "ignore = [\"ML101\"]\n");
  LspClient client;
  initialize(client, {{"rootUri", file_uri(dir.path())}});
  const std::string notebook = file_uri(dir.path() / "explore.ipynb");
  const std::string cell_prefix = "vscode-notebook-cell:" + (dir.path() / "explore.ipynb").string();
  const std::string load = cell_prefix + "#W0", model = cell_prefix + "#W1", optional = cell_prefix + "#W2";
  const std::string load_text =
      "import pandas as pd\n"
      "from sklearn.preprocessing import StandardScaler\n"
      "df = pd.read_csv(\"loans.csv\")\n"
      "X = StandardScaler().fit_transform(df.drop(columns=[\"default\"]))\n";
  const std::string model_text =
      "from sklearn.model_selection import train_test_split\n"
      "X_train, X_test, y_train, y_test = train_test_split(X, df[\"default\"], random_state=3)\n";
  const std::string optional_text =
      "try:\n"
      "    import shap\n"
      "except:\n"
      "    shap = None\n";
  auto item = [](const std::string& uri, const std::string& text) {
    return json{{"uri", uri}, {"languageId", "python"}, {"version", 1}, {"text", text}};
  };
  client.notify("notebookDocument/didOpen",
                {{"notebookDocument",
                  {{"uri", notebook},
                   {"notebookType", "jupyter-notebook"},
                   {"version", 0},
                   {"cells", json::array({{{"kind", 2}, {"document", load}},
                                          {{"kind", 2}, {"document", model}},
                                          {{"kind", 2}, {"document", optional}}})}}},
                 {"cellTextDocuments", json::array({item(load, load_text), item(model, model_text),
                                                    item(optional, optional_text)})}});
  // The publishes up to the load cell's (the first cell: published first when its list changed).
  auto codes_by_cell = [&client, &load] {
    std::map<std::string, std::vector<std::string>> out;
    for (;;) {
      json p = client.notification("textDocument/publishDiagnostics");
      out[p["params"]["uri"].get<std::string>()] = codes_of(p);
      if (p["params"]["uri"] == load) return out;
    }
  };
  auto opened = codes_by_cell();
  REQUIRE(opened.count(load));
  CHECK_FALSE(has(opened[load], "ML101"));  // ignored by the folder's mlroast.toml

  mlroast::test::write_file(dir.path() / "mlroast.toml", "ignore = []\n");
  client.notify("workspace/didChangeWatchedFiles",
                {{"changes", {{{"uri", file_uri(dir.path() / "mlroast.toml")}, {"type", 2}}}}});
  auto reloaded = codes_by_cell();
  REQUIRE(reloaded.count(load));
  CHECK(has(reloaded[load], "ML101"));

  // The bare except of the third cell, and whether a code action offers its fix.
  const int pull = client.request("textDocument/diagnostic", {{"textDocument", {{"uri", optional}}}});
  const json items = client.response(pull)["result"]["items"];
  json bare;
  for (const auto& d : items)
    if (d.value("code", "") == "ML703") bare = d;
  REQUIRE(bare.is_object());
  auto offers_fix = [&] {
    const int id = client.request("textDocument/codeAction",
                                  {{"textDocument", {{"uri", optional}}},
                                   {"range", bare["range"]},
                                   {"context", {{"diagnostics", json::array({bare})}}}});
    const json actions = client.response(id)["result"];
    bool fix = false;
    for (const auto& a : actions)
      fix = fix || a.value("title", "").rfind("Replace `except:`", 0) == 0;
    return fix;
  };
  CHECK(offers_fix());

  // Settings on top of the file: both rules off; the fixes come from an analysis under them.
  client.notify("workspace/didChangeConfiguration",
                {{"settings", {{"mlroast", {{"ignore", {"ML101", "ML703"}}}}}}});
  auto ignored = codes_by_cell();
  REQUIRE(ignored.count(load));
  CHECK_FALSE(has(ignored[load], "ML101"));
  CHECK_FALSE(offers_fix());  // the client's stale ML703 gets no fix from a disabled rule
}
