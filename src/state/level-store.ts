import { ClassicLevel } from 'classic-level';
import { ConfigurationError } from '../errors.js';
import type { KeyValueStore } from './key-value-store.js';

/** Options of {@link LevelStore.open}. */
export interface LevelStoreOptions {
  /**
   * Flush every write to disk before it is acknowledged (`fsync`). Default `true`: a session
   * acknowledged before a crash of the machine is still there after it. With `false` a write
   * survives a crash of the process (the operating system holds it) but not of the machine.
   */
  sync?: boolean;
}

/**
 * A persistent {@link KeyValueStore} on LevelDB (`classic-level`, whose prebuilt binaries ship
 * inside the npm package, so it installs from the registry alone). One process at a time may
 * open a directory; RPs that run as several instances need a shared store instead.
 */
export class LevelStore implements KeyValueStore {
  readonly #db: ClassicLevel<string, string>;
  readonly #sync: boolean;

  private constructor(db: ClassicLevel<string, string>, sync: boolean) {
    this.#db = db;
    this.#sync = sync;
  }

  /**
   * Opens (creating when needed) the store in `directory`.
   * @throws {ConfigurationError} `storeOpen` when the directory cannot be opened,
   *   for instance because another process holds it.
   */
  static async open(directory: string, options: LevelStoreOptions = {}): Promise<LevelStore> {
    const db = new ClassicLevel<string, string>(directory, { keyEncoding: 'utf8', valueEncoding: 'utf8' });
    try {
      await db.open();
    } catch (cause) {
      throw new ConfigurationError('storeOpen', `cannot open the state store at ${directory}`, { cause });
    }
    return new LevelStore(db, options.sync ?? true);
  }

  /** @inheritDoc */
  async get(key: string): Promise<string | undefined> {
    return (await this.#db.get(key)) ?? undefined;
  }

  /** @inheritDoc */
  async set(key: string, value: string): Promise<void> {
    await this.#db.put(key, value, { sync: this.#sync });
  }

  /** @inheritDoc */
  async delete(key: string): Promise<void> {
    await this.#db.del(key, { sync: this.#sync });
  }

  /** @inheritDoc */
  async close(): Promise<void> {
    await this.#db.close();
  }
}
