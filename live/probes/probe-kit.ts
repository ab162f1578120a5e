/**
 * What a probe of a provider works with: the provider's metadata, its clients, the user's
 * browser (the login steps of the provider's configuration), and HTTP through the project's
 * `Transport`, which redacts every exchange it records. A probe builds its requests by hand,
 * since it sends what a conforming RP never would.
 */
import { createHash, randomBytes } from 'node:crypto';
import { decodeJwt } from 'jose';
import type { HttpResponse, Transport } from '../../src/index.js';
import { jsonObject, type Answer } from '../../src/interop/rules.js';
import type { BrowserSession, Visit } from '../browser-session.js';

/** A client a probe authenticates as. */
export interface ProbeClient {
  client_id: string;
  client_secret: string;
  /** How it authenticates at the token endpoint. */
  method: 'client_secret_basic' | 'client_secret_post';
  /** Whether it was registered dynamically for the run. */
  dynamic: boolean;
}

/** A probe that cannot run against this provider, with the reason. */
export class ProbeSkipped extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'ProbeSkipped';
  }
}

/** The authorization server refused an authorization request the probe meant to complete. */
export class AuthorizationRefused extends Error {
  /** The `error` the provider returned to the redirect URI, when it did. */
  readonly error: string | undefined;

  constructor(message: string, error: string | undefined) {
    super(message);
    this.name = 'AuthorizationRefused';
    this.error = error;
  }
}

/** What the kit is given by the run. */
export interface ProbeKitOptions {
  issuer: string;
  /** The provider's discovery document. */
  metadata: Record<string, unknown>;
  /** The redirect URI registered for the clients; its origin is the run's listener. */
  redirectUri: string;
  /** The scope the configuration asks for. */
  scope: string;
  /** Whether http is in order for the provider's URLs (loopback, or allowed by the configuration). */
  allowHttp: boolean;
  /** Sends the probe's requests and records them, redacted. */
  http: Transport;
  /** A fresh browser context for the user, with the provider's login steps. */
  openSession(): Promise<BrowserSession>;
  /** The client the probes use: the one registered beforehand, or one registered dynamically once per run. */
  primaryClient(): Promise<ProbeClient>;
  /** Another client of the same provider, registered dynamically once per run. */
  secondClient(): Promise<ProbeClient>;
  /** Notes a secret value the probe handled (a code, a token), for redaction and the secret ledger. */
  noteSecret(value: string): void;
}

/** A completed sign-in: the code and what the request carried. */
export interface ProbeSignIn {
  code: string;
  /** The parameters of the redirect (query or fragment). */
  params: URLSearchParams;
  /** The authorization request's parameters. */
  request: Record<string, string>;
  session: BrowserSession;
  /** Whether the provider asked for credentials. */
  askedForCredentials: boolean;
}

/** A token endpoint answer with its JSON body. */
export interface TokenAnswer extends Answer {
  json: Record<string, unknown> | undefined;
  url: string;
}

/** A fresh random value for state, nonce and PKCE verifiers. */
export function randomValue(bytes = 24): string {
  return randomBytes(bytes).toString('base64url');
}

/** The S256 challenge of a PKCE verifier (RFC 7636, 4.2). */
export function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

/** The parameters a redirect to the RP carried: the query and the fragment (form posts are not used by the probes). */
export function redirectParams(url: string): URLSearchParams {
  const parsed = new URL(url);
  const params = new URLSearchParams(parsed.search);
  for (const [name, value] of new URLSearchParams(parsed.hash.replace(/^#/, ''))) params.append(name, value);
  return params;
}

/** The claims of a JWT, unverified (the probes judge what the provider says, not whether to trust it). */
export function claimsOf(token: unknown): Record<string, unknown> | undefined {
  if (typeof token !== 'string') return undefined;
  try {
    return decodeJwt(token) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** An answer in words: `HTTP 400, error "invalid_grant"`. */
export function describeAnswer(answer: Answer): string {
  const body = jsonObject(answer.body);
  const error = typeof body?.['error'] === 'string' ? `, error "${body['error']}"` : '';
  return `HTTP ${answer.status}${error}`;
}

/** The tools of the probes. */
export class ProbeKit {
  readonly issuer: string;
  readonly metadata: Record<string, unknown>;
  readonly redirectUri: string;
  readonly scope: string;
  readonly allowHttp: boolean;
  readonly #options: ProbeKitOptions;

  constructor(options: ProbeKitOptions) {
    this.#options = options;
    this.issuer = options.issuer;
    this.metadata = options.metadata;
    this.redirectUri = options.redirectUri;
    this.scope = options.scope;
    this.allowHttp = options.allowHttp;
  }

  /** The RP's origin (the run's listener). */
  get rpOrigin(): string {
    return new URL(this.redirectUri).origin;
  }

  /** An endpoint the provider names; the probe cannot run without it. */
  endpoint(member: string): string {
    const url = this.metadata[member];
    if (typeof url !== 'string') throw new ProbeSkipped(`the provider names no ${member} in its discovery document`);
    return url;
  }

  /** A list-valued member of the discovery document, or `fallback` when absent (its default). */
  supported(member: string, fallback: string[] = []): string[] {
    const value = this.metadata[member];
    return Array.isArray(value) ? value.map(String) : fallback;
  }

  /** The scope with `extra` added. */
  scopeWith(...extra: string[]): string {
    return [...new Set([...this.scope.split(/\s+/).filter(Boolean), ...extra])].join(' ');
  }

  primaryClient(): Promise<ProbeClient> {
    return this.#options.primaryClient();
  }

  secondClient(): Promise<ProbeClient> {
    return this.#options.secondClient();
  }

  /** A fresh browser, with no session at the provider. */
  openSession(): Promise<BrowserSession> {
    return this.#options.openSession();
  }

  /** Skips the probe with `reason`. */
  skip(reason: string): never {
    throw new ProbeSkipped(reason);
  }

  /**
   * An authorization request for `client`: the code flow with the configured scope, a fresh state
   * and nonce and an S256 PKCE challenge, then `overrides` (an `undefined` value removes a parameter).
   */
  authorizationRequest(client: ProbeClient, overrides: Record<string, string | undefined> = {}): { url: string; params: Record<string, string>; verifier: string | undefined } {
    const verifier = randomValue(32);
    const base: Record<string, string | undefined> = {
      response_type: 'code',
      client_id: client.client_id,
      redirect_uri: this.redirectUri,
      scope: this.scope,
      state: randomValue(),
      nonce: randomValue(),
      code_challenge: s256(verifier),
      code_challenge_method: 'S256',
      ...overrides,
    };
    const params = Object.fromEntries(Object.entries(base).filter((e): e is [string, string] => e[1] !== undefined));
    const url = new URL(this.endpoint('authorization_endpoint'));
    for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
    this.#options.noteSecret(verifier);
    return { url: url.href, params, verifier: params['code_challenge'] === undefined ? undefined : verifier };
  }

  /**
   * The user signs in through a browser (a fresh one unless `session` is given) and the provider
   * sends it back with a code.
   * @throws {AuthorizationRefused} when the provider answers the redirect URI with an error, or never comes back.
   */
  async signIn(client: ProbeClient, overrides: Record<string, string | undefined> = {}, session?: BrowserSession): Promise<ProbeSignIn & { verifier: string | undefined }> {
    const request = this.authorizationRequest(client, overrides);
    const browser = session ?? await this.openSession();
    let url: string;
    let askedForCredentials: boolean;
    try {
      const signedIn = await browser.signIn(request.url);
      url = signedIn.url;
      askedForCredentials = signedIn.askedForCredentials;
    } catch (error) {
      throw new AuthorizationRefused(`the sign-in did not complete: ${(error as Error).message}`, undefined);
    }
    const params = redirectParams(url);
    const code = params.get('code');
    if (code === null) {
      const error = params.get('error') ?? undefined;
      throw new AuthorizationRefused(`the provider answered the authorization request with ${error === undefined ? 'no code' : `the error "${error}"${params.get('error_description') ? ` (${params.get('error_description')})` : ''}`}`, error);
    }
    this.#options.noteSecret(code);
    return { code, params, request: request.params, session: browser, askedForCredentials, verifier: request.verifier };
  }

  /** Opens an authorization request in `session` and sees where the browser ends. */
  async visit(session: BrowserSession, url: string, options: { signInIfAsked?: boolean } = {}): Promise<Visit & { params: URLSearchParams | undefined; path: string | undefined }> {
    const visit = await session.visit(url, options);
    if (visit.at !== 'rp') return { ...visit, params: undefined, path: undefined };
    const params = redirectParams(visit.url);
    const code = params.get('code');
    if (code !== null) this.#options.noteSecret(code);
    return { ...visit, params, path: new URL(visit.url).pathname };
  }

  /**
   * A token request: `body` as given, with `client`'s authentication (HTTP Basic, or the secret in
   * the body), or with `secret` instead of the client's real one.
   */
  async token(client: ProbeClient, body: Record<string, string | undefined>, options: { secret?: string } = {}): Promise<TokenAnswer> {
    const url = this.endpoint('token_endpoint');
    const secret = options.secret ?? client.client_secret;
    if (options.secret !== undefined) this.#options.noteSecret(options.secret);
    const form = new URLSearchParams();
    for (const [name, value] of Object.entries(body)) if (value !== undefined) form.set(name, value);
    const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' };
    if (client.method === 'client_secret_basic') {
      headers['Authorization'] = `Basic ${Buffer.from(`${encodeURIComponent(client.client_id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
    } else {
      form.set('client_id', client.client_id);
      form.set('client_secret', secret);
    }
    const response = await this.#options.http.send({ method: 'POST', url, headers, body: form.toString() });
    return this.#answer(response);
  }

  /** Exchanges a sign-in's code (with its redirect URI and verifier), as the client did it right. */
  exchange(client: ProbeClient, signIn: ProbeSignIn & { verifier: string | undefined }, overrides: Record<string, string | undefined> = {}): Promise<TokenAnswer> {
    return this.token(client, {
      grant_type: 'authorization_code',
      code: signIn.code,
      redirect_uri: signIn.request['redirect_uri'],
      code_verifier: signIn.verifier,
      ...overrides,
    });
  }

  /** A token answer that issued tokens. */
  issued(answer: TokenAnswer): boolean {
    return answer.status >= 200 && answer.status < 300 && typeof answer.json?.['access_token'] === 'string';
  }

  /** The userinfo endpoint with `accessToken` as a Bearer token. */
  async userinfo(accessToken: string): Promise<TokenAnswer> {
    const response = await this.#options.http.send({ method: 'GET', url: this.endpoint('userinfo_endpoint'), headers: { Authorization: `Bearer ${accessToken}`, Accept: 'application/json' } });
    return this.#answer(response);
  }

  /** A GET of one of the provider's documents (discovery, JWKS). */
  async get(url: string): Promise<TokenAnswer> {
    return this.#answer(await this.#options.http.send({ method: 'GET', url, headers: { Accept: 'application/json' } }));
  }

  #answer(response: HttpResponse): TokenAnswer {
    const json = jsonObject(response.body);
    for (const member of ['access_token', 'refresh_token', 'id_token']) {
      const value = json?.[member];
      if (typeof value !== 'string') continue;
      // A JWT keeps its header and claims in reports (the signature is what makes it usable).
      const parts = value.split('.');
      this.#options.noteSecret(parts.length === 3 && parts[2] !== '' ? parts[2]! : value);
    }
    return { status: response.status, headers: response.headers, body: response.body, json, url: response.url };
  }
}
