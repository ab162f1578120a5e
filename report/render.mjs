#!/usr/bin/env node
/**
 * Renders Allure results into a report folder with Allure 3's own API, configured by the
 * project's `allurerc.mjs`, as `allure generate RESULTS -o REPORT` would: bin/command.ts
 * `renderReport` runs it in a process of its own, without the TypeScript loader the harness runs
 * under (which slows the loading of Allure's many modules) and without Allure's command line.
 *
 * Usage: node report/render.mjs RESULTS REPORT [--when-told]
 *
 * With `--when-told` it loads Allure and starts the report at once, then waits for a line on its
 * standard input before it reads the results: a command starts it with its run, so that loading
 * Allure's many modules overlaps the scenarios, and tells it once the results are all written. If
 * its input ends without that line (the run stopped), it renders nothing and exits with 3.
 *
 * The results are read as Allure's `readDirectory` reads them (every file of the folder but
 * `.tmp` ones, in name order), except that each file is read whole, many at once, before Allure
 * is given it from memory. Allure itself reads an attachment only when it writes the report, one
 * after the other, each through a stream of its own: for a certification's 2,000 attachments that
 * was 0.7 of the renderer's 2 seconds, most of it spent waiting on the disk.
 *
 * @module
 */
import { open, readdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AllureReport, readConfig } from '@allurereport/core';
import { BufferResultFile, PathResultFile } from '@allurereport/reader-api';

/** How many files are read at once. */
const READ_AHEAD = 32;
/** A file larger than this (a video, a trace) is left for Allure to stream from the disk. */
const IN_MEMORY_LIMIT = 8 * 1024 * 1024;

/**
 * Gives Allure every result file of `folder`, in name order, each read whole into memory (up to
 * {@link READ_AHEAD} at once, ahead of the one Allure is reading), or by path when it is large.
 */
async function readResults(report, folder) {
  const names = (await readdir(folder, { withFileTypes: true }))
    .filter((entry) => entry.isFile() && !entry.name.endsWith('.tmp'))
    .map((entry) => entry.name)
    .sort((a, b) => a.localeCompare(b));
  const read = async (name) => {
    const path = join(folder, name);
    try {
      const handle = await open(path, 'r');
      try {
        if ((await handle.stat()).size > IN_MEMORY_LIMIT) return new PathResultFile(path, name);
        return new BufferResultFile(await handle.readFile(), name);
      } finally {
        await handle.close();
      }
    } catch (error) {
      console.error(`can't read result file ${name}`, error);
      return undefined;
    }
  };
  const pending = names.slice(0, READ_AHEAD).map(read);
  for (let next = 0; next < names.length; next += 1) {
    const file = await pending[next];
    pending[next] = undefined;
    if (next + READ_AHEAD < names.length) pending.push(read(names[next + READ_AHEAD]));
    if (file !== undefined) await report.readResult(file);
  }
}

const [results, output, mode] = process.argv.slice(2);
if (results === undefined || output === undefined) {
  console.error('usage: node report/render.mjs RESULTS REPORT');
  process.exit(2);
}
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const report = new AllureReport(await readConfig(root, join(root, 'allurerc.mjs'), { output: resolve(output) }));
await report.start();
if (mode === '--when-told') {
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
}
await readResults(report, resolve(results));
await report.done();
