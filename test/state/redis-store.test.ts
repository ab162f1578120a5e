/**
 * RedisStore against a real `redis-server` started by the test on loopback: the KeyValueStore
 * contract, key prefixes and expiry, concurrent writes to one session from two instances, a
 * conversation begun on one RP instance and finished on another, and the failures (Redis down,
 * silent, refusing the password, gone after connecting) as typed errors within the timeout.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { inspect } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { setupServer, type SetupServer } from 'msw/node';
import { createClient } from 'redis';
import { createMockOp, generateOpKeys, type MockOp } from '../../mock-op/index.js';
import { ConfigurationError, RelyingParty, TransportError, VerificationError, type RPConfig, type Transport } from '../../src/index.js';
import { updateKey } from '../../src/state/key-value-store.js';
import { StateDatabase } from '../../src/state/state-database.js';
import { DEFAULT_REDIS_KEY_PREFIX, RedisStore } from '../../src/state/redis-store.js';
import { isError } from '../fixtures/http.js';
import { freePort, startRedisServer, type RedisServer } from './redis-server.js';

const OP_ISSUER = 'https://op.redis-test.example';
const RP_BASE = 'https://rp.redis-test.example';
const REDIRECT_URI = `${RP_BASE}/cb`;
const CONTEXT_KEY = '__service_context__';

let redis: RedisServer;
/** A plain client for looking at what the store wrote. */
let raw: ReturnType<typeof createClient>;
const opened: RedisStore[] = [];

/** Opens a store on the test's Redis and closes it at the end of the file. */
async function store(keyPrefix: string): Promise<RedisStore> {
  const s = await RedisStore.connect(redis.url, { keyPrefix, connectTimeoutMs: 2_000 });
  opened.push(s);
  return s;
}

before(async () => {
  redis = await startRedisServer();
  raw = createClient({ url: redis.url });
  raw.on('error', () => undefined);
  await raw.connect();
});

after(async () => {
  for (const s of opened) await s.close();
  if (raw?.isOpen) await raw.close();
  await redis?.stop();
});

describe('RedisStore: the KeyValueStore contract', () => {
  it('gets, sets and deletes strings; a missing key is undefined; deleting a missing key is fine', async () => {
    const s = await store('contract:');
    assert.equal(await s.get('missing'), undefined);
    await s.set('k', 'v1');
    await s.set('k', 'v2');
    assert.equal(await s.get('k'), 'v2');
    await s.set('unicode', 'ünï — 😀');
    assert.equal(await s.get('unicode'), 'ünï — 😀');
    await s.set('empty', '');
    assert.equal(await s.get('empty'), '');
    await s.delete('k');
    assert.equal(await s.get('k'), undefined);
    await s.delete('never-there');
  });

  it('keeps the state database working: sessions, items and indexes', async () => {
    const db = new StateDatabase(await store('contract-db:'));
    const state = await db.createState('https://op.example');
    await db.storeItem({ nonce: 'n-1' }, 'auth_request', state);
    await db.storeItem({ code: 'c-1' }, 'auth_response', state);
    await db.storeNonce2State('n-1', state);
    await db.storeSub2State('alice', state);
    assert.deepEqual(await db.getItem('auth_request', state), { nonce: 'n-1' });
    assert.deepEqual(await db.getItem('auth_response', state), { code: 'c-1' });
    assert.equal(await db.getStateByNonce('n-1'), state);
    assert.deepEqual(await db.getStatesBySub('alice'), [state]);
    await db.removeState(state);
    assert.equal(await db.hasState(state), false);
    assert.equal(await db.getStateByNonce('n-1'), undefined);
  });

  it('prefixes every key, so that RPs sharing one Redis do not see each other', async () => {
    const one = await store('rp-one:');
    const two = await store('rp-two:');
    await one.set('shared-name', 'one');
    await two.set('shared-name', 'two');
    assert.equal(await one.get('shared-name'), 'one');
    assert.equal(await two.get('shared-name'), 'two');
    assert.equal(await raw.get('rp-one:shared-name'), 'one');
    assert.equal(await raw.get('rp-two:shared-name'), 'two');
    assert.equal(await raw.get('shared-name'), null);
    await one.delete('shared-name');
    assert.equal(await two.get('shared-name'), 'two');
    const defaulted = await RedisStore.connect(redis.url);
    opened.push(defaulted);
    await defaulted.set('x', '1');
    assert.equal(await raw.get(`${DEFAULT_REDIS_KEY_PREFIX}x`), '1');
  });

  it('makes a write with a lifetime an expiring Redis key (PX), and one without a key that stays', async () => {
    const s = await store('ttl:');
    await s.set('short', 'v', { ttlMs: 120_000 });
    const ttl = await raw.pTTL('ttl:short');
    assert.ok(ttl > 0 && ttl <= 120_000, `the key expires (PTTL ${ttl})`);
    await s.set('forever', 'v');
    assert.equal(await raw.pTTL('ttl:forever'), -1);
    assert.equal(await s.compareAndSet('cas', undefined, 'v', { ttlMs: 60_000 }), true);
    const casTtl = await raw.pTTL('ttl:cas');
    assert.ok(casTtl > 0 && casTtl <= 60_000, `a compare-and-set write expires too (PTTL ${casTtl})`);
  });

  it('writes several keys in one MULTI transaction (setMany), each with its own lifetime or none', async () => {
    const s = await store('many:');
    await s.setMany([{ key: 'a', value: '1', ttlMs: 60_000 }, { key: 'b', value: '2' }, { key: 'c', value: '3', ttlMs: 120_000 }]);
    assert.deepEqual(await Promise.all(['a', 'b', 'c'].map((k) => s.get(k))), ['1', '2', '3']);
    const [a, b, c] = await Promise.all(['many:a', 'many:b', 'many:c'].map((k) => raw.pTTL(k)));
    assert.ok(a! > 0 && a! <= 60_000 && c! > 60_000 && c! <= 120_000, `each its own lifetime (PTTL ${a}, ${c})`);
    assert.equal(b, -1, 'an entry without a lifetime stays');
    await assert.rejects(s.setMany([{ key: 'd', value: '4' }, { key: 'e', value: '5', ttlMs: Number.NaN }]), TypeError);
    assert.equal(await s.get('d'), undefined, 'a bad lifetime writes nothing of the batch');
  });

  it('gives sessions and their indexes the state database\'s lifetimes, never the service context', async () => {
    const s = await store('lifetimes:');
    const db = new StateDatabase(s, { pendingLoginLifetime: 600, sessionLifetime: 3_600 });
    const state = await db.createState('https://op.example');
    await db.storeItem({ nonce: 'n-ttl' }, 'auth_request', state);
    await db.storeNonce2State('n-ttl', state);
    await s.set(CONTEXT_KEY, '{}');
    for (const key of [`lifetimes:__state__${state}`, 'lifetimes:__nonce__n-ttl']) {
      const ttl = await raw.ttl(key);
      // A pending login: its lifetime, and one more during which it is refused by name.
      assert.ok(ttl > 600 && ttl <= 1_200, `${key} expires with the pending login (TTL ${ttl})`);
    }
    await db.consumePendingLogin(state);
    const established = await raw.ttl(`lifetimes:__state__${state}`);
    assert.ok(established > 3_600 && established <= 4_200, `the established session lives its own lifetime (TTL ${established})`);
    await db.storeItem({ id_token: 'x' }, 'token_response', state, { idTokenClaims: { sub: 'alice', sid: 'sid-ttl', nonce: 'n-ttl' } });
    for (const key of ['lifetimes:__nonce__n-ttl', 'lifetimes:__sid__sid-ttl', 'lifetimes:__sub__alice#0']) {
      const ttl = await raw.ttl(key);
      assert.ok(ttl > 3_600 && ttl <= 4_200, `${key} lives as long as the session once its ID token is stored (TTL ${ttl})`);
    }
    assert.equal(await raw.ttl(`lifetimes:${CONTEXT_KEY}`), -1, 'the service context does not expire');
  });

  it('compares and sets atomically: a stale expectation writes nothing, undefined means absent, next undefined removes', async () => {
    const s = await store('cas:');
    assert.equal(await s.compareAndSet('k', undefined, 'one'), true);
    assert.equal(await s.compareAndSet('k', undefined, 'two'), false, 'the key is no longer absent');
    assert.equal(await s.compareAndSet('k', 'stale', 'two'), false);
    assert.equal(await s.get('k'), 'one');
    assert.equal(await s.compareAndSet('k', 'one', 'two'), true);
    assert.equal(await s.compareAndSet('k', 'two', undefined), true);
    assert.equal(await s.get('k'), undefined);
  });

  it('closes twice without harm; a closed store fails with a typed error', async () => {
    const s = await RedisStore.connect(redis.url, { keyPrefix: 'closed:' });
    await s.close();
    await s.close();
    await assert.rejects(s.get('k'), isError(TransportError, 'storeCommand'));
  });
});

describe('RedisStore: several instances writing the same session', () => {
  it('keeps every item when two instances store items in one session at the same moment', async () => {
    const a = new StateDatabase(await store('race:'));
    const b = new StateDatabase(await store('race:'));
    const types = ['auth_request', 'auth_response', 'token_response', 'user_info', 'pkce', 'login_initiation'] as const;
    for (let round = 0; round < 25; round += 1) {
      const state = await a.createState('https://op.example');
      await Promise.all(types.map((type, i) => (i % 2 === 0 ? a : b).storeItem({ round, type }, type, state)));
      const session = await a.getState(state);
      for (const type of types) assert.deepEqual(session[type], { round, type }, `round ${round}: ${type} kept`);
      assert.equal(session.iss, 'https://op.example');
    }
  });

  it('does not bring back a session that another instance removed in between', async () => {
    const a = new StateDatabase(await store('removed:'));
    const b = new StateDatabase(await store('removed:'));
    const state = await a.createState('https://op.example');
    await b.getState(state);
    await a.removeState(state);
    // What b's update writes is compared with what Redis holds: the session is gone, and stays so.
    await assert.rejects(b.storeItem({ sub: 'x' }, 'user_info', state), isError(VerificationError, 'checkState'));
    assert.equal(await b.hasState(state), false);
  });

  it('replaces a session outright when a new one is created under the same state', async () => {
    const db = new StateDatabase(await store('recreate:'));
    const state = await db.createState('https://op.example', 'fixed-state');
    await db.storeItem({ code: 'old' }, 'auth_response', state);
    await db.createState('https://op.example', 'fixed-state');
    assert.equal(await db.getItem('auth_response', state), undefined);
  });

  it('updateKey is a compare-and-set: concurrent increments from two connections all count', async () => {
    const a = await store('counter:');
    const b = await store('counter:');
    const increment = (current: string | undefined) => ({ value: String(Number(current ?? '0') + 1) });
    await Promise.all(Array.from({ length: 40 }, (_, i) => updateKey(i % 2 === 0 ? a : b, 'n', increment)));
    assert.equal(await a.get('n'), '40');
  });

  it('consumes a pending login once across instances: of 20 concurrent takes from two instances one wins, the rest are checkStateReplay', async () => {
    const a = new StateDatabase(await store('consume:'));
    const b = new StateDatabase(await store('consume:'));
    const state = await a.createState('https://op.example', undefined, { browserBinding: 'the-browser' });
    const outcomes = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).consumePendingLogin(state, { browserBinding: 'the-browser' })));
    assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 1, 'exactly one instance took the login');
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') assert.ok(isError(VerificationError, 'checkStateReplay')(outcome.reason), String(outcome.reason));
    }
    assert.equal((await b.getState(state)).status, 'established');
    assert.equal(await a.pendingLogins(), 0, 'the counter of pending logins, shared, is back at zero');
  });
});

describe('RedisStore: two RP instances share a conversation', () => {
  let keys: Awaited<ReturnType<typeof generateOpKeys>>;
  let op: MockOp;
  let msw: SetupServer;

  before(async () => {
    keys = await generateOpKeys();
    op = await createMockOp({ issuer: OP_ISSUER, keys });
    msw = setupServer(...op.handlers);
    msw.listen({ onUnhandledRequest: 'error' });
  });

  after(() => {
    msw?.close();
  });

  it('begins the login on instance A and finishes it (code exchange, userinfo) on instance B', async () => {
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
    const prefix = 'two-instances:';
    const rpA = await RelyingParty.create(config, { store: await store(prefix) });
    await rpA.discover();
    await rpA.register();
    const { url, state } = await rpA.beginLogin();

    // Instance B: started with the same configuration and its own connection to the same Redis;
    // it learns the OP and the client from what A saved.
    const rpB = await RelyingParty.create(config, { store: await store(prefix) });
    try {
      assert.equal(rpB.context.issuer, OP_ISSUER);
      assert.equal(rpB.context.clientId, rpA.context.clientId);
      assert.ok(rpB.context.clientId);

      // The browser: opens the authorization URL, the OP answers 303 to the redirect URI.
      const answer = await fetch(url, { redirect: 'manual' });
      await answer.body?.cancel();
      assert.equal(answer.status, 303);
      const location = answer.headers.get('location');
      assert.ok(location !== null && location.startsWith(REDIRECT_URI), `redirected to the RP: ${location}`);

      // The browser comes back to instance B (the expected state as a cookie would carry it).
      const { token } = await rpB.finishLogin(location, state);
      const userinfo = await rpB.userInfo(state);
      assert.equal(userinfo['sub'], token?.verified_id_token?.['sub']);

      // What Redis holds, read through a third connection.
      const raw = await (await store(prefix)).get(`__state__${state}`);
      assert.ok(raw !== undefined, 'the session is in Redis');
      const session = JSON.parse(raw) as Record<string, Record<string, unknown> | undefined>;
      for (const item of ['auth_request', 'auth_response', 'token_response', 'user_info']) {
        assert.ok(session[item] !== undefined, `the session holds ${item}`);
      }
      assert.equal(session['auth_response']?.['state'], state);
      assert.equal((session['token_response']?.['verified_id_token'] as Record<string, unknown> | undefined)?.['nonce'], session['auth_request']?.['nonce']);
      assert.equal(session['user_info']?.['sub'], token?.verified_id_token?.['sub']);
      // Instance A sees the finished session too.
      assert.deepEqual(await rpA.context.stateDb.getItem('user_info', state), session['user_info']);
    } finally {
      await (rpA.transport as Transport).close();
      await (rpB.transport as Transport).close();
    }
  });
});

describe('RedisStore: failures are typed errors, in bounded time, without credentials', () => {
  const password = 'hunter2-very-secret';

  /** Fails unless `error` (message, detail, cause, inspected form) is free of the password. */
  const noPassword = (error: unknown): boolean => {
    const text = `${inspect(error, { depth: 5 })} ${JSON.stringify(error)}`;
    assert.ok(!text.includes(password), `the password leaked: ${text}`);
    return true;
  };

  it('Redis down (connection refused): storeConnect at once', async () => {
    const port = await freePort();
    const started = Date.now();
    await assert.rejects(
      RedisStore.connect(`redis://app:${password}@127.0.0.1:${port}`, { connectTimeoutMs: 2_000 }),
      isError(ConfigurationError, 'storeConnect', (e) => /connection refused/.test(e.message) && e.message.includes(`127.0.0.1:${port}`) && noPassword(e)),
    );
    assert.ok(Date.now() - started < 2_000, `gave up in ${Date.now() - started} ms`);
  });

  it('a host that accepts the connection and never answers: storeConnect within the timeout', async () => {
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as net.AddressInfo;
    try {
      const started = Date.now();
      await assert.rejects(
        RedisStore.connect(`redis://:${password}@127.0.0.1:${port}`, { connectTimeoutMs: 500 }),
        isError(ConfigurationError, 'storeConnect', (e) => /no answer within 500 ms/.test(e.message) && noPassword(e)),
      );
      const elapsed = Date.now() - started;
      assert.ok(elapsed >= 450 && elapsed < 2_000, `gave up in ${elapsed} ms`);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('a wrong password: storeConnect, the password nowhere in the error', async () => {
    const guarded = await startRedisServer(['--requirepass', 'the-right-one']);
    try {
      await assert.rejects(
        RedisStore.connect(`redis://default:${password}@127.0.0.1:${guarded.port}`, { connectTimeoutMs: 2_000 }),
        isError(ConfigurationError, 'storeConnect', (e) => /authentication failed/.test(e.message) && noPassword(e)),
      );
      const good = await RedisStore.connect(`redis://default:the-right-one@127.0.0.1:${guarded.port}`);
      await good.set('k', 'v');
      assert.equal(await good.get('k'), 'v');
      await good.close();
    } finally {
      await guarded.stop();
    }
  });

  it('a URL that does not parse or is not redis: storeConnect, without echoing it', async () => {
    await assert.rejects(RedisStore.connect(`redis://app:${password}@bad host:6379`), isError(ConfigurationError, 'storeConnect', noPassword));
    await assert.rejects(RedisStore.connect(`http://app:${password}@127.0.0.1:6379`), isError(ConfigurationError, 'storeConnect', noPassword));
  });

  it('Redis gone after connecting: commands fail fast with storeCommand', async () => {
    const doomed = await startRedisServer();
    const s = await RedisStore.connect(doomed.url, { commandTimeoutMs: 1_000 });
    try {
      await s.set('k', 'v');
      await doomed.stop();
      const started = Date.now();
      await assert.rejects(s.get('k'), isError(TransportError, 'storeCommand'));
      await assert.rejects(s.set('k', 'w'), isError(TransportError, 'storeCommand'));
      assert.ok(Date.now() - started < 2_500, `failed in ${Date.now() - started} ms (command timeout 1,000 ms)`);
    } finally {
      await s.close();
    }
  });
});
