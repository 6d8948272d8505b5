#include "protocol/jsonrpc.hpp"

#include <spdlog/spdlog.h>

#include <utility>
#include <vector>

namespace mlroast::protocol {
namespace {

bool is_valid_id(const json& id) noexcept { return id.is_number_integer() || id.is_string(); }

std::string id_key(const json& id) { return id.dump(); }

// Whether `root` nests arrays/objects deeper than `limit` levels. Iterative: parsing and
// destroying a json are iterative in nlohmann-json, but dump() (and any handler walking the
// value recursively) is not, so a message 100,000 levels deep must be stopped before them.
bool nested_deeper_than(const json& root, std::size_t limit) {
  std::vector<std::pair<const json*, std::size_t>> stack{{&root, 1}};
  while (!stack.empty()) {
    const auto [value, depth] = stack.back();
    stack.pop_back();
    if (!value->is_structured()) continue;
    if (depth > limit) return true;
    for (const auto& child : *value) {
      if (child.is_structured()) stack.emplace_back(&child, depth + 1);
    }
  }
  return false;
}

std::string describe_problem(const std::string& field, const std::string& problem) {
  if (field.empty()) return "invalid params: params " + problem;
  return "invalid params: '" + field + "' " + problem;
}

}  // namespace

RpcException::RpcException(int code, const std::string& message)
    : std::runtime_error(message), code_(code) {}

InvalidParamsError::InvalidParamsError(std::string field_path, std::string problem)
    : RpcException(ErrorCode::InvalidParams, describe_problem(field_path, problem)),
      field_(std::move(field_path)),
      problem_(std::move(problem)) {}

InvalidParamsError InvalidParamsError::within(std::string_view parent) const {
  return InvalidParamsError(detail::join_path(parent, field_), problem_);
}

namespace detail {

std::string join_path(std::string_view parent, std::string_view child) {
  if (parent.empty()) return std::string(child);
  if (child.empty()) return std::string(parent);
  std::string out(parent);
  if (child.front() != '[') out += '.';
  out += child;
  return out;
}

const json* find_path(const json& root, std::string_view dotted_path, bool null_is_absent) {
  const json* current = &root;
  std::size_t start = 0;
  for (;;) {
    const std::size_t dot = dotted_path.find('.', start);
    const std::string_view key = dotted_path.substr(start, dot - start);
    if (null_is_absent && current->is_null()) return nullptr;
    if (!current->is_object()) {
      const std::string_view parent = start == 0 ? "" : dotted_path.substr(0, start - 1);
      throw InvalidParamsError(std::string(parent), "must be an object");
    }
    const auto it = current->find(key);
    if (it == current->end()) return nullptr;
    current = &*it;
    if (dot == std::string_view::npos) return current;
    start = dot + 1;
  }
}

}  // namespace detail

json make_response(const json& id, json result) {
  return {{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}};
}

json make_error(const json& id, int code, std::string message) {
  return {
      {"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", code}, {"message", std::move(message)}}}};
}

json make_notification(std::string_view method, json params) {
  json message = {{"jsonrpc", "2.0"}, {"method", method}};
  if (!params.is_null()) message["params"] = std::move(params);
  return message;
}

json make_request(const json& id, std::string_view method, json params) {
  json message = {{"jsonrpc", "2.0"}, {"id", id}, {"method", method}};
  if (!params.is_null()) message["params"] = std::move(params);
  return message;
}

std::string serialize(const json& message) {
  return message.dump(-1, ' ', false, json::error_handler_t::replace);
}

Dispatcher::Dispatcher(Sink send, BodySink send_body)
    : send_(std::move(send)), send_body_(std::move(send_body)) {}

void Dispatcher::on_request(std::string method, RequestHandler handler) {
  request_handlers_.insert_or_assign(std::move(method), std::move(handler));
}

void Dispatcher::on_notification(std::string method, NotificationHandler handler) {
  notification_handlers_.insert_or_assign(std::move(method), std::move(handler));
}

void Dispatcher::on_response(ResponseHandler handler) { response_handler_ = std::move(handler); }

void Dispatcher::on_cancel(CancelHandler handler) { cancel_handler_ = std::move(handler); }

void Dispatcher::handle(std::string_view body) {
  json message;
  try {
    message = json::parse(body);
  } catch (const json::exception& e) {  // parse_error, or out_of_range for a number like 1e999
    spdlog::warn("jsonrpc: unparsable message: {}", e.what());
    send_(make_error(nullptr, ErrorCode::ParseError, std::string("parse error: ") + e.what()));
    return;
  }
  handle_message(message);
}

void Dispatcher::handle_message(const json& message) {
  const auto invalid = [this](const json& id, const std::string& why) {
    spdlog::warn("jsonrpc: invalid request: {}", why);
    send_(make_error(id, ErrorCode::InvalidRequest, "invalid request: " + why));
  };
  if (nested_deeper_than(message, kMaxMessageDepth)) {
    const std::string why =
        "the message nests deeper than " + std::to_string(kMaxMessageDepth) + " levels";
    if (!message.is_object()) {
      invalid(nullptr, why);
      return;
    }
    const bool has_method = message.contains("method");
    const bool response = !has_method && (message.contains("result") || message.contains("error"));
    if (response || (has_method && !message.contains("id"))) {
      // Responses and notifications are never answered.
      spdlog::warn("jsonrpc: dropping a response or notification: {}", why);
      return;
    }
    // Never copy the id before knowing it is a scalar: copying a json is recursive, and this
    // one may be the 100,000-level value itself.
    const auto id = message.find("id");
    invalid(id != message.end() && is_valid_id(*id) ? *id : json(), why);
    return;
  }
  if (!message.is_object()) {
    invalid(nullptr, message.is_array() ? "batch messages are not supported"
                                        : "a message must be a JSON object");
    return;
  }
  const bool has_version = message.value("jsonrpc", json()) == "2.0";
  const bool has_method = message.contains("method");
  if (!has_method && (message.contains("result") || message.contains("error"))) {
    if (!has_version || !message.contains("id")) {
      spdlog::warn("jsonrpc: dropping a malformed response (it needs \"jsonrpc\":\"2.0\" and an id)");
      return;
    }
    handle_response(message);
    return;
  }

  const bool has_id = message.contains("id");
  if (has_id && !is_valid_id(message["id"])) {
    invalid(nullptr, "\"id\" must be an integer or a string");
    return;
  }
  const json id = has_id ? message["id"] : json();
  if (!has_version) {
    invalid(id, "\"jsonrpc\" must be \"2.0\"");
    return;
  }
  if (!has_method || !message["method"].is_string()) {
    invalid(id, "\"method\" must be a string");
    return;
  }
  const auto& method = message["method"].get_ref<const std::string&>();
  static const json kNoParams;
  const json& params = message.contains("params") ? message["params"] : kNoParams;
  if (!params.is_null() && !params.is_object() && !params.is_array()) {
    if (has_id) {
      invalid(id, "\"params\" must be an object or an array");
    } else {
      spdlog::warn("jsonrpc: dropping notification {} with non-structured params", method);
    }
    return;
  }
  if (has_id) {
    handle_request(id, method, params);
  } else {
    handle_notification(method, params);
  }
}

void Dispatcher::handle_request(const json& id, const std::string& method, const json& params) {
  if (!initialized_ && method != "initialize") {
    send_(make_error(id, ErrorCode::ServerNotInitialized,
                     "server not initialized: received " + method + " before initialize"));
    return;
  }
  const auto found = request_handlers_.find(method);
  if (found == request_handlers_.end()) {
    send_(make_error(id, ErrorCode::MethodNotFound, "method not found: " + method));
    return;
  }
  const std::string key = id_key(id);
  if (pending_.contains(key)) {
    send_(make_error(id, ErrorCode::InvalidRequest,
                     "invalid request: id " + key + " is already in use by a pending request"));
    return;
  }

  // The id is pending while the handler runs, so a handler may answer through reply() itself.
  pending_.insert(key);
  const RequestHandler handler = found->second;  // a copy: the handler may re-register methods
  RequestContext context(id, method);
  std::optional<json> outcome;
  try {
    HandlerResult result = handler(params, context);
    if (auto* value = std::get_if<json>(&result)) outcome = make_response(id, std::move(*value));
  } catch (const RpcException& e) {
    spdlog::debug("jsonrpc: {} failed: {}", method, e.what());
    outcome = make_error(id, e.code(), e.what());
  } catch (const std::exception& e) {
    spdlog::error("jsonrpc: {} threw: {}", method, e.what());
    outcome = make_error(id, ErrorCode::InternalError, e.what());
  } catch (...) {
    spdlog::error("jsonrpc: {} threw a non-standard exception", method);
    outcome = make_error(id, ErrorCode::InternalError, "unknown exception in " + method);
  }
  if (outcome && !finish(id, *outcome)) {
    spdlog::warn("jsonrpc: {} returned a result for id {} that was already answered", method, key);
  }
}

void Dispatcher::handle_notification(const std::string& method, const json& params) {
  if (!initialized_ && method != "exit") {
    spdlog::debug("jsonrpc: dropping notification {} before initialization", method);
    return;
  }
  if (method == "$/cancelRequest") {
    handle_cancel(params);
    return;
  }
  const auto found = notification_handlers_.find(method);
  if (found == notification_handlers_.end()) {
    if (method.starts_with("$/")) {
      spdlog::trace("jsonrpc: ignoring optional notification {}", method);
    } else {
      spdlog::debug("jsonrpc: ignoring unknown notification {}", method);
    }
    return;
  }
  const NotificationHandler handler = found->second;
  try {
    handler(params);
  } catch (const std::exception& e) {
    spdlog::error("jsonrpc: notification {} failed: {}", method, e.what());
  } catch (...) {
    spdlog::error("jsonrpc: notification {} threw a non-standard exception", method);
  }
}

void Dispatcher::handle_cancel(const json& params) {
  if (!params.is_object() || !params.contains("id") || !is_valid_id(params["id"])) {
    spdlog::warn("jsonrpc: $/cancelRequest without a valid id");
    return;
  }
  const json& id = params["id"];
  if (!finish(id, make_error(id, ErrorCode::RequestCancelled, "request cancelled"))) {
    spdlog::debug("jsonrpc: cancel for id {} which is not awaiting a reply", id_key(id));
    return;
  }
  if (cancel_handler_) cancel_handler_(id);
}

void Dispatcher::handle_response(const json& message) {
  const json& id = message["id"];
  const auto found = is_valid_id(id) ? outgoing_.find(id_key(id)) : outgoing_.end();
  ResponseHandler handler;
  if (found != outgoing_.end()) {
    handler = std::move(found->second);
    outgoing_.erase(found);
  } else {
    handler = response_handler_;
  }
  if (!handler) {
    spdlog::debug("jsonrpc: ignoring response for id {}", id_key(id));
    return;
  }
  try {
    handler(message);
  } catch (const std::exception& e) {
    spdlog::error("jsonrpc: response handler for id {} failed: {}", id_key(id), e.what());
  } catch (...) {
    spdlog::error("jsonrpc: response handler for id {} threw", id_key(id));
  }
}

bool Dispatcher::finish(const json& id, const json& message) {
  if (pending_.erase(id_key(id)) == 0) return false;
  send_(message);
  return true;
}

bool Dispatcher::reply(const json& id, json result) {
  if (finish(id, make_response(id, std::move(result)))) return true;
  spdlog::warn("jsonrpc: dropping reply for id {}: not awaiting a reply", id_key(id));
  return false;
}

bool Dispatcher::reply_error(const json& id, int code, std::string message) {
  if (finish(id, make_error(id, code, std::move(message)))) return true;
  spdlog::warn("jsonrpc: dropping error reply for id {}: not awaiting a reply", id_key(id));
  return false;
}

bool Dispatcher::is_pending(const json& id) const { return pending_.contains(id_key(id)); }

json Dispatcher::send_request(std::string_view method, json params, ResponseHandler on_reply) {
  json id = next_outgoing_id_++;
  if (on_reply) outgoing_.insert_or_assign(id_key(id), std::move(on_reply));
  send_(make_request(id, method, std::move(params)));
  return id;
}

void Dispatcher::send_notification(std::string_view method, json params) {
  send_(make_notification(method, std::move(params)));
}

void Dispatcher::send_body(std::string_view body) {
  if (send_body_) {
    send_body_(body);
  } else {
    send_(json::parse(body));
  }
}

}  // namespace mlroast::protocol
