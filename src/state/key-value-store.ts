/**
 * The storage contract under the state database: an asynchronous key-value store of strings.
 * @module
 */

/**
 * An asynchronous key-value store of strings. The state database keeps every session under
 * the value of `state`, so any store that offers these three operations can back it:
 * {@link MemoryStore} for tests, {@link LevelStore} for a production RP on one machine.
 */
export interface KeyValueStore {
  /** The value stored under `key`, or `undefined` when there is none. */
  get(key: string): Promise<string | undefined>;
  /** Stores `value` under `key`; resolves once the write is durable as far as the store promises. */
  set(key: string, value: string): Promise<void>;
  /** Removes `key`; removing a key that does not exist is not an error. */
  delete(key: string): Promise<void>;
  /** Releases the store's resources. Optional: an in-memory store has none. */
  close?(): Promise<void>;
}
