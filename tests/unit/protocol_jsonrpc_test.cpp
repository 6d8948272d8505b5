#include <spdlog/spdlog.h>

#include <catch2/catch.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "protocol/jsonrpc.hpp"

namespace proto = mlroast::protocol;
using proto::Dispatcher;
using proto::json;
namespace ErrorCode = proto::ErrorCode;

namespace {

// Silences the expected warnings of error paths while a test runs.
class QuietLogs {
 public:
  QuietLogs() : previous_(spdlog::get_level()) { spdlog::set_level(spdlog::level::off); }
  ~QuietLogs() { spdlog::set_level(previous_); }
  QuietLogs(const QuietLogs&) = delete;
  QuietLogs& operator=(const QuietLogs&) = delete;

 private:
  spdlog::level::level_enum previous_;
};

// A dispatcher whose replies are captured, with "initialize" and "echo" registered.
struct Harness {
  QuietLogs quiet;
  std::vector<json> sent;
  Dispatcher dispatcher{[this](const json& message) { sent.push_back(message); }};

  Harness() {
    // A handler returning json converts to HandlerResult; no explicit return type is needed.
    dispatcher.on_request("initialize", [](const json&, proto::RequestContext&) {
      return json{{"capabilities", json::object()}};
    });
    dispatcher.on_request("echo",
                          [](const json& params, proto::RequestContext&) { return params; });
  }

  void initialized() { dispatcher.set_initialized(true); }
  void handle(const json& message) { dispatcher.handle(message.dump()); }
  json request(const json& id, const std::string& method, const json& params = json::object()) {
    return proto::make_request(id, method, params);
  }
  // The one message sent since the last call; fails the test if there is not exactly one.
  json only_reply() {
    REQUIRE(sent.size() == 1);
    json reply = sent.front();
    sent.clear();
    return reply;
  }
};

int error_code(const json& reply) { return reply.at("error").at("code").get<int>(); }
std::string error_message(const json& reply) {
  return reply.at("error").at("message").get<std::string>();
}

}  // namespace

TEST_CASE("message builders produce JSON-RPC 2.0 messages", "[protocol][jsonrpc]") {
  CHECK(proto::make_response(7, {{"a", 1}}) ==
        json::parse(R"({"jsonrpc":"2.0","id":7,"result":{"a":1}})"));
  CHECK(proto::make_response("x", nullptr) ==
        json::parse(R"({"jsonrpc":"2.0","id":"x","result":null})"));
  CHECK(proto::make_error(nullptr, ErrorCode::ParseError, "bad") ==
        json::parse(R"({"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"bad"}})"));
  CHECK(proto::make_notification("exit", nullptr) ==
        json::parse(R"({"jsonrpc":"2.0","method":"exit"})"));
  CHECK(proto::make_notification("n", {{"k", true}}) ==
        json::parse(R"({"jsonrpc":"2.0","method":"n","params":{"k":true}})"));
  CHECK(proto::make_request(3, "m", json::array({1})) ==
        json::parse(R"({"jsonrpc":"2.0","id":3,"method":"m","params":[1]})"));
}

TEST_CASE("error codes have their JSON-RPC and LSP values", "[protocol][jsonrpc]") {
  CHECK(ErrorCode::ParseError == -32700);
  CHECK(ErrorCode::InvalidRequest == -32600);
  CHECK(ErrorCode::MethodNotFound == -32601);
  CHECK(ErrorCode::InvalidParams == -32602);
  CHECK(ErrorCode::InternalError == -32603);
  CHECK(ErrorCode::ServerNotInitialized == -32002);
  CHECK(ErrorCode::RequestCancelled == -32800);
  CHECK(ErrorCode::ContentModified == -32801);
}

TEST_CASE("serialize replaces invalid UTF-8 instead of throwing", "[protocol][jsonrpc]") {
  const json message = {{"text", std::string("a\xFF"
                                             "b")}};
  CHECK(proto::serialize(message) ==
        "{\"text\":\"a\xEF\xBF\xBD"
        "b\"}");
}

TEST_CASE("require reads nested fields with strict types", "[protocol][jsonrpc]") {
  const json params = json::parse(
      R"({"textDocument":{"uri":"file:///a.py","version":3},"n":-1,"big":5000000000,"f":1.5,
          "list":[1,2,"x"],"flag":true,"nothing":null})");
  CHECK(proto::require<std::string>(params, "textDocument.uri") == "file:///a.py");
  CHECK(proto::require<int>(params, "textDocument.version") == 3);
  CHECK(proto::require<json>(params, "textDocument").is_object());
  CHECK(proto::require<bool>(params, "flag"));
  CHECK(proto::require<double>(params, "f") == 1.5);
  CHECK(proto::require<std::int64_t>(params, "big") == 5000000000);

  const auto field_of = [&](auto&& call) -> std::string {
    try {
      call();
    } catch (const proto::InvalidParamsError& e) {
      CHECK(e.code() == ErrorCode::InvalidParams);
      CHECK_THAT(e.what(), Catch::Contains(e.field()));
      return e.field();
    }
    return "<no error>";
  };
  CHECK(field_of([&] { proto::require<std::string>(params, "textDocument.text"); }) ==
        "textDocument.text");
  CHECK(field_of([&] { proto::require<std::string>(params, "textDocument.version"); }) ==
        "textDocument.version");
  CHECK(field_of([&] { proto::require<int>(params, "f"); }) == "f");
  CHECK(field_of([&] { proto::require<std::uint32_t>(params, "n"); }) == "n");
  CHECK(field_of([&] { proto::require<std::int32_t>(params, "big"); }) == "big");
  CHECK(field_of([&] { proto::require<int>(params, "textDocument.uri"); }) == "textDocument.uri");
  CHECK(field_of([&] { proto::require<std::string>(params, "textDocument.uri.scheme"); }) ==
        "textDocument.uri");  // the intermediate value that is not an object
  CHECK(field_of([&] { proto::require<std::string>(params, "nothing"); }) == "nothing");
  CHECK(field_of([&] { proto::require<std::vector<int>>(params, "list"); }) == "list[2]");
  CHECK(field_of([&] { proto::require<std::string>(json(nullptr), "a.b"); }).empty());
}

TEST_CASE("optional_field distinguishes absent from mistyped", "[protocol][jsonrpc]") {
  const json params = {{"version", nullptr}, {"count", 2}, {"name", 5}};
  CHECK_FALSE(proto::optional_field<int>(params, "version"));
  CHECK_FALSE(proto::optional_field<int>(params, "missing"));
  CHECK_FALSE(proto::optional_field<int>(params, "missing.deeper"));
  CHECK_FALSE(proto::optional_field<int>(params, "version.deeper"));  // null on the way
  CHECK_FALSE(proto::optional_field<int>(json(), "anything"));
  CHECK_THROWS_AS(proto::optional_field<int>(params, "count.deeper"), proto::InvalidParamsError);
  CHECK(proto::optional_field<int>(params, "count") == 2);
  CHECK_THROWS_AS(proto::optional_field<std::string>(params, "name"), proto::InvalidParamsError);
}

TEST_CASE("InvalidParamsError re-roots its field path", "[protocol][jsonrpc]") {
  const proto::InvalidParamsError inner("uri");
  CHECK(inner.within("textDocument").field() == "textDocument.uri");
  CHECK(proto::InvalidParamsError("[3].message").within("items").field() == "items[3].message");
  CHECK(proto::InvalidParamsError("", "must be an object").within("range").field() == "range");
  CHECK_THAT(inner.within("textDocument").what(), Catch::Contains("'textDocument.uri' is missing"));
}

// Found by fuzz/rpc_fuzz.cpp: nlohmann reports a number too large for a double as out_of_range,
// not parse_error, and the exception escaped handle() and terminated the server.
TEST_CASE("a number too large for a double gets a ParseError reply", "[protocol][jsonrpc]") {
  Harness h;
  h.initialized();
  CHECK_NOTHROW(h.dispatcher.handle(R"({"jsonrpc": "2.0", "id": 1, "method": "m", "params": 88888e888888888})"));
  const json reply = h.only_reply();
  CHECK(reply.at("id").is_null());
  CHECK(error_code(reply) == ErrorCode::ParseError);
}

TEST_CASE("unparsable JSON gets one ParseError reply with a null id", "[protocol][jsonrpc]") {
  Harness h;
  h.initialized();
  h.dispatcher.handle("{\"jsonrpc\": \"2.0\", \"id\": 1, ");
  const json reply = h.only_reply();
  CHECK(reply.at("id").is_null());
  CHECK(error_code(reply) == ErrorCode::ParseError);
  CHECK(reply.at("jsonrpc") == "2.0");
}

TEST_CASE("structurally invalid messages get InvalidRequest", "[protocol][jsonrpc]") {
  Harness h;
  h.initialized();
  const auto [text, expected_id] = GENERATE(table<std::string, json>({
      {R"([1,2])", nullptr},                                            // batch
      {R"("just a string")", nullptr},                                  // not an object
      {R"({"id":1,"method":"echo"})", 1},                               // no jsonrpc
      {R"({"jsonrpc":"1.0","id":"a","method":"echo"})", "a"},           // wrong version
      {R"({"jsonrpc":"2.0","id":1.5,"method":"echo"})", nullptr},       // float id
      {R"({"jsonrpc":"2.0","id":{"x":1},"method":"echo"})", nullptr},   // object id
      {R"({"jsonrpc":"2.0","id":null,"method":"echo"})", nullptr},      // null id
      {R"({"jsonrpc":"2.0","id":4,"method":7})", 4},                    // method not a string
      {R"({"jsonrpc":"2.0","id":5})", 5},                               // no method
      {R"({"jsonrpc":"2.0","id":6,"method":"echo","params":"s"})", 6},  // scalar params
      {R"({"method":"echo"})", nullptr},                                // notification, no version
  }));
  INFO(text);
  h.dispatcher.handle(text);
  const json reply = h.only_reply();
  CHECK(error_code(reply) == ErrorCode::InvalidRequest);
  CHECK(reply.at("id") == expected_id);
}

TEST_CASE("requests get exactly one reply with their own id", "[protocol][jsonrpc]") {
  Harness h;
  h.initialized();
  h.handle(h.request(1, "echo", {{"v", 1}}));
  json reply = h.only_reply();
  CHECK(reply == proto::make_response(1, {{"v", 1}}));

  h.handle(h.request("req-7", "echo", json::array({"a"})));
  reply = h.only_reply();
  CHECK(reply.at("id") == "req-7");
  CHECK(reply.at("result") == json::array({"a"}));

  h.handle({{"jsonrpc", "2.0"}, {"id", 2}, {"method", "echo"}});  // params omitted: null
  reply = h.only_reply();
  CHECK(reply.at("result").is_null());
  CHECK(h.dispatcher.pending_count() == 0);
}

TEST_CASE("a request to an unknown method gets MethodNotFound", "[protocol][jsonrpc]") {
  Harness h;
  h.initialized();
  h.handle(h.request(9, "textDocument/unknown"));
  json reply = h.only_reply();
  CHECK(error_code(reply) == ErrorCode::MethodNotFound);
  CHECK(reply.at("id") == 9);
  CHECK_THAT(error_message(reply), Catch::Contains("textDocument/unknown"));

  h.handle(h.request(10, "$/unknownRequest"));  // $/ requests must still be answered
  CHECK(error_code(h.only_reply()) == ErrorCode::MethodNotFound);
}

TEST_CASE("notifications never get a reply", "[protocol][jsonrpc]") {
  Harness h;
  h.initialized();
  int calls = 0;
  h.dispatcher.on_notification("textDocument/didOpen", [&](const json& params) {
    CHECK(params.at("x") == 1);
    ++calls;
  });
  h.dispatcher.on_notification("boom", [](const json&) { throw std::runtime_error("kaput"); });

  h.handle(proto::make_notification("textDocument/didOpen", {{"x", 1}}));
  h.handle(proto::make_notification("boom", json::object()));
  h.handle(proto::make_notification("workspace/unknown", json::object()));
  h.handle(proto::make_notification("$/setTrace", {{"value", "off"}}));
  h.handle(proto::make_notification("$/progress", json::object()));
  h.handle({{"jsonrpc", "2.0"}, {"method", "textDocument/didOpen"}, {"params", 3}});
  CHECK(calls == 1);
  CHECK(h.sent.empty());
}

TEST_CASE("handler exceptions become error replies", "[protocol][jsonrpc]") {
  Harness h;
  h.initialized();
  h.dispatcher.on_request("needs-uri",
                          [](const json& params, proto::RequestContext&) -> proto::HandlerResult {
                            return proto::require<std::string>(params, "textDocument.uri");
                          });
  h.dispatcher.on_request("fails", [](const json&, proto::RequestContext&) -> proto::HandlerResult {
    throw std::runtime_error("the model exploded");
  });
  h.dispatcher.on_request(
      "modified", [](const json&, proto::RequestContext&) -> proto::HandlerResult {
        throw proto::RpcException(ErrorCode::ContentModified, "document changed");
      });
  h.dispatcher.on_request(
      "weird", [](const json&, proto::RequestContext&) -> proto::HandlerResult { throw 42; });

  h.handle(h.request(1, "needs-uri", {{"textDocument", json::object()}}));
  json reply = h.only_reply();
  CHECK(error_code(reply) == ErrorCode::InvalidParams);
  CHECK_THAT(error_message(reply), Catch::Contains("textDocument.uri"));

  h.handle(h.request(2, "needs-uri", {{"textDocument", {{"uri", "file:///x.py"}}}}));
  CHECK(h.only_reply().at("result") == "file:///x.py");

  h.handle(h.request(3, "fails"));
  reply = h.only_reply();
  CHECK(error_code(reply) == ErrorCode::InternalError);
  CHECK(error_message(reply) == "the model exploded");
  CHECK(reply.at("id") == 3);

  h.handle(h.request(4, "modified"));
  CHECK(error_code(h.only_reply()) == ErrorCode::ContentModified);

  h.handle(h.request(5, "weird"));
  CHECK(error_code(h.only_reply()) == ErrorCode::InternalError);
  CHECK(h.dispatcher.pending_count() == 0);
}

TEST_CASE("before initialization only initialize and exit get through", "[protocol][jsonrpc]") {
  Harness h;
  int exits = 0;
  int opens = 0;
  h.dispatcher.on_notification("exit", [&](const json&) { ++exits; });
  h.dispatcher.on_notification("textDocument/didOpen", [&](const json&) { ++opens; });

  h.handle(h.request(1, "echo"));
  json reply = h.only_reply();
  CHECK(error_code(reply) == ErrorCode::ServerNotInitialized);
  CHECK(reply.at("id") == 1);

  h.handle(h.request(2, "no/such/method"));
  CHECK(error_code(h.only_reply()) == ErrorCode::ServerNotInitialized);

  h.handle(proto::make_notification("textDocument/didOpen", json::object()));
  h.handle(proto::make_notification("exit", nullptr));
  CHECK(h.sent.empty());
  CHECK(opens == 0);
  CHECK(exits == 1);

  h.handle(h.request(3, "initialize"));
  CHECK(h.only_reply().at("result").contains("capabilities"));

  h.initialized();
  CHECK(h.dispatcher.initialized());
  h.handle(h.request(4, "echo", {{"ok", true}}));
  CHECK(h.only_reply().at("result") == json{{"ok", true}});
  h.handle(proto::make_notification("textDocument/didOpen", json::object()));
  CHECK(opens == 1);
}

TEST_CASE("an initialize handler may open the gate itself", "[protocol][jsonrpc]") {
  Harness h;
  h.dispatcher.on_request("initialize",
                          [&](const json&, proto::RequestContext&) -> proto::HandlerResult {
                            h.dispatcher.set_initialized(true);
                            return json::object();
                          });
  h.handle(h.request(1, "initialize"));
  CHECK(h.only_reply().contains("result"));
  h.handle(h.request(2, "echo"));
  CHECK(h.only_reply().contains("result"));
}

TEST_CASE("deferred requests are answered once, later", "[protocol][jsonrpc]") {
  Harness h;
  h.initialized();
  std::vector<json> deferred_ids;
  h.dispatcher.on_request("slow",
                          [&](const json&, proto::RequestContext& context) -> proto::HandlerResult {
                            CHECK(context.method() == "slow");
                            deferred_ids.push_back(context.id());
                            return proto::kDeferred;
                          });

  h.handle(h.request(1, "slow"));
  h.handle(h.request("two", "slow"));
  CHECK(h.sent.empty());
  REQUIRE(deferred_ids == std::vector<json>{1, "two"});
  CHECK(h.dispatcher.is_pending(1));
  CHECK(h.dispatcher.is_pending("two"));
  CHECK_FALSE(h.dispatcher.is_pending("1"));  // string "1" and integer 1 are different ids
  CHECK(h.dispatcher.pending_count() == 2);

  CHECK(h.dispatcher.reply("two", {{"done", true}}));
  CHECK(h.only_reply() == proto::make_response("two", {{"done", true}}));
  CHECK_FALSE(h.dispatcher.reply("two", {{"again", true}}));  // double reply dropped
  CHECK(h.sent.empty());

  CHECK(h.dispatcher.reply_error(1, ErrorCode::ContentModified, "stale"));
  json reply = h.only_reply();
  CHECK(reply.at("id") == 1);
  CHECK(error_code(reply) == ErrorCode::ContentModified);
  CHECK_FALSE(h.dispatcher.reply(1, nullptr));
  CHECK_FALSE(h.dispatcher.reply(99, nullptr));  // never seen
  CHECK(h.sent.empty());
  CHECK(h.dispatcher.pending_count() == 0);
}

TEST_CASE("a synchronous request cannot be answered twice", "[protocol][jsonrpc]") {
  Harness h;
  h.initialized();
  h.dispatcher.on_request("self-reply",
                          [&](const json&, proto::RequestContext& context) -> proto::HandlerResult {
                            CHECK(h.dispatcher.reply(context.id(), "from inside"));
                            return json("returned too");  // dropped: already answered
                          });
  h.handle(h.request(1, "self-reply"));
  CHECK(h.only_reply().at("result") == "from inside");
  CHECK_FALSE(h.dispatcher.reply(1, "late"));
  CHECK(h.sent.empty());
}

TEST_CASE("cancelling a deferred request replies RequestCancelled once", "[protocol][jsonrpc]") {
  Harness h;
  h.initialized();
  std::vector<json> cancelled;
  h.dispatcher.on_cancel([&](const json& id) { cancelled.push_back(id); });
  h.dispatcher.on_request("slow", [](const json&, proto::RequestContext&) -> proto::HandlerResult {
    return proto::kDeferred;
  });

  const auto id = GENERATE(json(17), json("abc"));
  h.handle(h.request(id, "slow"));
  CHECK(h.sent.empty());

  h.handle(proto::make_notification("$/cancelRequest", {{"id", id}}));
  json reply = h.only_reply();
  CHECK(reply.at("id") == id);
  CHECK(error_code(reply) == ErrorCode::RequestCancelled);
  CHECK(cancelled == std::vector<json>{id});
  CHECK_FALSE(h.dispatcher.is_pending(id));

  CHECK_FALSE(h.dispatcher.reply(id, {{"late", true}}));                // reply after cancel: no-op
  h.handle(proto::make_notification("$/cancelRequest", {{"id", id}}));  // second cancel: no-op
  CHECK(h.sent.empty());
  CHECK(cancelled.size() == 1);
}

TEST_CASE("cancelling an answered or unknown request sends nothing", "[protocol][jsonrpc]") {
  Harness h;
  h.initialized();
  h.handle(h.request(1, "echo"));
  CHECK(h.only_reply().contains("result"));
  h.handle(proto::make_notification("$/cancelRequest", {{"id", 1}}));
  h.handle(proto::make_notification("$/cancelRequest", {{"id", 12345}}));
  h.handle(proto::make_notification("$/cancelRequest", {{"id", 1.5}}));
  h.handle(proto::make_notification("$/cancelRequest", json::object()));
  CHECK(h.sent.empty());
}

TEST_CASE("a request reusing a pending id is rejected", "[protocol][jsonrpc]") {
  Harness h;
  h.initialized();
  h.dispatcher.on_request("slow", [](const json&, proto::RequestContext&) -> proto::HandlerResult {
    return proto::kDeferred;
  });
  h.handle(h.request(5, "slow"));
  h.handle(h.request(5, "echo"));
  json reply = h.only_reply();
  CHECK(error_code(reply) == ErrorCode::InvalidRequest);
  CHECK(h.dispatcher.reply(5, "first"));  // the pending request still gets its own reply
  CHECK(h.only_reply().at("result") == "first");
}

TEST_CASE("client responses reach the matching callback or on_response", "[protocol][jsonrpc]") {
  Harness h;
  h.initialized();
  std::vector<json> matched;
  std::vector<json> others;
  h.dispatcher.on_response([&](const json& response) { others.push_back(response); });

  const json id =
      h.dispatcher.send_request("workspace/configuration", {{"items", json::array()}},
                                [&](const json& response) { matched.push_back(response); });
  json request = h.only_reply();
  CHECK(request.at("method") == "workspace/configuration");
  CHECK(request.at("id") == id);
  const json second_id = h.dispatcher.send_request("client/registerCapability", json::object(), {});
  h.sent.clear();
  CHECK(second_id != id);

  h.handle(proto::make_response(id, json::array({1})));
  REQUIRE(matched.size() == 1);
  CHECK(matched[0].at("result") == json::array({1}));

  h.handle(proto::make_response(id, nullptr));  // already answered: falls through to on_response
  h.handle(proto::make_error("other", ErrorCode::InternalError, "client failed"));
  h.handle({{"result", 1}, {"id", 3}});  // no jsonrpc: dropped
  CHECK(matched.size() == 1);
  CHECK(others.size() == 2);
  CHECK(h.sent.empty());  // responses are never answered
}

TEST_CASE("send_notification goes through the sink", "[protocol][jsonrpc]") {
  Harness h;
  h.dispatcher.send_notification("textDocument/publishDiagnostics", {{"uri", "file:///a"}});
  CHECK(h.only_reply() ==
        proto::make_notification("textDocument/publishDiagnostics", {{"uri", "file:///a"}}));
}

// Regression (found while hardening the server): a message nested 100,000 levels deep parses
// fine, but dumping it (the log line of a malformed response, the id of an unknown response, a
// code action echoing the client's diagnostic) recursed once per level and overflowed the stack.
TEST_CASE("messages nested deeper than kMaxMessageDepth are refused before any handler",
          "[protocol][jsonrpc]") {
  Harness h;
  h.initialized();
  int echoed = 0;
  h.dispatcher.on_request("count", [&](const json& params, proto::RequestContext&) {
    ++echoed;
    return params;
  });
  const auto deep = [](std::size_t depth) {
    return std::string(depth, '[') + std::string(depth, ']');
  };
  const std::string very_deep = deep(100000);

  SECTION("a request is answered InvalidRequest with its id") {
    h.dispatcher.handle(R"({"jsonrpc":"2.0","id":7,"method":"count","params":{"a":)" + very_deep +
                        "}}");
    const json reply = h.only_reply();
    CHECK(error_code(reply) == ErrorCode::InvalidRequest);
    CHECK(reply["id"] == 7);
    CHECK(echoed == 0);
  }
  SECTION("an invalid deep id gets a null id") {
    h.dispatcher.handle(R"({"jsonrpc":"2.0","method":"count","id":)" + very_deep + "}");
    const json reply = h.only_reply();
    CHECK(error_code(reply) == ErrorCode::InvalidRequest);
    CHECK(reply["id"].is_null());
  }
  SECTION("a deep array is InvalidRequest") {
    h.dispatcher.handle(very_deep);
    CHECK(error_code(h.only_reply()) == ErrorCode::InvalidRequest);
  }
  SECTION("responses and notifications are dropped silently") {
    h.dispatcher.handle(R"({"jsonrpc":"2.0","result":1,"id":)" + very_deep + "}");
    h.dispatcher.handle(R"({"id":3,"error":)" + very_deep + "}");
    h.dispatcher.handle(R"({"jsonrpc":"2.0","id":4,"result":)" + very_deep + "}");
    h.dispatcher.handle(R"({"jsonrpc":"2.0","method":"count","params":)" + very_deep + "}");
    CHECK(h.sent.empty());
  }
  SECTION("the limit itself is accepted, one level more is not") {
    // params is level 2 inside the message object, so depth - 1 arrays fit.
    const std::size_t inside = proto::kMaxMessageDepth - 1;
    h.dispatcher.handle(R"({"jsonrpc":"2.0","id":1,"method":"count","params":)" + deep(inside) +
                        "}");
    CHECK(h.only_reply().contains("result"));
    h.dispatcher.handle(R"({"jsonrpc":"2.0","id":2,"method":"count","params":)" +
                        deep(inside + 1) + "}");
    CHECK(error_code(h.only_reply()) == ErrorCode::InvalidRequest);
    CHECK(echoed == 1);
  }
}
