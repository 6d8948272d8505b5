// "mlroast: Review workspace": the extension sends workspace/executeCommand mlroast.reviewWorkspace
// (arguments [] or [{root}]) and opens the Markdown report named in the reply
// {path, uri, verdict, summary}. The server side belongs to the review issue; this check fails
// until the server implements it.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const { Session, lsp } = require('./session');
const config = require('../out/config');

test('review command: mlroast.reviewWorkspace is advertised and returns the Markdown report', async (t) => {
  const s = await Session.start({ initializationOptions: config.serverSettings(config.defaults) });
  t.after(() => s.close());
  const commands = s.initializeResult.capabilities.executeCommandProvider?.commands ?? [];
  assert.ok(commands.includes(config.REVIEW_COMMAND),
    `executeCommandProvider.commands ${JSON.stringify(commands)} lacks ${config.REVIEW_COMMAND}`);

  for (const args of [config.reviewArguments(pathToFileURL(s.root).href), config.reviewArguments(undefined)]) {
    const reply = config.parseReviewReply(await s.request(lsp.ExecuteCommandRequest.type,
      { command: config.REVIEW_COMMAND, arguments: args }, `the ${config.REVIEW_COMMAND} reply`));
    assert.ok(path.isAbsolute(reply.path), `absolute path: ${reply.path}`);
    assert.equal(reply.uri, pathToFileURL(reply.path).href);
    assert.ok(reply.verdict.length > 0 && reply.summary.length > 0, 'verdict and summary');
    const report = fs.readFileSync(reply.path, 'utf8');
    assert.match(report, /^#/m, 'a Markdown report');
    assert.match(report, /ML101|ML102|ML103/, 'the report names the planted leaks');
  }
});
