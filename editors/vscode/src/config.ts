// Settings → what the server receives. No `vscode` import here, so the protocol test (Node,
// outside VS Code) builds its initializationOptions with the same code the extension runs.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const SECTION = 'mlroast';
export const REVIEW_COMMAND = 'mlroast.reviewWorkspace';

// The `mlroast.*` settings, as VS Code's configuration API returns them.
export interface Settings {
  path: string;
  args: string[];
  select: string[];
  extendSelect: string[];
  ignore: string[];
  logLevel: string;
  reviewOutput: string;
}

export const defaults: Settings = {
  path: '',
  args: [],
  select: [],
  extendSelect: [],
  ignore: [],
  logLevel: 'warn',
  reviewOutput: '',
};

// What the server reads from initializationOptions and from
// workspace/didChangeConfiguration's `settings.mlroast`.
export interface ServerSettings {
  select: string[];
  ignore: string[];
  extendSelect: string[];
  logLevel: string;
  reviewOutput: string;
}

export function serverSettings(s: Settings): ServerSettings {
  return {
    select: [...s.select],
    ignore: [...s.ignore],
    extendSelect: [...s.extendSelect],
    logLevel: s.logLevel,
    reviewOutput: s.reviewOutput,
  };
}

// Python files on disk and unsaved, and the Python cells of Jupyter notebooks.
export const documentSelector = [
  { scheme: 'file', language: 'python' },
  { scheme: 'untitled', language: 'python' },
  { notebook: 'jupyter-notebook', language: 'python' },
];

// `~` and `${workspaceFolder}` expanded; a relative path is taken from the workspace folder.
export function expandPath(p: string, workspaceFolder: string | undefined): string {
  let out = p.replace(/^~(?=$|[\\/])/, os.homedir());
  if (workspaceFolder) out = out.split('${workspaceFolder}').join(workspaceFolder);
  if (workspaceFolder && out.includes(path.sep) && !path.isAbsolute(out)) {
    out = path.join(workspaceFolder, out);
  }
  return out;
}

// The executable and arguments that start the server: the `mlroast.path` setting, else the
// binary bundled at <extension>/bin/mlroast, else `mlroast` on PATH.
export function serverCommand(
  s: Settings,
  extensionDir: string,
  workspaceFolder: string | undefined,
): { command: string; args: string[] } {
  let command = s.path.trim();
  if (command) {
    command = expandPath(command, workspaceFolder);
  } else {
    const bundled = path.join(extensionDir, 'bin', process.platform === 'win32' ? 'mlroast.exe' : 'mlroast');
    command = fs.existsSync(bundled) ? bundled : 'mlroast';
  }
  return { command, args: ['server', '--log-level', s.logLevel, ...s.args] };
}

// The reply of workspace/executeCommand mlroast.reviewWorkspace.
export interface ReviewReply {
  path: string;
  uri: string;
  verdict: string;
  summary: string;
}

export function parseReviewReply(reply: unknown): ReviewReply {
  const r = reply as Partial<ReviewReply> | null;
  if (!r || typeof r !== 'object') throw new Error('mlroast.reviewWorkspace returned no result');
  for (const key of ['path', 'uri', 'verdict', 'summary'] as const) {
    if (typeof r[key] !== 'string') {
      throw new Error(`mlroast.reviewWorkspace reply has no string "${key}": ${JSON.stringify(reply)}`);
    }
  }
  return r as ReviewReply;
}

// Arguments of mlroast.reviewWorkspace: the folder to review, or none (the server's root).
export function reviewArguments(rootUri: string | undefined): unknown[] {
  return rootUri ? [{ root: rootUri }] : [];
}
