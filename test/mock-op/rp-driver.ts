/**
 * A minimal RP for the mock OP tests: drives an OP through its Fetch API `handle` function (no
 * network, no MSW) the way a Relying Party would, written from the specs rather than from the OP's
 * code. Not a test file itself (no `.test.ts`).
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';

/** The RP's origin and redirect URI in these tests. */
export const RP = 'https://rp.example';
/** The RP's redirect URI. */
export const REDIRECT = `${RP}/cb`;

/** A registration response. */
export interface Registered {
  client_id: string;
  client_secret: string;
  [member: string]: unknown;
}

/** Answers a request, or `undefined` when it is not the OP's. */
export type Handle = (request: Request) => Promise<Response | undefined>;

/** HTTP Basic credentials the RFC 6749 2.3.1 way. */
export function basic(id: string, secret: string): string {
  const enc = (s: string): string => new URLSearchParams({ s }).toString().slice(2);
  return `Basic ${Buffer.from(`${enc(id)}:${enc(secret)}`).toString('base64')}`;
}

/** base64url of the left half of SHA-256 (at_hash / c_hash of RS256 tokens). */
export function halfHash(value: string): string {
  return createHash('sha256').update(value, 'ascii').digest().subarray(0, 16).toString('base64url');
}

/** Decodes the HTML entities the OP's form_post page uses. */
function unescapeHtml(text: string): string {
  return text
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');
}

/** The hidden inputs of a form_post page, and its action. */
export async function formPostParams(response: Response): Promise<{ action: string; params: URLSearchParams }> {
  assert.equal(response.status, 200);
  const html = await response.text();
  const action = /<form method="post" action="([^"]*)"/.exec(html)?.[1];
  assert.ok(action !== undefined, 'a form_post page');
  const params = new URLSearchParams();
  for (const m of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)"\/>/g)) params.append(unescapeHtml(m[1]!), unescapeHtml(m[2]!));
  return { action: unescapeHtml(action), params };
}

/** An RP bound to one issuer of an OP. */
export class RpDriver {
  constructor(
    readonly handle: Handle,
    readonly issuer: string,
  ) {}

  /** Sends a request to the OP; fails the test when the OP does not answer it. */
  async fetch(url: string, init?: RequestInit): Promise<Response> {
    const response = await this.handle(new Request(url, init));
    assert.ok(response !== undefined, `the OP answers ${url}`);
    return response;
  }

  /** The discovery document. */
  async discovery(): Promise<Record<string, unknown>> {
    return (await (await this.fetch(`${this.issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
  }

  /** Registers a client dynamically (redirect URI defaulted). */
  async register(metadata: Record<string, unknown> = {}): Promise<Registered> {
    const response = await this.fetch(`${this.issuer}/registration`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ redirect_uris: [REDIRECT], ...metadata }),
    });
    assert.equal(response.status, 201, await response.clone().text());
    return (await response.json()) as Registered;
  }

  /** The raw authorization response. */
  async authorizeRaw(params: Record<string, string>): Promise<Response> {
    return this.fetch(`${this.issuer}/authorization?${new URLSearchParams(params)}`, { redirect: 'manual' });
  }

  /**
   * Sends an authorization request and returns the response parameters (from the query, fragment
   * or form_post page). Nonce and state are added unless given.
   */
  async authorize(client: Registered, params: Record<string, string> = {}): Promise<URLSearchParams> {
    const response = await this.authorizeRaw({
      client_id: client.client_id,
      redirect_uri: REDIRECT,
      response_type: 'code',
      scope: 'openid',
      state: 'st',
      nonce: 'nn',
      ...params,
    });
    if (response.status === 200) return (await formPostParams(response)).params;
    assert.equal(response.status, 303, await response.clone().text());
    const url = new URL(response.headers.get('location')!);
    return url.hash.length > 1 ? new URLSearchParams(url.hash.slice(1)) : url.searchParams;
  }

  /** A token request with client_secret_basic (or the given headers / extra form parameters). */
  async token(client: Registered, form: Record<string, string>, headers?: Record<string, string>): Promise<Response> {
    return this.fetch(`${this.issuer}/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...(headers ?? { Authorization: basic(client.client_id, client.client_secret) }) },
      body: new URLSearchParams(form).toString(),
    });
  }

  /** Authorization (code, PKCE) then the token request; returns the token response body. */
  async codeFlow(client: Registered, params: Record<string, string> = {}): Promise<Record<string, unknown>> {
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const response = await this.authorize(client, { code_challenge: challenge, code_challenge_method: 'S256', ...params });
    const code = response.get('code');
    assert.ok(code !== null, `a code in ${response.toString()}`);
    const tokens = await this.token(client, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier });
    assert.equal(tokens.status, 200, await tokens.clone().text());
    return (await tokens.json()) as Record<string, unknown>;
  }

  /** A UserInfo GET with the Bearer header. */
  async userinfo(accessToken: string): Promise<Response> {
    return this.fetch(`${this.issuer}/userinfo`, { headers: { Authorization: `Bearer ${accessToken}` } });
  }
}
