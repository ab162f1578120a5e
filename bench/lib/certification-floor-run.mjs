#!/usr/bin/env node
/**
 * The certification's floor, one run (bench/lib/certification-floor.ts starts it): the features of
 * the certification, in the passes the certify command makes, through Cucumber's API in this one
 * process, every step done by nothing (certification-floor.steps.mjs), with the Allure reporter
 * and the harness's own results writer (no fsync per file) writing into RESULTS: what Cucumber and
 * allure-cucumberjs cost when the RP, the mock OP and MSW cost nothing.
 *
 * Usage: node bench/lib/certification-floor-run.mjs RESULTS PASSES
 * PASSES: a JSON array with a Cucumber tag expression per pass (null: every scenario).
 * It prints the number of scenarios run.
 *
 * It runs compiled JavaScript only (the results writer from dist/, as the certify command runs it), so
 * that no TypeScript loader is in the figures: `npm run build` first.
 * @module
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfiguration, runCucumber } from '@cucumber/cucumber/api';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const [results, passesJson] = process.argv.slice(2);
if (results === undefined || passesJson === undefined) {
  console.error('usage: node bench/lib/certification-floor-run.mjs RESULTS PASSES');
  process.exit(2);
}
if (!existsSync(join(root, 'dist', '.built'))) {
  console.error('dist/ is not built: run npm run build first');
  process.exit(2);
}
const passes = JSON.parse(passesJson);
const { runResultsWriter } = await import(join(root, 'dist', 'report', 'results-writer.js'));
const resultsDir = resolve(results);
const writer = runResultsWriter(resultsDir);
let support;
let scenarios = 0;
for (const tags of passes) {
  const provided = {
    paths: ['features/certification/**/*.feature'],
    import: ['bench/lib/certification-floor.steps.mjs'],
    format: ['allure-cucumberjs/reporter'],
    ...(tags === null ? {} : { tags }),
  };
  const { runConfiguration } = await loadConfiguration({ file: false, provided }, { cwd: root });
  // The writer is an object, not JSON: it is given past the configuration, as the certify command does.
  const run = { ...runConfiguration, formats: { ...runConfiguration.formats, options: { resultsDir, writer } } };
  let ran = 0;
  const result = await runCucumber(support === undefined ? run : { ...run, support }, { cwd: root }, (envelope) => {
    if (envelope.testCaseFinished !== undefined && !envelope.testCaseFinished.willBeRetried) ran += 1;
  });
  await writer.flush();
  if (!result.success) {
    console.error('a scenario of the floor did not pass');
    process.exit(1);
  }
  support = result.support;
  scenarios += ran;
}
console.log(scenarios);
