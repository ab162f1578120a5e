/**
 * The state database's view of its store, which saves round trips without trusting anything the
 * store has not confirmed:
 *
 * - **Guessed updates.** A read-modify-write first tries a compare-and-set against the value this
 *   view last read or wrote for the key (its *known* value, a bounded map); when the store holds
 *   that value, the write succeeds with no read. When it does not (another instance wrote, the key
 *   expired), or when the guess leads `modify` to refuse or to write nothing, the update runs
 *   again on a fresh read, and only that run's outcome counts. A known value is never returned by
 *   a read.
 * - **Operations.** Within {@link StoreView.operation} (one call of the RP: a login started, a
 *   response taken, userinfo read), a key is read from the store once: later reads in the same
 *   operation see that value, or what the operation itself wrote since. Every write is still a
 *   compare-and-set or a plain write to the store, so an operation never overwrites what another
 *   wrote in between; it may only read what was true when it began.
 * @module
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { updateKey, type KeyUpdate, type KeyValueStore, type WriteOptions } from './key-value-store.js';

/**
 * How many keys' last values a view keeps for its guesses: the keys every login writes (the
 * pending-login counter, a user's session counter) and the sessions in flight; a few hundred is
 * plenty, and bounds the memory the guesses hold.
 */
const KNOWN_LIMIT = 256;
/** No guess to try: the key's value is not known. */
const UNKNOWN: unique symbol = Symbol('unknown');

/** A {@link KeyValueStore} seen through the state database's guesses and operations (see the module). */
export class StoreView {
  readonly #store: KeyValueStore;
  /** The last value read or written per key (`undefined`: absent), oldest first. */
  readonly #known = new Map<string, string | undefined>();
  /** The keys read or written in the current operation, with their values. */
  readonly #operation = new AsyncLocalStorage<Map<string, string | undefined>>();

  constructor(store: KeyValueStore) {
    this.#store = store;
  }

  /** Runs `fn` as one operation (see the module's documentation); nested calls join the outer one. */
  operation<T>(fn: () => Promise<T>): Promise<T> {
    return this.#operation.getStore() === undefined ? this.#operation.run(new Map(), fn) : fn();
  }

  /** The value of `key`: from the store, or, later in the same operation, as the operation last saw it. */
  async get(key: string): Promise<string | undefined> {
    const seen = this.#operation.getStore();
    if (seen?.has(key)) return seen.get(key);
    const value = await this.#store.get(key);
    this.#record(key, value);
    return value;
  }

  /** Writes `value` under `key`. */
  async set(key: string, value: string, options?: WriteOptions): Promise<void> {
    await this.#store.set(key, value, options);
    this.#record(key, value);
  }

  /** Removes `key`. */
  async delete(key: string): Promise<void> {
    await this.#store.delete(key);
    this.#record(key, undefined);
  }

  /** {@link KeyValueStore.compareAndSet}, remembering what the key holds when it wrote. */
  async compareAndSet(key: string, expected: string | undefined, next: string | undefined, options?: WriteOptions): Promise<boolean> {
    const written = await this.#store.compareAndSet(key, expected, next, options);
    if (written) this.#record(key, next);
    else this.#forget(key);
    return written;
  }

  /**
   * {@link updateKey}, trying the key's known value first. `modify` may run more than once, as
   * with `updateKey`; what it last returned is what was written.
   */
  async update(key: string, modify: (current: string | undefined) => KeyUpdate | Promise<KeyUpdate>): Promise<string | undefined> {
    const guess = this.#guess(key);
    if (guess !== UNKNOWN) {
      let update: KeyUpdate;
      try {
        update = await modify(guess);
      } catch {
        // A refusal decided on a guess is not a refusal: decide again on what the store holds.
        update = undefined;
      }
      if (update !== undefined) {
        const next = 'remove' in update ? undefined : update.value;
        const options = 'remove' in update || update.ttlMs === undefined ? {} : { ttlMs: update.ttlMs };
        if (await this.compareAndSet(key, guess, next, options)) return next;
      }
    }
    const value = await updateKey(this.#store, key, modify);
    this.#record(key, value);
    return value;
  }

  #guess(key: string): string | undefined | typeof UNKNOWN {
    const seen = this.#operation.getStore();
    if (seen?.has(key)) return seen.get(key);
    return this.#known.has(key) ? this.#known.get(key) : UNKNOWN;
  }

  #record(key: string, value: string | undefined): void {
    this.#operation.getStore()?.set(key, value);
    this.#known.delete(key);
    this.#known.set(key, value);
    if (this.#known.size > KNOWN_LIMIT) this.#known.delete(this.#known.keys().next().value as string);
  }

  #forget(key: string): void {
    this.#operation.getStore()?.delete(key);
    this.#known.delete(key);
  }
}
