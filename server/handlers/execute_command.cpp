// `workspace/executeCommand` for `mlroast.reviewWorkspace`: reviews a workspace folder and writes
// the Markdown report (analysis/review/). The contract the editor clients rely on:
//   arguments: optional, `[]` or `[{"root": "<file URI>"}]`; default root: the first workspace
//              folder, else rootUri;
//   reply:     {"path": "<absolute path of the written report>", "uri": "<its file URI>",
//               "verdict": "<verdict category>", "summary": "<N findings, M critical, verdict>"};
//   output:    `mlroast-review.md` at the root, or the `reviewOutput` setting (relative to the root
//              unless absolute).
// The review runs on a worker thread (inline in --sync mode) with its own configuration resolver
// built from the same settings. Progress: the request's workDoneToken when given, else a token
// created with window/workDoneProgress/create when the client supports it; begin (cancellable),
// reports with a percentage, end. Cancelling ($/cancelRequest or window/workDoneProgress/cancel)
// stops the review before its next file and answers RequestCancelled.
#include <spdlog/spdlog.h>

#include <fstream>

#include "analysis/review/run.hpp"
#include "protocol/uri.hpp"
#include "server/handlers/handlers.hpp"
#include "server/server.hpp"

namespace mlroast::server::handlers {

namespace fs = std::filesystem;

namespace {

constexpr const char* kReviewCommand = "mlroast.reviewWorkspace";

fs::path review_root(Server& server, const json& params) {
  const json args = params.value("arguments", json::array());
  if (!args.is_null() && !args.is_array()) throw protocol::InvalidParamsError("arguments", "must be an array");
  if (args.is_array() && !args.empty()) {
    const json& first = args[0];
    if (!first.is_object()) throw protocol::InvalidParamsError("arguments[0]", "must be an object");
    if (first.contains("root")) {
      if (!first["root"].is_string()) throw protocol::InvalidParamsError("arguments[0].root", "must be a file URI");
      auto path = protocol::uri_to_path(first["root"].get<std::string>());
      if (!path) throw protocol::InvalidParamsError("arguments[0].root", "must be a file URI");
      return fs::path(*path);
    }
  }
  if (server.workspace_roots().empty())
    throw protocol::RpcException(protocol::ErrorCode::InvalidRequest,
                                 "no workspace folder to review: pass arguments [{\"root\": \"file:///...\"}]");
  return server.workspace_roots().front();
}

std::string summary_of(const review::Report& r) {
  return std::to_string(r.finding_count()) + (r.finding_count() == 1 ? " finding, " : " findings, ") +
         std::to_string(r.critical_count()) + " critical, " + r.verdict.category;
}

struct Progress {
  json token;  // null: no progress reporting
  void send(Server& server, json value) const {
    if (token.is_null()) return;
    server.on_main_thread([&server, token = token, value = std::move(value)] {
      server.dispatcher().send_notification("$/progress", {{"token", token}, {"value", value}});
    });
  }
};

void start_review(Server& server, const fs::path& root, const fs::path& output, Progress progress,
                  const json& id, const std::string& token_key,
                  const std::shared_ptr<std::atomic<bool>>& cancelled) {
  progress.send(server, {{"kind", "begin"}, {"title", "mlroast: reviewing the workspace"},
                         {"cancellable", true}, {"percentage", 0}});
  SelectionOverrides overrides = server.settings().overrides();
  server.scheduler().schedule("review:" + root.string(), std::chrono::milliseconds::zero(), [=, &server]() {
    return Scheduler::Work([=, &server]() {
      ConfigResolver resolver(overrides);
      resolver.set_boundaries({root});  // configuration is read inside the reviewed folder only
      review::ReviewHooks hooks;
      hooks.cancelled = [cancelled] { return cancelled->load(); };
      int last = -1;
      hooks.progress = [&](std::size_t done, std::size_t total) {
        int pct = total == 0 ? 100 : static_cast<int>(done * 100 / total);
        if (pct - last < 5 && done != total) return;
        last = pct;
        progress.send(server, {{"kind", "report"}, {"percentage", pct},
                               {"message", std::to_string(done) + "/" + std::to_string(total) + " files"}});
      };
      review::ReviewRun run = review::run_review(root, {}, resolver, hooks);
      std::string write_error;
      std::string summary, verdict;
      if (run.report) {
        summary = summary_of(*run.report);
        verdict = run.report->verdict.category;
        std::error_code ec;
        fs::create_directories(output.parent_path(), ec);
        std::ofstream file(output, std::ios::binary | std::ios::trunc);
        file << review::render_markdown(*run.report);
        if (!file) write_error = "cannot write the report to " + output.string();
      }
      bool was_cancelled = run.cancelled;
      std::vector<std::string> errors = run.errors;
      bool has_report = run.report.has_value();
      return Scheduler::Continuation([=, &server] {
        server.reviews().erase(token_key);
        server.reviews().erase("request:" + id.dump());
        progress.send(server, {{"kind", "end"},
                               {"message", was_cancelled ? "cancelled" : has_report ? summary : "failed"}});
        if (was_cancelled) {
          server.dispatcher().reply_error(id, protocol::ErrorCode::RequestCancelled, "the review was cancelled");
        } else if (!has_report) {
          std::string all;
          for (const auto& e : errors) all += (all.empty() ? "" : "; ") + e;
          server.dispatcher().reply_error(id, protocol::ErrorCode::InternalError, "review failed: " + all);
        } else if (!write_error.empty()) {
          server.dispatcher().reply_error(id, protocol::ErrorCode::InternalError, write_error);
        } else {
          server.dispatcher().reply(id, {{"path", output.string()},
                                         {"uri", protocol::path_to_uri(output.string())},
                                         {"verdict", verdict},
                                         {"summary", summary}});
        }
      });
    });
  });
}

}  // namespace

HandlerResult execute_command(Server& server, const json& params, RequestContext& context) {
  const auto command = protocol::require<std::string>(params, "command");
  if (command != kReviewCommand)
    throw protocol::InvalidParamsError("command", "is not a command of mlroast: " + command);
  fs::path root = review_root(server, params).lexically_normal();
  std::error_code ec;
  if (!fs::is_directory(root, ec))
    throw protocol::InvalidParamsError("arguments[0].root", "is not a folder: " + root.string());
  fs::path output = server.settings().review_output;
  if (output.is_relative()) output = root / output;
  output = output.lexically_normal();

  Progress progress;
  bool create = false;
  if (params.contains("workDoneToken") && (params["workDoneToken"].is_string() || params["workDoneToken"].is_number_integer())) {
    progress.token = params["workDoneToken"];
  } else if (server.work_done_progress()) {
    progress.token = "mlroast/review/" + std::to_string(server.next_review_id());
    create = true;
  }
  auto cancelled = std::make_shared<std::atomic<bool>>(false);
  const std::string token_key =
      progress.token.is_string() ? progress.token.get<std::string>() : progress.token.dump();
  if (!progress.token.is_null()) server.reviews()[token_key] = cancelled;
  const json& id = context.id();
  server.reviews()["request:" + id.dump()] = cancelled;
  spdlog::info("reviewing {} -> {}", root.string(), output.string());
  if (create) {
    server.dispatcher().send_request(
        "window/workDoneProgress/create", {{"token", progress.token}},
        [&server, root, output, progress, id, token_key, cancelled](const json& reply) mutable {
          if (reply.contains("error")) progress.token = nullptr;  // the client refused: no progress
          start_review(server, root, output, progress, id, token_key, cancelled);
        });
  } else {
    start_review(server, root, output, progress, id, token_key, cancelled);
  }
  return protocol::kDeferred;
}

}  // namespace mlroast::server::handlers
