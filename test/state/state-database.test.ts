/**
 * The state database on both stores (MemoryStore and LevelStore in a temporary directory):
 * sessions keyed on state, items, the nonce / sub / sid / logout-state indexes, removal, unknown
 * states, and concurrent writes to one session.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LevelStore, MemoryStore, VerificationError, type KeyValueStore } from '../../src/index.js';
import { StateDatabase } from '../../src/state/state-database.js';
import { isError } from '../fixtures/http.js';

const ISS = 'https://example.com';

let dir: string;
let level: LevelStore;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'state-db-test-'));
  level = await LevelStore.open(join(dir, 'db'), { sync: false });
});

after(async () => {
  await level.close();
  await rm(dir, { recursive: true, force: true });
});

const stores: Array<[string, () => KeyValueStore]> = [
  ['MemoryStore', () => new MemoryStore()],
  ['LevelStore', () => level],
];

for (const [name, makeStore] of stores) {
  describe(`StateDatabase on ${name}`, () => {
    it('creates a session with a fresh random state and reads it back', async () => {
      const db = new StateDatabase(makeStore());
      const a = await db.createState(ISS);
      const b = await db.createState(ISS);
      assert.notEqual(a, b);
      assert.match(a, /^[A-Za-z0-9_-]{32}$/);
      assert.equal(await db.hasState(a), true);
      const session = await db.getState(a);
      assert.equal(session.iss, ISS);
      assert.equal(typeof session.created, 'number');
      assert.equal(await db.getIss(a), ISS);
    });

    it('creates a session under a given state', async () => {
      const db = new StateDatabase(makeStore());
      assert.equal(await db.createState(ISS, 'Oh3w3gKlvoM2ehFqlxI3HIK5'), 'Oh3w3gKlvoM2ehFqlxI3HIK5');
      assert.equal(await db.hasState('Oh3w3gKlvoM2ehFqlxI3HIK5'), true);
    });

    it('stores and gets items by type; a later item of a type replaces the earlier', async () => {
      const db = new StateDatabase(makeStore());
      const state = await db.createState(ISS);
      await db.storeItem({ response_type: 'code', nonce: 'n' }, 'auth_request', state);
      await db.storeItem({ code: 'c1' }, 'auth_response', state);
      await db.storeItem({ code: 'c2' }, 'auth_response', state);
      assert.deepEqual(await db.getItem('auth_request', state), { response_type: 'code', nonce: 'n' });
      assert.deepEqual(await db.getItem('auth_response', state), { code: 'c2' });
      assert.equal(await db.getItem('token_response', state), undefined);
      assert.deepEqual(Object.keys(await db.getState(state)).sort(), ['auth_request', 'auth_response', 'created', 'expires', 'iss', 'status']);
    });

    it('maps nonce, sub, sid and logout state back to the session', async () => {
      const db = new StateDatabase(makeStore());
      const state = await db.createState(ISS);
      await db.storeNonce2State('nonce-1', state);
      await db.storeSub2State('sub-1', state);
      await db.storeSid2State('sid-1', state);
      await db.storeLogoutState2State('logout-1', state);
      assert.equal(await db.getStateByNonce('nonce-1'), state);
      assert.equal(await db.getStateBySub('sub-1'), state);
      assert.equal(await db.getStateBySid('sid-1'), state);
      assert.equal(await db.getStateByLogoutState('logout-1'), state);
      assert.equal(await db.getStateBy('nonce', 'unknown'), undefined);
      assert.equal(await db.getStateBySid('sub-1'), undefined, 'indexes are separate');
    });

    it('rejects an unknown state with checkState, for reads and writes', async () => {
      const db = new StateDatabase(makeStore());
      await assert.rejects(db.getState('never-issued'), isError(VerificationError, 'checkState'));
      await assert.rejects(db.getItem('auth_request', 'never-issued'), isError(VerificationError, 'checkState'));
      await assert.rejects(db.storeItem({ a: 1 }, 'auth_response', 'never-issued'), isError(VerificationError, 'checkState'));
      assert.equal(await db.hasState('never-issued'), false);
    });

    it('removeState removes the session and the indexes that point at it, all but the logout state', async () => {
      const db = new StateDatabase(makeStore());
      const state = await db.createState(ISS);
      await db.storeItem({ nonce: 'nonce-r' }, 'auth_request', state);
      await db.storeNonce2State('nonce-r', state);
      await db.storeItem({ access_token: 'at', verified_id_token: { sub: 'sub-r', sid: 'sid-r' } }, 'token_response', state);
      await db.storeSub2State('sub-r', state);
      await db.storeSid2State('sid-r', state);
      await db.storeItem({ state: 'logout-r' }, 'end_session_request', state);
      await db.storeLogoutState2State('logout-r', state);
      await db.removeState(state);
      assert.equal(await db.hasState(state), false);
      await assert.rejects(db.getState(state), isError(VerificationError, 'checkState'));
      assert.equal(await db.getStateByNonce('nonce-r'), undefined);
      assert.equal(await db.getStateBySub('sub-r'), undefined);
      assert.equal(await db.getStateBySid('sid-r'), undefined);
      // The logout state outlives the session: the post-logout redirect may come back after a
      // back-channel logout ended it, and consumes the entry itself.
      assert.equal(await db.getStateByLogoutState('logout-r'), state);
      await db.deleteIndex('logout_state', 'logout-r');
      assert.equal(await db.getStateByLogoutState('logout-r'), undefined);
    });

    it('removeState leaves an index that now points at another session', async () => {
      const db = new StateDatabase(makeStore());
      const first = await db.createState(ISS);
      const second = await db.createState(ISS);
      await db.storeItem({ access_token: 'at', verified_id_token: { sub: 'same-user' } }, 'token_response', first);
      await db.storeSub2State('same-user', first);
      await db.storeSub2State('same-user', second);
      await db.removeState(first);
      assert.equal(await db.getStateBySub('same-user'), second);
    });

    it('removing an unknown state is not an error', async () => {
      const db = new StateDatabase(makeStore());
      await db.removeState('never-issued');
    });

    it('concurrent storeItem calls on one state lose nothing', async () => {
      const db = new StateDatabase(makeStore());
      const state = await db.createState(ISS);
      const types = ['auth_request', 'auth_response', 'token_response', 'refresh_token_response', 'user_info', 'pkce', 'end_session_request', 'end_session_response'] as const;
      await Promise.all(types.map((type, i) => db.storeItem({ n: i }, type, state)));
      const session = await db.getState(state);
      for (const [i, type] of types.entries()) assert.deepEqual(session[type], { n: i }, type);
    });

    it('a failed write in the queue does not block the writes after it', async () => {
      const db = new StateDatabase(makeStore());
      const state = await db.createState(ISS);
      const results = await Promise.allSettled([
        db.storeItem({ a: 1 }, 'auth_request', state),
        db.storeItem({ bad: 1n } as unknown as Record<string, unknown>, 'auth_response', state),
        db.storeItem({ c: 3 }, 'user_info', state),
      ]);
      assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
      assert.deepEqual(await db.getItem('user_info', state), { c: 3 });
      assert.deepEqual(await db.getItem('auth_request', state), { a: 1 });
    });
  });
}

describe('StateDatabase: implicit-flow sessions', () => {
  it('removeState also removes the sub and sid indexes of an ID token from the authorization response', async () => {
    const db = new StateDatabase(new MemoryStore());
    const state = await db.createState(ISS);
    await db.storeItem({ state, id_token: 'x.y.z', verified_id_token: { sub: 'implicit-sub', sid: 'implicit-sid' } }, 'auth_response', state);
    await db.storeSub2State('implicit-sub', state);
    await db.storeSid2State('implicit-sid', state);
    await db.removeState(state);
    assert.equal(await db.getStateBySub('implicit-sub'), undefined);
    assert.equal(await db.getStateBySid('implicit-sid'), undefined);
  });
});
