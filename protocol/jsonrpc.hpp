// JSON-RPC 2.0 as LSP uses it: error codes, message builders, typed access to params with errors
// that name the offending field, and the Dispatcher that turns one message body into exactly one
// reply per request (and none per notification). The Dispatcher owns the method tables, the
// initialization gate, the set of requests still awaiting a deferred reply, cancellation, and the
// callbacks of requests the server itself sent to the client. It writes nothing itself: every
// outgoing message goes through the `send` sink given at construction. Logging goes to spdlog's
// default logger, which the process must point at stderr (stdout carries the protocol).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_set>
#include <utility>
#include <variant>
#include <vector>

namespace mlroast::protocol {

using json = nlohmann::json;

namespace ErrorCode {
inline constexpr int ParseError = -32700;
inline constexpr int InvalidRequest = -32600;
inline constexpr int MethodNotFound = -32601;
inline constexpr int InvalidParams = -32602;
inline constexpr int InternalError = -32603;
inline constexpr int ServerNotInitialized = -32002;
inline constexpr int RequestCancelled = -32800;
inline constexpr int ContentModified = -32801;
}  // namespace ErrorCode

// Messages nesting arrays/objects deeper than this are refused before any handler sees them
// (InvalidRequest for requests; notifications and responses are dropped): LSP messages nest a
// dozen levels, and serialising or walking a value 100,000 levels deep recursively would
// overflow the stack.
inline constexpr std::size_t kMaxMessageDepth = 128;

struct RpcError {
  int code;
  std::string message;
};

// Thrown by a request handler to answer with a specific error code (e.g. ContentModified).
class RpcException : public std::runtime_error {
 public:
  RpcException(int code, const std::string& message);
  int code() const noexcept { return code_; }
  RpcError error() const { return {code_, what()}; }

 private:
  int code_;
};

// InvalidParams naming a field by its dotted path from the params root ("textDocument.uri",
// "diagnostics[2].range"); an empty path means the params value itself.
class InvalidParamsError : public RpcException {
 public:
  explicit InvalidParamsError(std::string field_path, std::string problem = "is missing");
  const std::string& field() const noexcept { return field_; }
  const std::string& problem() const noexcept { return problem_; }
  // The same error seen from one level up: `parent` is prepended to the field path.
  InvalidParamsError within(std::string_view parent) const;

 private:
  std::string field_;
  std::string problem_;
};

namespace detail {

std::string join_path(std::string_view parent, std::string_view child);
// Walks a dotted path through nested objects. nullptr when a key is absent (or, with
// `null_is_absent`, when a value on the way is null); throws InvalidParamsError naming the value
// on the way that is not an object.
const json* find_path(const json& root, std::string_view dotted_path, bool null_is_absent);

template <class T>
struct is_vector : std::false_type {};
template <class T>
struct is_vector<std::vector<T>> : std::true_type {};
template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};

// Converts `value` to T, reporting type errors as InvalidParamsError at `path`. Scalars are checked
// strictly (no string-to-number or float-to-int coercion); class types go through from_json, and
// an InvalidParamsError they throw is re-rooted at `path`.
template <class T>
T convert(const json& value, std::string_view path) {
  if constexpr (std::is_same_v<T, json>) {
    return value;
  } else if constexpr (std::is_same_v<T, bool>) {
    if (!value.is_boolean()) throw InvalidParamsError(std::string(path), "must be a boolean");
    return value.get<bool>();
  } else if constexpr (std::is_integral_v<T>) {
    if (!value.is_number_integer()) {
      throw InvalidParamsError(std::string(path), "must be an integer");
    }
    const bool fits = value.is_number_unsigned() ? std::in_range<T>(value.get<std::uint64_t>())
                                                 : std::in_range<T>(value.get<std::int64_t>());
    if (!fits) throw InvalidParamsError(std::string(path), "is out of range");
    return value.get<T>();
  } else if constexpr (std::is_floating_point_v<T>) {
    if (!value.is_number()) throw InvalidParamsError(std::string(path), "must be a number");
    return value.get<T>();
  } else if constexpr (std::is_same_v<T, std::string>) {
    if (!value.is_string()) throw InvalidParamsError(std::string(path), "must be a string");
    return value.get<std::string>();
  } else if constexpr (is_optional<T>::value) {
    if (value.is_null()) return T{};
    return convert<typename T::value_type>(value, path);
  } else if constexpr (is_vector<T>::value) {
    if (!value.is_array()) throw InvalidParamsError(std::string(path), "must be an array");
    T out;
    out.reserve(value.size());
    for (std::size_t i = 0; i < value.size(); ++i) {
      out.push_back(convert<typename T::value_type>(
          value[i], join_path(path, "[" + std::to_string(i) + "]")));
    }
    return out;
  } else {
    try {
      return value.get<T>();
    } catch (const InvalidParamsError& e) {
      throw e.within(path);
    } catch (const json::exception& e) {
      throw InvalidParamsError(std::string(path), std::string("is invalid: ") + e.what());
    }
  }
}

}  // namespace detail

// The value at `dotted_path` (e.g. "textDocument.uri") inside `params`, converted to T. Throws
// InvalidParamsError naming the full path when it is absent, null (unless T is json) or mistyped.
template <class T>
T require(const json& params, std::string_view dotted_path) {
  const json* value = detail::find_path(params, dotted_path, false);
  if (value == nullptr) throw InvalidParamsError(std::string(dotted_path), "is missing");
  return detail::convert<T>(*value, dotted_path);
}

// Like require, but an absent or null value (or null object on the way) yields nullopt instead of
// an error; a present value of the wrong type still throws.
template <class T>
std::optional<T> optional_field(const json& params, std::string_view dotted_path) {
  const json* value = detail::find_path(params, dotted_path, true);
  if (value == nullptr || value->is_null()) return std::nullopt;
  return detail::convert<T>(*value, dotted_path);
}

// Message builders. `id` is an integer, a string, or (for errors only) null.
json make_response(const json& id, json result);
json make_error(const json& id, int code, std::string message);
json make_notification(std::string_view method, json params);
json make_request(const json& id, std::string_view method, json params);
// Compact JSON text of a message for framing; invalid UTF-8 in strings becomes U+FFFD instead of
// throwing (document text is not guaranteed to be valid UTF-8).
std::string serialize(const json& message);

// Returned by a request handler that will answer later through Dispatcher::reply/reply_error.
struct Deferred {};
inline constexpr Deferred kDeferred{};
// A handler's result: the `result` value to send now (`return {};` sends null), or kDeferred.
using HandlerResult = std::variant<json, Deferred>;

// What a request handler knows about the request it is serving.
class RequestContext {
 public:
  RequestContext(json id, std::string method) : id_(std::move(id)), method_(std::move(method)) {}
  // Keep a copy of the id to answer a deferred request later.
  const json& id() const noexcept { return id_; }
  const std::string& method() const noexcept { return method_; }

 private:
  json id_;
  std::string method_;
};

// Routes parsed messages to handlers. Single-threaded: every member function, and every callback
// it invokes, runs on the thread that owns the Dispatcher (the server's main strand). Handlers run
// synchronously inside handle(); they may call reply()/send_request()/set_initialized() but not
// handle(). Exceptions escaping a handler become error replies; exceptions from `send` propagate.
class Dispatcher {
 public:
  using Sink = std::function<void(const json& message)>;
  using RequestHandler = std::function<HandlerResult(const json& params, RequestContext& context)>;
  using NotificationHandler = std::function<void(const json& params)>;
  using ResponseHandler = std::function<void(const json& response)>;  // the whole message
  using CancelHandler = std::function<void(const json& id)>;
  // Takes a message body that is already serialised (see send_body).
  using BodySink = std::function<void(std::string_view body)>;

  explicit Dispatcher(Sink send, BodySink send_body = {});

  // Registration replaces any earlier handler for the same method.
  void on_request(std::string method, RequestHandler handler);
  void on_notification(std::string method, NotificationHandler handler);
  // Receives client responses that answer no request sent through send_request.
  void on_response(ResponseHandler handler);
  // Called after a deferred request was cancelled (and already answered with RequestCancelled),
  // so the server can stop the work behind it.
  void on_cancel(CancelHandler handler);

  // Before set_initialized(true), requests other than "initialize" are answered with
  // ServerNotInitialized and notifications other than "exit" are dropped.
  void set_initialized(bool initialized) noexcept { initialized_ = initialized; }
  bool initialized() const noexcept { return initialized_; }

  // Parses and dispatches one message body (as produced by MessageReader).
  void handle(std::string_view body);
  // Dispatches an already parsed message.
  void handle_message(const json& message);

  // Answer a deferred request. Returns false (and logs) when `id` is not awaiting a reply: never
  // deferred, already answered, or cancelled. Each request is answered exactly once.
  bool reply(const json& id, json result);
  bool reply_error(const json& id, int code, std::string message);
  bool is_pending(const json& id) const;
  std::size_t pending_count() const noexcept { return pending_.size(); }

  // Server-to-client messages. send_request allocates an integer id (returned) and calls
  // `on_reply` with the client's response message (holding "result" or "error").
  json send_request(std::string_view method, json params, ResponseHandler on_reply);
  void send_notification(std::string_view method, json params);
  // Sends a message serialised by a direct writer (protocol/diagnostics_writer.hpp) without
  // building a json tree; without a BodySink it is parsed and goes through the json Sink.
  void send_body(std::string_view body);

 private:
  void handle_request(const json& id, const std::string& method, const json& params);
  void handle_notification(const std::string& method, const json& params);
  void handle_response(const json& message);
  void handle_cancel(const json& params);
  bool finish(const json& id, const json& message);

  Sink send_;
  BodySink send_body_;
  std::map<std::string, RequestHandler, std::less<>> request_handlers_;
  std::map<std::string, NotificationHandler, std::less<>> notification_handlers_;
  ResponseHandler response_handler_;
  CancelHandler cancel_handler_;
  bool initialized_ = false;
  std::unordered_set<std::string> pending_;  // ids (dumped JSON) of requests awaiting a reply
  std::map<std::string, ResponseHandler> outgoing_;  // ids of our requests awaiting the client
  std::int64_t next_outgoing_id_ = 1;
};

}  // namespace mlroast::protocol
