// classic-level (a native module) loads only when a LevelStore opens.
import type { ClassicLevel } from 'classic-level';
import { ConfigurationError } from '../errors.js';
import { positiveTtl, type KeyValueStore, type StoreEntry, type WriteOptions } from './key-value-store.js';
import { KeyedLock } from './keyed-lock.js';

/** Options of {@link LevelStore.open}. */
export interface LevelStoreOptions {
  /**
   * Flush every write to disk before it is acknowledged (`fsync`). Default `true`: a session
   * acknowledged before a crash of the machine is still there after it. With `false` a write
   * survives a crash of the process (the operating system holds it) but not of the machine.
   */
  sync?: boolean;
  /** The store's clock, in milliseconds since the epoch. Default `Date.now`. */
  now?: () => number;
  /** Milliseconds between two sweeps of expired keys (run on a write, at most this often). Default 60,000. */
  sweepIntervalMs?: number;
}

/**
 * Keys the store keeps for itself start with NUL: the index of expiry times
 * (`\0d\0<time>\0<key>`), ordered by time so that a sweep reads only what is due.
 */
const RESERVED = '\u0000';
const DUE = `${RESERVED}d${RESERVED}`;
/** Expiry times in the index are zero-padded to this many digits, so that they sort as numbers. */
const TIME_DIGITS = 15;

/**
 * A value as stored: plain when it never expires (and does not start with NUL), else
 * `\0<expiry>\0<value>` (the expiry empty for "never").
 */
function encode(value: string, expiresAt: number | undefined): string {
  if (expiresAt === undefined && !value.startsWith(RESERVED)) return value;
  return `${RESERVED}${expiresAt ?? ''}${RESERVED}${value}`;
}

function decode(stored: string): { value: string; expiresAt: number | undefined } {
  if (!stored.startsWith(RESERVED)) return { value: stored, expiresAt: undefined };
  const end = stored.indexOf(RESERVED, 1);
  const time = stored.slice(1, end);
  return { value: stored.slice(end + 1), expiresAt: time === '' ? undefined : Number(time) };
}

const dueKey = (expiresAt: number, key: string): string => `${DUE}${String(expiresAt).padStart(TIME_DIGITS, '0')}${RESERVED}${key}`;

/**
 * A persistent {@link KeyValueStore} on LevelDB (`classic-level`, whose prebuilt binaries ship
 * inside the npm package, so it installs from the registry alone). One process at a time may
 * open a directory; RPs that run as several instances need a shared store instead.
 *
 * Expiry: an expired key reads as missing at once; a sweep on writes (at most once a
 * {@link LevelStoreOptions.sweepIntervalMs}) deletes what is due, reading only the due part of an
 * index ordered by expiry time. Compare-and-set is atomic within the process that holds the
 * directory, which is every writer there is.
 */
export class LevelStore implements KeyValueStore {
  readonly #db: ClassicLevel<string, string>;
  readonly #sync: boolean;
  readonly #now: () => number;
  readonly #sweepInterval: number;
  readonly #locks = new KeyedLock();
  #nextSweep: number;
  #sweeping: Promise<number> | undefined;

  private constructor(db: ClassicLevel<string, string>, options: LevelStoreOptions) {
    this.#db = db;
    this.#sync = options.sync ?? true;
    this.#now = options.now ?? Date.now;
    this.#sweepInterval = options.sweepIntervalMs ?? 60_000;
    this.#nextSweep = this.#now() + this.#sweepInterval;
  }

  /**
   * Opens (creating when needed) the store in `directory`.
   * @throws {ConfigurationError} `storeOpen` when the directory cannot be opened,
   *   for instance because another process holds it.
   */
  static async open(directory: string, options: LevelStoreOptions = {}): Promise<LevelStore> {
    const { ClassicLevel } = await import('classic-level');
    const db = new ClassicLevel<string, string>(directory, { keyEncoding: 'utf8', valueEncoding: 'utf8' });
    try {
      await db.open();
    } catch (cause) {
      throw new ConfigurationError('storeOpen', `cannot open the state store at ${directory}`, { cause });
    }
    return new LevelStore(db, options);
  }

  /** @inheritDoc */
  async get(key: string): Promise<string | undefined> {
    checkKey(key);
    return this.#read(key);
  }

  /** @inheritDoc */
  async set(key: string, value: string, options: WriteOptions = {}): Promise<void> {
    checkKey(key);
    await this.#locks.run(key, () => this.#write(key, value, options));
    this.#maybeSweep();
  }

  /** Writes every entry in one batch of the database, atomically. */
  async setMany(entries: readonly StoreEntry[]): Promise<void> {
    for (const { key, ttlMs } of entries) {
      checkKey(key);
      positiveTtl(ttlMs);
    }
    // Each key's lock held for the batch (taken in sorted order, so two batches never wait on each other).
    const keys = [...new Set(entries.map((entry) => entry.key))].sort();
    const write = async (): Promise<void> => {
      const batch = this.#db.batch();
      for (const { key, value, ttlMs } of entries) this.#put(batch, key, value, ttlMs);
      await batch.write({ sync: this.#sync });
    };
    const locked = keys.reduceRight<() => Promise<void>>((inner, key) => () => this.#locks.run(key, inner), write);
    await locked();
    this.#maybeSweep();
  }

  /** @inheritDoc */
  async delete(key: string): Promise<void> {
    checkKey(key);
    await this.#locks.run(key, () => this.#db.del(key, { sync: this.#sync }));
  }

  /** @inheritDoc */
  async compareAndSet(key: string, expected: string | undefined, next: string | undefined, options: WriteOptions = {}): Promise<boolean> {
    checkKey(key);
    const written = await this.#locks.run(key, async () => {
      if ((await this.#read(key)) !== expected) return false;
      if (next === undefined) await this.#db.del(key, { sync: this.#sync });
      else await this.#write(key, next, options);
      return true;
    });
    if (written) this.#maybeSweep();
    return written;
  }

  /** Deletes every key that has expired by now; returns how many it deleted. */
  async sweep(): Promise<number> {
    this.#sweeping ??= this.#sweepDue().finally(() => {
      this.#sweeping = undefined;
    });
    return this.#sweeping;
  }

  /** @inheritDoc */
  async close(): Promise<void> {
    await this.#sweeping?.catch(() => undefined);
    await this.#db.close();
  }

  async #read(key: string): Promise<string | undefined> {
    const stored = await this.#db.get(key);
    if (stored === undefined || stored === null) return undefined;
    const { value, expiresAt } = decode(stored);
    return expiresAt !== undefined && expiresAt <= this.#now() ? undefined : value;
  }

  async #write(key: string, value: string, options: WriteOptions): Promise<void> {
    const batch = this.#db.batch();
    this.#put(batch, key, value, options.ttlMs);
    await batch.write({ sync: this.#sync });
  }

  /** Adds to `batch` the write of `key`, and its entry in the index of what falls due. */
  #put(batch: ReturnType<ClassicLevel<string, string>['batch']>, key: string, value: string, ttlMs: number | undefined): void {
    const ttl = positiveTtl(ttlMs);
    const expiresAt = ttl === undefined ? undefined : this.#now() + ttl;
    batch.put(key, encode(value, expiresAt));
    if (expiresAt !== undefined) batch.put(dueKey(expiresAt, key), '');
  }

  #maybeSweep(): void {
    if (this.#now() < this.#nextSweep) return;
    this.#nextSweep = this.#now() + this.#sweepInterval;
    // In the background: a failed sweep is retried by the next one, and reads honour expiry anyway.
    this.sweep().catch(() => undefined);
  }

  async #sweepDue(): Promise<number> {
    const now = this.#now();
    const due: string[] = [];
    for await (const indexKey of this.#db.keys({ gte: DUE, lte: dueKey(now, '\uffff') })) due.push(indexKey);
    let deleted = 0;
    for (const indexKey of due) {
      const key = indexKey.slice(DUE.length + TIME_DIGITS + 1);
      await this.#locks.run(key, async () => {
        const stored = await this.#db.get(key);
        const batch = this.#db.batch().del(indexKey);
        // The key may have been written again since, with a later expiry or none: then it stays.
        if (stored !== undefined && stored !== null) {
          const { expiresAt } = decode(stored);
          if (expiresAt !== undefined && expiresAt <= now) {
            batch.del(key);
            deleted += 1;
          }
        }
        await batch.write({ sync: this.#sync });
      });
    }
    return deleted;
  }

}

/** Keys starting with NUL are the store's own. */
function checkKey(key: string): void {
  if (typeof key !== 'string' || key.startsWith(RESERVED)) throw new TypeError('a LevelStore key must be a string that does not start with NUL (those keys are the store\'s own)');
}
