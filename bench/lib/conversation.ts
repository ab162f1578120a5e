/**
 * One whole code-flow conversation against the in-process mock OP, done twice: through this
 * service layer (`RelyingParty`) and through openid-client 6. Both go through the global `fetch`,
 * which MSW intercepts; both register dynamically (client_secret_basic), use PKCE S256, state and
 * nonce, verify the ID token's signature and claims, and fetch userinfo with a subject check.
 *
 * Per conversation, for both: discovery, registration, the authorization URL, the "browser" (a GET
 * of that URL answered with a 303 to the redirect URI carrying code and state), the code exchange
 * with the JWKS fetch and ID token verification, userinfo. Nothing is cached across conversations:
 * each one is a new RP (a new `RelyingParty`, a new openid-client `Configuration`).
 */
import * as oidc from 'openid-client';
import { RelyingParty, Transport, type RPConfig } from '../../src/index.js';
import type { MockOp } from '../../mock-op/index.js';

export const RP_BASE = 'https://rp.bench.example';
export const REDIRECT_URI = `${RP_BASE}/cb`;
const SCOPE = 'openid profile email';

/** The "browser": opens the authorization URL, expects the 303 back to the RP, returns its Location. */
export async function followAuthorization(url: string): Promise<string> {
  const response = await fetch(url, { redirect: 'manual' });
  const location = response.headers.get('location');
  await response.body?.cancel();
  if (response.status !== 303 || location === null || !location.startsWith(REDIRECT_URI)) {
    throw new Error(`the OP answered the authorization request with ${response.status} ${location ?? ''}`);
  }
  return location;
}

/** What a conversation ended with (checked once, to know both did the same thing). */
export interface ConversationOutcome {
  sub: string;
  idTokenSub: string;
  userinfo: Record<string, unknown>;
}

/** The conversation through this service layer. */
export function oursConversation(op: MockOp, transport: Transport): () => Promise<ConversationOutcome> {
  const config: RPConfig = {
    base_url: RP_BASE,
    redirect_uris: [REDIRECT_URI],
    issuer: op.issuer,
    // The in-process mock OP's host is in no DNS: the address guard is told so.
    allow: { unchecked_hosts: [new URL(op.issuer).hostname] },
    client_preferences: {
      application_type: 'web',
      response_types: ['code'],
      scope: SCOPE.split(' '),
      token_endpoint_auth_method: ['client_secret_basic'],
    },
  };
  return async () => {
    const rp = await RelyingParty.create(config, { transport });
    await rp.discover();
    await rp.register();
    const { url, state } = await rp.beginLogin({ scope: SCOPE });
    const redirect = await followAuthorization(url);
    const { token } = await rp.finishLogin(redirect, state);
    const userinfo = await rp.userInfo(state);
    const idTokenSub = token?.verified_id_token?.['sub'];
    if (typeof idTokenSub !== 'string') throw new Error('no verified ID token');
    return { sub: String(userinfo['sub']), idTokenSub, userinfo };
  };
}

/** The same conversation through openid-client 6, with ID token signature checks switched on. */
export function openidClientConversation(op: MockOp, options: { nonRepudiation: boolean } = { nonRepudiation: true }): () => Promise<ConversationOutcome> {
  const server = new URL(op.issuer);
  const metadata = {
    redirect_uris: [REDIRECT_URI],
    response_types: ['code'],
    application_type: 'web',
    token_endpoint_auth_method: 'client_secret_basic',
  };
  // openid-client does not check the signature of an ID token from the token endpoint unless told to
  // (OIDC Core 3.1.3.7 allows relying on TLS instead); this layer always checks it.
  const execute = options.nonRepudiation ? [oidc.enableNonRepudiationChecks] : [];
  return async () => {
    const config = await oidc.dynamicClientRegistration(server, metadata, oidc.ClientSecretBasic(), { execute });
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT_URI,
      scope: SCOPE,
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    const redirect = await followAuthorization(url.href);
    const tokens = await oidc.authorizationCodeGrant(config, new URL(redirect), {
      pkceCodeVerifier: codeVerifier,
      expectedState: state,
      expectedNonce: nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    if (!claims) throw new Error('no ID token');
    const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
    return { sub: userinfo.sub, idTokenSub: claims.sub, userinfo };
  };
}

/**
 * The floor: the same six requests with bare `fetch` and no checks at all (no PKCE, no signature,
 * no claims, JSON read and nothing verified). What is left of a conversation's time when the RP does
 * nothing: the mock OP's work (an RS256 signature per ID token among it) and MSW's interception.
 */
export function bareConversation(op: MockOp): () => Promise<ConversationOutcome> {
  const discoveryUrl = op.discoveryUrl;
  return async () => {
    const meta = (await (await fetch(discoveryUrl)).json()) as Record<string, string>;
    const registered = (await (await fetch(meta['registration_endpoint']!, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ redirect_uris: [REDIRECT_URI], response_types: ['code'], application_type: 'web', token_endpoint_auth_method: 'client_secret_basic' }),
    })).json()) as Record<string, string>;
    const clientId = registered['client_id']!;
    const url = new URL(meta['authorization_endpoint']!);
    url.search = new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: REDIRECT_URI, scope: SCOPE, state: 'bare-state', nonce: 'bare-nonce' }).toString();
    const code = new URL(await followAuthorization(url.href)).searchParams.get('code')!;
    const basic = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(registered['client_secret']!)}`).toString('base64');
    const tokens = (await (await fetch(meta['token_endpoint']!, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}` },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI }),
    })).json()) as Record<string, string>;
    await (await fetch(meta['jwks_uri']!)).json();
    const userinfo = (await (await fetch(meta['userinfo_endpoint']!, { headers: { authorization: `Bearer ${tokens['access_token']}` } })).json()) as Record<string, unknown>;
    const sub = String(userinfo['sub']);
    return { sub, idTokenSub: sub, userinfo };
  };
}

/** Flips a byte in the middle of the signature of a compact JWS (what the conformance OP does). */
export function corruptSignature(jwt: string): string {
  const [header, payload, signature] = jwt.split('.');
  const bytes = Buffer.from(signature!, 'base64url');
  bytes[bytes.length >> 1]! ^= 0xff;
  return `${header}.${payload}.${bytes.toString('base64url')}`;
}

/** What the sanity check found for one contestant. */
export interface SanityResult {
  /** The good conversation completed. */
  completes: boolean;
  /** The requests the OP received during the good conversation (`METHOD endpoint`), and what they carried. */
  requests?: string[];
  /** The conversation against an OP with a corrupted ID token signature was refused. */
  rejectsBadSignature: boolean;
  /** The error the refusal carried. */
  rejection?: string;
}

/**
 * Runs each conversation once against the well-behaved OP and once against the same OP with the
 * ID token signature corrupted; a contestant that accepts the bad signature is not verifying.
 */
export async function sanityCheck(op: MockOp, conversation: () => Promise<ConversationOutcome>): Promise<SanityResult & { outcome?: ConversationOutcome }> {
  op.setBehaviour();
  op.clearRequests();
  let outcome: ConversationOutcome | undefined;
  try {
    outcome = await conversation();
  } catch (error) {
    return { completes: false, rejectsBadSignature: false, rejection: describe(error) };
  }
  const requests = op.requests.all().map((r) => {
    const notes: string[] = [];
    if (r.endpoint === 'authorization') {
      const query = new URL(r.url).searchParams;
      for (const name of ['state', 'nonce', 'code_challenge']) if (query.has(name)) notes.push(name);
      notes.push(`method=${query.get('code_challenge_method') ?? '-'}`);
    }
    if (r.endpoint === 'token') {
      if (r.headers['authorization']?.startsWith('Basic ')) notes.push('basic');
      if (new URLSearchParams(r.body).has('code_verifier')) notes.push('code_verifier');
    }
    if (r.endpoint === 'userinfo' && r.headers['authorization']?.startsWith('Bearer ')) notes.push('bearer');
    return `${r.method} ${r.endpoint} ${r.status ?? '?'}${notes.length ? ` (${notes.join(', ')})` : ''}`;
  });
  op.setBehaviour({ jwt: (token, ctx) => (ctx.purpose === 'id_token' ? corruptSignature(token) : token) });
  try {
    await conversation();
    return { completes: true, requests, rejectsBadSignature: false, outcome };
  } catch (error) {
    return { completes: true, requests, rejectsBadSignature: true, rejection: describe(error), outcome };
  } finally {
    op.setBehaviour();
  }
}

/** The error's class, check or code, and message, with those of its causes (openid-client nests them). */
function describe(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error, depth = 0; e !== undefined && depth < 4; depth += 1) {
    if (!(e instanceof Error)) {
      parts.push(typeof e === 'object' && e !== null ? `{ ${Object.keys(e).join(', ')} }` : String(e));
      break;
    }
    const check = (e as { check?: unknown }).check ?? (e as { code?: unknown }).code;
    parts.push(`${e.constructor.name}${typeof check === 'string' ? ` ${check}` : ''}: ${e.message}`);
    e = e.cause;
  }
  return parts.join(' <- ').slice(0, 300);
}
