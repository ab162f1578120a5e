/**
 * The child process of level-store-crash.test.ts (not a test itself): opens a LevelStore in the
 * directory given as first argument and writes sessions through a StateDatabase, `writers` at a
 * time, until killed or until `limit` sessions are written. After each session's writes resolved
 * (createState, then storeItem of its auth_request) it prints one line, `ack <seq> <state>`: a
 * session printed is a session the store acknowledged.
 *
 * Usage: node --import tsx test/state/level-store-writer.ts DIR [limit=5000] [writers=4]
 */
import { pathToFileURL } from 'node:url';
import { LevelStore } from '../../src/state/level-store.js';
import { StateDatabase } from '../../src/state/state-database.js';

/** The issuer every session is created for. */
export const WRITER_ISSUER = 'https://op.crash-test.example';

/** The auth_request item the writer stores in session number `seq`: the test checks it back. */
export function itemFor(seq: number): Record<string, unknown> {
  return { seq, nonce: `nonce-${seq}`, scope: 'openid email', filler: 'x'.repeat(256 + (seq % 64)) };
}

async function main(): Promise<void> {
  const [directory, limitArg, writersArg] = process.argv.slice(2);
  if (directory === undefined) throw new Error('usage: level-store-writer.ts DIR [limit] [writers]');
  const limit = Number(limitArg ?? 5000);
  const writers = Number(writersArg ?? 4);
  const store = await LevelStore.open(directory);
  const db = new StateDatabase(store);
  let next = 0;
  process.stdout.write('ready\n');
  await Promise.all(
    Array.from({ length: writers }, async () => {
      while (next < limit) {
        const seq = next;
        next += 1;
        const state = await db.createState(WRITER_ISSUER);
        await db.storeItem(itemFor(seq), 'auth_request', state);
        process.stdout.write(`ack ${seq} ${state}\n`);
      }
    }),
  );
  await store.close();
  process.stdout.write('done\n');
}

// Only when run as a script: the test imports itemFor from this file too.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
