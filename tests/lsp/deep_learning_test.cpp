// The deep-learning rules through the language server: the example project's PyTorch script
// publishes its planted ML5xx diagnostics, with the related location of the softmax.
#include <catch2/catch.hpp>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "support/lsp_client.hpp"

using mlroast::test::json;
using mlroast::test::LspClient;

TEST_CASE("lsp: the example project's PyTorch script shows its ML5xx problems", "[lsp]") {
  const std::string path =
      std::string(MLROAST_SOURCE_DIR) + "/examples/churn-project/src/churn/train_nn.py";
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in);
  std::stringstream text;
  text << in.rdbuf();
  LspClient client;
  client.initialize({"utf-8"});
  client.notify("textDocument/didOpen", {{"textDocument",
                                          {{"uri", "file://" + path},
                                           {"languageId", "python"},
                                           {"version", 1},
                                           {"text", text.str()}}}});
  const json published = client.notification("textDocument/publishDiagnostics")["params"];
  INFO(published.dump(2));
  std::multiset<std::string> codes;
  json softmax;
  for (const auto& d : published["diagnostics"]) {
    codes.insert(d["code"].get<std::string>());
    if (d["code"] == "ML501") softmax = d;
  }
  for (const char* code : {"ML501", "ML503", "ML505", "ML508"}) CHECK(codes.count(code) == 1);
  for (const char* code : {"ML502", "ML504", "ML506", "ML507", "ML509"}) CHECK(codes.count(code) == 0);
  REQUIRE(softmax.is_object());
  CHECK(softmax["range"]["start"]["line"] == 66);  // train_nn.py:67, `criterion(model(xb), yb)`
  REQUIRE(softmax.contains("relatedInformation"));
  CHECK(softmax["relatedInformation"][0]["location"]["range"]["start"]["line"] == 32);  // :33
  const int shutdown = client.request("shutdown", nullptr);
  CHECK(client.response(shutdown).contains("result"));
  client.notify("exit", nullptr);
  CHECK(client.wait_exit() == 0);
}
