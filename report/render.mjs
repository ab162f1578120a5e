#!/usr/bin/env node
/**
 * Renders Allure results into a report folder with Allure 3's own API, configured by the
 * project's `allurerc.mjs`, as `allure generate RESULTS -o REPORT` would: bin/command.ts
 * `renderReport` runs it in a process of its own, without the TypeScript loader the harness runs
 * under (which slows the loading of Allure's many modules) and without Allure's command line.
 *
 * Usage: node report/render.mjs RESULTS REPORT [--when-told [ANNOUNCEMENTS]]
 *
 * With `--when-told` it loads Allure and starts the report at once, then waits for a line on its
 * standard input before it reads the rest of the results and writes the report: a command starts
 * it with its run, so that loading Allure's many modules overlaps the scenarios, and tells it once
 * the results are all written. If its input ends without that line (the run stopped), it renders
 * nothing and exits with 3. With ANNOUNCEMENTS (report/results-folder.ts `announcementsOf`), it
 * reads each test's files while the run goes on, as the writers name them there.
 *
 * Every file of the folder but `.tmp` ones is read, as Allure's `readDirectory` reads them, but
 * each whole, and given to Allure from memory (report/results-reader.mjs).
 *
 * @module
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AllureReport, readConfig } from '@allurereport/core';
import { listen, resultsReader } from './results-reader.mjs';

const [results, output, mode, announcements] = process.argv.slice(2);
if (results === undefined || output === undefined) {
  console.error('usage: node report/render.mjs RESULTS REPORT [--when-told [ANNOUNCEMENTS]]');
  process.exit(2);
}
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const report = new AllureReport(await readConfig(root, join(root, 'allurerc.mjs'), { output: resolve(output) }));
await report.start();
const reader = resultsReader(report, resolve(results));
if (mode === '--when-told') {
  const stopListening = announcements === undefined ? async () => {} : listen(announcements, reader);
  const told = await new Promise((resolveTold) => {
    let input = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (chunk) => {
      input += chunk;
      if (input.includes('\n')) resolveTold(true);
    });
    process.stdin.on('end', () => resolveTold(false));
  });
  if (!told) process.exit(3);
  process.stdin.destroy();
  await stopListening();
}
await reader.rest();
await report.done();
