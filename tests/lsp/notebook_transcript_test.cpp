// A notebook session as VS Code runs it (LSP 3.17 notebook sync, cells addressed by
// `vscode-notebook-cell:` URIs), against the real `mlroast server --sync`: open a notebook,
// insert a cell that introduces a leak reaching a later cell, fix a cell through a code action,
// report re-runs out of order through execution summaries, delete the leaky cell again, save and
// close. Every analysis covers the whole notebook; the first publishes one list per cell, later
// ones only the lists that changed (or whose cell's version did).
#include <catch2/catch.hpp>
#include <map>
#include <string>

#include "support/lsp_client.hpp"

using mlroast::test::json;
using mlroast::test::LspClient;

namespace {

const std::string kNotebook = "file:///home/ana/churn/explore.ipynb";
std::string cell_uri(const std::string& fragment) {
  return "vscode-notebook-cell:/home/ana/churn/explore.ipynb#" + fragment;
}
const std::string kIntro = cell_uri("W0sZmlsZQ%3D%3D");
const std::string kImports = cell_uri("W1sZmlsZQ%3D%3D");
const std::string kLoad = cell_uri("W2sZmlsZQ%3D%3D");
const std::string kModel = cell_uri("W3sZmlsZQ%3D%3D");
const std::string kScale = cell_uri("W4sZmlsZQ%3D%3D");

const std::string kImportsText =
    "%matplotlib inline\n"
    "import pandas as pd\n"
    "from sklearn.linear_model import LogisticRegression\n"
    "from sklearn.model_selection import train_test_split\n"
    "from sklearn.preprocessing import StandardScaler\n";
const std::string kLoadText =
    "df = pd.read_csv(\"churn.csv\")\n"
    "X = df.drop(columns=[\"label\"])\n"
    "y = df[\"label\"]\n";
const std::string kModelText =
    "X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)\n"
    "model = LogisticRegression(max_iter=500).fit(X_train, y_train)\n"
    "print(model.score(X_test, y_test))\n";
const std::string kScaleText =
    "scaler = StandardScaler()\n"
    "X = scaler.fit_transform(X)\n";

json cell(int kind, const std::string& uri, std::optional<int> order = std::nullopt) {
  json c = {{"kind", kind}, {"document", uri}};
  if (order) c["executionSummary"] = {{"executionOrder", *order}, {"success", true}};
  return c;
}

json text_item(const std::string& uri, const std::string& language, const std::string& text) {
  return {{"uri", uri}, {"languageId", language}, {"version", 1}, {"text", text}};
}

json range(int l1, int c1, int l2, int c2) {
  return {{"start", {{"line", l1}, {"character", c1}}}, {"end", {{"line", l2}, {"character", c2}}}};
}

// The next `n` publishDiagnostics, by URI (each URI at most once).
std::map<std::string, json> published(LspClient& client, std::size_t n) {
  std::map<std::string, json> out;
  for (std::size_t i = 0; i < n; ++i) {
    json p = client.notification("textDocument/publishDiagnostics")["params"];
    INFO(p.dump());
    CHECK(out.count(p["uri"]) == 0);
    out[p["uri"].get<std::string>()] = p;
  }
  return out;
}

// Every publishDiagnostics sent before the server answers a request sent now, by URI. The server
// runs with --sync: it has analysed what it read before the request, and published the cells
// whose lists or versions changed, before it answers.
std::map<std::string, json> settle(LspClient& client) {
  const int id = client.request("textDocument/hover",
                                {{"textDocument", {{"uri", "file:///home/ana/none.py"}}},
                                 {"position", {{"line", 0}, {"character", 0}}}});
  std::map<std::string, json> out;
  for (;;) {
    json m = client.read("publishDiagnostics, then the reply to the marker request");
    if (!m.contains("method") && m.value("id", -1) == id) break;
    REQUIRE(m.value("method", "") == "textDocument/publishDiagnostics");
    const json& p = m["params"];
    INFO(p.dump());
    CHECK(out.count(p["uri"]) == 0);
    out[p["uri"].get<std::string>()] = p;
  }
  return out;
}

std::vector<std::string> codes(const json& params) {
  std::vector<std::string> out;
  for (const auto& d : params["diagnostics"]) out.push_back(d["code"].get<std::string>());
  return out;
}

// Imports, load, scale (fitted on all rows: ML101), model (the split), executed in order.
void open_leaky_notebook(LspClient& client) {
  client.notify("notebookDocument/didOpen",
                {{"notebookDocument",
                  {{"uri", kNotebook},
                   {"notebookType", "jupyter-notebook"},
                   {"version", 0},
                   {"cells", json::array({cell(2, kImports), cell(2, kLoad), cell(2, kScale),
                                          cell(2, kModel)})}}},
                 {"cellTextDocuments",
                  json::array({text_item(kImports, "python", kImportsText),
                               text_item(kLoad, "python", kLoadText),
                               text_item(kScale, "python", kScaleText),
                               text_item(kModel, "python", kModelText)})}});
}

// One incremental change in cell coordinates: `text` replaces `where` in the cell, which gets
// text document version `cell_version`; the notebook gets `notebook_version`.
void edit_cell(LspClient& client, int notebook_version, const std::string& cell_uri,
               int cell_version, const json& where, const std::string& text) {
  client.notify(
      "notebookDocument/didChange",
      {{"notebookDocument", {{"uri", kNotebook}, {"version", notebook_version}}},
       {"change",
        {{"cells",
          {{"textContent",
            json::array({{{"document", {{"uri", cell_uri}, {"version", cell_version}}},
                          {"changes", json::array({{{"range", where}, {"text", text}}})}}})}}}}}});
}

// Cell structure changes at index 2 (the scale cell): cut it, or paste it back.
void change_structure(LspClient& client, int version, int delete_count, json cells,
                      json opened_docs, json closed) {
  client.notify("notebookDocument/didChange",
                {{"notebookDocument", {{"uri", kNotebook}, {"version", version}}},
                 {"change",
                  {{"cells",
                    {{"structure",
                      {{"array", {{"start", 2}, {"deleteCount", delete_count}, {"cells", cells}}},
                       {"didOpen", opened_docs},
                       {"didClose", closed}}}}}}}});
}
void cut_scale_cell(LspClient& client, int version) {
  change_structure(client, version, 1, json::array(), json::array(),
                   json::array({{{"uri", kScale}}}));
}
void paste_scale_cell(LspClient& client, int version) {
  change_structure(client, version, 0, json::array({cell(2, kScale)}),
                   json::array({text_item(kScale, "python", kScaleText)}), json::array());
}

}  // namespace

TEST_CASE("lsp notebook: cells sync, a leak spans cells, fixes and deletions update every cell",
          "[lsp][notebook]") {
  LspClient client;
  const json init = client.initialize({"utf-16"});
  CHECK(init["capabilities"]["notebookDocumentSync"] ==
        json{{"notebookSelector",
              json::array({{{"notebook", {{"notebookType", "jupyter-notebook"}}},
                            {"cells", json::array({{{"language", "python"}}})}}})},
             {"save", true}});

  // Open: a markdown cell and three Python cells, executed in order. Nothing to report; every
  // cell gets its (empty) list, and no cell is analysed on its own.
  client.notify("notebookDocument/didOpen",
                {{"notebookDocument",
                  {{"uri", kNotebook},
                   {"notebookType", "jupyter-notebook"},
                   {"version", 0},
                   {"metadata", {{"custom", {{"metadata", json::object()}}}}},
                   {"cells", json::array({cell(1, kIntro), cell(2, kImports, 1),
                                          cell(2, kLoad, 2), cell(2, kModel, 3)})}}},
                 {"cellTextDocuments",
                  json::array({text_item(kIntro, "markdown", "# Churn\nFirst model."),
                               text_item(kImports, "python", kImportsText),
                               text_item(kLoad, "python", kLoadText),
                               text_item(kModel, "python", kModelText)})}});
  auto first = settle(client);
  CHECK(first.size() == 4);
  for (const auto& uri : {kIntro, kImports, kLoad, kModel}) {
    INFO(uri);
    REQUIRE(first.count(uri));
    CHECK(first[uri]["diagnostics"] == json::array());
  }
  CHECK(first[kLoad]["version"] == 1);

  // Insert a cell between "load" and "model" that scales X before the split in the next cell.
  client.notify(
      "notebookDocument/didChange",
      {{"notebookDocument", {{"uri", kNotebook}, {"version", 1}}},
       {"change",
        {{"cells",
          {{"structure",
            {{"array", {{"start", 3}, {"deleteCount", 0}, {"cells", json::array({cell(2, kScale)})}}},
             {"didOpen", json::array({text_item(kScale, "python", kScaleText)})}}}}}}}});
  auto inserted = settle(client);
  REQUIRE(inserted.count(kScale));
  REQUIRE(codes(inserted[kScale]) == std::vector<std::string>{"ML101"});
  const json leak = inserted[kScale]["diagnostics"][0];
  CHECK(leak["range"] == range(1, 4, 1, 27));
  bool split_in_model_cell = false;
  for (const auto& r : leak["relatedInformation"])
    split_in_model_cell = split_in_model_cell || (r["location"]["uri"] == kModel &&
                                                  r["location"]["range"]["start"]["line"] == 0);
  CHECK(split_in_model_cell);
  // The other cells' lists did not change (still empty): they are not sent again.
  CHECK(inserted.size() == 1);

  // Edit the model cell (an incremental change in cell coordinates): a bare except appears.
  edit_cell(client, 2, kModel, 2, range(3, 0, 3, 0),
            "try:\n    import shap\nexcept:\n    shap = None\n");
  auto edited = settle(client);
  REQUIRE(codes(edited[kModel]) == std::vector<std::string>{"ML703"});
  const json bare = edited[kModel]["diagnostics"][0];
  CHECK(bare["range"] == range(5, 0, 5, 6));
  CHECK(edited[kModel]["version"] == 2);
  CHECK(edited.size() == 1);  // the scale cell's ML101 is the same: not sent again

  // The quick fix edits that cell, addressed by its own URI.
  const int action = client.request(
      "textDocument/codeAction",
      {{"textDocument", {{"uri", kModel}}},
       {"range", bare["range"]},
       {"context", {{"diagnostics", json::array({bare})}}}});
  const json actions = client.response(action)["result"];
  REQUIRE(actions.size() >= 1);
  CHECK(actions[0]["title"] == "Replace `except:` with `except Exception:`");
  CHECK(actions[0]["edit"]["changes"] ==
        json{{kModel, json::array({{{"range", range(5, 6, 5, 6)}, {"newText", " Exception"}}})}});

  // Execution summaries: the model cell was re-run before the load cell.
  client.notify("notebookDocument/didChange",
                {{"notebookDocument", {{"uri", kNotebook}, {"version", 3}}},
                 {"change", {{"cells", {{"data", json::array({cell(2, kLoad, 7)})}}}}}});
  auto reordered = settle(client);
  REQUIRE(codes(reordered[kModel]) == std::vector<std::string>{"ML715", "ML703"});
  CHECK(reordered.size() == 1);
  CHECK(reordered[kModel]["diagnostics"][0]["range"]["start"]["line"] == 0);

  // Delete the leaky cell again: it is cleared at once, then every remaining cell is published.
  client.notify(
      "notebookDocument/didChange",
      {{"notebookDocument", {{"uri", kNotebook}, {"version", 4}}},
       {"change",
        {{"cells",
          {{"structure",
            {{"array", {{"start", 3}, {"deleteCount", 1}}},
             {"didClose", json::array({{{"uri", kScale}}})}}}}}}}});
  json cleared = client.notification("textDocument/publishDiagnostics")["params"];
  CHECK(cleared["uri"] == kScale);
  CHECK(cleared["diagnostics"] == json::array());
  auto after_delete = settle(client);
  CHECK(after_delete.count(kScale) == 0);
  // The model cell's order finding now names it "Cell 4": its list changed; nothing else did.
  CHECK(codes(after_delete[kModel]) == std::vector<std::string>{"ML715", "ML703"});
  CHECK(after_delete.size() == 1);

  // A client that edits a cell through textDocument/didChange still gets the notebook analysed.
  client.notify("textDocument/didChange",
                {{"textDocument", {{"uri", kLoad}, {"version", 2}}},
                 {"contentChanges", json::array({{{"range", range(0, 0, 0, 0)},
                                                  {"text", "%load_ext autoreload\n"}}})}});
  auto via_text = settle(client);
  CHECK(via_text[kLoad]["version"] == 2);
  CHECK(codes(via_text[kModel]) == std::vector<std::string>{"ML715", "ML703"});

  // A pull for a cell answers from the notebook's analysis.
  const int pull = client.request("textDocument/diagnostic", {{"textDocument", {{"uri", kModel}}}});
  CHECK(client.response(pull)["result"]["items"].size() == 2);

  client.notify("notebookDocument/didSave", {{"notebookDocument", {{"uri", kNotebook}}}});
  client.notify("notebookDocument/didClose",
                {{"notebookDocument", {{"uri", kNotebook}}},
                 {"cellTextDocuments", json::array({{{"uri", kIntro}}, {{"uri", kImports}},
                                                    {{"uri", kLoad}}, {{"uri", kModel}}})}});
  auto closed = published(client, 4);
  for (const auto& [uri, p] : closed) CHECK(p["diagnostics"] == json::array());

  const int shutdown = client.request("shutdown", nullptr);
  client.response(shutdown);
  client.notify("exit", nullptr);
  CHECK(client.wait_exit() == 0);
  CHECK(client.violations().empty());
}

TEST_CASE("lsp notebook: only changed cells are published again, and a cell put back is sent again",
          "[lsp][notebook]") {
  LspClient client;
  client.initialize({"utf-16"});
  open_leaky_notebook(client);
  auto opened = settle(client);
  REQUIRE(opened.size() == 4);
  REQUIRE(codes(opened[kScale]) == std::vector<std::string>{"ML101"});

  // A comment typed in the load cell: its version changes, no list does.
  edit_cell(client, 1, kLoad, 2, range(3, 0, 3, 0), "# checked\n");
  auto typed = settle(client);
  CHECK(typed.size() == 1);
  CHECK(typed[kLoad]["version"] == 2);

  // The scale cell cut (cleared at once) and pasted back under the same URI: its unchanged
  // ML101 must reach the client again, since the client's list for it is now empty.
  cut_scale_cell(client, 2);
  auto cut = settle(client);
  REQUIRE(cut.count(kScale));
  CHECK(cut[kScale]["diagnostics"] == json::array());
  paste_scale_cell(client, 3);
  auto pasted = settle(client);
  REQUIRE(pasted.count(kScale));
  CHECK(codes(pasted[kScale]) == std::vector<std::string>{"ML101"});
}

TEST_CASE("lsp notebook: a cell cut and pasted back within one debounce is sent again",
          "[lsp][notebook]") {
  // Asynchronous server: the cut and the paste reach it before the debounced analysis runs, so
  // the last published list for the cell (ML101) is the same as the new one; but the cut
  // cleared it on the client, so it must be sent again.
  LspClient client({"--debounce-ms", "300", "--log-level", "off"});
  client.initialize({"utf-16"});
  open_leaky_notebook(client);
  auto opened = published(client, 4);
  REQUIRE(codes(opened[kScale]) == std::vector<std::string>{"ML101"});
  cut_scale_cell(client, 1);
  paste_scale_cell(client, 2);
  json cleared = client.notification("textDocument/publishDiagnostics")["params"];
  CHECK(cleared["uri"] == kScale);
  CHECK(cleared["diagnostics"] == json::array());
  json back = client.notification("textDocument/publishDiagnostics", std::chrono::seconds(5));
  CHECK(back["params"]["uri"] == kScale);
  CHECK(codes(back["params"]) == std::vector<std::string>{"ML101"});
}

TEST_CASE("lsp notebook: malformed notebook notifications are logged and the server goes on",
          "[lsp][notebook]") {
  LspClient client;
  client.initialize();
  client.notify("notebookDocument/didOpen", {{"cellTextDocuments", json::array()}});
  client.notify("notebookDocument/didOpen",
                {{"notebookDocument", {{"uri", kNotebook}, {"cells", json::array({{{"kind", "code"}}})}}}});
  client.notify("notebookDocument/didChange",
                {{"notebookDocument", {{"uri", "file:///never/opened.ipynb"}, {"version", 3}}},
                 {"change", json::object()}});
  client.notify("notebookDocument/didClose", {{"notebookDocument", {{"uri", kNotebook}}}});
  // Still serving: a notebook opened properly is analysed.
  client.notify("notebookDocument/didOpen",
                {{"notebookDocument",
                  {{"uri", kNotebook}, {"notebookType", "jupyter-notebook"}, {"version", 0},
                   {"cells", json::array({cell(2, kImports, 1)})}}},
                 {"cellTextDocuments",
                  json::array({text_item(kImports, "python", "try:\n    import shap\nexcept:\n    pass\n")})}});
  json p = client.notification("textDocument/publishDiagnostics")["params"];
  CHECK(p["uri"] == kImports);
  CHECK(codes(p) == std::vector<std::string>{"ML703"});
  const int shutdown = client.request("shutdown", nullptr);
  client.response(shutdown);
  client.notify("exit", nullptr);
  CHECK(client.wait_exit() == 0);
}
