// The real `mlroast server` driven through vscode-languageserver-protocol (the stack under VS
// Code's vscode-languageclient), with the extension's own settings and document-selector code.
// Run: MLROAST_BINARY=../../build/mlroast node --test test/protocol.test.js (after npm run compile)
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { Session, cliFindings, applyEdits, lsp } = require('./session');
const config = require('../out/config');

const FILE = 'src/churn/train.py';
// Planted in train.py (examples/churn-project/README.md): the leaks and evaluation mistakes the
// editor must show. Each anchor is the text where the finding's range starts.
const PLANTED = [
  { code: 'ML101', anchor: 'scaler.fit_transform(X)', severity: lsp.DiagnosticSeverity.Error },
  { code: 'ML102', anchor: 'df["TotalCharges"].median()', severity: lsp.DiagnosticSeverity.Error },
  { code: 'ML103', anchor: 'smote.fit_resample(', severity: lsp.DiagnosticSeverity.Error },
  { code: 'ML703', anchor: 'except:', severity: lsp.DiagnosticSeverity.Warning },
];

const settings = { ...config.defaults, logLevel: 'info' };

function key(code, range) {
  return `${code} ${range.start.line + 1}:${range.start.character + 1}-${range.end.line + 1}:${range.end.character + 1}`;
}

function cliKeys(file) {
  return cliFindings(file).map((f) => `${f.code} ${f.location.row}:${f.location.column}-${f.end_location.row}:${f.end_location.column}`).sort();
}

function position(text, anchor) {
  const at = text.indexOf(anchor);
  assert.ok(at >= 0, `anchor ${JSON.stringify(anchor)} not in ${FILE}`);
  const before = text.slice(0, at).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

test('extension config: settings become the initializationOptions the server reads', () => {
  const s = { ...config.defaults, select: ['ML1'], ignore: ['ML406'], extendSelect: ['ML7'], reviewOutput: 'review.md' };
  assert.deepEqual(config.serverSettings(s), { select: ['ML1'], ignore: ['ML406'], extendSelect: ['ML7'], logLevel: 'warn', reviewOutput: 'review.md' });
  const cmd = config.serverCommand({ ...s, path: '/opt/mlroast/bin/mlroast', args: ['--debounce-ms', '300'] }, '/nonexistent', undefined);
  assert.deepEqual(cmd, { command: '/opt/mlroast/bin/mlroast', args: ['server', '--log-level', 'warn', '--debounce-ms', '300'] });
  assert.equal(config.serverCommand(s, '/nonexistent', undefined).command, 'mlroast');
  assert.equal(config.expandPath('${workspaceFolder}/build/mlroast', '/w'), '/w/build/mlroast');
  assert.deepEqual(config.documentSelector.find((f) => f.notebook), { notebook: 'jupyter-notebook', language: 'python' });
  assert.deepEqual(config.reviewArguments(undefined), []);
  assert.deepEqual(config.reviewArguments('file:///w'), [{ root: 'file:///w' }]);
});

test('push: publishDiagnostics for a leaky file carry the planted codes at their ranges, as mlroast check', async (t) => {
  const s = await Session.start({ initializationOptions: config.serverSettings(settings) });
  t.after(() => s.close());
  const caps = s.initializeResult.capabilities;
  assert.equal(s.initializeResult.serverInfo.name, 'mlroast');
  assert.equal(caps.positionEncoding ?? 'utf-16', 'utf-16');
  assert.equal(caps.textDocumentSync.change, lsp.TextDocumentSyncKind.Incremental);

  const uri = await s.open(FILE);
  const published = await s.waitForDiagnostics(uri, (p) => p.diagnostics.length > 0);
  const diags = published.diagnostics;
  for (const d of diags) {
    assert.equal(d.source, 'mlroast');
    assert.match(String(d.code), /^(ML|P)\d+$/);
    assert.ok([1, 2, 3].includes(d.severity), `severity of ${d.code}`);
    assert.match(d.codeDescription?.href ?? '', /ML|P/, `codeDescription of ${d.code}`);
  }
  const text = s.text(FILE);
  for (const { code, anchor, severity } of PLANTED) {
    const want = position(text, anchor);
    const hit = diags.find((d) => d.code === code);
    assert.ok(hit, `${code} missing; got ${diags.map((d) => d.code).join(' ')}`);
    assert.deepEqual(hit.range.start, want, `${code} starts at ${JSON.stringify(anchor)}`);
    assert.equal(hit.severity, severity, `${code} severity`);
  }
  assert.deepEqual(diags.map((d) => key(d.code, d.range)).sort(), cliKeys(`${s.root}/${FILE}`));
});

test('code actions: ML703 offers its fix and a suppression; applying the fix clears it', async (t) => {
  const s = await Session.start({ initializationOptions: config.serverSettings(settings) });
  t.after(() => s.close());
  const uri = await s.open(FILE);
  const { diagnostics } = await s.waitForDiagnostics(uri, (p) => p.diagnostics.length > 0);
  const bare = diagnostics.find((d) => d.code === 'ML703');
  assert.ok(bare, 'ML703 diagnostic');

  const actions = await s.request(lsp.CodeActionRequest.type, {
    textDocument: { uri }, range: bare.range, context: { diagnostics: [bare], triggerKind: 1 },
  }, 'the codeAction reply');
  const titles = actions.map((a) => a.title);
  const fix = actions.find((a) => a.kind === 'quickfix' && /except/i.test(a.title) && !/noqa|suppress/i.test(a.title));
  const suppress = actions.find((a) => /Suppress ML703/.test(a.title));
  assert.ok(fix, `a quickfix for ML703 among ${JSON.stringify(titles)}`);
  assert.ok(suppress, `a suppression among ${JSON.stringify(titles)}`);
  assert.deepEqual(fix.diagnostics?.map((d) => d.code), ['ML703']);

  const text = s.text(FILE);
  const editsOf = (action) => {
    const dc = action.edit.documentChanges;
    assert.ok(dc, 'documentChanges (the client declared support)');
    assert.equal(dc[0].textDocument.uri, uri);
    assert.equal(dc[0].textDocument.version, 1);
    return dc[0].edits;
  };
  const suppressed = applyEdits(text, editsOf(suppress)).split('\n')[bare.range.start.line];
  assert.match(suppressed, /^\s*except:\s+# noqa: ML703$/);
  const fixed = applyEdits(text, editsOf(fix));
  assert.match(fixed.split('\n')[bare.range.start.line], /^\s*except Exception:/);

  // The edit goes back as VS Code sends it: an incremental didChange of version 2.
  await s.conn.sendNotification(lsp.DidChangeTextDocumentNotification.type, {
    textDocument: { uri, version: 2 },
    contentChanges: editsOf(fix).map((e) => ({ range: e.range, text: e.newText })),
  });
  const after = await s.waitForDiagnostics(uri, (p) => p.version === 2,
    'publishDiagnostics for version 2, after applying the ML703 fix');
  assert.ok(!after.diagnostics.some((d) => d.code === 'ML703'), 'ML703 still reported after its fix');
  assert.ok(after.diagnostics.some((d) => d.code === 'ML101'), 'the other findings remain');
});

test('pull: a client declaring textDocument.diagnostic (as VS Code\'s does) gets the same findings from textDocument/diagnostic', async (t) => {
  const s = await Session.start({ pull: true, initializationOptions: config.serverSettings(settings) });
  t.after(() => s.close());
  assert.ok(s.initializeResult.capabilities.diagnosticProvider, 'diagnosticProvider');
  const uri = await s.open(FILE);
  const report = await s.request(lsp.DocumentDiagnosticRequest.type, { textDocument: { uri } }, 'the textDocument/diagnostic reply');
  assert.equal(report.kind, 'full');
  assert.deepEqual(report.items.map((d) => key(d.code, d.range)).sort(), cliKeys(`${s.root}/${FILE}`));
  assert.equal(s.published.filter((p) => p.uri === uri && p.diagnostics.length > 0).length, 0, 'no pushes to a pull client');
});

test('settings: an ignore sent with workspace/didChangeConfiguration in the extension\'s shape takes effect', async (t) => {
  const s = await Session.start({ initializationOptions: config.serverSettings(settings) });
  t.after(() => s.close());
  const uri = await s.open(FILE);
  await s.waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'ML703'),
    'ML703 before the setting changes');
  await s.conn.sendNotification(lsp.DidChangeConfigurationNotification.type, {
    settings: { [config.SECTION]: config.serverSettings({ ...settings, ignore: ['ML703'] }) },
  });
  const { diagnostics } = await s.waitForDiagnostics(uri,
    (p) => p.diagnostics.length > 0 && !p.diagnostics.some((d) => d.code === 'ML703'),
    'a publish without ML703 once it is ignored');
  assert.ok(diagnostics.some((d) => d.code === 'ML101'), 'the other findings stay');
});

// A notebook cell as vscode-languageclient syncs it for the {notebook: 'jupyter-notebook',
// language: 'python'} selector when the server has no notebookDocumentSync: a text document
// with a vscode-notebook-cell: URI.
const CELL = `import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import MinMaxScaler

df = pd.read_csv("data/telco_churn.csv")
X = df[["tenure", "MonthlyCharges"]]
y = (df["Churn"] == "Yes").astype(int)

X_scaled = MinMaxScaler().fit_transform(X)
X_train, X_test, y_train, y_test = train_test_split(X_scaled, y, test_size=0.25, random_state=0)
clf = LogisticRegression(max_iter=500).fit(X_train, y_train)
print(clf.score(X_test, y_test))
`;

test('notebook cells: a Python cell (vscode-notebook-cell: URI) gets its diagnostics', async (t) => {
  const s = await Session.start({ initializationOptions: config.serverSettings(settings) });
  t.after(() => s.close());
  const uri = `vscode-notebook-cell:${s.uri('notebooks/explore.ipynb').slice('file:'.length)}#W0sZmlsZQ%3D%3D`;
  await s.conn.sendNotification(lsp.DidOpenTextDocumentNotification.type, {
    textDocument: { uri, languageId: 'python', version: 1, text: CELL },
  });
  const { diagnostics } = await s.waitForDiagnostics(uri, (p) => p.diagnostics.length > 0);
  const leak = diagnostics.find((d) => d.code === 'ML101');
  assert.ok(leak, `ML101 in the cell; got ${diagnostics.map((d) => d.code).join(' ')}`);
  assert.deepEqual(leak.range.start, position(CELL, 'MinMaxScaler().fit_transform(X)'));
});
