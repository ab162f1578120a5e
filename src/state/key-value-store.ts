/**
 * The storage contract under the state database: an asynchronous key-value store of strings,
 * with expiring keys and an atomic compare-and-set.
 * @module
 */
import { TransportError } from '../errors.js';

/** Options of a write. */
export interface WriteOptions {
  /**
   * Milliseconds from now after which the store may forget the key (a positive whole number).
   * Absent: the key does not expire. The store's own clock counts them, so a caller whose clock
   * differs (a test's fixed clock) still gets the lifetime it asked for.
   */
  ttlMs?: number;
}

/** One write of {@link KeyValueStore.setMany}: a key, its value and its lifetime. */
export interface StoreEntry {
  key: string;
  value: string;
  /** As {@link WriteOptions.ttlMs}. */
  ttlMs?: number | undefined;
}

/**
 * An asynchronous key-value store of strings. The state database keeps every session under the
 * value of `state`, so any store that offers these operations can back it: {@link MemoryStore}
 * for tests and single processes, {@link LevelStore} for a production RP on one machine,
 * {@link RedisStore} for an RP of several instances.
 *
 * Every store enforces expiry ({@link WriteOptions.ttlMs}): an expired key reads as missing and
 * its space is reclaimed. {@link KeyValueStore.compareAndSet} is atomic for every client of the
 * store: across the instances that share a Redis, too.
 */
export interface KeyValueStore {
  /** The value stored under `key`, or `undefined` when there is none (or it expired). */
  get(key: string): Promise<string | undefined>;
  /** Stores `value` under `key`; resolves once the write is durable as far as the store promises. */
  set(key: string, value: string, options?: WriteOptions): Promise<void>;
  /**
   * Writes several keys at once, each as {@link KeyValueStore.set} would: one round trip to a
   * networked store, one batch to a disk. Optional: without it the state database writes them
   * one by one ({@link setEach}).
   */
  setMany?(entries: readonly StoreEntry[]): Promise<void>;
  /** Removes `key`; removing a key that does not exist is not an error. */
  delete(key: string): Promise<void>;
  /**
   * Atomically replaces the value under `key` with `next` (or removes the key, when `next` is
   * `undefined`), provided the key still holds `expected` (`undefined`: the key is absent).
   * Resolves `true` when it wrote, `false` when the key held something else: nothing changed.
   */
  compareAndSet(key: string, expected: string | undefined, next: string | undefined, options?: WriteOptions): Promise<boolean>;
  /** Releases the store's resources. Optional: an in-memory store has none. */
  close?(): Promise<void>;
}

/** How many times {@link updateKey} tries again when other writers keep changing the key. */
export const MAX_UPDATE_ATTEMPTS = 50;

/**
 * What {@link updateKey} writes: a new value (with its lifetime), the removal of the key, or
 * nothing (the key stays as it is).
 */
export type KeyUpdate = { value: string; ttlMs?: number | undefined } | { remove: true } | undefined;

/**
 * Atomically updates one key: reads it, asks `modify` for the new value, and writes it with
 * {@link KeyValueStore.compareAndSet}; when another writer changed the key in between, `modify`
 * runs again on what it holds now (optimistic concurrency). `modify` may throw to refuse: nothing
 * is written then. Resolves to what the key holds afterwards.
 * @throws {TransportError} `storeContention` when the key kept changing through
 *   {@link MAX_UPDATE_ATTEMPTS} attempts.
 */
export async function updateKey(store: KeyValueStore, key: string, modify: (current: string | undefined) => KeyUpdate | Promise<KeyUpdate>): Promise<string | undefined> {
  for (let attempt = 0; attempt < MAX_UPDATE_ATTEMPTS; attempt += 1) {
    const current = await store.get(key);
    const update = await modify(current);
    if (update === undefined) return current;
    const next = 'remove' in update ? undefined : update.value;
    const options = 'remove' in update || update.ttlMs === undefined ? {} : { ttlMs: update.ttlMs };
    if (await store.compareAndSet(key, current, next, options)) return next;
  }
  throw new TransportError('storeContention', `a key of the state store kept changing through ${MAX_UPDATE_ATTEMPTS} attempts to update it`);
}

/** Writes `entries` with the store's {@link KeyValueStore.setMany}, or one by one when it has none. */
export async function setEach(store: KeyValueStore, entries: readonly StoreEntry[]): Promise<void> {
  if (entries.length === 0) return;
  if (store.setMany !== undefined) {
    await store.setMany(entries);
    return;
  }
  for (const { key, value, ttlMs } of entries) await store.set(key, value, ttlMs === undefined ? {} : { ttlMs });
}

/**
 * A lifetime in milliseconds for a store: a positive whole number, at least 1.
 * @internal shared by the stores' argument checks.
 */
export function positiveTtl(ttlMs: number | undefined): number | undefined {
  if (ttlMs === undefined) return undefined;
  if (typeof ttlMs !== 'number' || !Number.isFinite(ttlMs)) throw new TypeError(`a store lifetime must be a finite number of milliseconds, got ${String(ttlMs)}`);
  return Math.max(1, Math.ceil(ttlMs));
}
