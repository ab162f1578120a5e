/**
 * Measures, and asserts nothing about, what sessions cost (issue 10, item 3): the heap the memory
 * store holds after 100,000 logins with the default lifetimes, and the time per login at 100,000
 * sessions of one user. Not a test (no `.test.ts`): run it by hand, with the garbage collector
 * exposed so that heap figures are of live data:
 *
 *   node --expose-gc --import tsx test/state/measure-session-costs.ts
 *
 * Each login does what a real login does to the store (the same calls, in the same order, with
 * items the size of a real code-flow login through `RelyingParty`: authorization request, PKCE,
 * nonce index, one-time consumption, authorization response, token response with a signed ID
 * token, sub and sid indexes, userinfo), without the signatures, which cost CPU, not memory.
 * The clock is the script's own, so that lifetimes pass without waiting.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { MemoryStore } from '../../src/index.js';
import { StateDatabase, STATE_DEFAULTS } from '../../src/state/state-database.js';

const ISS = 'https://op.example.com';
const LOGINS = 100_000;

const token = (bytes: number): string => randomBytes(bytes).toString('base64url');

/** A signed ID token of a realistic size (RS256: a 342-character signature). */
function idToken(sub: string, nonce: string): { raw: string; claims: Record<string, unknown> } {
  const claims = { iss: ISS, sub, aud: 'client-abc123', iat: 1_700_000_000, exp: 1_700_003_600, nonce, auth_time: 1_700_000_000, sid: token(16), at_hash: token(16) };
  const raw = `${Buffer.from('{"alg":"RS256","kid":"op-rs256-1"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${token(256)}`;
  return { raw, claims };
}

/** One login's store traffic, as Authorization, AccessToken and UserInfo make it; gives the milliseconds its sub index step took. */
async function login(db: StateDatabase, sub: string): Promise<number> {
  const nonce = token(24);
  const state = await db.createState(ISS, undefined, { browserBinding: token(32) });
  await db.storeItem({ code_verifier: token(32) }, 'pkce', state);
  await db.storeItem({ state, nonce, response_type: 'code', client_id: 'client-abc123', scope: 'openid profile email', redirect_uri: 'https://rp.example.org/authz_cb', code_challenge: token(32), code_challenge_method: 'S256' }, 'auth_request', state);
  await db.storeNonce2State(nonce, state);
  await db.consumePendingLogin(state);
  await db.storeItem({ code: token(32), state, iss: ISS }, 'auth_response', state);
  await db.claimItem({ at: 1_700_000_000 }, 'code_exchange', state);
  const id = idToken(sub, nonce);
  await db.storeItem({ access_token: token(32), token_type: 'Bearer', expires_in: 3600, refresh_token: token(32), id_token: id.raw, verified_id_token: id.claims }, 'token_response', state);
  const indexing = performance.now();
  await db.storeSub2State(sub, state);
  const indexMs = performance.now() - indexing;
  await db.storeSid2State(String(id.claims['sid']), state);
  await db.storeItem({ sub, name: 'Alice Example', email: 'alice@example.com', email_verified: true }, 'user_info', state);
  return indexMs;
}

function heapMiB(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

const fmt = (n: number, digits = 1): string => n.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function heapAfterLogins(): Promise<void> {
  let seconds = 1_700_000_000;
  const store = new MemoryStore({ now: () => seconds * 1000 });
  const db = new StateDatabase(store, { now: () => seconds });
  const baseline = heapMiB();
  const started = performance.now();
  for (let i = 0; i < LOGINS; i += 1) {
    await login(db, `user-${i}`);
    // 100,000 logins spread over 12 hours: all of them within the default session lifetime of a day.
    if (i % 100 === 99) seconds += Math.round((12 * 3600) / (LOGINS / 100));
  }
  const elapsed = performance.now() - started;
  const held = heapMiB() - baseline;
  console.log(`${LOGINS.toLocaleString('en-GB')} logins over 12 hours, default lifetimes (pending ${STATE_DEFAULTS.pendingLoginLifetime} s, session ${STATE_DEFAULTS.sessionLifetime} s):`);
  console.log(`  heap held while every session is alive: ${fmt(held)} MiB (${fmt((held * 1024 * 1024) / LOGINS / 1024, 2)} KiB per session), ${store.size.toLocaleString('en-GB')} keys; ${fmt(elapsed / LOGINS * 1000, 0)} µs per login`);
  // A day and a pending lifetime later, the last session has expired and been forgotten.
  seconds += STATE_DEFAULTS.sessionLifetime + STATE_DEFAULTS.pendingLoginLifetime + 60;
  await store.set('sweep-trigger', 'x');
  console.log(`  heap held once they expired and the store swept: ${fmt(heapMiB() - baseline)} MiB, ${store.size.toLocaleString('en-GB')} key(s)`);
}

async function heapAfterAbandonedLogins(): Promise<void> {
  let seconds = 1_700_000_000;
  const store = new MemoryStore({ now: () => seconds * 1000 });
  const db = new StateDatabase(store, { now: () => seconds });
  const baseline = heapMiB();
  let refused = 0;
  for (let i = 0; i < LOGINS; i += 1) {
    try {
      const state = await db.createState(ISS, undefined, { browserBinding: token(32) });
      await db.storeItem({ state, nonce: token(24), response_type: 'code', client_id: 'client-abc123', scope: 'openid', redirect_uri: 'https://rp.example.org/authz_cb' }, 'auth_request', state);
    } catch {
      refused += 1;
    }
  }
  console.log(`${LOGINS.toLocaleString('en-GB')} logins started at once and never completed (anonymous GETs of the login URI):`);
  console.log(`  ${(LOGINS - refused).toLocaleString('en-GB')} pending (the default cap), ${refused.toLocaleString('en-GB')} refused with pendingLoginCap; heap held ${fmt(heapMiB() - baseline)} MiB`);
  seconds += 2 * STATE_DEFAULTS.pendingLoginLifetime + 60;
  await store.set('sweep-trigger', 'x');
  console.log(`  20 minutes later: heap held ${fmt(heapMiB() - baseline)} MiB, ${store.size.toLocaleString('en-GB')} key(s)`);
}

/** A memory store that counts the operations it is asked for. */
class CountingStore extends MemoryStore {
  operations = 0;
  override async get(key: string): Promise<string | undefined> {
    this.operations += 1;
    return super.get(key);
  }
  override async set(...args: Parameters<MemoryStore['set']>): Promise<void> {
    this.operations += 1;
    return super.set(...args);
  }
  override async compareAndSet(...args: Parameters<MemoryStore['compareAndSet']>): Promise<boolean> {
    this.operations += 1;
    return super.compareAndSet(...args);
  }
}

async function costAtManySessionsOfOneUser(): Promise<void> {
  const store = new CountingStore();
  const db = new StateDatabase(store, { maxPendingLogins: LOGINS + 1 });
  const window = 1_000;
  /** Mean microseconds of a whole login, and of its sub index step alone, over `count` logins; and store operations per login. */
  const timeLogins = async (count: number): Promise<{ login: number; index: number; operations: number }> => {
    heapMiB();
    let index = 0;
    const operations = store.operations;
    const started = performance.now();
    for (let i = 0; i < count; i += 1) index += await login(db, 'one-user');
    return { login: ((performance.now() - started) / count) * 1000, index: (index / count) * 1000, operations: (store.operations - operations) / count };
  };
  const first = await timeLogins(window);
  await timeLogins(LOGINS - 2 * window);
  const last = await timeLogins(window);
  const listing = performance.now();
  const listed = (await db.getStatesBySub('one-user')).length;
  const listMs = performance.now() - listing;
  console.log(`${LOGINS.toLocaleString('en-GB')} sessions of one user (memory store):`);
  console.log(`  the user's session index costs ${fmt(first.index, 1)} µs per login among the first ${window.toLocaleString('en-GB')} sessions and ${fmt(last.index, 1)} µs among the last ${window.toLocaleString('en-GB')}; ${fmt(first.operations, 0)} and ${fmt(last.operations, 0)} store operations per whole login`);
  console.log(`  a whole login (every store step, garbage collection of a heap that grows with the sessions included) ${fmt(first.login, 0)} µs and ${fmt(last.login, 0)} µs`);
  console.log(`  listing all ${listed.toLocaleString('en-GB')} sessions for a logout by sub: ${fmt(listMs, 0)} ms`);
}

await heapAfterLogins();
await heapAfterAbandonedLogins();
await costAtManySessionsOfOneUser();
