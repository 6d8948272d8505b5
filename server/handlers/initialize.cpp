// `initialize`: negotiates the position encoding (UTF-8 when the client offers it, else UTF-16),
// opens the dispatcher's initialization gate and answers with the capabilities mlroast actually
// implements: open/close and incremental change sync, save notifications without text, pull
// diagnostics for single documents, notebook sync for Jupyter notebooks' Python cells, hover (rule docs in `# noqa:` comments) and the
// `mlroast.reviewWorkspace` command. It also records the workspace roots, the client's settings
// (initializationOptions, server/settings.hpp) and whether the client shows work-done progress.
// A second `initialize` is an InvalidRequest error.
#include <spdlog/spdlog.h>

#include "protocol/uri.hpp"
#include "server/handlers/handlers.hpp"
#include "server/server.hpp"

namespace mlroast::server::handlers {
namespace {

constexpr int kTextDocumentSyncIncremental = 2;

json server_capabilities(protocol::PositionEncoding encoding) {
  return {
      {"positionEncoding", protocol::to_string(encoding)},
      {"textDocumentSync",
       {{"openClose", true},
        {"change", kTextDocumentSyncIncremental},
        {"save", {{"includeText", false}}}}},
      {"diagnosticProvider", {{"interFileDependencies", false}, {"workspaceDiagnostics", false}}},
      {"codeActionProvider", {{"codeActionKinds", {"quickfix", "source.fixAll.mlroast"}}}},
      {"hoverProvider", true},
      {"executeCommandProvider", {{"commands", {"mlroast.reviewWorkspace"}}}},
      // Jupyter notebooks: Python cells are synced as a notebook and analysed together.
      {"notebookDocumentSync",
       {{"notebookSelector",
         json::array({{{"notebook", {{"notebookType", "jupyter-notebook"}}},
                       {"cells", json::array({{{"language", "python"}}})}}})},
        {"save", true}}},
  };
}

// clientInfo.name, for the log. Informative only: an odd value never fails the handshake.
std::string client_name(const json& params) {
  try {
    return protocol::optional_field<std::string>(params, "clientInfo.name")
        .value_or("unnamed client");
  } catch (const protocol::InvalidParamsError&) {
    return "client with a malformed clientInfo";
  }
}

}  // namespace

HandlerResult initialize(Server& server, const json& params, RequestContext&) {
  if (server.dispatcher().initialized()) {
    throw protocol::RpcException(protocol::ErrorCode::InvalidRequest,
                                 "initialize was already received");
  }
  const json capabilities =
      protocol::optional_field<json>(params, "capabilities").value_or(json::object());
  const auto encoding = protocol::negotiate(capabilities);
  server.set_encoding(encoding);
  // Clients that pull diagnostics (LSP 3.17 textDocument/diagnostic) get no pushes as well.
  const bool pulls = capabilities.contains("textDocument") &&
                     capabilities["textDocument"].is_object() &&
                     capabilities["textDocument"].contains("diagnostic");
  server.diagnostics().set_push(!pulls);
  server.set_document_changes(capabilities.contains("workspace") &&
                              capabilities["workspace"].is_object() &&
                              capabilities["workspace"].value("workspaceEdit", json::object())
                                  .value("documentChanges", false));
  // Workspace roots (folders first, else rootUri, else rootPath), settings, progress support.
  std::vector<std::filesystem::path> roots;
  if (params.contains("workspaceFolders") && params["workspaceFolders"].is_array())
    for (const auto& folder : params["workspaceFolders"])
      if (folder.is_object() && folder.contains("uri") && folder["uri"].is_string())
        if (auto path = protocol::uri_to_path(folder["uri"].get<std::string>())) roots.emplace_back(*path);
  if (roots.empty() && params.contains("rootUri") && params["rootUri"].is_string())
    if (auto path = protocol::uri_to_path(params["rootUri"].get<std::string>())) roots.emplace_back(*path);
  if (roots.empty() && params.contains("rootPath") && params["rootPath"].is_string())
    roots.emplace_back(params["rootPath"].get<std::string>());
  server.set_workspace_roots(std::move(roots));
  std::vector<std::string> problems;
  server.set_settings(parse_settings(params.value("initializationOptions", json()), problems));
  for (const auto& p : problems) spdlog::warn("initializationOptions: {}", p);
  const json window = capabilities.value("window", json::object());
  server.set_work_done_progress(window.is_object() && window.value("workDoneProgress", false));
  const json workspace = capabilities.value("workspace", json::object());
  server.set_watch_registration(
      workspace.is_object() && workspace.value("didChangeWatchedFiles", json::object()).is_object() &&
      workspace.value("didChangeWatchedFiles", json::object()).value("dynamicRegistration", false));
  spdlog::info("initialize: {}, position encoding {}", client_name(params),
               protocol::to_string(encoding));
  // The reply is sent as soon as this handler returns; the client may send requests after it.
  server.dispatcher().set_initialized(true);
  return json{{"capabilities", server_capabilities(encoding)},
              {"serverInfo", {{"name", "mlroast"}, {"version", MLROAST_VERSION}}}};
}

}  // namespace mlroast::server::handlers
