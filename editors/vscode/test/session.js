// A language-server session driven through vscode-languageserver-protocol / vscode-jsonrpc, the
// protocol stack under VS Code's vscode-languageclient: spawns the real `mlroast server` on a
// fresh copy of examples/churn-project, records every publishDiagnostics, and shuts down cleanly.
'use strict';
const assert = require('node:assert/strict');
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const lsp = require('vscode-languageserver-protocol/node');

const repo = path.resolve(__dirname, '..', '..', '..');
const binary = process.env.MLROAST_BINARY || path.join(repo, 'build', 'mlroast');
const TIMEOUT_MS = Number(process.env.MLROAST_TEST_TIMEOUT_MS || 15000);

// The project copy, so that nothing the server writes (the review report) lands in the repo.
function copyProject() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlroast-vscode-'));
  const root = path.join(dir, 'churn-project');
  fs.cpSync(path.join(repo, 'examples', 'churn-project'), root, { recursive: true });
  return root;
}

// The client capabilities vscode-languageclient 9 sends that matter to mlroast. `pull` adds the
// textDocument.diagnostic capability (VS Code's client always declares it).
function capabilities({ pull }) {
  const textDocument = {
    synchronization: { dynamicRegistration: true, didSave: true },
    publishDiagnostics: { relatedInformation: true, versionSupport: false, codeDescriptionSupport: true, dataSupport: true },
    codeAction: {
      dynamicRegistration: true,
      isPreferredSupport: true,
      dataSupport: true,
      codeActionLiteralSupport: { codeActionKind: { valueSet: ['', 'quickfix', 'refactor', 'source', 'source.fixAll'] } },
    },
  };
  if (pull) textDocument.diagnostic = { dynamicRegistration: true, relatedDocumentSupport: false };
  return {
    general: { positionEncodings: ['utf-16'] },
    workspace: { workspaceEdit: { documentChanges: true }, executeCommand: { dynamicRegistration: true }, configuration: true },
    textDocument,
  };
}

async function withTimeout(promise, what, ms = TIMEOUT_MS) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

class Session {
  static async start({ pull = false, initializationOptions = {}, root = copyProject() } = {}) {
    assert.ok(fs.existsSync(binary), `mlroast binary not found at ${binary} (set MLROAST_BINARY or build it)`);
    const s = new Session();
    s.root = root;
    s.stderr = '';
    s.proc = spawn(binary, ['server'], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
    s.proc.stderr.on('data', (d) => { s.stderr += d; });
    s.exited = new Promise((resolve) => s.proc.on('exit', (code, signal) => resolve({ code, signal })));
    s.conn = lsp.createProtocolConnection(new lsp.StreamMessageReader(s.proc.stdout),
      new lsp.StreamMessageWriter(s.proc.stdin));
    s.published = [];      // every publishDiagnostics, in arrival order
    s.waiters = [];
    s.conn.onNotification(lsp.PublishDiagnosticsNotification.type, (params) => {
      s.published.push(params);
      for (const w of [...s.waiters]) w();
    });
    s.conn.onRequest(lsp.ConfigurationRequest.type, (params) => params.items.map(() => null));
    s.conn.listen();
    s.initializeResult = await withTimeout(s.conn.sendRequest(lsp.InitializeRequest.type, {
      processId: process.pid,
      clientInfo: { name: 'Visual Studio Code (mlroast protocol test)', version: '1.82.0' },
      rootUri: pathToFileURL(root).href,
      workspaceFolders: [{ uri: pathToFileURL(root).href, name: path.basename(root) }],
      capabilities: capabilities({ pull }),
      initializationOptions,
    }), 'the initialize reply');
    await s.conn.sendNotification(lsp.InitializedNotification.type, {});
    return s;
  }

  uri(rel) { return pathToFileURL(path.join(this.root, rel)).href; }
  text(rel) { return fs.readFileSync(path.join(this.root, rel), 'utf8'); }

  async open(rel, version = 1) {
    const uri = this.uri(rel);
    await this.conn.sendNotification(lsp.DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'python', version, text: this.text(rel) },
    });
    return uri;
  }

  // The first publishDiagnostics for `uri` (after `after` earlier ones) satisfying `accept`.
  waitForDiagnostics(uri, accept = () => true, what = `publishDiagnostics for ${uri}`) {
    const find = () => this.published.find((p) => p.uri === uri && accept(p));
    return withTimeout(new Promise((resolve) => {
      const check = () => {
        const hit = find();
        if (hit) {
          this.waiters = this.waiters.filter((w) => w !== check);
          resolve(hit);
        }
      };
      this.waiters.push(check);
      check();
    }), what);
  }

  request(type, params, what) { return withTimeout(this.conn.sendRequest(type, params), what); }

  async close() {
    try {
      await withTimeout(this.conn.sendRequest(lsp.ShutdownRequest.type), 'the shutdown reply', 5000);
      await this.conn.sendNotification(lsp.ExitNotification.type);
      const { code } = await withTimeout(this.exited, 'the server to exit', 5000);
      assert.equal(code, 0, `server exit status after shutdown/exit; stderr:\n${this.stderr}`);
    } finally {
      this.conn.dispose();
      if (this.proc.exitCode === null) this.proc.kill('SIGKILL');
      fs.rmSync(path.dirname(this.root), { recursive: true, force: true });
    }
  }
}

// What `mlroast check --output-format json` reports for one file: the CLI and the server run the
// same analysis, so the editor must show exactly these findings.
function cliFindings(file) {
  let out;
  try {
    out = execFileSync(binary, ['check', '--output-format', 'json', file], { encoding: 'utf8' });
  } catch (e) {
    if (e.status !== 1) throw e;   // 1: findings were reported
    out = e.stdout;
  }
  return JSON.parse(out);
}

// Applies LSP TextEdits (ASCII text, so UTF-16 offsets are byte offsets) to `text`.
function applyEdits(text, edits) {
  const lines = text.split('\n');
  const offset = (pos) => lines.slice(0, pos.line).reduce((n, l) => n + l.length + 1, 0) + pos.character;
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  for (const e of sorted) text = text.slice(0, offset(e.range.start)) + e.newText + text.slice(offset(e.range.end));
  return text;
}

module.exports = { Session, cliFindings, applyEdits, binary, repo, lsp, TIMEOUT_MS };
