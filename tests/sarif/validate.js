#!/usr/bin/env node
// Validates SARIF logs against the SARIF 2.1.0 JSON schema shipped by @microsoft/jest-sarif
// (lib/schemas/sarif-2.1.0-rtm.5.json) with ajv, and checks what GitHub code scanning needs on
// top of the schema: rules with helpUri and a full description, results with ruleId, level,
// a relative artifact URI and partialFingerprints. Usage: node validate.js FILE...
// Exit 0 when every file is valid, 1 otherwise (each problem printed on stderr).
'use strict';
const fs = require('fs');
const path = require('path');
const Ajv = require('ajv');

const schemaPath = path.join(__dirname, 'node_modules', '@microsoft', 'jest-sarif', 'lib',
                             'schemas', 'sarif-2.1.0-rtm.5.json');
const schema = JSON.parse(fs.readFileSync(schemaPath, 'utf8'));
const ajv = new Ajv({ allErrors: true, schemaId: 'auto' });
ajv.addMetaSchema(require('ajv/lib/refs/json-schema-draft-04.json'));  // the schema is draft-04
const validate = ajv.compile(schema);

let failed = false;
const problem = (file, msg) => { console.error(`${file}: ${msg}`); failed = true; };

for (const file of process.argv.slice(2)) {
  const log = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (!validate(log)) {
    for (const e of validate.errors) problem(file, `schema: ${e.dataPath} ${e.message}`);
    continue;
  }
  const run = log.runs[0];
  const rules = run.tool.driver.rules || [];
  if (rules.length === 0) problem(file, 'tool.driver.rules is empty');
  for (const r of rules) {
    if (!r.helpUri) problem(file, `rule ${r.id}: no helpUri`);
    if (!r.fullDescription || !r.fullDescription.text) problem(file, `rule ${r.id}: no fullDescription`);
  }
  for (const [i, res] of (run.results || []).entries()) {
    if (!res.ruleId || !res.level) problem(file, `result ${i}: ruleId/level missing`);
    if (rules[res.ruleIndex].id !== res.ruleId) problem(file, `result ${i}: ruleIndex does not point at ${res.ruleId}`);
    const loc = res.locations[0].physicalLocation;
    if (loc.artifactLocation.uriBaseId !== '%SRCROOT%' || /^[a-z]+:/.test(loc.artifactLocation.uri))
      problem(file, `result ${i}: artifact URI is not relative to %SRCROOT%`);
    if (!res.partialFingerprints || !res.partialFingerprints['mlroast/v1'])
      problem(file, `result ${i}: no partialFingerprints`);
  }
  if (!failed) console.log(`${file}: valid SARIF 2.1.0, ${rules.length} rules, ${(run.results || []).length} results`);
}
process.exit(failed ? 1 : 0);
