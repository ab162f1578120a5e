/**
 * The state database saves store round trips (src/state/store-view.ts) without trusting what the
 * store has not confirmed: an update first tries a compare-and-set against the value it last saw,
 * and within one operation a key is read once. These tests count the round trips saved, and show
 * that another instance's writes are never lost, a refusal is never decided on a stale guess, and
 * a session removed elsewhere is never brought back.
 *
 * Run: node --import tsx --test test/state/store-view.test.ts
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryStore, VerificationError, type KeyValueStore } from '../../src/index.js';
import { StateDatabase } from '../../src/state/state-database.js';
import { StoreView } from '../../src/state/store-view.js';
import { CountingStore } from '../fixtures/counting-store.js';
import { isError } from '../fixtures/http.js';

const ISS = 'https://example.com';

describe('a guessed update', () => {
  it('writes with no read when the store holds the value the view last saw', async () => {
    const store = new CountingStore();
    const view = new StoreView(store);
    await view.set('k', '1');
    const reads = store.traffic.reads;
    assert.equal(await view.update('k', (v) => ({ value: String(Number(v) + 1) })), '2');
    assert.equal(store.traffic.reads, reads, 'no read');
    assert.equal(await store.inner.get('k'), '2');
  });

  it('keeps what another writer stored in between: the update applies on top of it', async () => {
    const store = new CountingStore();
    const view = new StoreView(store);
    await view.set('k', '1');
    await store.inner.set('k', '10');
    assert.equal(await view.update('k', (v) => ({ value: String(Number(v) + 1) })), '11');
    assert.equal(await store.inner.get('k'), '11');
  });

  it('decides a refusal on what the store holds, never on the guess', async () => {
    const store = new CountingStore();
    const view = new StoreView(store);
    await view.set('k', 'refuse me');
    await store.inner.set('k', 'fine');
    const seen: Array<string | undefined> = [];
    const result = await view.update('k', (v) => {
      seen.push(v);
      if (v === 'refuse me') throw new Error('refused');
      return { value: `${v}!` };
    });
    assert.equal(result, 'fine!');
    assert.deepEqual(seen, ['refuse me', 'fine'], 'the guess, then the stored value');
  });

  it('still refuses when the stored value is one to refuse', async () => {
    const view = new StoreView(new MemoryStore());
    await view.set('k', 'refuse me');
    await assert.rejects(view.update('k', (v) => {
      if (v === 'refuse me') throw new Error('refused');
      return { value: 'x' };
    }), /refused/);
  });
});

describe('an operation', () => {
  it('reads a key from the store once, and then sees its own writes', async () => {
    const store = new CountingStore();
    const view = new StoreView(store);
    await store.inner.set('k', 'a');
    await view.operation('k', async () => {
      assert.equal(await view.get('k'), 'a');
      assert.equal(await view.get('k'), 'a');
      await view.set('k', 'b');
      assert.equal(await view.get('k'), 'b');
    });
    assert.equal(store.traffic.reads, 1);
  });

  it('outside an operation, every read goes to the store', async () => {
    const store = new CountingStore();
    const view = new StoreView(store);
    await view.set('k', 'a');
    await store.inner.set('k', 'changed');
    assert.equal(await view.get('k'), 'changed');
    assert.equal(await view.get('k'), 'changed');
    assert.equal(store.traffic.reads, 2);
  });
});

describe('two RP instances sharing one store', () => {
  it('a login consumed by one is refused by the other, whose last sight of it was pending (checkStateReplay)', async () => {
    const store = new MemoryStore();
    const one = new StateDatabase(store);
    const other = new StateDatabase(store);
    const state = await one.createState(ISS);
    await other.consumePendingLogin(state);
    await assert.rejects(one.operation(state, () => one.consumePendingLogin(state)), isError(VerificationError, 'checkStateReplay'));
  });

  it('a session removed by one is not brought back by the other\'s write in an operation begun before (checkState)', async () => {
    const store = new MemoryStore();
    const one = new StateDatabase(store);
    const other = new StateDatabase(store);
    const state = await one.createState(ISS);
    await one.consumePendingLogin(state);
    await assert.rejects(
      one.operation(state, async () => {
        await one.getState(state);
        await other.removeState(state);
        await one.storeItem({ sub: 'alice' }, 'user_info', state);
      }),
      isError(VerificationError, 'checkState'),
    );
    assert.equal(await store.get(`__state__${state}`), undefined, 'still removed');
  });

  it('items both store in their own operations are all kept', async () => {
    const store = new MemoryStore();
    const one = new StateDatabase(store);
    const other = new StateDatabase(store);
    const state = await one.createState(ISS);
    await one.consumePendingLogin(state);
    await one.operation(state, async () => {
      await one.getState(state);
      await other.storeItem({ code: 'c' }, 'auth_response', state);
      await one.storeItem({ sub: 'alice' }, 'user_info', state);
    });
    const session = await new StateDatabase(store).getState(state);
    assert.deepEqual([session.auth_response, session.user_info], [{ code: 'c' }, { sub: 'alice' }]);
  });
});

describe('operations on one session in one process', () => {
  it('an operation that begins reads afresh what another one under way has seen', async () => {
    const store = new CountingStore();
    const view = new StoreView(store);
    await store.inner.set('k', 'a');
    await view.operation('k', async () => {
      assert.equal(await view.get('k'), 'a');
      await store.inner.set('k', 'b'); // another instance writes
      await view.operation('k', async () => {
        assert.equal(await view.get('k'), 'b', 'the operation that began after the write sees it');
      });
      assert.equal(await view.get('k'), 'b', 'and so does the one under way from then on');
    });
    assert.equal(store.traffic.reads, 2);
  });

  it('a read begun before another operation began is not kept for it', async () => {
    const inner = new MemoryStore();
    let release: () => void = () => undefined;
    const slow: KeyValueStore = {
      get: async (key) => {
        const value = await inner.get(key);
        await new Promise<void>((resolve) => { release = resolve; });
        return value;
      },
      set: (key, value, options) => inner.set(key, value, options),
      delete: (key) => inner.delete(key),
      compareAndSet: (key, expected, next, options) => inner.compareAndSet(key, expected, next, options),
    };
    const view = new StoreView(slow);
    const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
    await inner.set('k', 'old');
    await view.operation('k', async () => {
      const first = view.get('k'); // reads 'old', and answers late
      await tick();
      await inner.set('k', 'new'); // another instance writes
      await view.operation('k', async () => {
        release();
        assert.equal(await first, 'old');
        const fresh = view.get('k');
        await tick();
        release();
        assert.equal(await fresh, 'new', 'the operation that began after the write does not get the older read');
      });
    });
  });
});

describe('a login through the state database, as the RP makes it', () => {
  it('costs fewer store round trips with its calls on the session as operations', async () => {
    const count = async (inOperation: boolean): Promise<number> => {
      const store = new CountingStore();
      const db = new StateDatabase(store);
      await db.createState(ISS); // the pending counter is known from here on, as in a running RP
      const before = store.traffic.reads + store.traffic.writes;
      const state = await db.createState(ISS);
      await db.storeItem({ code_verifier: 'v' }, 'pkce', state);
      await db.storeItem({ state, nonce: 'n' }, 'auth_request', state);
      await db.storeNonce2State('n', state);
      const finish = async (): Promise<void> => {
        await db.getState(state);
        await db.consumePendingLogin(state);
        await db.storeItem({ code: 'c', state }, 'auth_response', state);
        await db.getItem('auth_request', state);
        await db.storeItem({ access_token: 'at' }, 'token_response', state);
      };
      await (inOperation ? db.operation(state, finish) : finish());
      return store.traffic.reads + store.traffic.writes - before;
    };
    const callByCall = await count(false);
    const inOperation = await count(true);
    assert.ok(inOperation < callByCall, `${inOperation} round trips with an operation, ${callByCall} call by call`);
  });
});
