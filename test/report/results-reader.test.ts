/**
 * How the renderer reads a results folder (report/results-reader.mjs): each file once, whether the
 * run's writers announced it or it was found at the end; only files written once under a name of
 * their own are read as they are announced, so a file written again at the end (the environment)
 * is read in its last version; a name is taken only once its line is whole; a `.tmp` file is never
 * read; a large file is handed over by path, with its content intact.
 *
 * Run: node --import tsx --test test/report/results-reader.test.ts
 */
import assert from 'node:assert/strict';
import { appendFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { ROOT } from '../fixtures/root.js';

/** A file as Allure is given it (@allurereport/reader-api's ResultFile, the part read here). */
interface ResultFile {
  getOriginalFileName(): string;
  asBuffer(): Promise<Buffer | undefined>;
}
/** What report/results-reader.mjs exports (plain JavaScript, loaded by path). */
interface ResultsReaderModule {
  resultsReader(report: { readResult(file: ResultFile): Promise<void> }, folder: string): { add(name: string): void; rest(): Promise<void> };
  listen(path: string, reader: { add(name: string): void }): () => Promise<void>;
  writtenOnce(name: string): boolean;
}

let dir: string;
let module: ResultsReaderModule;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'oidc-harness-results-reader-'));
  module = (await import(pathToFileURL(join(ROOT, 'report', 'results-reader.mjs')).href)) as ResultsReaderModule;
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Waits until `done` holds, looking every 20 ms, for at most 30 s. */
async function until(done: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !done(); waited += 20) {
    if (waited > 30_000) assert.fail(`never: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("the renderer's reading of a results folder", () => {
  it('reads announced files as they come, the rest at the end, each once and in its last version', async () => {
    const folder = join(dir, 'results');
    await mkdir(folder);
    const announcements = join(dir, 'announcements');
    await writeFile(announcements, '');
    const read: Array<[string, string]> = [];
    const reader = module.resultsReader({ readResult: async (file) => void read.push([file.getOriginalFileName(), String(await file.asBuffer())]) }, folder);
    const stop = module.listen(announcements, reader);

    await writeFile(join(folder, '11-attachment.json'), '{"exchange":1}');
    await writeFile(join(folder, '22-result.json'), '{"uuid":"22"}');
    await writeFile(join(folder, 'environment.properties'), 'stage=during the run\n');
    await appendFile(announcements, '11-attachment.json\n22-result.json\nenvironment.properties\n33-res');
    await until(() => read.length >= 2, 'the announced result and attachment were read');
    assert.deepEqual(read.map(([name]) => name).sort(), ['11-attachment.json', '22-result.json'], 'the environment, which may be written again, waits for the end; a half line is no name');

    await writeFile(join(folder, '33-result.json'), '{"uuid":"33"}');
    await appendFile(announcements, 'ult.json\n22-result.json\n');
    await writeFile(join(folder, 'environment.properties'), 'stage=at the end\n');
    await writeFile(join(folder, '44-result.json'), '{"uuid":"44"}');
    await writeFile(join(folder, '55-result.json.tmp'), '{"uuid":');
    await stop();
    await reader.rest();
    const names = read.map(([name]) => name);
    assert.deepEqual([...names].sort(), ['11-attachment.json', '22-result.json', '33-result.json', '44-result.json', 'environment.properties'], 'each file once, announced twice or not at all; no .tmp file');
    assert.equal(new Map(read).get('environment.properties'), 'stage=at the end\n');
  });

  it('hands a file over 8 MiB by path, with its content intact, and reads every file without announcements', async () => {
    const folder = join(dir, 'large');
    await mkdir(folder);
    const large = Buffer.alloc(9 * 1024 * 1024, 'video ');
    await writeFile(join(folder, '66-attachment.webm'), large);
    await writeFile(join(folder, '77-result.json'), '{"uuid":"77"}');
    const read = new Map<string, Buffer | undefined>();
    const reader = module.resultsReader({ readResult: async (file) => void read.set(file.getOriginalFileName(), await file.asBuffer()) }, folder);
    await reader.rest();
    assert.deepEqual([...read.keys()].sort(), ['66-attachment.webm', '77-result.json']);
    assert.ok(read.get('66-attachment.webm')?.equals(large));
  });

  it('reads as they are announced only the files written once, under names of their own', () => {
    for (const name of ['0a1b-result.json', '0a1b-container.json', '0a1b-attachment.json', '0a1b-attachment']) assert.equal(module.writtenOnce(name), true, name);
    for (const name of ['executor.json', 'environment.properties', 'categories.json', '../0a1b-result.json', 'sub/0a1b-attachment.svg']) assert.equal(module.writtenOnce(name), false, name);
  });
});
