// End-to-end transcripts against the real `mlroast server` process (tests/support/lsp_client):
// the lifecycle, document synchronisation, pushed and pulled diagnostics, error replies, and
// robustness against malformed input and a vanishing client. The server runs with --sync, so
// every publishDiagnostics is written before the reply to the next request and nothing sleeps.
#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "support/fixable_sample.hpp"
#include "support/lsp_client.hpp"

using mlroast::test::json;
using mlroast::test::LspClient;
using namespace std::chrono_literals;

namespace {

const std::string kUri = "file:///tmp/mlroast-lsp/churn.py";

// ML101 (scaler fitted before the split) on line 9, ML703 (bare except) on line 16 (0-based).
// The target is a neutral `label`: with a churn target, `.score` (accuracy) would also be ML401.
const std::string kLeaky =
    "import pandas as pd\n"
    "from sklearn.linear_model import LogisticRegression\n"
    "from sklearn.model_selection import train_test_split\n"
    "from sklearn.preprocessing import StandardScaler\n"
    "\n"
    "df = pd.read_csv(\"churn.csv\").drop_duplicates()\n"
    "X = df.drop(columns=[\"label\"])\n"
    "y = df[\"label\"]\n"
    "scaler = StandardScaler()\n"
    "X_scaled = scaler.fit_transform(X)\n"
    "X_train, X_test, y_train, y_test = train_test_split(X_scaled, y, random_state=0)\n"
    "model = LogisticRegression().fit(X_train, y_train)\n"
    "print(model.score(X_test, y_test))\n"
    "\n"
    "try:\n"
    "    import torch\n"
    "except:\n"
    "    torch = None\n";

json range(int l1, int c1, int l2, int c2) {
  return {{"start", {{"line", l1}, {"character", c1}}}, {"end", {{"line", l2}, {"character", c2}}}};
}

void open(LspClient& client, const std::string& uri, const std::string& text,
          const std::string& language = "python", int version = 1) {
  client.notify("textDocument/didOpen",
                {{"textDocument",
                  {{"uri", uri}, {"languageId", language}, {"version", version}, {"text", text}}}});
}

json find_code(const json& diagnostics, const std::string& code) {
  for (const auto& d : diagnostics) {
    if (d.value("code", "") == code) return d;
  }
  FAIL("no " << code << " diagnostic in " << diagnostics.dump(2));
  return {};
}

int error_code(const json& reply) {
  INFO(reply.dump());
  REQUIRE(reply.contains("error"));
  return reply["error"]["code"].get<int>();
}

}  // namespace

TEST_CASE("lsp: open a leaky file, fix it incrementally, pull, shut down, exit", "[lsp]") {
  LspClient client;
  const json result = client.initialize({"utf-16"});
  const json& caps = result["capabilities"];
  CHECK(caps["positionEncoding"] == "utf-16");
  CHECK(caps["textDocumentSync"] ==
        json{{"openClose", true}, {"change", 2}, {"save", {{"includeText", false}}}});
  CHECK(caps["diagnosticProvider"] ==
        json{{"interFileDependencies", false}, {"workspaceDiagnostics", false}});
  CHECK(result["serverInfo"]["name"] == "mlroast");
  CHECK(result["serverInfo"]["version"] == MLROAST_VERSION);

  open(client, kUri, kLeaky);
  json published = client.notification("textDocument/publishDiagnostics")["params"];
  CHECK(published["uri"] == kUri);
  CHECK(published["version"] == 1);
  const json& diagnostics = published["diagnostics"];

  const json except = find_code(diagnostics, "ML703");
  CHECK(except["range"] == range(16, 0, 16, 6));
  CHECK(except["severity"] == 2);
  CHECK(except["source"] == "mlroast");
  CHECK(except["codeDescription"]["href"].get<std::string>().ends_with("ML703.md"));
  // Fixes are computed when code actions are asked for, not on every keystroke.
  CHECK_FALSE(except.contains("data"));

  const json leak = find_code(diagnostics, "ML101");
  CHECK(leak["range"] == range(9, 11, 9, 34));
  CHECK(leak["severity"] == 1);
  REQUIRE(leak.contains("relatedInformation"));
  bool split_related = false;
  for (const auto& related : leak["relatedInformation"]) {
    CHECK(related["location"]["uri"] == kUri);
    split_related = split_related || related["location"]["range"]["start"]["line"] == 10;
  }
  CHECK(split_related);

  // Code actions for both: the unsafe `except Exception:` and, for the canonical leak
  // (Z = t.fit_transform(X) then train_test_split(Z, ...)), the safe "move the fit after the
  // split" fix, preferred; each followed by its suppression.
  const int actions_id = client.request(
      "textDocument/codeAction",
      {{"textDocument", {{"uri", kUri}}},
       {"range", range(9, 0, 16, 6)},
       {"context", {{"diagnostics", json::array({leak, except})}}}});
  const json actions = client.response(actions_id)["result"];
  REQUIRE(actions.size() == 4);
  CHECK(actions[0]["title"].get<std::string>().rfind("Fit StandardScaler on ", 0) == 0);
  CHECK(actions[0]["isPreferred"] == true);
  CHECK(actions[1]["isPreferred"] == false);
  CHECK(actions[1]["edit"]["changes"][kUri] ==
        json::array({{{"range", range(16, 6, 16, 6)}, {"newText", " Exception"}}}));
  CHECK(actions[2]["title"] == "Suppress ML101 on this line");
  CHECK(actions[3]["title"] == "Suppress ML703 on this line");

  // One didChange, two incremental edits (the second in the text left by the first): name the
  // exception, and scale nothing before the split.
  client.notify(
      "textDocument/didChange",
      {{"textDocument", {{"uri", kUri}, {"version", 2}}},
       {"contentChanges", json::array({{{"range", range(16, 6, 16, 6)}, {"text", " ImportError"}},
                                       {{"range", range(9, 11, 9, 34)}, {"text", "X"}}})}});
  published = client.notification("textDocument/publishDiagnostics")["params"];
  CHECK(published["version"] == 2);
  CHECK(published["diagnostics"] == json::array());

  const int pull = client.request("textDocument/diagnostic", {{"textDocument", {{"uri", kUri}}}});
  CHECK(client.response(pull)["result"] == json{{"kind", "full"}, {"items", json::array()}});

  const int shutdown = client.request("shutdown", nullptr);
  const json reply = client.response(shutdown);
  CHECK(reply.contains("result"));
  CHECK(reply["result"].is_null());
  client.notify("exit", nullptr);
  CHECK(client.wait_exit() == 0);
}

TEST_CASE("lsp: exit without shutdown ends with status 1", "[lsp]") {
  LspClient client;
  client.initialize();
  client.notify("exit", nullptr);
  CHECK(client.wait_exit() == 1);
}

TEST_CASE("lsp: a request before initialize is refused with -32002", "[lsp]") {
  LspClient client;
  open(client, kUri, kLeaky);  // a notification before initialize is dropped
  const int early = client.request("textDocument/diagnostic", {{"textDocument", {{"uri", kUri}}}});
  const json reply = client.response(early);
  CHECK(error_code(reply) == -32002);
  client.initialize();
  // The dropped didOpen left nothing behind: the document is unknown, its report empty.
  const int pull = client.request("textDocument/diagnostic", {{"textDocument", {{"uri", kUri}}}});
  CHECK(client.response(pull)["result"]["items"] == json::array());
  const int again = client.request("initialize", {{"capabilities", json::object()}});
  CHECK(error_code(client.response(again)) == -32600);
}

TEST_CASE("lsp: an unknown method is answered with -32601", "[lsp]") {
  LspClient client;
  client.initialize();
  client.notify("workspace/unknownNotification", json::object());  // ignored, no reply
  const int id = client.request("textDocument/unknownRequest", json::object());
  const json reply = client.response(id);
  CHECK(error_code(reply) == -32601);
  CHECK(reply["id"] == id);
}

TEST_CASE("lsp: bad params are answered with -32602 naming the field", "[lsp]") {
  LspClient client;
  client.initialize();
  const int id = client.request("textDocument/diagnostic", json::object());
  const json reply = client.response(id);
  CHECK(error_code(reply) == -32602);
  CHECK_THAT(reply["error"]["message"].get<std::string>(), Catch::Contains("textDocument.uri"));

  const int mistyped = client.request("textDocument/diagnostic", {{"textDocument", {{"uri", 42}}}});
  CHECK(error_code(client.response(mistyped)) == -32602);

  // A notification with bad params has nobody to answer: it is logged and the server goes on.
  client.notify("textDocument/didOpen", {{"textDocument", {{"languageId", "python"}}}});
  open(client, kUri, "try:\n    pass\nexcept:\n    pass\n");
  const json published = client.notification("textDocument/publishDiagnostics")["params"];
  CHECK(find_code(published["diagnostics"], "ML703")["range"] == range(2, 0, 2, 6));
}

TEST_CASE("lsp: malformed framing and non-JSON bodies never stop the server", "[lsp]") {
  LspClient client;
  client.initialize();
  client.send_raw("Content-Length: abc\r\n\r\n");         // invalid length: dropped
  client.send_raw("X-Nonsense\r\n\r\n");                  // header without ':': dropped
  client.send_raw("Content-Length: 9\r\n\r\n{not json");  // a frame, but not JSON
  const json parse_error = client.read("the parse error reply");
  CHECK(error_code(parse_error) == -32700);
  CHECK(parse_error["id"].is_null());
  client.send_raw("Content-Length: 2\r\n\r\n[]");  // JSON, but not a message
  CHECK(error_code(client.read("the invalid request reply")) == -32600);

  const int id = client.request("textDocument/diagnostic", {{"textDocument", {{"uri", kUri}}}});
  CHECK(client.response(id)["result"]["kind"] == "full");
  const int shutdown = client.request("shutdown", nullptr);
  client.response(shutdown);
  client.notify("exit", nullptr);
  CHECK(client.wait_exit() == 0);
}

TEST_CASE("lsp: a closed stdin ends the server within a second", "[lsp]") {
  SECTION("synchronous mode") {
    LspClient client;
    client.initialize();
    open(client, kUri, kLeaky);
    client.notification("textDocument/publishDiagnostics");
    client.close_stdin();
    CHECK(client.wait_exit(1s) == 1);  // the client vanished without shutdown
  }
  SECTION("background mode with an analysis still waiting out its debounce") {
    LspClient client({"--debounce-ms", "5000", "--log-level", "off"});
    client.initialize();
    open(client, kUri, kLeaky);
    client.notify("textDocument/didChange",
                  {{"textDocument", {{"uri", kUri}, {"version", 2}}},
                   {"contentChanges", json::array({{{"text", kLeaky + "\n"}}})}});
    client.close_stdin();
    CHECK(client.wait_exit(1s).has_value());
  }
}

TEST_CASE("lsp: stdout carries nothing but framed JSON-RPC messages", "[lsp]") {
  // Trace logging: the chattiest setting must still leave stdout to the protocol.
  LspClient client({"--sync", "--log-level", "trace"});
  client.initialize({"utf-8"});
  open(client, kUri, kLeaky);
  client.notify("textDocument/didSave", {{"textDocument", {{"uri", kUri}}}});
  client.send_raw("Content-Length: 5\r\n\r\nhello");
  client.request("no/such/method", nullptr);
  client.notify("textDocument/didClose", {{"textDocument", {{"uri", kUri}}}});
  client.request("shutdown", nullptr);
  client.notify("exit", nullptr);
  REQUIRE(client.wait_exit() == 0);
  REQUIRE(client.drain_stdout());

  INFO("stdout was:\n" << client.raw_stdout());
  CHECK(client.violations().empty());
  int messages = 0;
  while (client.try_read(0ms)) ++messages;
  // After the initialize reply (consumed by initialize()): the publish on open (the save finds
  // that version analysed already), the parse error, method not found, the empty publish on
  // close and the shutdown reply.
  CHECK(messages == 5);
  CHECK_THAT(client.stderr_text(), Catch::Contains("shutdown requested"));
}

TEST_CASE("lsp: ranges after an emoji follow the negotiated encoding", "[lsp]") {
  // `[]` follows a 4-byte, 2-UTF-16-unit emoji on the same line.
  const std::string text = "def tag(label=\"😀\", items=[]):\n    return label, items\n";
  const auto check = [&](const std::vector<std::string>& offered, const std::string& expected,
                         int column) {
    LspClient client;
    CHECK(client.initialize(offered)["capabilities"]["positionEncoding"] == expected);
    open(client, kUri, text);
    const json diagnostics =
        client.notification("textDocument/publishDiagnostics")["params"]["diagnostics"];
    CHECK(find_code(diagnostics, "ML704")["range"] == range(0, column, 0, column + 2));
    // An incremental edit in the same encoding: replace `[]` by `()`, which is immutable.
    client.notify("textDocument/didChange",
                  {{"textDocument", {{"uri", kUri}, {"version", 2}}},
                   {"contentChanges",
                    json::array({{{"range", range(0, column, 0, column + 2)}, {"text", "()"}}})}});
    const json after = client.notification("textDocument/publishDiagnostics")["params"];
    CHECK(after["version"] == 2);
    CHECK(after["diagnostics"] == json::array());
  };
  SECTION("utf-16, the default") { check({"utf-16"}, "utf-16", 26); }
  SECTION("utf-8 when offered") { check({"utf-8", "utf-16"}, "utf-8", 28); }
  SECTION("utf-16 when the client offers nothing known") { check({"utf-32"}, "utf-16", 26); }
}

TEST_CASE("lsp: full sync, didClose and non-Python documents", "[lsp]") {
  LspClient client;
  client.initialize();
  open(client, kUri, "x = 1\n");
  CHECK(client.notification("textDocument/publishDiagnostics")["params"]["diagnostics"] ==
        json::array());
  // A change without a range replaces the whole text.
  client.notify(
      "textDocument/didChange",
      {{"textDocument", {{"uri", kUri}, {"version", 5}}},
       {"contentChanges", json::array({{{"text", "try:\n    x = 1\nexcept:\n    x = 2\n"}}})}});
  json published = client.notification("textDocument/publishDiagnostics")["params"];
  CHECK(published["version"] == 5);
  CHECK(find_code(published["diagnostics"], "ML703")["range"] == range(2, 0, 2, 6));

  client.notify("textDocument/didClose", {{"textDocument", {{"uri", kUri}}}});
  published = client.notification("textDocument/publishDiagnostics")["params"];
  CHECK(published["uri"] == kUri);
  CHECK(published["diagnostics"] == json::array());

  // Text that would fire in a .py file is not analysed in a plain-text document.
  const std::string notes = "file:///tmp/mlroast-lsp/notes.txt";
  open(client, notes, "try:\n    x = 1\nexcept:\n    x = 2\n", "plaintext");
  const int pull = client.request("textDocument/diagnostic", {{"textDocument", {{"uri", notes}}}});
  // In --sync mode a publish would have come before this reply.
  const json next = client.read("the pull reply");
  CHECK(next["id"] == pull);
  CHECK(next["result"]["items"] == json::array());
  // A .py path is analysed whatever its languageId.
  open(client, "file:///tmp/mlroast-lsp/other.py", "try:\n    x = 1\nexcept:\n    x = 2\n", "");
  CHECK(client.notification("textDocument/publishDiagnostics")["params"]["diagnostics"].size() ==
        1);
}

TEST_CASE("lsp: requests after shutdown are refused with -32600", "[lsp]") {
  LspClient client;
  client.initialize();
  client.response(client.request("shutdown", nullptr));
  const int late = client.request("textDocument/diagnostic", {{"textDocument", {{"uri", kUri}}}});
  CHECK(error_code(client.response(late)) == -32600);
  client.notify("exit", nullptr);
  CHECK(client.wait_exit() == 0);
}

TEST_CASE("lsp: background analysis debounces edits and answers a waiting pull", "[lsp]") {
  LspClient client({"--debounce-ms", "30", "--log-level", "off"});
  client.initialize();
  open(client, kUri, "x = 1\n");
  // Several edits in a burst: only the last version is published.
  for (int version = 2; version <= 4; ++version) {
    client.notify(
        "textDocument/didChange",
        {{"textDocument", {{"uri", kUri}, {"version", version}}},
         {"contentChanges", json::array({{{"text", "try:\n    x = 1\nexcept:\n    x = " +
                                                       std::to_string(version) + "\n"}}})}});
  }
  // The pull is answered for the current version, once its analysis lands.
  const int pull = client.request("textDocument/diagnostic", {{"textDocument", {{"uri", kUri}}}});
  const json reply = client.response(pull);
  REQUIRE(reply["result"]["items"].size() == 1);
  CHECK(reply["result"]["items"][0]["code"] == "ML703");
  // Whatever was published before the last version was for an older, then-current version;
  // the last publish is version 4 with the finding.
  json last;
  // completed() publishes before it answers waiting pulls, so every publish is already read.
  while (auto message = client.try_read(0ms)) {
    if (message->value("method", "") == "textDocument/publishDiagnostics") last = *message;
  }
  REQUIRE(last.is_object());
  CHECK(last["params"]["version"] == 4);
  CHECK(last["params"]["diagnostics"].size() == 1);
  client.response(client.request("shutdown", nullptr));
  client.notify("exit", nullptr);
  CHECK(client.wait_exit() == 0);
}

TEST_CASE("lsp: a client that pulls diagnostics gets no pushes", "[lsp]") {
  LspClient client;
  const int id = client.request(
      "initialize",
      {{"processId", nullptr},
       {"rootUri", nullptr},
       {"capabilities", {{"textDocument", {{"diagnostic", {{"dynamicRegistration", false}}}}}}}});
  REQUIRE(client.response(id).contains("result"));
  client.notify("initialized", json::object());
  open(client, kUri, kLeaky);
  const int pull = client.request("textDocument/diagnostic", {{"textDocument", {{"uri", kUri}}}});
  // The next message must be the pull's answer, not a publishDiagnostics notification.
  const json reply = client.read("the pull reply");
  REQUIRE(reply.contains("id"));
  CHECK(reply["id"] == pull);
  CHECK(reply["result"]["kind"] == "full");
  CHECK(reply["result"]["items"].size() >= 2);
  const int shutdown = client.request("shutdown", nullptr);
  CHECK(client.response(shutdown).contains("result"));
  client.notify("exit", nullptr);
  CHECK(client.wait_exit() == 0);
}

TEST_CASE("lsp: the example project's training script shows its leaks", "[lsp]") {
  const std::string path = std::string(MLROAST_SOURCE_DIR) + "/examples/churn-project/src/churn/train.py";
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in);
  std::stringstream text;
  text << in.rdbuf();
  LspClient client;
  client.initialize({"utf-8"});
  const std::string uri = "file://" + path;
  open(client, uri, text.str());
  const json published = client.notification("textDocument/publishDiagnostics")["params"];
  std::set<std::string> codes;
  for (const auto& d : published["diagnostics"]) codes.insert(d["code"].get<std::string>());
  INFO(published.dump(2));
  for (const char* code : {"ML101", "ML102", "ML103", "ML107", "ML111", "ML308", "ML401", "ML404",
                           "ML406", "ML601", "ML703", "ML705", "ML706", "ML711"})
    CHECK(codes.count(code) == 1);
  const json leak = find_code(published["diagnostics"], "ML101");
  CHECK(leak["range"]["start"]["line"] == 63);  // train.py:64, `scaler.fit_transform(X)`
  const int shutdown = client.request("shutdown", nullptr);
  CHECK(client.response(shutdown).contains("result"));
  client.notify("exit", nullptr);
  CHECK(client.wait_exit() == 0);
}

namespace {
// A WorkspaceEdit's TextEdits ({range, newText}) as didChange content changes ({range, text}),
// back to front: the edits all refer to the original text, the changes apply one after another.
json as_changes(const json& edits) {
  json changes = json::array();
  for (auto it = edits.rbegin(); it != edits.rend(); ++it)
    changes.push_back({{"range", (*it)["range"]}, {"text", (*it)["newText"]}});
  return changes;
}

}  // namespace

TEST_CASE("lsp: code actions offer fixes first, then suppressions; fix-all applies safe fixes",
          "[lsp]") {
  LspClient client;
  client.initialize({"utf-16"});
  const std::string uri = "file:///tmp/mlroast-lsp/params.py";
  open(client, uri, mlroast::test::kFixableParams);
  const json diagnostics =
      client.notification("textDocument/publishDiagnostics")["params"]["diagnostics"];
  REQUIRE(diagnostics.size() == 2);
  const json bare = find_code(diagnostics, "ML703");

  const int id = client.request(
      "textDocument/codeAction",
      {{"textDocument", {{"uri", uri}}},
       {"range", range(7, 0, 7, 10)},
       {"context", {{"diagnostics", json::array({bare})}}}});
  const json actions = client.response(id)["result"];
  REQUIRE(actions.size() == 2);
  CHECK(actions[0]["kind"] == "quickfix");
  CHECK(actions[0]["isPreferred"] == false);  // unsafe: changes what is caught
  CHECK(actions[0]["edit"]["changes"][uri] ==
        json::array({{{"range", range(7, 10, 7, 10)}, {"newText", " Exception"}}}));
  CHECK(actions[1]["title"] == "Suppress ML703 on this line");
  CHECK(actions[1]["edit"]["changes"][uri] ==
        json::array({{{"range", range(7, 11, 7, 11)}, {"newText", "  # noqa: ML703"}}}));

  // Apply the suppression as the editor would: the ML703 finding goes away.
  client.notify("textDocument/didChange",
                {{"textDocument", {{"uri", uri}, {"version", 2}}},
                 {"contentChanges", as_changes(actions[1]["edit"]["changes"][uri])}});
  json after = client.notification("textDocument/publishDiagnostics")["params"]["diagnostics"];
  REQUIRE(after.size() == 1);
  CHECK(after[0]["code"] == "ML704");

  // Fix-all: the safe ML704 fix (None default + `if ... is None:` in the body).
  const int all = client.request("textDocument/codeAction",
                                 {{"textDocument", {{"uri", uri}}},
                                  {"range", range(0, 0, 0, 0)},
                                  {"context", {{"diagnostics", json::array()},
                                               {"only", json::array({"source.fixAll"})}}}});
  const json fixall = client.response(all)["result"];
  REQUIRE(fixall.size() == 1);
  CHECK(fixall[0]["kind"] == "source.fixAll.mlroast");
  const json edits = fixall[0]["edit"]["changes"][uri];
  REQUIRE(edits.size() == 2);  // `None` default, `if ... is None:` line
  client.notify("textDocument/didChange", {{"textDocument", {{"uri", uri}, {"version", 3}}},
                                          {"contentChanges", as_changes(edits)}});
  after = client.notification("textDocument/publishDiagnostics")["params"]["diagnostics"];
  CHECK(after == json::array());

  const int shutdown = client.request("shutdown", nullptr);
  CHECK(client.response(shutdown).contains("result"));
  client.notify("exit", nullptr);
  CHECK(client.wait_exit() == 0);
}

TEST_CASE("lsp: code actions use documentChanges with the version when the client supports them",
          "[lsp]") {
  LspClient client;
  const int id = client.request(
      "initialize",
      {{"processId", nullptr},
       {"rootUri", nullptr},
       {"capabilities", {{"workspace", {{"workspaceEdit", {{"documentChanges", true}}}}}}}});
  REQUIRE(client.response(id).contains("result"));
  client.notify("initialized", json::object());
  const std::string uri = "file:///tmp/mlroast-lsp/params.py";
  open(client, uri, mlroast::test::kFixableParams);
  const json diagnostics =
      client.notification("textDocument/publishDiagnostics")["params"]["diagnostics"];
  const int ca = client.request(
      "textDocument/codeAction",
      {{"textDocument", {{"uri", uri}}},
       {"range", range(3, 0, 3, 40)},
       {"context", {{"diagnostics", json::array({find_code(diagnostics, "ML704")})}}}});
  const json actions = client.response(ca)["result"];
  REQUIRE(actions.size() == 2);
  CHECK(actions[0]["isPreferred"] == true);  // the ML704 fix is safe
  const json& change = actions[0]["edit"]["documentChanges"][0];
  CHECK(change["textDocument"] == json{{"uri", uri}, {"version", 1}});
  CHECK(change["edits"].size() == 2);
  CHECK_FALSE(actions[0]["edit"].contains("changes"));
  const int shutdown = client.request("shutdown", nullptr);
  CHECK(client.response(shutdown).contains("result"));
  client.notify("exit", nullptr);
  CHECK(client.wait_exit() == 0);
}
