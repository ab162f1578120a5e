#!/usr/bin/env node
/**
 * Renders Allure results into a report folder with Allure 3's own API, configured by the
 * project's `allurerc.mjs`, as `allure generate RESULTS -o REPORT` would: bin/command.ts
 * `renderReport` runs it in a process of its own, without the TypeScript loader the harness runs
 * under (which slows the loading of Allure's many modules) and without Allure's command line.
 *
 * Usage: node report/render.mjs RESULTS REPORT
 *
 * @module
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AllureReport, readConfig } from '@allurereport/core';

const [results, output] = process.argv.slice(2);
if (results === undefined || output === undefined) {
  console.error('usage: node report/render.mjs RESULTS REPORT');
  process.exit(2);
}
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const report = new AllureReport(await readConfig(root, join(root, 'allurerc.mjs'), { output: resolve(output) }));
await report.start();
await report.readDirectory(resolve(results));
await report.done();
