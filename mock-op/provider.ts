/**
 * The OP's state: its configuration (issuer, keys, users, behaviour, clock), registered clients,
 * the one login session, authorization codes, access and refresh tokens, and the request log.
 * The endpoints are stateless functions over a {@link Provider}.
 *
 * @module
 */
import type { JsonObject, OpBehaviour } from './behaviour.js';
import { mergeBehaviour } from './behaviour.js';
import { LIFETIMES } from './capabilities.js';
import type { Client } from './client-metadata.js';
import { validateClientMetadata } from './client-metadata.js';
import type { IssuerEndpointName } from './endpoint-paths.js';
import { ENDPOINT_PATHS } from './endpoint-paths.js';
import { nextRotationKey } from './key-rotation.js';
import type { OpKey, OpKeys } from './keys.js';
import type { BackchannelLogoutDelivery, LogoutRecord } from './logout.js';
import { endSession, frontchannelLogoutUris, sendBackchannelLogout } from './logout.js';
import { randomAlphanumeric, randomHex, randomToken } from './random.js';
import { RequestLog } from './request-log.js';
import type { ClaimsRequest } from './scope-claims.js';
import { initiateLoginUrl } from './third-party-login.js';
import type { InitiateLoginOptions } from './third-party-login.js';
import type { User } from './users.js';
import { DEFAULT_USER } from './users.js';

/** The end user's login session at the OP (there is one browser, so at most one session). */
export interface Session {
  /** Session id (`sid` in ID tokens and logout tokens). */
  readonly sid: string;
  /** The logged-in user. */
  readonly user: User;
  /** When the user authenticated, in seconds since the epoch. */
  readonly authTime: number;
  /** The clients that received an authorization response in this session (logout notifies them). */
  readonly clients: Set<string>;
}

/** A behaviour built for one provider (so that it can keep per-OP state or change the provider). */
export type BehaviourFactory = (op: Provider) => Partial<OpBehaviour>;

/** What a distributed-claims access token stands for (see `claims-sources.ts`). */
export interface ClaimsSourceGrant {
  /** The claims the claims source answers with. */
  readonly claims: JsonObject;
  /** Seconds since the epoch. */
  readonly expiresAt: number;
}

/** What an authorization code stands for. */
export interface AuthorizationCodeGrant {
  readonly code: string;
  readonly clientId: string;
  /** The `redirect_uri` of the authorization request (always present: the OP requires it). */
  readonly redirectUri: string;
  readonly scope: string;
  readonly nonce?: string;
  /** PKCE S256 challenge, when the request had one. */
  readonly codeChallenge?: string;
  readonly claims?: ClaimsRequest;
  readonly user: User;
  readonly authTime: number;
  /** The session it was issued in (`sid` of the ID token). */
  readonly sid?: string;
  /** The `acr` chosen at authorization. */
  readonly acr?: string;
  /** Seconds since the epoch. */
  readonly expiresAt: number;
  /** Set once the code has been redeemed; a second redemption fails and revokes its tokens. */
  consumed: boolean;
}

/** What an access token stands for. */
export interface AccessTokenGrant {
  readonly token: string;
  readonly clientId: string;
  readonly scope: string;
  readonly claims?: ClaimsRequest;
  readonly user: User;
  readonly expiresAt: number;
  /** The code it was issued for, if any (to revoke it when the code is replayed). */
  readonly code?: string;
}

/** What a refresh token stands for. */
export interface RefreshTokenGrant {
  readonly token: string;
  readonly clientId: string;
  readonly scope: string;
  readonly claims?: ClaimsRequest;
  readonly user: User;
  readonly authTime: number;
  /** The session it was issued in. */
  readonly sid?: string;
  /** The `acr` chosen at authorization. */
  readonly acr?: string;
  readonly expiresAt: number;
  readonly code?: string;
}

/** Options of a {@link Provider}. */
export interface ProviderOptions {
  /** The issuer identifier; normalized by URL parsing and a trailing slash removed. */
  readonly issuer: string;
  /** The OP's keys (see `generateOpKeys`). */
  readonly keys: OpKeys;
  /** Users; the first is the one logged in by default. Defaults to {@link DEFAULT_USER}. */
  readonly users?: readonly User[];
  /**
   * Behaviour overrides, merged over the well-behaved default; a function is called once with the
   * new provider (after its state is set up) and its result merged.
   */
  readonly behaviour?: Partial<OpBehaviour> | BehaviourFactory;
  /** Milliseconds since the epoch; defaults to `Date.now`. Lets tests move time. */
  readonly clock?: () => number;
  /** Draws the `client_id` of each new client; default 12 random alphanumerics. */
  readonly clientIds?: () => string;
}

/** Registration input of a static client: metadata plus optional fixed credentials. */
export interface StaticClient {
  /** The client id; random when absent. */
  readonly client_id?: string;
  /** The client secret; random when absent. */
  readonly client_secret?: string;
  /** Client metadata as in a registration request (`redirect_uris` required). */
  readonly [metadata: string]: unknown;
}

/** The state of one mock OP. */
export class Provider {
  /** The issuer identifier, without trailing slash. */
  readonly issuer: string;
  /** The issuer as a URL. */
  readonly issuerUrl: URL;
  /** The OP's current keys (replaced, never mutated, by rotation). */
  keys: OpKeys;
  /** Signing and encryption keys rotated out: no longer published, still good for `id_token_hint`s. */
  readonly retiredKeys: OpKey[] = [];
  /** The paths of the endpoints under the issuer (a behaviour may move one, e.g. `jwks`). */
  readonly endpointPaths: Record<IssuerEndpointName, string> = { ...ENDPOINT_PATHS };
  /** The users; the first is logged in unless a `login_hint` names another. */
  readonly users: readonly User[];
  /** The current behaviour (well-behaved unless overridden). */
  behaviour: OpBehaviour;
  /** Registered clients by `client_id`. */
  readonly clients = new Map<string, Client>();
  /** Issued authorization codes. */
  readonly codes = new Map<string, AuthorizationCodeGrant>();
  /** Issued access tokens. */
  readonly accessTokens = new Map<string, AccessTokenGrant>();
  /** Issued refresh tokens. */
  readonly refreshTokens = new Map<string, RefreshTokenGrant>();
  /** `jti`s of client assertions already used (replay protection). */
  readonly usedAssertionIds = new Set<string>();
  /** Every request received. */
  readonly requests = new RequestLog();
  /** The end user's session, if logged in. */
  session: Session | undefined;
  /** The last session that ended (by logout), for logout notifications after the fact. */
  lastEndedSession: Session | undefined;
  /**
   * The OP browser state of Session Management 1.0: a random value that changes whenever the login
   * status changes (a new session, a logout).
   */
  browserState: string = randomToken(16);
  /** Every session ended by logout, oldest first, with the notifications sent. */
  readonly logouts: LogoutRecord[] = [];
  /** Every back-channel logout POST the OP made, oldest first, with the RP's answer. */
  readonly backchannelDeliveries: BackchannelLogoutDelivery[] = [];
  /** ID tokens issued (as delivered, possibly encrypted) and the client they went to: `id_token_hint` lookup. */
  readonly issuedIdTokens = new Map<string, string>();
  /** Access tokens of distributed claims, answered by the claims source endpoint. */
  readonly claimsSourceTokens = new Map<string, ClaimsSourceGrant>();
  readonly #usedKids = new Set<string>();
  readonly #clock: () => number;
  readonly #clientIds: () => string;

  constructor(options: ProviderOptions) {
    this.issuer = new URL(options.issuer).href.replace(/\/+$/, '');
    this.issuerUrl = new URL(this.issuer);
    if (this.issuerUrl.search !== '' || this.issuerUrl.hash !== '') {
      throw new TypeError(`issuer must not have a query or fragment: ${options.issuer}`);
    }
    this.keys = options.keys;
    this.#usedKids.add(options.keys.rs256.kid).add(options.keys.encryption.kid);
    this.users = options.users !== undefined && options.users.length > 0 ? [...options.users] : [DEFAULT_USER];
    this.#clock = options.clock ?? Date.now;
    this.#clientIds = options.clientIds ?? (() => randomAlphanumeric(12));
    this.behaviour = mergeBehaviour();
    const behaviour = options.behaviour;
    this.behaviour = mergeBehaviour(typeof behaviour === 'function' ? behaviour(this) : behaviour);
  }

  /** The current time in whole seconds since the epoch (from the clock). */
  now(): number {
    return Math.floor(this.#clock() / 1000);
  }

  /** The current time as a `Date` (from the clock). */
  currentDate(): Date {
    return new Date(this.#clock());
  }

  /** The absolute URL of an endpoint under the issuer. */
  endpointUrl(name: IssuerEndpointName): string {
    return this.issuer + this.endpointPaths[name];
  }

  /** The registration client URI of a client id. */
  registrationClientUri(clientId: string): string {
    return `${this.endpointUrl('registration')}/${encodeURIComponent(clientId)}`;
  }

  /**
   * Registers a client after validating its metadata (throws `ClientMetadataError`).
   * Dynamic registrations also get a registration access token and client URI.
   */
  registerClient(input: StaticClient, options: { dynamic: boolean }): Client {
    const validated = validateClientMetadata(this.behaviour.clientMetadata({ ...input }, { op: this, dynamic: options.dynamic }));
    const client_id = typeof input.client_id === 'string' ? input.client_id : this.#clientIds();
    const client_secret = typeof input.client_secret === 'string' ? input.client_secret : randomHex(32);
    const client: Client = {
      ...validated,
      client_id,
      client_secret,
      client_id_issued_at: this.now(),
      client_secret_expires_at: 0,
      ...(options.dynamic
        ? { registration_access_token: randomToken(), registration_client_uri: this.registrationClientUri(client_id) }
        : {}),
    };
    this.clients.set(client_id, client);
    return client;
  }

  /** The user named by a `login_hint`, else the default (first) user. */
  userFor(loginHint: string | undefined): User {
    return this.users.find((u) => u.id === loginHint) ?? this.users[0]!;
  }

  /**
   * Logs `user` in, or keeps the current session when it is the same user, younger than
   * `maxAge` seconds and `forceLogin` is not set. Returns the session.
   */
  login(user: User, options: { maxAge?: number; forceLogin?: boolean } = {}): Session {
    const now = this.now();
    const current = this.session;
    const fresh =
      current !== undefined &&
      current.user.id === user.id &&
      options.forceLogin !== true &&
      (options.maxAge === undefined || now - current.authTime <= options.maxAge);
    if (fresh) return current;
    this.session = { sid: randomToken(16), user, authTime: now, clients: new Set() };
    this.browserState = randomToken(16);
    return this.session;
  }

  /**
   * Ends the session without notifying anyone (see {@link endSession} for a logout that notifies
   * the clients). Returns the session that ended.
   */
  logout(): Session | undefined {
    const ended = this.session;
    if (ended !== undefined) this.lastEndedSession = ended;
    this.session = undefined;
    this.browserState = randomToken(16);
    return ended;
  }

  /**
   * Ends the session the way the end_session endpoint does: records a {@link LogoutRecord} with the
   * front-channel logout URIs of the session's clients and POSTs a logout token to each client's
   * `backchannel_logout_uri` (awaiting the RP's answers). `clientId` adds a client to notify (the
   * `id_token_hint`'s audience).
   */
  endSession(options: { clientId?: string } = {}): Promise<LogoutRecord> {
    return endSession(this, { trigger: 'api', ...options });
  }

  /**
   * POSTs a back-channel logout token for the current session (else the last ended one, else the
   * first user without `sid`) to the client's `backchannel_logout_uri`, and records the delivery.
   * Throws when the client is unknown or registered no `backchannel_logout_uri`.
   */
  async backchannelLogout(clientId: string): Promise<BackchannelLogoutDelivery> {
    const client = this.clients.get(clientId);
    if (client === undefined) throw new Error(`unknown client ${clientId}`);
    return sendBackchannelLogout(this, client, this.session ?? this.lastEndedSession, 'api');
  }

  /**
   * The front-channel logout URIs (with `iss` and `sid` for clients that registered
   * `frontchannel_logout_session_required`) of the clients of `session` (default: the current
   * session, else the last ended one).
   */
  frontchannelLogoutUris(session: Session | undefined = this.session ?? this.lastEndedSession): string[] {
    return frontchannelLogoutUris(this, session);
  }

  /**
   * Where the OP sends the user for a third-party initiated login: the client's registered
   * `initiate_login_uri` with `iss` (and `login_hint` / `target_link_uri` when given).
   */
  initiateLoginUrl(clientId: string, options: InitiateLoginOptions = {}): string {
    return initiateLoginUrl(this, clientId, options);
  }

  /**
   * Rotates the RS256 signing key: the next spare key (or a freshly generated one) replaces it,
   * the old one leaves the JWKS. Returns the new key.
   */
  async rotateSigningKey(): Promise<OpKey> {
    const next = await nextRotationKey('RS256', this.keys.spares?.rs256 ?? [], this.#usedKids);
    this.retiredKeys.push(this.keys.rs256);
    this.keys = { ...this.keys, rs256: next };
    return next;
  }

  /**
   * Rotates the RSA-OAEP encryption key: the next spare key (or a freshly generated one) replaces
   * it; request objects encrypted to the old key are refused from then on. Returns the new key.
   */
  async rotateEncryptionKey(): Promise<OpKey> {
    const next = await nextRotationKey('RSA-OAEP', this.keys.spares?.encryption ?? [], this.#usedKids);
    this.retiredKeys.push(this.keys.encryption);
    this.keys = { ...this.keys, encryption: next };
    return next;
  }

  /** Issues an authorization code. */
  issueCode(grant: Omit<AuthorizationCodeGrant, 'code' | 'expiresAt' | 'consumed'>): AuthorizationCodeGrant {
    const issued: AuthorizationCodeGrant = {
      ...grant,
      code: randomToken(),
      expiresAt: this.now() + LIFETIMES.code,
      consumed: false,
    };
    this.codes.set(issued.code, issued);
    return issued;
  }

  /** Issues an access token. */
  issueAccessToken(grant: Omit<AccessTokenGrant, 'token' | 'expiresAt'>): AccessTokenGrant {
    const issued: AccessTokenGrant = { ...grant, token: randomToken(), expiresAt: this.now() + LIFETIMES.accessToken };
    this.accessTokens.set(issued.token, issued);
    return issued;
  }

  /** Issues a refresh token. */
  issueRefreshToken(grant: Omit<RefreshTokenGrant, 'token' | 'expiresAt'>): RefreshTokenGrant {
    const issued: RefreshTokenGrant = { ...grant, token: randomToken(), expiresAt: this.now() + LIFETIMES.refreshToken };
    this.refreshTokens.set(issued.token, issued);
    return issued;
  }

  /** Revokes every token issued for an authorization code (after a replay of the code). */
  revokeTokensOfCode(code: string): void {
    for (const [token, grant] of this.accessTokens) if (grant.code === code) this.accessTokens.delete(token);
    for (const [token, grant] of this.refreshTokens) if (grant.code === code) this.refreshTokens.delete(token);
  }
}
