// The mlroast extension: starts `mlroast server` for Python files and notebook cells, forwards
// the mlroast.* settings (initializationOptions, then workspace/didChangeConfiguration), and
// contributes "mlroast: Review workspace" and "mlroast: Restart server".
import * as vscode from 'vscode';
import {
  DidChangeConfigurationNotification,
  ExecuteCommandRequest,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
} from 'vscode-languageclient/node';

import {
  REVIEW_COMMAND,
  SECTION,
  Settings,
  defaults,
  documentSelector,
  parseReviewReply,
  reviewArguments,
  serverCommand,
  serverSettings,
} from './config';

let client: LanguageClient | undefined;
let output: vscode.OutputChannel;

function readSettings(): Settings {
  const c = vscode.workspace.getConfiguration(SECTION);
  return {
    path: c.get<string>('path', defaults.path),
    args: c.get<string[]>('args', defaults.args),
    select: c.get<string[]>('select', defaults.select),
    extendSelect: c.get<string[]>('extendSelect', defaults.extendSelect),
    ignore: c.get<string[]>('ignore', defaults.ignore),
    logLevel: c.get<string>('logLevel', defaults.logLevel),
    reviewOutput: c.get<string>('reviewOutput', defaults.reviewOutput),
  };
}

function firstFolder(): string | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
}

async function start(context: vscode.ExtensionContext): Promise<void> {
  const settings = readSettings();
  const { command, args } = serverCommand(settings, context.extensionPath, firstFolder());
  output.appendLine(`starting ${command} ${args.join(' ')}`);
  const serverOptions: ServerOptions = { command, args, options: { cwd: firstFolder() } };
  const clientOptions: LanguageClientOptions = {
    documentSelector,
    outputChannel: output,
    traceOutputChannel: output,
    initializationOptions: serverSettings(settings),
  };
  // The id 'mlroast' makes the client honour the mlroast.trace.server setting.
  client = new LanguageClient('mlroast', 'mlroast', serverOptions, clientOptions);
  try {
    await client.start();
  } catch (e) {
    output.appendLine(`mlroast server failed to start: ${e}`);
    output.show(true);
    void vscode.window.showErrorMessage(
      `mlroast: could not start "${command}" (set mlroast.path). ${e instanceof Error ? e.message : e}`,
    );
  }
}

async function stop(): Promise<void> {
  const c = client;
  client = undefined;
  if (c) {
    try {
      await c.stop();
    } catch (e) {
      output.appendLine(`stopping the server: ${e}`);
    }
  }
}

async function restart(context: vscode.ExtensionContext): Promise<void> {
  await stop();
  await start(context);
}

async function pickFolder(): Promise<vscode.WorkspaceFolder | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length <= 1) return folders[0];
  return vscode.window.showWorkspaceFolderPick({ placeHolder: 'Folder to review' });
}

async function reviewWorkspace(): Promise<void> {
  if (!client || !client.isRunning()) {
    void vscode.window.showErrorMessage('mlroast: the server is not running (mlroast: Restart server).');
    return;
  }
  const folder = await pickFolder();
  if ((vscode.workspace.workspaceFolders?.length ?? 0) > 1 && !folder) return;  // picker dismissed
  const running = client;
  const reply = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'mlroast: reviewing the workspace' },
    () =>
      running.sendRequest(ExecuteCommandRequest.type, {
        command: REVIEW_COMMAND,
        arguments: reviewArguments(folder?.uri.toString()),
      }),
  );
  const review = parseReviewReply(reply);
  output.appendLine(`review: ${review.verdict}: ${review.summary} (${review.path})`);
  const uri = vscode.Uri.parse(review.uri);
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc, { preview: false });
  // The rendered view, when the built-in Markdown extension is there.
  await vscode.commands.executeCommand('markdown.showPreviewToSide', uri).then(undefined, () => undefined);
  void vscode.window.showInformationMessage(`mlroast: ${review.verdict} — ${review.summary}`);
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel('mlroast');
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand('mlroast.review', async () => {
      try {
        await reviewWorkspace();
      } catch (e) {
        output.appendLine(`review failed: ${e}`);
        void vscode.window.showErrorMessage(`mlroast: review failed: ${e instanceof Error ? e.message : e}`);
      }
    }),
    vscode.commands.registerCommand('mlroast.restart', () => restart(context)),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (!e.affectsConfiguration(SECTION)) return;
      if (e.affectsConfiguration(`${SECTION}.path`) || e.affectsConfiguration(`${SECTION}.args`) ||
          e.affectsConfiguration(`${SECTION}.logLevel`)) {
        await restart(context);  // these shape the command line
        return;
      }
      if (client?.isRunning()) {
        await client.sendNotification(DidChangeConfigurationNotification.type, {
          settings: { [SECTION]: serverSettings(readSettings()) },
        });
      }
    }),
  );
  await start(context);
}

export function deactivate(): Thenable<void> | undefined {
  return client ? stop() : undefined;
}
