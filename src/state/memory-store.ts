import type { KeyValueStore } from './key-value-store.js';

/**
 * An in-memory {@link KeyValueStore}. Good for tests and examples; as the oidcservice documentation says,
 * not for production, since a restart loses every session.
 */
export class MemoryStore implements KeyValueStore {
  readonly #data = new Map<string, string>();

  /** @inheritDoc */
  async get(key: string): Promise<string | undefined> {
    return this.#data.get(key);
  }

  /** @inheritDoc */
  async set(key: string, value: string): Promise<void> {
    this.#data.set(key, value);
  }

  /** @inheritDoc */
  async delete(key: string): Promise<void> {
    this.#data.delete(key);
  }

  /** The number of keys held; useful in tests. */
  get size(): number {
    return this.#data.size;
  }
}
