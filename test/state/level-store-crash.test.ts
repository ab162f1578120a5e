/**
 * LevelStore after a crash: a child process writes sessions continuously through a
 * StateDatabase and prints each one once its writes resolved; the test kills it with SIGKILL in
 * the middle of its writes, reopens the store and finds every acknowledged session there, whole.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LevelStore } from '../../src/index.js';
import { StateDatabase } from '../../src/state/state-database.js';
import { itemFor, WRITER_ISSUER } from './level-store-writer.js';
import { nodeArgsFor, ROOT, siblingModule } from '../fixtures/root.js';

const WRITER = siblingModule(import.meta.url, 'level-store-writer');
/** Kill the writer once this many sessions are acknowledged. */
const KILL_AFTER = 300;
/** The writer stops by itself after this many, should the kill never come. */
const WRITER_LIMIT = 20_000;
/** The whole run of the child, at most. */
const DEADLINE_MS = 30_000;

let dir: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'level-store-crash-'));
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** What the writer acknowledged before it died, and how it died. */
interface CrashRun {
  acknowledged: Map<number, string>;
  signal: NodeJS.Signals | null;
  code: number | null;
  stderr: string;
}

/** Runs the writer on `path` and SIGKILLs it after {@link KILL_AFTER} acknowledgements. */
function runAndKill(path: string): Promise<CrashRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgsFor(WRITER), path, String(WRITER_LIMIT), '4'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const acknowledged = new Map<number, string>();
    let pending = '';
    let stderr = '';
    let killed = false;
    const deadline = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the writer did not reach ${KILL_AFTER} acknowledged sessions within ${DEADLINE_MS} ms (${acknowledged.size} so far)\n${stderr}`));
    }, DEADLINE_MS);
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      // The last piece has no newline yet: not a whole acknowledgement.
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const match = /^ack (\d+) (\S+)$/.exec(line);
        if (match) acknowledged.set(Number(match[1]), match[2]!);
      }
      if (!killed && acknowledged.size >= KILL_AFTER) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(deadline);
      resolve({ acknowledged, signal, code, stderr });
    });
  });
}

describe('LevelStore: a crash of the writing process', () => {
  it('keeps every session acknowledged before SIGKILL, intact and readable', async () => {
    const path = join(dir, 'sessions');
    const started = Date.now();
    const run = await runAndKill(path);
    assert.equal(run.signal, 'SIGKILL', `the writer was killed, not finished (exit ${run.code}): ${run.stderr}`);
    assert.ok(run.acknowledged.size >= KILL_AFTER, `${run.acknowledged.size} sessions acknowledged`);
    assert.ok(run.acknowledged.size < WRITER_LIMIT, 'killed in the middle of its writes');

    // The kill released the directory's lock: it opens again, and every acknowledged session is whole.
    const store = await LevelStore.open(path);
    try {
      const db = new StateDatabase(store);
      for (const [seq, state] of run.acknowledged) {
        const raw = await store.get(`__state__${state}`);
        assert.ok(raw !== undefined, `session ${seq} (${state}) is there`);
        const session = await db.getState(state);
        assert.equal(session.iss, WRITER_ISSUER, `session ${seq} has its header`);
        assert.deepEqual(session.auth_request, itemFor(seq), `session ${seq} holds its item`);
      }
      // The store still takes writes.
      const state = await db.createState(WRITER_ISSUER);
      await db.storeItem({ after: 'crash' }, 'auth_request', state);
      assert.deepEqual(await db.getItem('auth_request', state), { after: 'crash' });
    } finally {
      await store.close();
    }
    // Reported by the runner with the test's duration; kept here as a bound.
    assert.ok(Date.now() - started < DEADLINE_MS);
  });
});
