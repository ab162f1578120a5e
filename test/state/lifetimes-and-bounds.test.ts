/**
 * Sessions that end and stores that stay bounded (issue 10, item 3), on the memory store and on
 * LevelDB, each with a clock the test moves: a pending login is consumed once, expires (a named
 * refusal, then forgotten), an established session expires; the stores forget expired keys and
 * sweep them; the number of pending logins has a cap; a session has a size limit; a user's session
 * list costs the same per login at the 1st session and at the 1,000th.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CapacityError, LevelStore, MemoryStore, VerificationError, type KeyValueStore } from '../../src/index.js';
import { StateDatabase } from '../../src/state/state-database.js';
import { isError } from '../fixtures/http.js';
import { CountingStore } from '../fixtures/counting-store.js';

const ISS = 'https://example.com';
const START = 1_700_000_000;

/** A clock in seconds the test moves by hand. */
class Clock {
  seconds = START;
  readonly now = (): number => this.seconds;
  readonly nowMs = (): number => this.seconds * 1000;
}

let dir: string;
const levels: LevelStore[] = [];

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lifetimes-test-'));
});

after(async () => {
  for (const level of levels) await level.close();
  await rm(dir, { recursive: true, force: true });
});

type StoreMaker = (clock: Clock) => Promise<KeyValueStore>;
const makers: Array<[string, StoreMaker]> = [
  ['MemoryStore', async (clock) => new MemoryStore({ now: clock.nowMs })],
  ['LevelStore', async (clock) => {
    const level = await LevelStore.open(join(dir, `db-${levels.length}`), { sync: false, now: clock.nowMs });
    levels.push(level);
    return level;
  }],
];

for (const [name, makeStore] of makers) {
  describe(`pending logins and sessions on ${name}`, () => {
    async function setup(options: ConstructorParameters<typeof StateDatabase>[1] = {}) {
      const clock = new Clock();
      const store = await makeStore(clock);
      return { clock, store, db: new StateDatabase(store, { now: clock.now, ...options }) };
    }

    it('starts a login pending, for 10 minutes by default; consuming it makes it an established session of 1 day', async () => {
      const { db } = await setup();
      const state = await db.createState(ISS);
      const pending = await db.getState(state);
      assert.equal(pending.status, 'pending');
      assert.equal(pending.expires, START + 600);
      const session = await db.consumePendingLogin(state);
      assert.equal(session.status, 'established');
      assert.equal(session.expires, START + 86_400);
      assert.equal((await db.getState(state)).status, 'established');
    });

    it('consumes a pending login once: the second take is checkStateReplay', async () => {
      const { db } = await setup();
      const state = await db.createState(ISS);
      await db.consumePendingLogin(state);
      await assert.rejects(db.consumePendingLogin(state), isError(VerificationError, 'checkStateReplay'));
    });

    it('of concurrent takes of one pending login exactly one wins', async () => {
      const { db } = await setup();
      const state = await db.createState(ISS);
      const outcomes = await Promise.allSettled(Array.from({ length: 10 }, () => db.consumePendingLogin(state)));
      assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 1);
    });

    it('refuses a take with another browser binding (checkBrowserBinding) without consuming the login', async () => {
      const { db } = await setup();
      const state = await db.createState(ISS, undefined, { browserBinding: 'the-victim-browser' });
      await assert.rejects(db.consumePendingLogin(state, { browserBinding: 'the-attacker-browser' }), isError(VerificationError, 'checkBrowserBinding'));
      assert.equal((await db.getState(state)).status, 'pending', 'still pending: the right browser can still complete it');
      await db.consumePendingLogin(state, { browserBinding: 'the-victim-browser' });
      assert.equal((await db.getState(state)).binding, undefined, 'an established session keeps no binding');
    });

    it('refuses an expired pending login by name (checkStateExpiry), then forgets it (checkState)', async () => {
      const { clock, db } = await setup();
      const state = await db.createState(ISS);
      clock.seconds += 599;
      assert.equal(await db.hasState(state), true);
      clock.seconds += 1;
      assert.equal(await db.hasState(state), false);
      await assert.rejects(db.getState(state), isError(VerificationError, 'checkStateExpiry'));
      await assert.rejects(db.consumePendingLogin(state), isError(VerificationError, 'checkStateExpiry'));
      await assert.rejects(db.storeItem({ a: 1 }, 'user_info', state), isError(VerificationError, 'checkStateExpiry'));
      // Another pending lifetime later the store has forgotten it altogether.
      clock.seconds += 600;
      await assert.rejects(db.getState(state), isError(VerificationError, 'checkState'));
    });

    it('ends an established session after its configured lifetime', async () => {
      const { clock, db } = await setup({ sessionLifetime: 3_600 });
      const state = await db.createState(ISS);
      await db.consumePendingLogin(state);
      await db.storeItem({ sub: 'alice' }, 'user_info', state);
      clock.seconds += 3_599;
      assert.deepEqual(await db.getItem('user_info', state), { sub: 'alice' });
      clock.seconds += 1;
      await assert.rejects(db.getItem('user_info', state), isError(VerificationError, 'checkStateExpiry'));
    });

    it('keeps a session\'s lifetime when items are stored later: a write does not extend it', async () => {
      const { clock, db } = await setup({ sessionLifetime: 100 });
      const state = await db.createState(ISS);
      await db.consumePendingLogin(state);
      clock.seconds += 90;
      await db.storeItem({ access_token: 'a' }, 'token_response', state);
      clock.seconds += 10;
      assert.equal(await db.hasState(state), false);
    });

    it('refuses the login after the cap of pending logins (pendingLoginCap); a completed or expired one frees its place', async () => {
      const { clock, db } = await setup({ maxPendingLogins: 3 });
      const states = [await db.createState(ISS), await db.createState(ISS), await db.createState(ISS)];
      assert.equal(await db.pendingLogins(), 3);
      await assert.rejects(db.createState(ISS), isError(CapacityError, 'pendingLoginCap', (e) => e.detail['limit'] === 3 && /max_pending_logins/.test(e.message)));
      await db.consumePendingLogin(states[0]!);
      assert.equal(await db.pendingLogins(), 2);
      await db.createState(ISS);
      await db.removeState(states[1]!);
      await db.createState(ISS);
      await assert.rejects(db.createState(ISS), isError(CapacityError, 'pendingLoginCap'));
      // Logins that are never completed stop counting once they expire.
      clock.seconds += 600 + 60;
      assert.equal(await db.pendingLogins(), 0);
      await db.createState(ISS);
    });

    it('refuses a session over the size limit (storedValueSize) and keeps the session as it was', async () => {
      const { db } = await setup({ maxValueBytes: 8_192 });
      const state = await db.createState(ISS);
      await db.storeItem({ sub: 'alice' }, 'user_info', state);
      await assert.rejects(db.storeItem({ sub: 'alice', huge: 'x'.repeat(10_000) }, 'user_info', state), isError(CapacityError, 'storedValueSize', (e) => e.detail['limit'] === 8_192));
      assert.deepEqual(await db.getItem('user_info', state), { sub: 'alice' });
    });

    it('lists a user\'s sessions oldest first, drops removed and expired ones, and moves past forgotten slots', async () => {
      const { clock, db } = await setup({ sessionLifetime: 1_000 });
      const states: string[] = [];
      for (let i = 0; i < 5; i += 1) {
        const state = await db.createState(ISS);
        await db.consumePendingLogin(state);
        await db.storeSub2State('alice', state);
        await db.storeSub2State('alice', state);
        states.push(state);
        clock.seconds += 100;
      }
      assert.deepEqual(await db.getStatesBySub('alice'), states, 'each session once, oldest first');
      assert.equal(await db.getStateBySub('alice'), states[4]);
      await db.removeState(states[4]!);
      assert.equal(await db.getStateBySub('alice'), states[3]);
      // The first two sessions are forgotten by the store a pending lifetime after they expired.
      clock.seconds += 1_000 + 600 - 400 + 1;
      assert.deepEqual(await db.getStatesBySub('alice'), states.slice(2, 4));
    });
  });
}

describe('the per-user session index', () => {
  it('costs the same store operations for a user\'s 1,000th session as for the 1st, whatever the size of what is stored', async () => {
    const store = new CountingStore();
    const db = new StateDatabase(store, { maxPendingLogins: 100_000 });
    const costOfLogin = async (): Promise<number> => {
      const state = await db.createState(ISS);
      await db.consumePendingLogin(state);
      const before = store.operations;
      await db.storeSub2State('one-user', state);
      return store.operations - before;
    };
    // The 1st login reads the counter it has never seen; from the 2nd on the database knows it.
    await costOfLogin();
    const second = await costOfLogin();
    for (let i = 0; i < 997; i += 1) await costOfLogin();
    const thousandth = await costOfLogin();
    assert.equal(thousandth, second, `the 2nd login cost ${second} store operations, the 1,000th ${thousandth}`);
    assert.equal((await db.getStatesBySub('one-user')).length, 1_000);
    const counter = JSON.parse((await store.inner.get('__sub__one-user')) ?? '{}') as Record<string, unknown>;
    assert.deepEqual(counter, { low: 0, next: 1_000 }, 'the index itself is a counter, not a list rewritten at every login');
  });
});

describe('the stores forget what expired', () => {
  it('MemoryStore: an expired key reads as missing at once and a sweep frees it', async () => {
    const clock = new Clock();
    const store = new MemoryStore({ now: clock.nowMs, sweepIntervalMs: 60_000 });
    for (let i = 0; i < 1_000; i += 1) await store.set(`k${i}`, 'v', { ttlMs: 10_000 });
    await store.set('forever', 'v');
    clock.seconds += 10;
    assert.equal(await store.get('k1'), undefined);
    clock.seconds += 60;
    await store.set('trigger', 'v');
    assert.equal(store.size, 2, 'only the keys without expiry are left');
  });

  it('MemoryStore: keys written together (setMany) expire each with its own lifetime; a bad lifetime writes none', async () => {
    const clock = new Clock();
    const store = new MemoryStore({ now: clock.nowMs });
    await store.setMany([{ key: 'short', value: '1', ttlMs: 10_000 }, { key: 'long', value: '2', ttlMs: 20_000 }, { key: 'forever', value: '3' }]);
    await assert.rejects(store.setMany([{ key: 'x', value: 'x' }, { key: 'y', value: 'y', ttlMs: Number.POSITIVE_INFINITY }]), TypeError);
    assert.equal(await store.get('x'), undefined);
    clock.seconds += 10;
    assert.deepEqual([await store.get('short'), await store.get('long'), await store.get('forever')], [undefined, '2', '3']);
    clock.seconds += 10;
    assert.equal(store.size, 1);
  });

  it('LevelStore: an expired key reads as missing at once and a sweep deletes what is due, and only that', async () => {
    const clock = new Clock();
    const store = await LevelStore.open(join(dir, 'sweep'), { sync: false, now: clock.nowMs });
    levels.push(store);
    for (let i = 0; i < 100; i += 1) await store.set(`k${i}`, 'v', { ttlMs: 10_000 });
    await store.set('later', 'v', { ttlMs: 1_000_000 });
    await store.set('forever', 'v');
    await store.set('rewritten', 'v', { ttlMs: 10_000 });
    await store.set('rewritten', 'again');
    clock.seconds += 10;
    assert.equal(await store.get('k1'), undefined);
    assert.equal(await store.sweep(), 100);
    assert.equal(await store.get('later'), 'v');
    assert.equal(await store.get('forever'), 'v');
    assert.equal(await store.get('rewritten'), 'again', 'a key written again without expiry stays');
    assert.equal(await store.sweep(), 0);
  });

  it('LevelStore: compare-and-set honours expiry (an expired key counts as absent)', async () => {
    const clock = new Clock();
    const store = await LevelStore.open(join(dir, 'cas'), { sync: false, now: clock.nowMs });
    levels.push(store);
    await store.set('k', 'old', { ttlMs: 1_000 });
    clock.seconds += 1;
    assert.equal(await store.compareAndSet('k', 'old', 'new'), false);
    assert.equal(await store.compareAndSet('k', undefined, 'new'), true);
    assert.equal(await store.get('k'), 'new');
  });
});
