/**
 * What one login asks of the state store, round trip by round trip, through `RelyingParty`
 * (beginLogin, the OP's redirect, finishLogin, userInfo), on a store that counts them: the
 * session's first write carries its request, PKCE verifier and nonce entry; the index entries of
 * the ID token go in one batch (`setMany`); each call on the session reads it once.
 *
 * Run: node --import tsx --test test/state/login-round-trips.test.ts
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RelyingParty, type KeyValueStore, type RPConfig } from '../../src/index.js';
import { CountingStore } from '../fixtures/counting-store.js';
import { FAKE_OP_ALLOWANCE, FakeOp } from '../fixtures/fake-op.js';

const config: RPConfig = {
  base_url: 'https://rp.example.org',
  redirect_uris: ['https://rp.example.org/authz_cb'],
  allow: FAKE_OP_ALLOWANCE,
  client_preferences: { response_types: ['code'], scope: ['openid', 'email'], token_endpoint_auth_method: ['client_secret_basic'] },
};

/** A store's round trips, each as `op key…` with the session's and index entries' own values left out. */
function described(store: CountingStore, from: number, state: string): string[] {
  return store.log.slice(from).map(({ op, keys }) => `${op} ${keys.map((key) => key.replace(state, '<state>').replace(/^(__(?:nonce|sid)__).*/, '$1<value>')).join(' + ')}`);
}

async function login(rp: RelyingParty, op: FakeOp): Promise<string> {
  const { url, state, browserBinding } = await rp.beginLogin();
  await rp.finishLogin(op.authorize(url, 'alice'), { state, browserBinding });
  await rp.userInfo(state);
  return state;
}

describe('one login\'s store round trips', () => {
  for (const [name, withoutBatch] of [['a store with setMany', false], ['a store without it', true]] as const) {
    it(`${name}: each named, ${withoutBatch ? 'the batch written key by key' : '12 in all'}`, async () => {
      const counting = new CountingStore();
      // The same store with its batch hidden: the state database then writes the entries one by one.
      const store: KeyValueStore = withoutBatch
        ? { get: (k) => counting.get(k), set: (k, v, o) => counting.set(k, v, o), delete: (k) => counting.delete(k), compareAndSet: (k, e, n, o) => counting.compareAndSet(k, e, n, o) }
        : counting;
      const op = new FakeOp();
      // The OP's session id, as an OP with logout puts it in its ID tokens.
      op.tweak = { idTokenClaims: { sid: 'op-session-1' } };
      const rp = await RelyingParty.create(config, { transport: op, store });
      await rp.discover('alice@op.example.com');
      await rp.register();
      // The user's first login: from then on the RP knows the pending-login counter and her session counter.
      await login(rp, op);
      const from = counting.log.length;
      const state = await login(rp, op);
      const batch = withoutBatch
        ? ['set __sub__alice#1', 'set __sid__<value>', 'set __nonce__<value>']
        : ['setMany __sub__alice#1 + __sid__<value> + __nonce__<value>'];
      assert.deepEqual(described(counting, from, state), [
        // beginLogin: a pending login counted in (at the cap, refused), then the session with its
        // request and PKCE verifier, and its nonce's entry.
        'compareAndSet __pending_logins__',
        withoutBatch ? 'set __state__<state>' : 'setMany __state__<state> + __nonce__<value>',
        ...(withoutBatch ? ['set __nonce__<value>'] : []),
        // finishLogin: the session read once; consumed once (atomically); counted out.
        'get __state__<state>',
        'compareAndSet __state__<state>',
        'compareAndSet __pending_logins__',
        // The authorization response stored; the code claimed before it is sent, once.
        'compareAndSet __state__<state>',
        'compareAndSet __state__<state>',
        // The token response: the user's next session slot, the ID token's index entries, then the
        // response and the slot in one write of the session.
        'compareAndSet __sub__alice',
        ...batch,
        'compareAndSet __state__<state>',
        // userInfo: the session read once, the claims stored.
        'get __state__<state>',
        'compareAndSet __state__<state>',
      ]);
      const trips = counting.log.length - from;
      if (!withoutBatch) assert.equal(trips, 12, 'half of the 24 a login took before its writes were batched');
      // What the indexes lead to is the same either way.
      assert.equal(await rp.context.stateDb.getStateBySub('alice'), state);
      const session = await rp.context.stateDb.getState(state);
      assert.equal(await rp.context.stateDb.getStateByNonce(String(session.auth_request?.['nonce'])), state);
      assert.equal(await rp.context.stateDb.getStateBySid('op-session-1'), state);
    });
  }
});
