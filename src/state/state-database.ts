import { VerificationError } from '../errors.js';
import { randomToken } from '../random.js';
import type { KeyValueStore } from './key-value-store.js';

/** What a session keeps besides its items. */
export interface SessionHeader {
  /** The issuer the session talks to. */
  iss: string;
  /** When the session was created, in seconds since the epoch. */
  created: number;
}

/** The kinds of item a session holds, named as in the oidcservice documentation. */
export type SessionItemType =
  | 'auth_request'
  | 'auth_response'
  | 'token_response'
  | 'refresh_token_response'
  | 'user_info'
  | 'pkce'
  | 'end_session_request'
  | 'end_session_response'
  | 'login_initiation';

/** One session: the header and whatever items have been stored. */
export type Session = SessionHeader & { [K in SessionItemType]?: Record<string, unknown> };

/** The secondary indexes that lead from a value back to the `state` of its session. */
export type StateIndex = 'nonce' | 'sub' | 'sid' | 'logout_state';

const indexKey = (index: StateIndex, value: string): string => `__${index}__${value}`;
const sessionKey = (state: string): string => `__state__${state}`;

/**
 * The session database (`state_db` in the oidcservice documentation): sessions keyed on the value of `state`,
 * with mappings from `nonce`, `sub`, `sid` and the logout `state` back to that key.
 * It runs on any {@link KeyValueStore}. Writes to one session are serialised within a process,
 * so concurrent updates of the same session do not lose each other's items.
 */
export class StateDatabase {
  /** The store underneath. */
  readonly store: KeyValueStore;
  readonly #locks = new Map<string, Promise<unknown>>();

  constructor(store: KeyValueStore) {
    this.store = store;
  }

  /**
   * Creates a session for `iss` and returns its key. A fresh random `state` is drawn unless one
   * is given.
   */
  async createState(iss: string, state: string = randomToken(24)): Promise<string> {
    const header: SessionHeader = { iss, created: Math.floor(Date.now() / 1000) };
    await this.store.set(sessionKey(state), JSON.stringify(header));
    return state;
  }

  /** True when a session exists under `state`. */
  async hasState(state: string): Promise<boolean> {
    return (await this.store.get(sessionKey(state))) !== undefined;
  }

  /**
   * The whole session stored under `state`.
   * @throws {VerificationError} `checkState` when no session has that key: the value came from
   *   somewhere else than this RP's own authorization request.
   */
  async getState(state: string): Promise<Session> {
    const raw = await this.store.get(sessionKey(state));
    if (raw === undefined) {
      throw new VerificationError('checkState', 'the state value belongs to no session of this RP');
    }
    return JSON.parse(raw) as Session;
  }

  /** Stores `item` as the session's `type`, replacing an earlier one. */
  async storeItem(item: Record<string, unknown>, type: SessionItemType, state: string): Promise<void> {
    await this.#withLock(state, async () => {
      const session = await this.getState(state);
      session[type] = item;
      await this.store.set(sessionKey(state), JSON.stringify(session));
    });
  }

  /** The session's item of `type`, or `undefined` when none was stored. */
  async getItem<T extends Record<string, unknown> = Record<string, unknown>>(
    type: SessionItemType,
    state: string,
  ): Promise<T | undefined> {
    return (await this.getState(state))[type] as T | undefined;
  }

  /** The issuer the session talks to. */
  async getIss(state: string): Promise<string> {
    return (await this.getState(state)).iss;
  }

  /** Records that `value` (a nonce, sub, sid or logout state) leads to the session `state`. */
  async storeIndex(index: StateIndex, value: string, state: string): Promise<void> {
    await this.store.set(indexKey(index, value), state);
  }

  /** The `state` that `value` leads to, or `undefined`. */
  async getStateBy(index: StateIndex, value: string): Promise<string | undefined> {
    return this.store.get(indexKey(index, value));
  }

  /** Maps a nonce to the session it was issued for. */
  storeNonce2State(nonce: string, state: string): Promise<void> {
    return this.storeIndex('nonce', nonce, state);
  }

  /** The session a nonce was issued for. */
  getStateByNonce(nonce: string): Promise<string | undefined> {
    return this.getStateBy('nonce', nonce);
  }

  /**
   * Adds a session to the end-user's sessions (for logout by `sub`): a user may be logged in from
   * several browsers, and a logout by `sub` ends them all.
   */
  async storeSub2State(sub: string, state: string): Promise<void> {
    await this.#withLock(indexKey('sub', sub), async () => {
      const states = await this.getStatesBySub(sub);
      if (!states.includes(state)) await this.store.set(indexKey('sub', sub), JSON.stringify([...states, state]));
    });
  }

  /** Every session of a `sub`, oldest first. */
  async getStatesBySub(sub: string): Promise<string[]> {
    const raw = await this.store.get(indexKey('sub', sub));
    if (raw === undefined) return [];
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed) ? parsed.filter((s): s is string => typeof s === 'string') : [];
  }

  /** The newest session of a `sub`. */
  async getStateBySub(sub: string): Promise<string | undefined> {
    return (await this.getStatesBySub(sub)).at(-1);
  }

  /** Maps the OP's session id `sid` to a session (for back- and front-channel logout). */
  storeSid2State(sid: string, state: string): Promise<void> {
    return this.storeIndex('sid', sid, state);
  }

  /** The session of a `sid`. */
  getStateBySid(sid: string): Promise<string | undefined> {
    return this.getStateBy('sid', sid);
  }

  /** Maps the `state` sent in an RP-initiated logout request to the session it ends. */
  storeLogoutState2State(logoutState: string, state: string): Promise<void> {
    return this.storeIndex('logout_state', logoutState, state);
  }

  /** The session an RP-initiated logout `state` belongs to. */
  getStateByLogoutState(logoutState: string): Promise<string | undefined> {
    return this.getStateBy('logout_state', logoutState);
  }

  /** Forgets an index entry (a logout state once its redirect came back, say). */
  async deleteIndex(index: StateIndex, value: string): Promise<void> {
    await this.store.delete(indexKey(index, value));
  }

  /** Removes a session and the index entries that point at it. */
  async removeState(state: string): Promise<void> {
    await this.#withLock(state, async () => {
      const raw = await this.store.get(sessionKey(state));
      if (raw === undefined) return;
      const session = JSON.parse(raw) as Session;
      const idTokens = [session.auth_response, session.token_response, session.refresh_token_response]
        .map((response) => response?.['verified_id_token'] as Record<string, unknown> | undefined)
        .filter((claims): claims is Record<string, unknown> => claims !== undefined);
      // The logout state stays: the post-logout redirect may come back after a back-channel
      // logout already ended the session, and it consumes the entry itself.
      const stale: Array<[StateIndex, unknown]> = [
        ['nonce', session.auth_request?.['nonce']],
        ...idTokens.map((claims): [StateIndex, unknown] => ['sid', claims['sid']]),
      ];
      for (const [index, value] of stale) {
        if (typeof value === 'string' && (await this.getStateBy(index, value)) === state) {
          await this.store.delete(indexKey(index, value));
        }
      }
      for (const sub of new Set(idTokens.map((claims) => claims['sub']).filter((v): v is string => typeof v === 'string'))) {
        await this.#withLock(indexKey('sub', sub), async () => {
          const remaining = (await this.getStatesBySub(sub)).filter((s) => s !== state);
          if (remaining.length === 0) await this.store.delete(indexKey('sub', sub));
          else await this.store.set(indexKey('sub', sub), JSON.stringify(remaining));
        });
      }
      await this.store.delete(sessionKey(state));
    });
  }

  async #withLock<T>(state: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#locks.get(state) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.catch(() => undefined);
    this.#locks.set(state, settled);
    try {
      return await next;
    } finally {
      if (this.#locks.get(state) === settled) this.#locks.delete(state);
    }
  }
}
