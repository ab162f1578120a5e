/** LevelStore: persistence across close and reopen, the KeyValueStore contract, and a locked directory. */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConfigurationError, LevelStore, MemoryStore } from '../../src/index.js';
import { StateDatabase } from '../../src/state/state-database.js';
import { isError } from '../fixtures/http.js';

let dir: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'level-store-test-'));
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('LevelStore', () => {
  it('gets, sets and deletes strings; a missing key is undefined; deleting a missing key is fine', async () => {
    const store = await LevelStore.open(join(dir, 'basic'));
    try {
      assert.equal(await store.get('missing'), undefined);
      await store.set('k', 'v1');
      await store.set('k', 'v2');
      assert.equal(await store.get('k'), 'v2');
      await store.set('unicode', 'ünï — 😀');
      assert.equal(await store.get('unicode'), 'ünï — 😀');
      await store.delete('k');
      assert.equal(await store.get('k'), undefined);
      await store.delete('never-there');
    } finally {
      await store.close();
    }
  });

  it('keeps sessions across close and reopen', async () => {
    const path = join(dir, 'persist');
    let store = await LevelStore.open(path);
    let db = new StateDatabase(store);
    const state = await db.createState('https://example.com');
    await db.storeItem({ code: 'c1' }, 'auth_response', state);
    await db.storeNonce2State('nonce-1', state);
    await store.close();

    store = await LevelStore.open(path);
    try {
      db = new StateDatabase(store);
      assert.deepEqual(await db.getItem('auth_response', state), { code: 'c1' });
      assert.equal(await db.getStateByNonce('nonce-1'), state);
    } finally {
      await store.close();
    }
  });

  it('writes several keys in one batch (setMany) that survives a reopen, each with its lifetime', async () => {
    const path = join(dir, 'many');
    let now = 1_000_000;
    let store = await LevelStore.open(path, { now: () => now });
    await store.setMany([{ key: 'a', value: '1', ttlMs: 10_000 }, { key: 'b', value: '2' }]);
    await assert.rejects(store.setMany([{ key: 'c', value: '3' }, { key: 'd', value: '4', ttlMs: -Infinity }]), TypeError);
    await assert.rejects(store.setMany([{ key: '\u0000own', value: 'x' }]), TypeError);
    await store.close();
    store = await LevelStore.open(path, { now: () => now });
    try {
      assert.deepEqual([await store.get('a'), await store.get('b'), await store.get('c')], ['1', '2', undefined], 'the batch is there, the refused one wrote nothing');
      now += 10_000;
      assert.equal(await store.get('a'), undefined, 'an entry expires with its lifetime');
      assert.equal(await store.sweep(), 1);
      assert.equal(await store.get('b'), '2');
    } finally {
      await store.close();
    }
  });

  it('refuses a directory another handle holds open (storeOpen)', async () => {
    const path = join(dir, 'locked');
    const first = await LevelStore.open(path);
    try {
      await assert.rejects(LevelStore.open(path), isError(ConfigurationError, 'storeOpen'));
    } finally {
      await first.close();
    }
  });

  it('MemoryStore forgets everything with a new instance (what the oidcservice documentation warns about)', async () => {
    const memory = new MemoryStore();
    await memory.set('a', '1');
    assert.equal(memory.size, 1);
    assert.equal(await new MemoryStore().get('a'), undefined);
  });
});
