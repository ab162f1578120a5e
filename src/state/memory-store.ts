import { positiveTtl, type KeyValueStore, type StoreEntry, type WriteOptions } from './key-value-store.js';

/** Options of a {@link MemoryStore}. */
export interface MemoryStoreOptions {
  /** The store's clock, in milliseconds since the epoch. Default `Date.now`. */
  now?: () => number;
  /**
   * Milliseconds between two sweeps of expired keys. A sweep runs, at most this often, on a
   * write; it visits every key, so its cost spread over the writes stays constant. Default 60,000.
   */
  sweepIntervalMs?: number;
}

interface Entry {
  value: string;
  /** When the entry expires, by the store's clock; absent: never. */
  expiresAt?: number;
}

/**
 * An in-memory {@link KeyValueStore}. Good for tests, examples and an RP of one process; as the
 * oidcservice documentation says, not for production when sessions must survive a restart.
 *
 * Expired keys read as missing at once, and a sweep on writes (at most once a
 * {@link MemoryStoreOptions.sweepIntervalMs}) frees them, so the memory held is bounded by what
 * is alive, not by what was ever written.
 */
export class MemoryStore implements KeyValueStore {
  readonly #data = new Map<string, Entry>();
  readonly #now: () => number;
  readonly #sweepInterval: number;
  #nextSweep: number;

  constructor(options: MemoryStoreOptions = {}) {
    this.#now = options.now ?? Date.now;
    this.#sweepInterval = options.sweepIntervalMs ?? 60_000;
    this.#nextSweep = this.#now() + this.#sweepInterval;
  }

  /** @inheritDoc */
  async get(key: string): Promise<string | undefined> {
    return this.#live(key)?.value;
  }

  /** @inheritDoc */
  async set(key: string, value: string, options: WriteOptions = {}): Promise<void> {
    this.#write(key, value, options);
  }

  /** @inheritDoc */
  async setMany(entries: readonly StoreEntry[]): Promise<void> {
    // Every lifetime checked before anything is written: all the entries or none.
    for (const { ttlMs } of entries) positiveTtl(ttlMs);
    for (const { key, value, ttlMs } of entries) this.#write(key, value, ttlMs === undefined ? {} : { ttlMs });
  }

  /** @inheritDoc */
  async delete(key: string): Promise<void> {
    this.#data.delete(key);
  }

  /** @inheritDoc */
  async compareAndSet(key: string, expected: string | undefined, next: string | undefined, options: WriteOptions = {}): Promise<boolean> {
    // One synchronous step between the comparison and the write: nothing can come in between.
    if (this.#live(key)?.value !== expected) return false;
    if (next === undefined) this.#data.delete(key);
    else this.#write(key, next, options);
    return true;
  }

  /** Removes every expired key now; returns how many it removed. */
  sweep(): number {
    const now = this.#now();
    let removed = 0;
    for (const [key, entry] of this.#data) {
      if (entry.expiresAt !== undefined && entry.expiresAt <= now) {
        this.#data.delete(key);
        removed += 1;
      }
    }
    this.#nextSweep = now + this.#sweepInterval;
    return removed;
  }

  /** The number of live keys held (expired ones are swept first); useful in tests. */
  get size(): number {
    this.sweep();
    return this.#data.size;
  }

  #live(key: string): Entry | undefined {
    const entry = this.#data.get(key);
    if (entry?.expiresAt !== undefined && entry.expiresAt <= this.#now()) {
      this.#data.delete(key);
      return undefined;
    }
    return entry;
  }

  #write(key: string, value: string, options: WriteOptions): void {
    const ttl = positiveTtl(options.ttlMs);
    const now = this.#now();
    this.#data.set(key, ttl === undefined ? { value } : { value, expiresAt: now + ttl });
    if (now >= this.#nextSweep) this.sweep();
  }
}
