/**
 * What sessions cost the state store: the store operations of one real login, the heap the memory
 * store holds after 100,000 logins with the default lifetimes (one user, and 1,000 users), and
 * what a shared Redis adds to a login, with one RP instance and with several sharing it.
 *
 * The store operations are counted on a real code-flow login through `RelyingParty` against the
 * in-process mock OP. The 100,000 logins and the Redis figures replay a login's store traffic
 * through the `StateDatabase` (the same calls, in the same order, with items of a real login's
 * size) without the HTTP and the signatures, which cost CPU, not store space: `replayedLogin`
 * below, whose own operation count is reported beside the real one, so a drift between the two
 * shows. The clock of the 100,000 logins is the benchmark's own, so lifetimes pass without waiting.
 */
import { randomBytes } from 'node:crypto';
import { MemoryStore, RelyingParty, RedisStore, type Transport } from '../../src/index.js';
import { StateDatabase, STATE_DEFAULTS } from '../../src/state/state-database.js';
import type { MockOp } from '../../mock-op/index.js';
import { CountingStore, type StoreTraffic } from '../../test/fixtures/counting-store.js';
import { startRedisServer } from '../../test/state/redis-server.js';
import { followAuthorization, REDIRECT_URI, RP_BASE } from './conversation.js';
import { median, round } from './stats.js';

const ISS = 'https://op.bench.example';
const token = (bytes: number): string => randomBytes(bytes).toString('base64url');

/** The store traffic of one real code-flow login (`beginLogin`, the OP, `finishLogin`, `userInfo`) through `RelyingParty`, the user's second. */
export async function realLoginTraffic(op: MockOp, transport: Transport): Promise<StoreTraffic> {
  const store = new CountingStore();
  const rp = await RelyingParty.create(
    { base_url: RP_BASE, redirect_uris: [REDIRECT_URI], issuer: op.issuer, allow: { unchecked_hosts: [new URL(op.issuer).hostname] }, client_preferences: { response_types: ['code'], token_endpoint_auth_method: ['client_secret_basic'] } },
    { transport, store },
  );
  await rp.discover();
  await rp.register();
  const login = async (): Promise<void> => {
    const begun = await rp.beginLogin({ scope: 'openid profile email' });
    await rp.finishLogin(await followAuthorization(begun.url), { state: begun.state, browserBinding: begun.browserBinding });
    await rp.userInfo(begun.state);
  };
  // The second login of the same user is counted: a running RP has seen its counters before.
  await login();
  const before = { ...store.traffic };
  await login();
  return store.since(before);
}

/** A signed ID token of a real one's size (RS256: a 342-character signature). */
function idToken(sub: string, nonce: string): { raw: string; claims: Record<string, unknown> } {
  const claims = { iss: ISS, sub, aud: 'client-abc123', iat: 1_700_000_000, exp: 1_700_003_600, nonce, auth_time: 1_700_000_000, sid: token(16), at_hash: token(16) };
  const raw = `${Buffer.from('{"alg":"RS256","kid":"op-rs256-1"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${token(256)}`;
  return { raw, claims };
}

/**
 * One login's store traffic, as Authorization, AccessToken and UserInfo make it, replayed on `db`
 * as `RelyingParty` runs them: `beginLogin` call by call, `finishLogin` and `userInfo` each one
 * operation on the session.
 */
async function replayedLogin(db: StateDatabase, sub: string): Promise<void> {
  const nonce = token(24);
  const state = token(24);
  const authRequest = { state, nonce, response_type: 'code', client_id: 'client-abc123', scope: 'openid profile email', redirect_uri: 'https://rp.example.org/authz_cb', code_challenge: token(32), code_challenge_method: 'S256' };
  await db.createState(ISS, state, { browserBinding: token(32), items: { auth_request: authRequest, pkce: { code_verifier: token(32) } }, nonce });
  await db.operation(state, async () => {
    await db.getState(state);
    await db.consumePendingLogin(state);
    await db.storeItem({ code: token(32), state, iss: ISS }, 'auth_response', state);
    await db.getItem('auth_request', state);
    await db.claimItem({ at: 1_700_000_000 }, 'code_exchange', state);
    const id = idToken(sub, nonce);
    await db.storeItem({ access_token: token(32), token_type: 'Bearer', expires_in: 3600, refresh_token: token(32), id_token: id.raw, verified_id_token: id.claims }, 'token_response', state, { idTokenClaims: id.claims });
  });
  await db.operation(state, async () => {
    await db.getItem('token_response', state);
    await db.storeItem({ sub, name: 'Alice Example', email: 'alice@example.com', email_verified: true }, 'user_info', state);
  });
}

/** The store traffic of one replayed login (to set beside the real one). */
export async function replayedLoginTraffic(): Promise<StoreTraffic> {
  const store = new CountingStore();
  const db = new StateDatabase(store);
  // A first login, as a running RP has had: its counters are known from then on.
  await replayedLogin(db, 'user-1');
  const before = { ...store.traffic };
  await replayedLogin(db, 'user-1');
  return store.since(before);
}

/** The heap after many logins. */
export interface HeapFigures {
  logins: number;
  users: number;
  /** Over how many hours the logins were spread (the default session lifetime is 24). */
  hours: number;
  /** Sessions still within their lifetime at the end. */
  liveSessions: number;
  /** Keys the store held at the end (expired ones swept). */
  keysHeld: number;
  /** Heap held at the end above the baseline, after a full garbage collection, MiB. */
  heapMiB: number;
  /** `heapMiB` over the live sessions, KiB. */
  kibPerLiveSession: number;
  /** Once every session had expired and the store swept: keys and heap held. */
  afterExpiry: { keysHeld: number; heapMiB: number };
  /** Microseconds per replayed login, mean. */
  microsecondsPerLogin: number;
}

function heapMiB(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

/**
 * `logins` replayed logins of `users` users, spread evenly over `hours` on the benchmark's clock,
 * with the default lifetimes: the store must end holding the live sessions only. Needs
 * `--expose-gc` for exact heap figures (without it they include garbage).
 */
export async function heapAfterLogins(logins: number, users: number, hours: number): Promise<HeapFigures> {
  let seconds = 1_700_000_000;
  const store = new MemoryStore({ now: () => seconds * 1000 });
  const db = new StateDatabase(store, { now: () => seconds });
  const step = (hours * 3600) / logins;
  const baseline = heapMiB();
  const started = performance.now();
  let clock = 0;
  const loginTimes: number[] = [];
  for (let i = 0; i < logins; i += 1) {
    await replayedLogin(db, `user-${i % users}`);
    loginTimes.push(seconds);
    clock += step;
    seconds = 1_700_000_000 + Math.floor(clock);
  }
  const elapsed = performance.now() - started;
  const lifetime = STATE_DEFAULTS.sessionLifetime;
  const liveSessions = loginTimes.filter((t) => t + lifetime > seconds).length;
  const keysHeld = store.size;
  const held = heapMiB() - baseline;
  loginTimes.length = 0;
  seconds += lifetime + STATE_DEFAULTS.pendingLoginLifetime + 60;
  const afterExpiry = { keysHeld: store.size, heapMiB: round(heapMiB() - baseline, 1) };
  return {
    logins,
    users,
    hours,
    liveSessions,
    keysHeld,
    heapMiB: round(held, 1),
    kibPerLiveSession: round((held * 1024) / Math.max(liveSessions, 1), 2),
    afterExpiry,
    microsecondsPerLogin: round((elapsed / logins) * 1000, 0),
  };
}

/** What a shared Redis adds to a login. */
export interface RedisFigures {
  /** Store operations per login (the replayed login). */
  operationsPerLogin: number;
  /** Microseconds of a login's store traffic on the memory store, median of the rounds. */
  memoryMicrosecondsPerLogin: number;
  /** By number of RP instances sharing the Redis (each its own connection, logging users in at once). */
  instances: Array<{ instances: number; loginsPerSecond: number; microsecondsPerLogin: number }>;
}

/**
 * A login's store traffic on a memory store and on a Redis (`redis-server` from Debian's packages,
 * on loopback) shared by 1, 2 and 4 RP instances, each its own `RedisStore` connection running
 * logins back to back. The instances share this process's one core: the figures show the store's
 * latency and how the shared server holds up, not what separate machines would sum to.
 */
export async function redisCost(loginsPerInstance: number): Promise<RedisFigures> {
  const memoryDb = new StateDatabase(new MemoryStore(), { maxPendingLogins: 1_000_000 });
  const memoryRounds: number[] = [];
  for (let r = 0; r < 3; r += 1) {
    const started = performance.now();
    for (let i = 0; i < loginsPerInstance; i += 1) await replayedLogin(memoryDb, `user-${i % 1000}`);
    memoryRounds.push(((performance.now() - started) / loginsPerInstance) * 1000);
  }
  const server = await startRedisServer();
  try {
    const instances: RedisFigures['instances'] = [];
    for (const count of [1, 2, 4]) {
      const stores = await Promise.all(Array.from({ length: count }, () => RedisStore.connect(server.url, { keyPrefix: 'bench:' })));
      const dbs = stores.map((store) => new StateDatabase(store, { maxPendingLogins: 1_000_000 }));
      // A warm-up login each, outside the timing (connections, scripts).
      await Promise.all(dbs.map((db) => replayedLogin(db, 'warm-up')));
      const started = performance.now();
      await Promise.all(dbs.map(async (db, n) => {
        for (let i = 0; i < loginsPerInstance; i += 1) await replayedLogin(db, `user-${n}-${i % 1000}`);
      }));
      const seconds = (performance.now() - started) / 1000;
      const total = count * loginsPerInstance;
      instances.push({ instances: count, loginsPerSecond: round(total / seconds, 0), microsecondsPerLogin: round((seconds / loginsPerInstance) * 1e6, 0) });
      await Promise.all(stores.map((store) => store.close()));
    }
    return {
      operationsPerLogin: await replayedLoginTraffic().then((t) => t.reads + t.writes),
      memoryMicrosecondsPerLogin: round(median(memoryRounds), 0),
      instances,
    };
  } finally {
    await server.stop();
  }
}
