/**
 * The OP's state: its configuration (issuer, keys, users, behaviour, clock), registered clients,
 * the one login session, authorization codes, access and refresh tokens, and the request log.
 * The endpoints are stateless functions over a {@link Provider}.
 *
 * @module
 */
import type { OpBehaviour } from './behaviour.js';
import { mergeBehaviour } from './behaviour.js';
import { LIFETIMES } from './capabilities.js';
import type { Client } from './client-metadata.js';
import { validateClientMetadata } from './client-metadata.js';
import type { IssuerEndpointName } from './endpoint-paths.js';
import { ENDPOINT_PATHS } from './endpoint-paths.js';
import type { OpKeys } from './keys.js';
import { randomAlphanumeric, randomHex, randomToken } from './random.js';
import { RequestLog } from './request-log.js';
import type { ClaimsRequest } from './scope-claims.js';
import type { User } from './users.js';
import { DEFAULT_USER } from './users.js';

/** The end user's login session at the OP (there is one browser, so at most one session). */
export interface Session {
  /** Session id. */
  readonly sid: string;
  /** The logged-in user. */
  readonly user: User;
  /** When the user authenticated, in seconds since the epoch. */
  readonly authTime: number;
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
  /** Behaviour overrides, merged over the well-behaved default. */
  readonly behaviour?: Partial<OpBehaviour>;
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
  /** The OP's keys. */
  readonly keys: OpKeys;
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
  readonly #clock: () => number;
  readonly #clientIds: () => string;

  constructor(options: ProviderOptions) {
    this.issuer = new URL(options.issuer).href.replace(/\/+$/, '');
    this.issuerUrl = new URL(this.issuer);
    if (this.issuerUrl.search !== '' || this.issuerUrl.hash !== '') {
      throw new TypeError(`issuer must not have a query or fragment: ${options.issuer}`);
    }
    this.keys = options.keys;
    this.users = options.users !== undefined && options.users.length > 0 ? [...options.users] : [DEFAULT_USER];
    this.behaviour = mergeBehaviour(options.behaviour);
    this.#clock = options.clock ?? Date.now;
    this.#clientIds = options.clientIds ?? (() => randomAlphanumeric(12));
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
    return this.issuer + ENDPOINT_PATHS[name];
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
    const validated = validateClientMetadata(input);
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
    this.session = { sid: randomToken(16), user, authTime: now };
    return this.session;
  }

  /** Ends the session (RP-initiated logout). */
  logout(): void {
    this.session = undefined;
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
