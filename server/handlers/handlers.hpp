// One handler per LSP method, each defined in its own file next to this header and registered
// on the Dispatcher by Server::register_handlers (server.cpp). Request handlers return the result
// (or protocol::kDeferred) and report bad input by throwing protocol::InvalidParamsError /
// RpcException, which the Dispatcher turns into the error reply; notification handlers return
// nothing and their exceptions are logged. Thread rules: every handler runs on the main thread,
// inside Dispatcher::handle, and must not block (analysis is handed to the scheduler).
#pragma once

#include "protocol/jsonrpc.hpp"

namespace mlroast::server {

class Server;

namespace handlers {

using protocol::HandlerResult;
using protocol::json;
using protocol::RequestContext;

// Lifecycle.
HandlerResult initialize(Server& server, const json& params, RequestContext& context);
void initialized(Server& server, const json& params);
HandlerResult shutdown(Server& server, const json& params, RequestContext& context);
void exit(Server& server, const json& params);

// Text document synchronisation.
void did_open(Server& server, const json& params);
void did_change(Server& server, const json& params);
void did_close(Server& server, const json& params);
void did_save(Server& server, const json& params);

// Notebook document synchronisation (LSP 3.17): the whole notebook is re-analysed on any change
// and diagnostics are published per cell.
void notebook_did_open(Server& server, const json& params);
void notebook_did_change(Server& server, const json& params);
void notebook_did_save(Server& server, const json& params);
void notebook_did_close(Server& server, const json& params);

// Pull diagnostics (textDocument/diagnostic).
HandlerResult document_diagnostic(Server& server, const json& params, RequestContext& context);

// Code actions (textDocument/codeAction): quick fixes carried in diagnostics' data, a
// "suppress on this line" action per diagnostic, and source.fixAll.mlroast.
HandlerResult code_action(Server& server, const json& params, RequestContext& context);

// Hover (textDocument/hover): the documentation of a rule code inside a `# noqa:` comment.
HandlerResult hover(Server& server, const json& params, RequestContext& context);

// Workspace: the `mlroast.reviewWorkspace` command, settings and config-file changes.
HandlerResult execute_command(Server& server, const json& params, RequestContext& context);
void did_change_configuration(Server& server, const json& params);
void did_change_watched_files(Server& server, const json& params);
// window/workDoneProgress/cancel: the user cancelled a review from its progress UI.
void work_done_progress_cancel(Server& server, const json& params);

}  // namespace handlers
}  // namespace mlroast::server
