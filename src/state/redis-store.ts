/**
 * A {@link KeyValueStore} on Redis, for an RP that runs as several instances behind a load
 * balancer: every instance connects to the same Redis, so a login begun on one instance can be
 * finished on another.
 * @module
 */
// The redis client loads only when a RedisStore connects: an RP that keeps its sessions elsewhere never pays for it.
import type { createClient as CreateClient } from 'redis';
import { ConfigurationError, TransportError } from '../errors.js';
import { positiveTtl, type KeyValueStore, type StoreEntry, type WriteOptions } from './key-value-store.js';

/** Options of {@link RedisStore.connect}. */
export interface RedisStoreOptions {
  /**
   * Prepended to every key, so that several RPs (or several environments) can share one Redis
   * without seeing each other's sessions or overwriting each other's saved service context.
   * Give each RP its own. Default `oidc-rp:`.
   */
  keyPrefix?: string;
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
 * Compare-and-set: when the key still holds what the caller read (ARGV[1] `1` and the value
 * ARGV[2], or ARGV[1] `0` and no value), removes it (ARGV[3] `0`) or writes ARGV[4] with ARGV[5]
 * milliseconds of expiry unless that is `0`. Answers 1 when it wrote, 0 when the key had changed.
 */
const COMPARE_AND_SET = `
local current = redis.call('GET', KEYS[1])
if ARGV[1] == '1' then
  if current ~= ARGV[2] then return 0 end
elseif current then
  return 0
end
if ARGV[3] == '0' then
  redis.call('DEL', KEYS[1])
elseif ARGV[5] ~= '0' then
  redis.call('SET', KEYS[1], ARGV[4], 'PX', ARGV[5])
else
  redis.call('SET', KEYS[1], ARGV[4])
end
return 1
`;

/**
 * A node-redis client that rejects commands while disconnected, bounds each command in time and,
 * once `isConnected` says the first connection succeeded, reconnects with a capped backoff.
 */
function newClient(createClient: typeof CreateClient, url: string, connectTimeoutMs: number, commandTimeoutMs: number, isConnected: () => boolean) {
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
 * Open it with {@link RedisStore.connect}. Keys are prefixed ({@link RedisStoreOptions.keyPrefix});
 * a write with a lifetime becomes a Redis key with that expiry (`PX`), so Redis itself forgets
 * expired sessions. {@link RedisStore.compareAndSet} is one Lua script, atomic for every instance
 * connected to the same Redis: the state database builds its one-time consumption of a pending
 * login and its merges of session items on it, and this store knows nothing of what a session
 * key looks like.
 */
export class RedisStore implements KeyValueStore {
  readonly #client: RedisClient;
  readonly #prefix: string;
  readonly #target: RedisTarget;
  #closed = false;

  private constructor(client: RedisClient, prefix: string, target: RedisTarget) {
    this.#client = client;
    this.#prefix = prefix;
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
    const connectTimeoutMs = options.connectTimeoutMs ?? 5_000;
    const commandTimeoutMs = options.commandTimeoutMs ?? 5_000;
    for (const [name, value] of [['connectTimeoutMs', connectTimeoutMs], ['commandTimeoutMs', commandTimeoutMs]] as const) {
      if (!Number.isFinite(value) || value <= 0) throw new ConfigurationError('storeOptions', `${name} must be a positive number of milliseconds`);
    }

    let connected = false;
    const { createClient } = await import('redis');
    const client = newClient(createClient, url, connectTimeoutMs, commandTimeoutMs, () => connected);
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
    return new RedisStore(client, options.keyPrefix ?? DEFAULT_REDIS_KEY_PREFIX, target);
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
   * Stores `value` under `key`, expiring after `options.ttlMs` when given.
   * @throws {TransportError} `storeCommand` when Redis does not answer.
   */
  async set(key: string, value: string, options: WriteOptions = {}): Promise<void> {
    const ttl = positiveTtl(options.ttlMs);
    await this.#command(() => this.#client.set(this.#prefix + key, value, ttl === undefined ? undefined : { expiration: { type: 'PX', value: ttl } }));
  }

  /**
   * Writes every entry in one round trip: one `MULTI` transaction of `SET`s, so every instance
   * sees all of them or none.
   * @throws {TransportError} `storeCommand` when Redis does not answer.
   */
  async setMany(entries: readonly StoreEntry[]): Promise<void> {
    const ttls = entries.map((entry) => positiveTtl(entry.ttlMs));
    await this.#command(async () => {
      const transaction = this.#client.multi();
      entries.forEach(({ key, value }, i) => {
        const ttl = ttls[i];
        transaction.set(this.#prefix + key, value, ttl === undefined ? undefined : { expiration: { type: 'PX', value: ttl } });
      });
      await transaction.exec();
    });
  }

  /**
   * Atomically replaces (or removes) the value under `key` when it still holds `expected`: one
   * Lua script, so no other instance's write comes in between.
   * @throws {TransportError} `storeCommand` when Redis does not answer.
   */
  async compareAndSet(key: string, expected: string | undefined, next: string | undefined, options: WriteOptions = {}): Promise<boolean> {
    const ttl = next === undefined ? undefined : positiveTtl(options.ttlMs);
    const written = await this.#command(() =>
      this.#client.eval(COMPARE_AND_SET, {
        keys: [this.#prefix + key],
        arguments: [expected === undefined ? '0' : '1', expected ?? '', next === undefined ? '0' : '1', next ?? '', String(ttl ?? 0)],
      }),
    );
    return written === 1;
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
