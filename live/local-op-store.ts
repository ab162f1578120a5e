/**
 * An in-memory storage adapter for oidc-provider, one store per local OP.
 *
 * oidc-provider's built-in memory adapter shares one store per process and prints a
 * "development-only in-memory adapter" warning on every start; a local test OP is
 * meant to be in-memory and short-lived, so it brings its own.
 */

/** What oidc-provider stores for one model instance (session, grant, code, token, ...). */
export type StoredPayload = Record<string, unknown> & {
  grantId?: string;
  uid?: string;
  userCode?: string;
  consumed?: number;
};

/** The adapter interface oidc-provider calls for one model (e.g. `Session`, `AccessToken`). */
export interface LocalOpAdapter {
  /** Creates or replaces an instance; `expiresIn` is in seconds. */
  upsert(id: string, payload: StoredPayload, expiresIn?: number): Promise<void>;
  /** Finds an instance by id. */
  find(id: string): Promise<StoredPayload | undefined>;
  /** Finds a session by its uid. */
  findByUid(uid: string): Promise<StoredPayload | undefined>;
  /** Finds a device code by its user code. */
  findByUserCode(userCode: string): Promise<StoredPayload | undefined>;
  /** Marks an instance as consumed. */
  consume(id: string): Promise<void>;
  /** Deletes an instance. */
  destroy(id: string): Promise<void>;
  /** Deletes every token belonging to a grant. */
  revokeByGrantId(grantId: string): Promise<void>;
}

/** A factory oidc-provider accepts as its `adapter` setting: one adapter per model name. */
export type LocalOpAdapterFactory = (model: string) => LocalOpAdapter;

interface Entry {
  payload: StoredPayload;
  expiresAt: number;
}

/** Creates a fresh, empty store and returns the adapter factory that uses it. */
export function createLocalOpStore(): LocalOpAdapterFactory {
  const entries = new Map<string, Entry>();
  const sessionByUid = new Map<string, string>();
  const keyByUserCode = new Map<string, string>();
  const keysByGrant = new Map<string, Set<string>>();

  const read = (key: string): StoredPayload | undefined => {
    const entry = entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= Date.now()) {
      entries.delete(key);
      return undefined;
    }
    return entry.payload;
  };

  return (model: string): LocalOpAdapter => {
    const keyOf = (id: string): string => `${model}:${id}`;
    return {
      async upsert(id, payload, expiresIn) {
        const key = keyOf(id);
        const expiresAt = typeof expiresIn === 'number' ? Date.now() + expiresIn * 1000 : Infinity;
        entries.set(key, { payload, expiresAt });
        if (model === 'Session' && typeof payload.uid === 'string') sessionByUid.set(payload.uid, id);
        if (typeof payload.userCode === 'string') keyByUserCode.set(payload.userCode, key);
        if (typeof payload.grantId === 'string') {
          const members = keysByGrant.get(payload.grantId) ?? new Set<string>();
          members.add(key);
          keysByGrant.set(payload.grantId, members);
        }
      },
      async find(id) {
        return read(keyOf(id));
      },
      async findByUid(uid) {
        const id = sessionByUid.get(uid);
        return id === undefined ? undefined : read(keyOf(id));
      },
      async findByUserCode(userCode) {
        const key = keyByUserCode.get(userCode);
        return key === undefined ? undefined : read(key);
      },
      async consume(id) {
        const payload = read(keyOf(id));
        if (payload !== undefined) payload.consumed = Math.floor(Date.now() / 1000);
      },
      async destroy(id) {
        const key = keyOf(id);
        const payload = read(key);
        entries.delete(key);
        if (payload?.uid !== undefined && sessionByUid.get(payload.uid) === id) sessionByUid.delete(payload.uid);
      },
      async revokeByGrantId(grantId) {
        for (const key of keysByGrant.get(grantId) ?? []) entries.delete(key);
        keysByGrant.delete(grantId);
      },
    };
  };
}
