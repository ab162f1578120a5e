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
 * - **Operations on a key.** While {@link StoreView.operation} runs for a key (one call of the RP
 *   on one session: a response taken, userinfo read), the key is read from the store once: later
 *   reads see that value, or what this view wrote since. Each operation that begins on the key
 *   drops what was seen before it began, so no read returns a value older than the start of any
 *   operation on the key under way. Every write is still a compare-and-set or a plain write to
 *   the store: an operation never overwrites what another instance wrote in between.
 *
 * Operations are tracked per key, not per asynchronous context: on Node 20 an
 * `AsyncLocalStorage` slows every promise of the process once it is used.
 * @module
 */
import { setEach, updateKey, type KeyUpdate, type KeyValueStore, type StoreEntry, type WriteOptions } from './key-value-store.js';

/**
 * How many keys' last values a view keeps for its guesses: the keys every login writes (the
 * pending-login counter, a user's session counter) and the sessions in flight; a few hundred is
 * plenty, and bounds the memory the guesses hold.
 */
const KNOWN_LIMIT = 256;
/** No guess to try: the key's value is not known. */
const UNKNOWN: unique symbol = Symbol('unknown');

/** A key with operations under way: how many, and what was seen of it since the last one began. */
interface InFlight {
  operations: number;
  /** Bumped when an operation begins: a read begun under an older generation is not kept. */
  generation: number;
  seen: boolean;
  value: string | undefined;
}

/** A {@link KeyValueStore} seen through the state database's guesses and operations (see the module). */
export class StoreView {
  readonly #store: KeyValueStore;
  /** The last value read or written per key (`undefined`: absent), oldest first. */
  readonly #known = new Map<string, string | undefined>();
  /** The keys with operations under way. */
  readonly #inFlight = new Map<string, InFlight>();

  constructor(store: KeyValueStore) {
    this.#store = store;
  }

  /** Runs `fn` as an operation on `key` (see the module's documentation). */
  async operation<T>(key: string, fn: () => Promise<T>): Promise<T> {
    let entry = this.#inFlight.get(key);
    if (entry === undefined) {
      entry = { operations: 0, generation: 0, seen: false, value: undefined };
      this.#inFlight.set(key, entry);
    }
    entry.operations += 1;
    entry.generation += 1;
    entry.seen = false;
    entry.value = undefined;
    try {
      return await fn();
    } finally {
      entry.operations -= 1;
      if (entry.operations === 0) this.#inFlight.delete(key);
    }
  }

  /** The value of `key`: from the store, or, while an operation on it runs, as last seen in it. */
  async get(key: string): Promise<string | undefined> {
    const entry = this.#inFlight.get(key);
    if (entry?.seen) return entry.value;
    const generation = entry?.generation;
    const value = await this.#store.get(key);
    this.#record(key, value, entry, generation);
    return value;
  }

  /** Writes `value` under `key`. */
  async set(key: string, value: string, options?: WriteOptions): Promise<void> {
    const [entry, generation] = this.#stamp(key);
    await this.#store.set(key, value, options);
    this.#record(key, value, entry, generation);
  }

  /** Writes several keys at once ({@link setEach}: one round trip where the store can). */
  async setMany(entries: readonly StoreEntry[]): Promise<void> {
    const stamps = entries.map((entry) => this.#stamp(entry.key));
    await setEach(this.#store, entries);
    entries.forEach((entry, i) => this.#record(entry.key, entry.value, ...stamps[i]!));
  }

  /** Removes `key`. */
  async delete(key: string): Promise<void> {
    const [entry, generation] = this.#stamp(key);
    await this.#store.delete(key);
    this.#record(key, undefined, entry, generation);
  }

  /** {@link KeyValueStore.compareAndSet}, remembering what the key holds when it wrote. */
  async compareAndSet(key: string, expected: string | undefined, next: string | undefined, options?: WriteOptions): Promise<boolean> {
    const [entry, generation] = this.#stamp(key);
    const written = await this.#store.compareAndSet(key, expected, next, options);
    if (written) this.#record(key, next, entry, generation);
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
    const [entry, generation] = this.#stamp(key);
    const value = await updateKey(this.#store, key, modify);
    this.#record(key, value, entry, generation);
    return value;
  }

  #guess(key: string): string | undefined | typeof UNKNOWN {
    const entry = this.#inFlight.get(key);
    if (entry?.seen) return entry.value;
    return this.#known.has(key) ? this.#known.get(key) : UNKNOWN;
  }

  /** The key's operations and their generation as a store call begins. */
  #stamp(key: string): [InFlight | undefined, number | undefined] {
    const entry = this.#inFlight.get(key);
    return [entry, entry?.generation];
  }

  /** Notes what `key` holds, for the operations that were under way when the store call began. */
  #record(key: string, value: string | undefined, entry: InFlight | undefined, generation: number | undefined): void {
    if (entry !== undefined && this.#inFlight.get(key) === entry && entry.generation === generation) {
      entry.seen = true;
      entry.value = value;
    }
    this.#known.delete(key);
    this.#known.set(key, value);
    if (this.#known.size > KNOWN_LIMIT) this.#known.delete(this.#known.keys().next().value as string);
  }

  #forget(key: string): void {
    const entry = this.#inFlight.get(key);
    if (entry !== undefined) entry.seen = false;
    this.#known.delete(key);
  }
}
