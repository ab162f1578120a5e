/**
 * A {@link KeyValueStore} on Redis, for an RP that runs as several instances behind a load
 * balancer: every instance connects to the same Redis, so a login begun on one instance can be
 * finished on another.
 * @module
 */
import { createClient } from 'redis';
import { ConfigurationError, TransportError, VerificationError } from '../errors.js';
import { CONTEXT_KEY } from '../service-context.js';
import type { KeyValueStore } from './key-value-store.js';

/** Options of {@link RedisStore.connect}. */
export interface RedisStoreOptions {
  /**
   * Prepended to every key, so that several RPs (or several environments) can share one Redis
   * without seeing each other's sessions or overwriting each other's saved service context.
   * Give each RP its own. Default `oidc-rp:`.
   */
  keyPrefix?: string;
  /**
   * When set, a positive whole number of seconds after which a session, and the index entries
   * that lead to it, expire; each write starts the period again. The service context's own
   * record (discovery, registration, keys) never expires. Default: nothing expires.
   */
  ttlSeconds?: number;
  /**
   * Milliseconds allowed for the whole connection (TCP, TLS, authentication, the first
   * exchange) before {@link RedisStore.connect} gives up. Default 5,000.
   */
  connectTimeoutMs?: number;
  /** Milliseconds allowed for each command once connected. Default 5,000. */
  commandTimeoutMs?: number;
}

/** The default {@link RedisStoreOptions.keyPrefix}. */
export const DEFAULT_REDIS_KEY_PREFIX = 'oidc-rp:';

/**
 * How the state database names session keys (`StateDatabase` keeps its sessions under
 * `__state__<state>`); the store gives those keys the merging write described on
 * {@link RedisStore.set}.
 */
const SESSION_KEY_PREFIX = '__state__';

/** The members of a session that are its header rather than items. */
const SESSION_HEADER_MEMBERS = new Set(['iss', 'created']);

/**
 * Compare-and-set: writes ARGV[3] when the key still holds what the caller read
 * (ARGV[1] `1` and the value ARGV[2], or ARGV[1] `0` and no value), with ARGV[4] seconds of
 * expiry unless it is `0`. Answers 1 when it wrote, 0 when the key had changed.
 */
const COMPARE_AND_SET = `
local current = redis.call('GET', KEYS[1])
if ARGV[1] == '1' then
  if current ~= ARGV[2] then return 0 end
elseif current then
  return 0
end
if ARGV[4] ~= '0' then
  redis.call('SET', KEYS[1], ARGV[3], 'EX', ARGV[4])
else
  redis.call('SET', KEYS[1], ARGV[3])
end
return 1
`;

/** How many times a compare-and-set is retried when other writers keep changing the key. */
const MAX_UPDATE_ATTEMPTS = 50;

/**
 * A node-redis client that rejects commands while disconnected, bounds each command in time and,
 * once `isConnected` says the first connection succeeded, reconnects with a capped backoff.
 */
function newClient(url: string, connectTimeoutMs: number, commandTimeoutMs: number, isConnected: () => boolean) {
  return createClient({
    url,
    disableOfflineQueue: true,
    commandOptions: { timeout: commandTimeoutMs },
    socket: {
      connectTimeout: connectTimeoutMs,
      // Before the first connection: fail at once, the caller hears about it. After: retry
      // with a capped backoff while commands fail fast.
      reconnectStrategy: (retries: number) => (isConnected() ? Math.min(50 * 2 ** Math.min(retries, 10), 2_000) : false),
    },
  });
}

type RedisClient = ReturnType<typeof newClient>;

/** The parts of a Redis URL that may be shown, and the parts that must not be. */
interface RedisTarget {
  /** `redis://host:port/db` without user name or password. */
  display: string;
  /** The user name and password, to keep out of any message. */
  secrets: string[];
}

function parseTarget(url: string): RedisTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // No cause: a URL parse error carries the whole input, password included.
    throw new ConfigurationError('storeConnect', 'the Redis URL does not parse (expected redis://[user:password@]host[:port][/db])');
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new ConfigurationError('storeConnect', `the Redis URL must use redis: or rediss:, not ${parsed.protocol}`);
  }
  const secrets = [parsed.username, parsed.password]
    .flatMap((part) => {
      let decoded = part;
      try {
        decoded = decodeURIComponent(part);
      } catch {
        // Malformed percent-encoding: keep the raw form only.
      }
      return [part, decoded];
    })
    .filter((part) => part.length > 0);
  return { display: `${parsed.protocol}//${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`, secrets: [...new Set(secrets)] };
}

function redact(text: string, secrets: readonly string[]): string {
  // Longest first, so that a secret containing another is removed whole.
  return [...secrets].sort((a, b) => b.length - a.length).reduce((out, secret) => out.split(secret).join('[redacted]'), text);
}

/** The message of an error, looking inside an AggregateError (whose own message may be empty). */
function messageOf(error: unknown): string {
  if (error instanceof AggregateError && error.message === '') return error.errors.map(messageOf).join('; ');
  if (error instanceof Error) return error.message;
  return String(error);
}

/** A copy of `error` that keeps its name, code and message (credentials removed) and nothing else. */
function sanitisedError(error: unknown, secrets: readonly string[]): Error {
  const copy = new Error(redact(messageOf(error), secrets));
  if (error instanceof Error) copy.name = error.name;
  const code = error instanceof Error ? (error as NodeJS.ErrnoException).code : undefined;
  if (typeof code === 'string') Object.assign(copy, { code });
  return copy;
}

/** Why a connection failed, in a few words a reader can act on. */
function connectFailureReason(error: unknown, timeoutMs: number, timedOut: boolean): string {
  if (timedOut) return `no answer within ${timeoutMs} ms`;
  const message = messageOf(error);
  if (/ECONNREFUSED/.test(message)) return 'connection refused';
  if (/ENOTFOUND|EAI_AGAIN/.test(message)) return 'host not found';
  if (/WRONGPASS|NOAUTH|invalid password|AUTH/i.test(message)) return 'authentication failed';
  if (/timeout/i.test(message)) return `no answer within ${timeoutMs} ms`;
  return 'the connection failed';
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function parseObject(raw: string | undefined): Record<string, unknown> | undefined {
  if (raw === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(raw);
    return isPlainObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A {@link KeyValueStore} on Redis (node-redis), shared by every instance of an RP.
 *
 * Open it with {@link RedisStore.connect}. Keys are prefixed ({@link RedisStoreOptions.keyPrefix})
 * and may expire ({@link RedisStoreOptions.ttlSeconds}).
 *
 * Concurrency across instances. `StateDatabase` serialises the writes to one session within
 * a process only: it reads the session, adds an item and writes it back. Two instances doing
 * that to the same session at the same time would each write back what they read, and one item
 * would be lost. This store makes that case safe: a write of a session (`__state__` key) that
 * carries items is merged atomically (compare-and-set in Redis) into the session as it stands,
 * so items another instance stored in between are kept; and a session removed in between (a
 * logout) stays removed. The state database's other keys (the `nonce`, `sid` and logout-state
 * indexes and the service context) are written whole, last writer wins: they are written once
 * per session, or (the service context) only by discovery and registration. The exception is
 * the list of sessions per `sub`: two logins of the same user finishing at the same moment on
 * two instances may leave one of the two sessions out of the list, so a logout by `sub` would
 * miss it. A conversation moves between instances in turn, which is the normal case: the browser
 * is sent to the OP by one instance and comes back to another.
 */
export class RedisStore implements KeyValueStore {
  readonly #client: RedisClient;
  readonly #prefix: string;
  readonly #ttlSeconds: number | undefined;
  readonly #target: RedisTarget;
  #closed = false;

  private constructor(client: RedisClient, prefix: string, ttlSeconds: number | undefined, target: RedisTarget) {
    this.#client = client;
    this.#prefix = prefix;
    this.#ttlSeconds = ttlSeconds;
    this.#target = target;
  }

  /**
   * Connects to the Redis at `url` (`redis://[user:password@]host[:port][/db]`, or `rediss://`
   * for TLS). Gives up after {@link RedisStoreOptions.connectTimeoutMs}; once connected, a
   * connection lost later is re-established in the background, and commands fail fast (with a
   * {@link TransportError}) until it is.
   * @throws {ConfigurationError} `storeConnect` when the URL is wrong or Redis cannot be
   *   reached, refuses the credentials or does not answer in time. The message names the host,
   *   never the user name or password.
   * @throws {ConfigurationError} `storeOptions` when an option is out of range.
   */
  static async connect(url: string, options: RedisStoreOptions = {}): Promise<RedisStore> {
    const target = parseTarget(url);
    const ttlSeconds = options.ttlSeconds;
    if (ttlSeconds !== undefined && (!Number.isSafeInteger(ttlSeconds) || ttlSeconds <= 0)) {
      throw new ConfigurationError('storeOptions', 'ttlSeconds must be a positive whole number of seconds');
    }
    const connectTimeoutMs = options.connectTimeoutMs ?? 5_000;
    const commandTimeoutMs = options.commandTimeoutMs ?? 5_000;
    for (const [name, value] of [['connectTimeoutMs', connectTimeoutMs], ['commandTimeoutMs', commandTimeoutMs]] as const) {
      if (!Number.isFinite(value) || value <= 0) throw new ConfigurationError('storeOptions', `${name} must be a positive number of milliseconds`);
    }

    let connected = false;
    const client = newClient(url, connectTimeoutMs, commandTimeoutMs, () => connected);
    // Without a listener an 'error' event would end the process; failures surface through the
    // promises of connect and of each command instead.
    client.on('error', () => undefined);

    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        timedOut = true;
        reject(new Error('connect timeout'));
      }, connectTimeoutMs);
    });
    const connecting = client.connect();
    connecting.catch(() => undefined);
    try {
      await Promise.race([connecting, deadline]);
    } catch (error) {
      client.destroy();
      const reason = connectFailureReason(error, connectTimeoutMs, timedOut);
      throw new ConfigurationError('storeConnect', `cannot connect to the Redis state store at ${target.display}: ${reason}`, {
        cause: sanitisedError(error, target.secrets),
        detail: { target: target.display, timeoutMs: connectTimeoutMs },
      });
    } finally {
      clearTimeout(timer);
    }
    connected = true;
    return new RedisStore(client, options.keyPrefix ?? DEFAULT_REDIS_KEY_PREFIX, ttlSeconds, target);
  }

  /**
   * The value stored under `key`, or `undefined`.
   * @throws {TransportError} `storeCommand` when Redis does not answer.
   */
  async get(key: string): Promise<string | undefined> {
    const value = await this.#command(() => this.#client.get(this.#prefix + key));
    return value ?? undefined;
  }

  /**
   * Stores `value` under `key`, with the configured expiry unless `key` is the service context's.
   *
   * A session (a `__state__` key) whose new value carries items is merged into the session as
   * Redis holds it: members the new value has replace those stored, members only the stored
   * session has are kept (another instance added them since this one read the session). A
   * header-only value (a new session) replaces whatever was there.
   * @throws {VerificationError} `checkState` when an item is written to a session that no longer
   *   exists (it was removed, by a logout say, since it was read): the removal stands.
   * @throws {TransportError} `storeCommand` when Redis does not answer.
   */
  async set(key: string, value: string): Promise<void> {
    if (key.startsWith(SESSION_KEY_PREFIX)) {
      const incoming = parseObject(value);
      if (incoming !== undefined && Object.keys(incoming).some((member) => !SESSION_HEADER_MEMBERS.has(member))) {
        await this.update(key, (current) => {
          if (current === undefined) {
            throw new VerificationError('checkState', 'the session was removed while an item was being stored in it');
          }
          const stored = parseObject(current);
          return stored === undefined ? value : JSON.stringify({ ...stored, ...incoming });
        });
        return;
      }
    }
    await this.#command(() => this.#client.set(this.#prefix + key, value, this.#expiryFor(key)));
  }

  /**
   * Atomically replaces the value under `key` with `modify(current)`: when another writer
   * changed the key in between, `modify` runs again on the new value (optimistic concurrency,
   * compare-and-set in a Redis script). Returning `undefined` leaves the key as it is.
   * Resolves to the value written (or kept).
   * @throws {TransportError} `storeCommand` when Redis does not answer, or
   *   `storeContention` when the key kept changing through every attempt.
   */
  async update(key: string, modify: (current: string | undefined) => string | undefined): Promise<string | undefined> {
    const fullKey = this.#prefix + key;
    const ttl = this.#expiryFor(key)?.expiration.value ?? 0;
    for (let attempt = 0; attempt < MAX_UPDATE_ATTEMPTS; attempt += 1) {
      const current = (await this.#command(() => this.#client.get(fullKey))) ?? undefined;
      const next = modify(current);
      if (next === undefined || next === current) return current;
      const written = await this.#command(() =>
        this.#client.eval(COMPARE_AND_SET, {
          keys: [fullKey],
          arguments: [current === undefined ? '0' : '1', current ?? '', next, String(ttl)],
        }),
      );
      if (written === 1) return next;
    }
    throw new TransportError('storeContention', `a key of the Redis state store kept changing through ${MAX_UPDATE_ATTEMPTS} attempts to update it`, {
      detail: { target: this.#target.display },
    });
  }

  /**
   * Removes `key`; removing a missing key is not an error.
   * @throws {TransportError} `storeCommand` when Redis does not answer.
   */
  async delete(key: string): Promise<void> {
    await this.#command(() => this.#client.del(this.#prefix + key));
  }

  /** Closes the connection, letting commands under way finish. Closing twice is harmless. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      if (this.#client.isReady) await this.#client.close();
      else this.#client.destroy();
    } catch {
      this.#client.destroy();
    }
  }

  #expiryFor(key: string): { expiration: { type: 'EX'; value: number } } | undefined {
    return this.#ttlSeconds === undefined || key === CONTEXT_KEY ? undefined : { expiration: { type: 'EX', value: this.#ttlSeconds } };
  }

  async #command<T>(run: () => Promise<T>): Promise<T> {
    if (this.#closed) throw new TransportError('storeCommand', 'the Redis state store is closed', { detail: { target: this.#target.display } });
    try {
      return await run();
    } catch (error) {
      throw new TransportError('storeCommand', `the Redis state store at ${this.#target.display} failed: ${redact(messageOf(error), this.#target.secrets)}`, {
        cause: sanitisedError(error, this.#target.secrets),
        detail: { target: this.#target.display },
      });
    }
  }
}
