/**
 * The Allure results writer of every command (report/results-writer.ts): every file is on
 * disk once `flush` resolves; an attachment is one file per content, and every reference points at
 * it; attachments for machines are left out, with the steps and containers that held only them; a
 * write that fails makes `flush` reject, naming the folder.
 *
 * Run: node --import tsx --test test/report/results-writer.test.ts
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { announcementsOf, listenForAnnouncements, stopAnnouncements } from '../../report/results-folder.js';
import { PlainAllureWriter } from '../../report/results-writer.js';

type Writer = PlainAllureWriter;
type Result = Parameters<Writer['writeResult']>[0];
type Group = Parameters<Writer['writeGroup']>[0];

const MACHINE = 'application/vnd.example.machine+json';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'oidc-harness-results-writer-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const step = (name: string, attachments: Result['attachments'], steps: Result['steps'] = []): Result['steps'][number] =>
  ({ name, status: 'passed', stage: 'finished', statusDetails: {}, attachments, steps, parameters: [], start: 1, stop: 2 }) as Result['steps'][number];

const result = (uuid: string, attachments: Result['attachments'], steps: Result['steps']): Result =>
  ({ uuid, name: uuid, historyId: uuid, status: 'passed', stage: 'finished', statusDetails: {}, attachments, steps, parameters: [], labels: [], links: [], start: 1, stop: 2 }) as unknown as Result;

const fixture = (name: string, steps: Result['steps']): Group['afters'][number] =>
  ({ name, status: 'passed', stage: 'finished', statusDetails: {}, attachments: [], steps, parameters: [], start: 1, stop: 2 }) as Group['afters'][number];

async function json(folder: string, name: string): Promise<Result & Group> {
  return JSON.parse(await readFile(join(folder, name), 'utf8')) as Result & Group;
}

describe('the Allure results writer', () => {
  it('writes an attachment once per content and points every reference at that file', async () => {
    const folder = join(dir, 'dedupe');
    const writer = new PlainAllureWriter(folder);
    const table = Buffer.from('a,b\n1,2\n');
    writer.writeAttachment('11111111-1111-1111-1111-111111111111-attachment.csv', table);
    writer.writeAttachment('22222222-2222-2222-2222-222222222222-attachment.json', Buffer.from('{"one":1}'));
    writer.writeResult(result('r1', [{ name: 'Examples', source: '11111111-1111-1111-1111-111111111111-attachment.csv', type: 'text/csv' }], [step('RP to OP', [{ name: 'RP to OP', source: '22222222-2222-2222-2222-222222222222-attachment.json', type: 'application/json' }])]));
    writer.writeAttachment('33333333-3333-3333-3333-333333333333-attachment.csv', Buffer.from(table));
    writer.writeResult(result('r2', [{ name: 'Examples', source: '33333333-3333-3333-3333-333333333333-attachment.csv', type: 'text/csv' }], []));
    await writer.flush();

    const files = (await readdir(folder)).sort();
    assert.equal(files.length, 4, `two results and two attachments: ${files.join(', ')}`);
    const r1 = await json(folder, 'r1-result.json');
    const r2 = await json(folder, 'r2-result.json');
    assert.equal(r1.attachments[0]!.source, r2.attachments[0]!.source, 'both results name the one file of the table');
    assert.match(r1.attachments[0]!.source, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-attachment\.csv$/);
    assert.equal(await readFile(join(folder, r1.attachments[0]!.source), 'utf8'), 'a,b\n1,2\n');
    const exchange = r1.steps[0]!.attachments[0]!.source;
    assert.ok(files.includes(exchange), 'a step attachment is written under the name its step gives');
    assert.equal(await readFile(join(folder, exchange), 'utf8'), '{"one":1}');
  });

  it('leaves out attachments of the media types it is told, the steps that held only them, and a container left with nothing to say', async () => {
    const folder = join(dir, 'omit');
    const writer = new PlainAllureWriter(folder, { omitMediaTypes: [MACHINE] });
    writer.writeAttachment('44444444-4444-4444-4444-444444444444-attachment', Buffer.from('{"verdict":"passed"}'));
    writer.writeGroup({ uuid: 'g1', name: 'record the verdict', children: ['r3'], befores: [], afters: [fixture('record the verdict', [step('verdict', [{ name: 'verdict', source: '44444444-4444-4444-4444-444444444444-attachment', type: MACHINE }])])] } as Group);
    writer.writeAttachment('55555555-5555-5555-5555-555555555555-attachment', Buffer.from('{"verdict":"failed"}'));
    writer.writeAttachment('66666666-6666-6666-6666-666666666666-attachment.txt', Buffer.from('kept'));
    writer.writeGroup({
      uuid: 'g2',
      name: 'a hook that says something',
      children: ['r4'],
      befores: [],
      afters: [fixture('a hook that says something', [step('verdict', [{ name: 'verdict', source: '55555555-5555-5555-5555-555555555555-attachment', type: MACHINE }]), step('log', [{ name: 'log', source: '66666666-6666-6666-6666-666666666666-attachment.txt', type: 'text/plain' }])])],
    } as Group);
    await writer.flush();

    const files = (await readdir(folder)).sort();
    assert.ok(!files.includes('g1-container.json'), 'the container of the verdict alone is not written');
    assert.ok(files.includes('g2-container.json'));
    assert.equal(files.length, 2, `the second container and its text attachment only: ${files.join(', ')}`);
    const g2 = await json(folder, 'g2-container.json');
    assert.deepEqual(g2.afters[0]!.steps.map((s) => s.name), ['log'], 'the step that held only the verdict is gone');
    assert.equal(await readFile(join(folder, g2.afters[0]!.steps[0]!.attachments[0]!.source), 'utf8'), 'kept');
  });

  it('writes, at flush, an attachment that no result referred to, under its own name', async () => {
    const folder = join(dir, 'orphan');
    const writer = new PlainAllureWriter(folder);
    writer.writeAttachment('77777777-7777-7777-7777-777777777777-attachment.txt', Buffer.from('orphan'));
    await writer.flush();
    assert.equal(await readFile(join(folder, '77777777-7777-7777-7777-777777777777-attachment.txt'), 'utf8'), 'orphan');
  });

  it('rejects at flush, naming the folder, when a file cannot be written', async () => {
    const blocker = join(dir, 'not-a-folder');
    await writeFile(blocker, 'a file where the results folder should be');
    const folder = join(blocker, 'results');
    const writer = new PlainAllureWriter(folder);
    assert.throws(() => writer.writeResult(result('r5', [], [])), /ENOTDIR|EEXIST/, 'the folder cannot be made');
    const writable = join(dir, 'gone');
    const late = new PlainAllureWriter(writable);
    late.writeCategoriesDefinitions([]);
    await late.flush();
    await rm(writable, { recursive: true, force: true });
    await writeFile(writable, 'now a file');
    late.writeResult(result('r6', [], []));
    await assert.rejects(late.flush(), (error: Error) => error.message.includes(writable) && /ENOTDIR/.test(error.message));
  });

  it('names the files of each test in the announcements once they are written, when a renderer listens, and nothing when none does', async () => {
    const folder = join(dir, 'announced', 'allure-results');
    const silent = new PlainAllureWriter(folder, { announce: true });
    silent.writeResult(result('before-listening', [], []));
    assert.equal(existsSync(announcementsOf(folder)), false, 'no announcements file is made without a listener');

    listenForAnnouncements(folder);
    const writer = new PlainAllureWriter(folder, { announce: true });
    writer.writeAttachment('55555555-5555-5555-5555-555555555555-attachment.json', Buffer.from('{"exchange":1}'));
    writer.writeResult(result('r7', [], [step('RP to OP', [{ name: 'RP to OP', source: '55555555-5555-5555-5555-555555555555-attachment.json', type: 'application/json' }])]));
    const attachment = (await json(folder, 'r7-result.json')).steps[0]!.attachments[0]!.source;
    assert.deepEqual(await readFile(announcementsOf(folder), 'utf8'), `${attachment}\nr7-result.json\n`, 'the attachment, then its result, in one line each');
    writer.writeEnvironmentInfo({ node: 'v20' });
    await writer.flush();
    assert.deepEqual((await readFile(announcementsOf(folder), 'utf8')).split('\n'), [attachment, 'r7-result.json', 'environment.properties', ''], 'what flush writes is named too');

    const quiet = new PlainAllureWriter(folder);
    quiet.writeResult(result('r8', [], []));
    assert.ok(!(await readFile(announcementsOf(folder), 'utf8')).includes('r8'), 'a writer not told to announce names nothing');
    stopAnnouncements(folder);
    writer.writeResult(result('r9', [], []));
    assert.equal(existsSync(announcementsOf(folder)), false, 'once nobody listens, a writer does not make the file again');
    assert.ok(existsSync(join(folder, 'r9-result.json')));
  });
});
