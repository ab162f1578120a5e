/**
 * 1,000 conversations at once on one RelyingParty (one ServiceContext, one state database)
 * against the in-process mock OP through MSW: each begins a login, a simulated browser fetches the
 * code, the RP exchanges it and reads userinfo. Then no session may be mixed up with another:
 * each holds its own state, its own nonce back in its ID token, its own user.
 *
 * The mock OP logs in the user a `login_hint` names; the conversations spread over several users,
 * so a token or userinfo answer delivered to the wrong session shows up as the wrong `sub`, and a
 * wrong ID token as the wrong nonce.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setupServer, type SetupServer } from 'msw/node';
import { createMockOp, DEFAULT_USER, generateOpKeys, subjectFor, type MockOp, type User } from '../../mock-op/index.js';
import { RelyingParty, type RPConfig, type Transport } from '../../src/index.js';

const OP_ISSUER = 'https://op.concurrency.example';
const RP_BASE = 'https://rp.concurrency.example';
const REDIRECT_URI = `${RP_BASE}/cb`;
/** Conversations in all. */
const CONVERSATIONS = 1_000;
/** Conversations started together (all of them: one batch). */
const BATCH = 1_000;
/** Distinct end users the conversations log in as. */
const USERS = 25;
/** The test's own bound: it fails rather than run longer. */
const BUDGET_MS = 60_000;

const users: User[] = Array.from({ length: USERS }, (_, i) => ({
  id: `user-${i}`,
  claims: { ...DEFAULT_USER.claims, name: `User ${i}`, email: `user-${i}@example.com`, preferred_username: `user-${i}` },
}));

const config: RPConfig = {
  base_url: RP_BASE,
  redirect_uris: [REDIRECT_URI],
  issuer: OP_ISSUER,
  // The in-process mock OP (MSW) has a name no DNS knows.
  allow: { unchecked_hosts: [new URL(OP_ISSUER).hostname] },
  client_preferences: {
    application_type: 'web',
    response_types: ['code'],
    scope: ['openid', 'profile', 'email'],
    token_endpoint_auth_method: ['client_secret_basic'],
  },
};

let op: MockOp;
let msw: SetupServer;

before(async () => {
  op = await createMockOp({ issuer: OP_ISSUER, keys: await generateOpKeys(), users });
  msw = setupServer(...op.handlers);
  msw.listen({ onUnhandledRequest: 'error' });
});

after(() => {
  msw?.close();
});

/** The browser: opens the authorization URL; the OP answers 303 to the redirect URI. */
async function browse(url: string): Promise<string> {
  const response = await fetch(url, { redirect: 'manual' });
  await response.body?.cancel();
  const location = response.headers.get('location');
  if (response.status !== 303 || location === null || !location.startsWith(REDIRECT_URI)) {
    throw new Error(`the OP answered the authorization request with ${response.status} ${location ?? ''}`);
  }
  return location;
}

/** What one conversation ended with. */
interface Outcome {
  index: number;
  userId: string;
  state: string;
}

describe('1,000 concurrent conversations on one RelyingParty', () => {
  it('keeps every session apart: state, nonce, ID token and userinfo of its own', async (t) => {
    // A thousand exchanges queue in one event loop: let each wait as long as the whole budget, so
    // that slowness fails on the budget below with the timings rather than as a transport timeout.
    const rp = await RelyingParty.create(config, { transportOptions: { timeout: BUDGET_MS } });
    try {
      await rp.discover();
      await rp.register();
      const started = performance.now();
      const outcomes: Outcome[] = [];
      for (let first = 0; first < CONVERSATIONS; first += BATCH) {
        const batch = Array.from({ length: Math.min(BATCH, CONVERSATIONS - first) }, async (_, offset): Promise<Outcome> => {
          const index = first + offset;
          const userId = users[index % USERS]!.id;
          const { url, state } = await rp.beginLogin({ login_hint: userId });
          const redirect = await browse(url);
          await rp.finishLogin(redirect, state);
          await rp.userInfo(state);
          return { index, userId, state };
        });
        outcomes.push(...(await Promise.all(batch)));
        assert.ok(performance.now() - started < BUDGET_MS, `over the ${BUDGET_MS} ms budget`);
      }
      const conversationsMs = performance.now() - started;

      const db = rp.context.stateDb;
      const states = new Set(outcomes.map((o) => o.state));
      assert.equal(states.size, CONVERSATIONS, 'every state is distinct');
      const nonces = new Set<string>();
      const statesBySub = new Map<string, Set<string>>();
      for (const { index, userId, state } of outcomes) {
        const session = await db.getState(state);
        const request = session.auth_request;
        const response = session.auth_response;
        const token = session.token_response;
        const userinfo = session.user_info;
        assert.ok(request && response && token && userinfo, `conversation ${index}: the session holds all four items`);
        assert.equal(response['state'], state, `conversation ${index}: the authorization response's state is the session's key`);
        assert.equal(request['login_hint'], userId, `conversation ${index}: the request is its own`);
        const nonce = request['nonce'];
        assert.ok(typeof nonce === 'string' && nonce.length > 0, `conversation ${index}: a nonce was sent`);
        nonces.add(nonce);
        const idToken = token['verified_id_token'] as Record<string, unknown> | undefined;
        assert.ok(idToken, `conversation ${index}: a verified ID token`);
        assert.equal(idToken['nonce'], nonce, `conversation ${index}: the ID token carries the session's own nonce`);
        const expectedSub = subjectFor(users[index % USERS]!);
        assert.equal(idToken['sub'], expectedSub, `conversation ${index}: the ID token is about the user this conversation logged in`);
        assert.equal(userinfo['sub'], idToken['sub'], `conversation ${index}: userinfo is about the ID token's subject`);
        assert.equal(userinfo['preferred_username'], userId, `conversation ${index}: userinfo is the user's own`);
        assert.equal(await db.getStateByNonce(nonce), state, `conversation ${index}: the nonce leads back to its session`);
        const subStates = statesBySub.get(expectedSub) ?? new Set<string>();
        subStates.add(state);
        statesBySub.set(expectedSub, subStates);
      }
      assert.equal(nonces.size, CONVERSATIONS, 'every nonce is distinct');
      // The per-sub index (a counter and a slot per session) lost no session.
      for (const [sub, expected] of statesBySub) {
        assert.deepEqual(new Set(await db.getStatesBySub(sub)), expected, `every session of ${sub} is listed`);
      }
      for (const endpoint of ['authorization', 'token', 'userinfo'] as const) {
        assert.equal(op.requests.forEndpoint(endpoint).length, CONVERSATIONS, `one ${endpoint} request per conversation`);
      }
      const jwksFetches = op.requests.forEndpoint('jwks').length;
      const totalMs = performance.now() - started;
      const rate = (CONVERSATIONS / conversationsMs) * 1000;
      const timing = `${CONVERSATIONS} conversations in ${conversationsMs.toFixed(0)} ms (${rate.toFixed(0)}/s), checks ${(totalMs - conversationsMs).toFixed(0)} ms, JWKS fetched ${jwksFetches} time(s), heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB`;
      t.diagnostic(timing);
      console.log(`# ${timing}`);
      assert.ok(totalMs < BUDGET_MS, `over the ${BUDGET_MS} ms budget: ${timing}`);
    } finally {
      await (rp.transport as Transport).close();
    }
  });
});
