/**
 * Work on one key at a time: each piece of work for a key starts once the one before it for the
 * same key has settled (fulfilled or rejected); work on other keys runs alongside. What the stores
 * and the state database use to make read-modify-write sequences atomic within one process.
 *
 * @module
 */

/** A lock per key, forgotten once its last piece of work has settled. */
export class KeyedLock {
  readonly #tails = new Map<string, Promise<unknown>>();

  /** Runs `work` once every earlier piece of work for `key` has settled; resolves with its result. */
  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.catch(() => undefined);
    this.#tails.set(key, settled);
    try {
      return await next;
    } finally {
      if (this.#tails.get(key) === settled) this.#tails.delete(key);
    }
  }
}
