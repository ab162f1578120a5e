/**
 * The results folder of a run (report/results-folder.ts): emptied by moving its files into the
 * spare folder, never past the cap; filled by reusing those files, renamed and overwritten in
 * place (the same inode), longer or shorter than before; a spare another writer took is passed
 * over, and one that cannot be overwritten is removed; with none left, the writer makes new files.
 *
 * Run: node --import tsx --test test/report/results-folder.test.ts
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { announce, announcementsOf, clearResults, listenForAnnouncements, SpareFiles, sparesOf } from '../../report/results-folder.js';
import { PlainAllureWriter } from '../../report/results-writer.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'oidc-harness-results-folder-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A results folder holding `count` files of a last run, `old-<i>.json` with `old content <i>`. */
async function lastRun(name: string, count: number): Promise<string> {
  const results = join(dir, name, 'allure-results');
  await mkdir(results, { recursive: true });
  for (let i = 0; i < count; i += 1) await writeFile(join(results, `old-${i}-result.json`), `old content ${i}`);
  return results;
}

/** The inode numbers of the files in a folder. */
async function inodes(folder: string): Promise<Set<number>> {
  const names = await readdir(folder);
  return new Set(await Promise.all(names.map(async (name) => (await stat(join(folder, name))).ino)));
}

describe('the results folder', () => {
  it('is emptied by moving its files into the spare folder beside it, and a subfolder is deleted', async () => {
    const results = await lastRun('clear', 3);
    await mkdir(join(results, 'data'));
    await writeFile(join(results, 'data', 'nested.json'), '{}');
    const before = await inodes(results);
    clearResults(results);
    assert.deepEqual(await readdir(results), [], 'the results folder is empty');
    const spares = sparesOf(results);
    assert.equal(spares, join(dir, 'clear', '.allure-results-spare'));
    assert.equal((await readdir(spares)).length, 3, 'the three files, not the subfolder');
    const moved = await inodes(spares);
    for (const ino of moved) assert.ok(before.has(ino), 'the spares are the old files themselves, moved');
  });

  it('takes in the spares a run left, in one rename of the folder when they are fewer than its files', async () => {
    const results = await lastRun('merge', 3);
    clearResults(results);
    await writeFile(join(results, 'new-0-result.json'), 'a second run, smaller');
    const left = await inodes(sparesOf(results));
    assert.equal(left.size, 3, 'the three files of the first run wait as spares');
    // A third run: the second run's one file and the three spares waiting become the spares.
    await writeFile(join(results, 'new-1-result.json'), 'and another');
    await writeFile(join(results, 'new-2-result.json'), 'and another');
    await writeFile(join(results, 'new-3-result.json'), 'and another');
    const written = await inodes(results);
    const folder = (await stat(results)).ino;
    clearResults(results);
    assert.deepEqual(await readdir(results), []);
    assert.deepEqual(await inodes(sparesOf(results)), new Set([...left, ...written]), 'every file is kept, none made or deleted');
    assert.equal((await stat(sparesOf(results))).ino, folder, 'the results folder itself became the spare folder');
    // More spares waiting than files: the files join the spares, one by one.
    await writeFile(join(results, 'new-4-result.json'), 'one file');
    const one = await inodes(results);
    const spareFolder = (await stat(sparesOf(results))).ino;
    clearResults(results);
    assert.deepEqual(await inodes(sparesOf(results)), new Set([...left, ...written, ...one]));
    assert.equal((await stat(sparesOf(results))).ino, spareFolder, 'the spare folder stayed');
  });

  it('is emptied of the announcements of a run that never ended', async () => {
    const results = await lastRun('announced', 1);
    listenForAnnouncements(results);
    await writeFile(announcementsOf(results), 'old-0-result.json\n');
    clearResults(results);
    assert.equal(existsSync(announcementsOf(results)), false);
    announce(results, ['new-result.json']);
    assert.equal(existsSync(announcementsOf(results)), false, 'with nobody listening, nothing is announced');
  });

  it('is made when it does not exist', () => {
    const results = join(dir, 'missing', 'allure-results');
    clearResults(results);
    assert.ok(existsSync(results));
    assert.ok(existsSync(sparesOf(results)));
  });

  it('keeps no more spares than the cap, deleting the surplus', async () => {
    const results = await lastRun('cap', 5);
    clearResults(results, 3);
    assert.equal((await readdir(sparesOf(results))).length, 3);
    assert.deepEqual(await readdir(results), []);
    await writeFile(join(results, 'another-result.json'), 'x');
    clearResults(results, 3);
    assert.equal((await readdir(sparesOf(results))).length, 3, 'a full spare folder takes no more');
  });

  it('is filled by reusing the spares in place: the same inodes, each file with exactly its new content', async () => {
    const results = await lastRun('reuse', 3);
    clearResults(results);
    const spareInodes = await inodes(sparesOf(results));
    const spares = new SpareFiles(sparesOf(results));
    const contents = ['short', 'a content longer than any of the old files held', ''];
    for (const [i, content] of contents.entries()) assert.equal(spares.write(join(results, `new-${i}-result.json`), content), true);
    assert.deepEqual(await readdir(sparesOf(results)), [], 'every spare was taken');
    for (const [i, content] of contents.entries()) assert.equal(await readFile(join(results, `new-${i}-result.json`), 'utf8'), content);
    assert.deepEqual(await inodes(results), spareInodes, 'no file was made: the spares were reused');
    assert.equal(spares.write(join(results, 'new-3-result.json'), 'more'), false, 'with no spare left, nothing is written');
    assert.equal(existsSync(join(results, 'new-3-result.json')), false);
  });

  it('passes over a spare that another writer took', async () => {
    const results = await lastRun('shared', 2);
    clearResults(results);
    const first = new SpareFiles(sparesOf(results));
    const second = new SpareFiles(sparesOf(results));
    assert.equal(second.write(join(results, 'b-0-result.json'), 'second'), true, 'the second lists the two spares, takes one');
    assert.equal(first.write(join(results, 'a-0-result.json'), 'first'), true, 'the first lists the one left, takes it');
    assert.equal(second.write(join(results, 'b-1-result.json'), 'second again'), false, 'the one the second listed is gone');
    assert.deepEqual((await readdir(results)).sort(), ['a-0-result.json', 'b-0-result.json']);
    assert.equal(await readFile(join(results, 'a-0-result.json'), 'utf8'), 'first');
  });

  it('removes a spare that cannot be overwritten, and leaves nothing under the name it was to take', async () => {
    const results = await lastRun('broken', 2);
    clearResults(results);
    const spares = new SpareFiles(sparesOf(results));
    assert.equal(spares.write(join(results, 'first-result.json'), 'first'), true);
    // The spare left is no longer a file by the time it is taken.
    const [left] = await readdir(sparesOf(results));
    await rm(join(sparesOf(results), left!));
    await mkdir(join(sparesOf(results), left!));
    await writeFile(join(sparesOf(results), left!, 'inside'), 'x');
    assert.equal(spares.write(join(results, 'second-result.json'), 'second'), false, 'no spare could take it');
    assert.deepEqual(await readdir(results), ['first-result.json']);
    assert.deepEqual(await readdir(sparesOf(results)), []);
  });

  it('is where the Allure writer puts its files, into spares first and then new files', async () => {
    const results = await lastRun('writer', 1);
    clearResults(results);
    const spareInodes = await inodes(sparesOf(results));
    const writer = new PlainAllureWriter(results, { spares: sparesOf(results) });
    writer.writeCategoriesDefinitions([{ name: 'Failed' }]);
    writer.writeEnvironmentInfo({ node: 'v20' });
    await writer.flush();
    assert.deepEqual((await readdir(results)).sort(), ['categories.json', 'environment.properties']);
    assert.deepEqual(JSON.parse(await readFile(join(results, 'categories.json'), 'utf8')), [{ name: 'Failed' }]);
    assert.equal(await readFile(join(results, 'environment.properties'), 'utf8'), 'node=v20\n');
    const written = await inodes(results);
    assert.equal([...written].filter((ino) => spareInodes.has(ino)).length, 1, 'the one spare was reused, the other file is new');
  });
});
