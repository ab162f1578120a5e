import { createHash, timingSafeEqual } from 'node:crypto';
import { CapacityError, VerificationError } from '../errors.js';
import { randomToken } from '../random.js';
import type { KeyValueStore, StoreEntry } from './key-value-store.js';
import { KeyedLock } from './keyed-lock.js';
import { StoreView } from './store-view.js';

/** Where a session is in its life. */
export type SessionStatus =
  /** Started: the authorization request is out, no response has come back for it yet. */
  | 'pending'
  /** Its authorization response came back and was taken (once): the RP's session with the user. */
  | 'established';

/** What a session keeps besides its items. */
export interface SessionHeader {
  /** The issuer the session's authorization request went to. */
  iss: string;
  /** When the session was created, in seconds since the epoch. */
  created: number;
  /** Pending login or established session. */
  status: SessionStatus;
  /** When the pending login or the session expires, in seconds since the epoch. */
  expires: number;
  /** While pending: the SHA-256 (base64url) of the browser binding the login was started with. */
  binding?: string;
  /** The slot of the session in each of its users' session lists (see {@link StateDatabase.storeSub2State}). */
  subSlots?: Record<string, number>;
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
  | 'login_initiation'
  | 'code_exchange';

/** One session: the header and whatever items have been stored. */
export type Session = SessionHeader & { [K in SessionItemType]?: Record<string, unknown> };

/** The secondary indexes that lead from a value back to the `state` of its session. */
export type StateIndex = 'nonce' | 'sub' | 'sid' | 'logout_state';

/** How long logins and sessions live, and how much the database holds. */
export interface StateDatabaseOptions {
  /** The clock, in seconds since the epoch. Default the system clock. */
  now?: () => number;
  /** Seconds a started login may wait for its authorization response. Default 600 (10 minutes). */
  pendingLoginLifetime?: number;
  /** Seconds an established session lives, counted from its login. Default 86,400 (1 day). */
  sessionLifetime?: number;
  /** How many logins may be pending at once (across every instance sharing the store). Default 10,000. */
  maxPendingLogins?: number;
  /** The largest session (or other value) stored, in bytes of JSON. Default 262,144 (256 KiB). */
  maxValueBytes?: number;
}

/** The defaults of {@link StateDatabaseOptions}. */
export const STATE_DEFAULTS = {
  pendingLoginLifetime: 600,
  sessionLifetime: 86_400,
  maxPendingLogins: 10_000,
  maxValueBytes: 256 * 1024,
} as const;

/** What a new session starts with, besides its issuer and its `state` ({@link StateDatabase.createState}). */
export interface CreateStateOptions {
  /** The browser binding the login is started with: it can later be consumed only with it. */
  browserBinding?: string | undefined;
  /** Items the session holds from the start (the authorization request, the PKCE verifier). */
  items?: { [K in SessionItemType]?: Record<string, unknown> } | undefined;
  /** The nonce of the authorization request: it leads back to the session ({@link StateDatabase.getStateByNonce}). */
  nonce?: string | undefined;
}

/** What {@link StateDatabase.storeItem} records besides the item. */
export interface StoreItemOptions {
  /**
   * The claims of the verified ID token the item carries: its `sub` and `sid` then lead to the
   * session ({@link StateDatabase.getStatesBySub}, {@link StateDatabase.getStateBySid}), and so
   * does its `nonce` (when it is the authorization request's) for as long as the session lives.
   */
  idTokenClaims?: Record<string, unknown> | undefined;
}

/** What {@link StateDatabase.consumePendingLogin} checks besides the state. */
export interface ConsumeOptions {
  /**
   * The browser binding the user agent brought back (the login cookie's value). When given, it
   * must be the one the login was started with.
   */
  browserBinding?: string | undefined;
}

const indexKey = (index: StateIndex, value: string): string => `__${index}__${value}`;
const sessionKey = (state: string): string => `__state__${state}`;
const subSlotKey = (sub: string, slot: number): string => `__sub__${sub}#${slot}`;
/** The counter of pending logins: started logins per time bucket, less those completed. */
const PENDING_KEY = '__pending_logins__';
/** How many buckets a pending lifetime is counted in. */
const PENDING_BUCKETS = 10;

/** The SHA-256 of a browser binding, as the session keeps it (base64url). */
export function bindingDigest(binding: string): string {
  return createHash('sha256').update(binding, 'utf8').digest('base64url');
}

function sameDigest(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}

/** A stored session, with the header members an older record may lack filled in. */
function parseSession(raw: string, sessionLifetime: number): Session | undefined {
  const parsed = parseJson(raw);
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  const session = parsed as Partial<Session>;
  if (typeof session.iss !== 'string') return undefined;
  const created = typeof session.created === 'number' ? session.created : 0;
  // A record written before sessions expired counts as established, living from its creation.
  return { ...session, created, status: session.status ?? 'established', expires: session.expires ?? created + sessionLifetime } as Session;
}

/** The per-user session list's counter: slots `low` to `next - 1` may hold a state. */
interface SubCounter {
  low: number;
  next: number;
}

/**
 * The session database (`state_db` in the oidcservice documentation): sessions keyed on the value
 * of `state`, with mappings from `nonce`, `sub`, `sid` and the logout `state` back to that key.
 * It runs on any {@link KeyValueStore}.
 *
 * A session starts as a pending login, is consumed once when its authorization response comes
 * back ({@link StateDatabase.consumePendingLogin}, atomic across every instance sharing the
 * store), and is then an established session. Pending logins expire after
 * {@link StateDatabaseOptions.pendingLoginLifetime}, sessions after
 * {@link StateDatabaseOptions.sessionLifetime}; every key is written with its lifetime, so the
 * store forgets it. An expired one is still known for one more pending lifetime, to be refused by
 * name (`checkStateExpiry`); after that it is forgotten (`checkState`).
 *
 * Writes of a session are compare-and-set updates of its record: items another instance stored
 * in between are kept, and a session removed in between stays removed. The list of a user's
 * sessions costs O(1) per login: a counter and one key per slot.
 */
export class StateDatabase {
  /** The store underneath. */
  readonly store: KeyValueStore;
  /** Seconds a pending login lives. */
  readonly pendingLoginLifetime: number;
  /** Seconds an established session lives. */
  readonly sessionLifetime: number;
  /** The cap on pending logins. */
  readonly maxPendingLogins: number;
  /** The largest value stored, in bytes. */
  readonly maxValueBytes: number;
  readonly #now: () => number;
  readonly #locks = new KeyedLock();
  readonly #view: StoreView;

  constructor(store: KeyValueStore, options: StateDatabaseOptions = {}) {
    this.store = store;
    this.#view = new StoreView(store);
    this.#now = options.now ?? (() => Math.floor(Date.now() / 1000));
    this.pendingLoginLifetime = options.pendingLoginLifetime ?? STATE_DEFAULTS.pendingLoginLifetime;
    this.sessionLifetime = options.sessionLifetime ?? STATE_DEFAULTS.sessionLifetime;
    this.maxPendingLogins = options.maxPendingLogins ?? STATE_DEFAULTS.maxPendingLogins;
    this.maxValueBytes = options.maxValueBytes ?? STATE_DEFAULTS.maxValueBytes;
  }

  /** The database's clock, in seconds since the epoch. */
  now(): number {
    return this.#now();
  }

  /**
   * Runs `fn` as one operation on the session `state`: the session is read from the store once
   * in it, and later reads see that value or what this database wrote since (an operation that
   * begins on the same session makes the next read fresh again; every write is still checked
   * against the store). The RP runs each of its calls on a session as one.
   */
  operation<T>(state: string, fn: () => Promise<T>): Promise<T> {
    return this.#view.operation(sessionKey(state), fn);
  }

  /**
   * Creates a pending login for `iss` and returns its key. A fresh random `state` is drawn unless
   * one is given. With `browserBinding`, the login can later be consumed only with it. The
   * session, its first items and its nonce's index entry are written at once (one round trip
   * where the store has {@link KeyValueStore.setMany}).
   * @throws {CapacityError} `pendingLoginCap` when {@link maxPendingLogins} logins are pending
   *   already; `storedValueSize` when the items are over the size limit (nothing is counted or
   *   written then).
   */
  async createState(iss: string, state: string = randomToken(24), options: CreateStateOptions = {}): Promise<string> {
    const now = this.#now();
    const header: SessionHeader = {
      iss,
      created: now,
      status: 'pending',
      expires: now + this.pendingLoginLifetime,
      ...(options.browserBinding === undefined ? {} : { binding: bindingDigest(options.browserBinding) }),
    };
    const items = Object.fromEntries(Object.entries(options.items ?? {}).filter(([, item]) => item !== undefined));
    const value = this.#encode({ ...header, ...items });
    await this.#countPending(now, now, +1);
    const ttlMs = this.#keepMs(header, now);
    const entries: StoreEntry[] = [{ key: sessionKey(state), value, ttlMs }];
    if (options.nonce !== undefined) entries.push({ key: indexKey('nonce', options.nonce), value: state, ttlMs });
    await this.#view.setMany(entries);
    return state;
  }

  /** True when a session (pending or established, not expired) exists under `state`. */
  async hasState(state: string): Promise<boolean> {
    const session = await this.#read(state);
    return session !== undefined && session.expires > this.#now();
  }

  /**
   * The whole session stored under `state`.
   * @throws {VerificationError} `checkState` when no session has that key: the value came from
   *   somewhere else than this RP's own authorization request (or was forgotten long ago);
   *   `checkStateExpiry` when the pending login or the session has expired.
   */
  async getState(state: string): Promise<Session> {
    return this.#alive(await this.#read(state));
  }

  /**
   * Takes the pending login of `state`, once: atomically (compare-and-set in the store, so across
   * instances too) it becomes an established session that lives {@link sessionLifetime}.
   * @throws {VerificationError} `checkState` for no session; `checkStateReplay` when it was
   *   consumed already (a second authorization response for the same login);
   *   `checkStateExpiry` when the pending login has expired; `checkBrowserBinding` when the
   *   binding given is not the one the login was started with (nothing is consumed then).
   */
  async consumePendingLogin(state: string, options: ConsumeOptions = {}): Promise<Session> {
    let consumed: Session | undefined;
    let pendingSince = 0;
    await this.#locks.run(sessionKey(state), () =>
      this.#view.update(sessionKey(state), (raw) => {
        const session = raw === undefined ? undefined : parseSession(raw, this.sessionLifetime);
        if (session === undefined) throw new VerificationError('checkState', 'the response\'s state belongs to no session of this RP');
        if (session.status !== 'pending') {
          throw new VerificationError('checkStateReplay', 'a response for this login came back already: a login completes once');
        }
        const now = this.#now();
        if (session.expires <= now) {
          throw new VerificationError('checkStateExpiry', `the login was started ${Math.round(now - session.created)} s ago and expired after ${this.pendingLoginLifetime} s`, {
            detail: { created: session.created, expires: session.expires, now },
          });
        }
        if (options.browserBinding !== undefined && (session.binding === undefined || !sameDigest(session.binding, bindingDigest(options.browserBinding)))) {
          throw new VerificationError('checkBrowserBinding', 'the login cookie this browser brought is not the one the login was started with');
        }
        const { binding: _binding, ...rest } = session;
        const established: Session = { ...rest, status: 'established', expires: now + this.sessionLifetime };
        consumed = established;
        pendingSince = session.created;
        return { value: this.#encode(established), ttlMs: this.#keepMs(established, now) };
      }),
    );
    await this.#countPending(this.#now(), pendingSince, -1);
    return consumed!;
  }

  /**
   * Stores `item` as the session's `type`, replacing an earlier one. With
   * {@link StoreItemOptions.idTokenClaims}, the ID token's `sub`, `sid` and `nonce` are made to
   * lead to the session too, as {@link storeSub2State} and {@link storeIndex} would, with their
   * index entries written at once (one round trip where the store has {@link KeyValueStore.setMany})
   * and the user's slot noted in the same write as the item.
   * @throws {VerificationError} `checkState`, `checkStateExpiry`.
   * @throws {CapacityError} `storedValueSize` when the session would be over the size limit.
   */
  async storeItem(item: Record<string, unknown>, type: SessionItemType, state: string, options: StoreItemOptions = {}): Promise<void> {
    const claims = options.idTokenClaims;
    if (claims === undefined) {
      await this.#update(state, (session) => ({ ...session, [type]: item }));
      return;
    }
    const session = await this.getState(state);
    const sub = typeof claims['sub'] === 'string' ? claims['sub'] : undefined;
    const slot = sub !== undefined && session.subSlots?.[sub] === undefined ? await this.#nextSubSlot(sub) : undefined;
    const ttlMs = this.#keepMs(session, this.#now());
    const entries: StoreEntry[] = [];
    if (sub !== undefined && slot !== undefined) entries.push({ key: subSlotKey(sub, slot), value: state, ttlMs });
    if (typeof claims['sid'] === 'string') entries.push({ key: indexKey('sid', claims['sid']), value: state, ttlMs });
    // The nonce's entry, written with the pending login's lifetime, now lives as long as the session.
    const nonce = session.auth_request?.['nonce'];
    if (typeof nonce === 'string' && claims['nonce'] === nonce) entries.push({ key: indexKey('nonce', nonce), value: state, ttlMs });
    await this.#view.setMany(entries);
    await this.#update(state, (current) => ({
      ...current,
      [type]: item,
      ...(sub === undefined || slot === undefined ? {} : { subSlots: { ...current.subSlots, [sub]: slot } }),
    }));
  }

  /**
   * Stores `item` as the session's `type` unless the session holds one already: atomically, so
   * that of two callers (two instances, say) one only wins. Resolves whether this call stored it.
   * @throws {VerificationError} `checkState`, `checkStateExpiry`.
   */
  async claimItem(item: Record<string, unknown>, type: SessionItemType, state: string): Promise<boolean> {
    let claimed = false;
    await this.#update(state, (session) => {
      claimed = session[type] === undefined;
      return claimed ? { ...session, [type]: item } : undefined;
    });
    return claimed;
  }

  /** The session's item of `type`, or `undefined` when none was stored. */
  async getItem<T extends Record<string, unknown> = Record<string, unknown>>(
    type: SessionItemType,
    state: string,
  ): Promise<T | undefined> {
    return (await this.getState(state))[type] as T | undefined;
  }

  /** The issuer the session's authorization request went to. */
  async getIss(state: string): Promise<string> {
    return (await this.getState(state)).iss;
  }

  /**
   * Records that `value` (a nonce, sid or logout state) leads to the session `state`, for as long
   * as the session lives.
   */
  async storeIndex(index: Exclude<StateIndex, 'sub'>, value: string, state: string): Promise<void> {
    const session = await this.getState(state);
    await this.#view.set(indexKey(index, value), state, { ttlMs: this.#keepMs(session, this.#now()) });
  }

  /** The `state` that `value` leads to, or `undefined`. */
  async getStateBy(index: Exclude<StateIndex, 'sub'>, value: string): Promise<string | undefined> {
    return this.#view.get(indexKey(index, value));
  }

  /** Maps a nonce to the session it was issued for. */
  storeNonce2State(nonce: string, state: string): Promise<void> {
    return this.storeIndex('nonce', nonce, state);
  }

  /**
   * The session a nonce was issued for. Its entry lives as long as the pending login and, once an
   * ID token carrying the nonce is stored ({@link StoreItemOptions.idTokenClaims}), as long as the
   * session.
   */
  getStateByNonce(nonce: string): Promise<string | undefined> {
    return this.getStateBy('nonce', nonce);
  }

  /**
   * Adds a session to the end-user's sessions (for logout by `sub`): a user may be logged in from
   * several browsers, and a logout by `sub` ends them all. O(1) whatever the number of sessions
   * the user has: the next slot of a counter, one key for the slot, and the slot noted in the
   * session. Adding a session that is listed already does nothing.
   */
  async storeSub2State(sub: string, state: string): Promise<void> {
    const session = await this.getState(state);
    if (session.subSlots?.[sub] !== undefined) return;
    const now = this.#now();
    const slot = await this.#nextSubSlot(sub);
    await this.#view.set(subSlotKey(sub, slot), state, { ttlMs: this.#keepMs(session, now) });
    await this.#update(state, (current) => ({ ...current, subSlots: { ...current.subSlots, [sub]: slot } }));
  }

  /** Hands out the next slot of the user's session list. */
  async #nextSubSlot(sub: string): Promise<number> {
    let slot = 0;
    await this.#locks.run(indexKey('sub', sub), () =>
      this.#view.update(indexKey('sub', sub), (raw) => {
        const counter = parseCounter(raw);
        slot = counter.next;
        // The counter outlives every slot it hands out: each slot lives at most a session lifetime.
        return { value: JSON.stringify({ low: counter.low, next: counter.next + 1 }), ttlMs: (this.sessionLifetime + this.pendingLoginLifetime) * 1000 };
      }),
    );
    return slot;
  }

  /** Every live session of a `sub`, oldest first. Costs one read per slot handed out and not yet forgotten. */
  async getStatesBySub(sub: string): Promise<string[]> {
    const raw = await this.#view.get(indexKey('sub', sub));
    if (raw === undefined) return [];
    const legacy = parseJson(raw);
    if (Array.isArray(legacy)) return legacy.filter((s): s is string => typeof s === 'string');
    const counter = parseCounter(raw);
    const states = new Set<string>();
    let firstLive: number | undefined;
    for (let slot = counter.low; slot < counter.next; slot += 1) {
      const state = await this.#view.get(subSlotKey(sub, slot));
      if (state === undefined) continue;
      firstLive ??= slot;
      states.add(state);
    }
    // Forgotten slots at the start need not be read again: move the counter's low mark past them.
    const low = firstLive ?? counter.next;
    if (low > counter.low) {
      await this.#view.compareAndSet(indexKey('sub', sub), raw, JSON.stringify({ low, next: counter.next }), { ttlMs: (this.sessionLifetime + this.pendingLoginLifetime) * 1000 }).catch(() => false);
    }
    return [...states];
  }

  /** The newest session of a `sub`. */
  async getStateBySub(sub: string): Promise<string | undefined> {
    const raw = await this.#view.get(indexKey('sub', sub));
    if (raw === undefined) return undefined;
    const legacy = parseJson(raw);
    if (Array.isArray(legacy)) return legacy.filter((s): s is string => typeof s === 'string').at(-1);
    const counter = parseCounter(raw);
    for (let slot = counter.next - 1; slot >= counter.low; slot -= 1) {
      const state = await this.#view.get(subSlotKey(sub, slot));
      if (state !== undefined) return state;
    }
    return undefined;
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
  async deleteIndex(index: Exclude<StateIndex, 'sub'>, value: string): Promise<void> {
    await this.#view.delete(indexKey(index, value));
  }

  /** Removes a session and the index entries that point at it. */
  async removeState(state: string): Promise<void> {
    await this.#locks.run(sessionKey(state), async () => {
      const raw = await this.#view.get(sessionKey(state));
      if (raw === undefined) return;
      const session = parseSession(raw, this.sessionLifetime);
      if (session === undefined) {
        await this.#view.delete(sessionKey(state));
        return;
      }
      const idTokens = [session.auth_response, session.token_response, session.refresh_token_response]
        .map((response) => response?.['verified_id_token'] as Record<string, unknown> | undefined)
        .filter((claims): claims is Record<string, unknown> => claims !== undefined);
      // The logout state stays: the post-logout redirect may come back after a back-channel
      // logout already ended the session, and it consumes the entry itself.
      const stale: Array<[Exclude<StateIndex, 'sub'>, unknown]> = [
        ['nonce', session.auth_request?.['nonce']],
        ...idTokens.map((claims): [Exclude<StateIndex, 'sub'>, unknown] => ['sid', claims['sid']]),
      ];
      for (const [index, value] of stale) {
        if (typeof value === 'string' && (await this.getStateBy(index, value)) === state) {
          await this.#view.delete(indexKey(index, value));
        }
      }
      for (const [sub, slot] of Object.entries(session.subSlots ?? {})) await this.#view.delete(subSlotKey(sub, slot));
      await this.#view.delete(sessionKey(state));
      if (session.status === 'pending') await this.#countPending(this.#now(), session.created, -1);
    });
  }

  /** How many logins are pending now (started, not consumed, not expired), as the counter has it. */
  async pendingLogins(): Promise<number> {
    return this.#pendingCount(parsePendingBuckets(await this.#view.get(PENDING_KEY)), this.#now());
  }

  // ---- internals ----

  async #read(state: string): Promise<Session | undefined> {
    const raw = await this.#view.get(sessionKey(state));
    return raw === undefined ? undefined : parseSession(raw, this.sessionLifetime);
  }

  #alive(session: Session | undefined): Session {
    if (session === undefined) throw new VerificationError('checkState', 'the state value belongs to no session of this RP');
    const now = this.#now();
    if (session.expires <= now) {
      const what = session.status === 'pending' ? 'the login' : 'the session';
      throw new VerificationError('checkStateExpiry', `${what} expired ${Math.round(now - session.expires)} s ago`, { detail: { status: session.status, expires: session.expires, now } });
    }
    return session;
  }

  /** An atomic read-modify-write of a live session (serialised within the process, compare-and-set across). */
  async #update(state: string, modify: (session: Session) => Session | undefined): Promise<void> {
    await this.#locks.run(sessionKey(state), () =>
      this.#view.update(sessionKey(state), (raw) => {
        const session = this.#alive(raw === undefined ? undefined : parseSession(raw, this.sessionLifetime));
        const next = modify(session);
        if (next === undefined) return undefined;
        return { value: this.#encode(next), ttlMs: this.#keepMs(next, this.#now()) };
      }),
    );
  }

  /** A session as stored, within the size limit. */
  #encode(session: Session): string {
    const text = JSON.stringify(session);
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes > this.maxValueBytes) {
      throw new CapacityError('storedValueSize', `the session would hold ${bytes} bytes, over the limit of ${this.maxValueBytes}`, { detail: { bytes, limit: this.maxValueBytes } });
    }
    return text;
  }

  /**
   * How long the store keeps a session's keys: until it expires, and one more pending lifetime,
   * during which it is refused by name (`checkStateExpiry`) rather than forgotten.
   */
  #keepMs(session: SessionHeader, now: number): number {
    return Math.max(1, (session.expires - now + this.pendingLoginLifetime) * 1000);
  }

  /** The bucket width of the pending counter, in seconds. */
  get #bucketSeconds(): number {
    return Math.max(1, Math.ceil(this.pendingLoginLifetime / PENDING_BUCKETS));
  }

  #pendingCount(buckets: Record<string, number>, now: number): number {
    const width = this.#bucketSeconds;
    let count = 0;
    for (const [bucket, n] of Object.entries(buckets)) if ((Number(bucket) + 1) * width > now - this.pendingLoginLifetime) count += n;
    return count;
  }

  /**
   * Counts a pending login in (`+1`, refusing it at the cap) or out (`-1`, when it is consumed or
   * removed). The counter is one key of started logins per time bucket: buckets older than the
   * pending lifetime drop out, so logins that expire unconsumed stop counting on their own.
   */
  async #countPending(now: number, created: number, delta: 1 | -1): Promise<void> {
    const width = this.#bucketSeconds;
    const bucket = String(Math.floor(created / width));
    await this.#locks.run(PENDING_KEY, () =>
      this.#view.update(PENDING_KEY, (raw) => {
        const buckets = parsePendingBuckets(raw);
        for (const key of Object.keys(buckets)) if ((Number(key) + 1) * width <= now - this.pendingLoginLifetime) delete buckets[key];
        if (delta > 0) {
          const pending = this.#pendingCount(buckets, now);
          if (pending >= this.maxPendingLogins) {
            throw new CapacityError('pendingLoginCap', `${pending} logins are pending, the most this RP accepts (max_pending_logins); try again when some have completed or expired`, {
              detail: { pending, limit: this.maxPendingLogins },
            });
          }
          buckets[bucket] = (buckets[bucket] ?? 0) + 1;
        } else {
          if (!buckets[bucket]) return undefined;
          buckets[bucket] -= 1;
          if (buckets[bucket] === 0) delete buckets[bucket];
        }
        // Written even when empty, never removed: it expires on its own. (A key removed and written
        // again at every login costs a Map, and so the memory store, a rehash of every key now and then.)
        return { value: JSON.stringify(buckets), ttlMs: (this.pendingLoginLifetime + width) * 1000 };
      }),
    );
  }

}

function parseCounter(raw: string | undefined): SubCounter {
  const parsed = raw === undefined ? undefined : parseJson(raw);
  if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
    const { low, next } = parsed as Partial<SubCounter>;
    if (Number.isSafeInteger(low) && Number.isSafeInteger(next) && (low as number) <= (next as number)) return { low: low as number, next: next as number };
  }
  return { low: 0, next: 0 };
}

function parsePendingBuckets(raw: string | undefined): Record<string, number> {
  const parsed = raw === undefined ? undefined : parseJson(raw);
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return {};
  const buckets: Record<string, number> = {};
  for (const [key, value] of Object.entries(parsed)) if (/^\d+$/.test(key) && Number.isSafeInteger(value) && (value as number) > 0) buckets[key] = value as number;
  return buckets;
}
