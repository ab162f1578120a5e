/**
 * Tests of the mock OP, driven the way a Relying Party would drive it: global fetch (with
 * `redirect: 'manual'`) intercepted by MSW's `setupServer`.
 *
 * Run: node --import tsx --test test/mock-op/mock-op.test.ts
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  CompactSign,
  SignJWT,
  base64url,
  createLocalJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  jwtVerify,
} from 'jose';
import type { CryptoKey, JSONWebKeySet, JWK } from 'jose';
import { http } from 'msw';
import { setupServer } from 'msw/node';
import { createMockOp, decodeBasicCredentials, generateOpKeys } from '../../mock-op/index.js';
import type { MockOp, OpKeys } from '../../mock-op/index.js';

const ISSUER = 'https://op.example/oicrp/rp-test';
const RP = 'https://rp.example';
const REDIRECT = `${RP}/cb`;
const FORM = 'application/x-www-form-urlencoded';

let keys: OpKeys;
let op: MockOp;
let server: ReturnType<typeof setupServer>;
/** Served by the RP side of the MSW server: request objects by reference and the client's JWKS. */
const rpFiles = new Map<string, { type: string; body: string }>();
let clientKey: { privateKey: CryptoKey; publicJwk: JWK };

// ---------- helpers, written from the specs rather than from the OP's code ----------

function basic(id: string, secret: string): string {
  const enc = (s: string): string => new URLSearchParams({ s }).toString().slice(2);
  return `Basic ${Buffer.from(`${enc(id)}:${enc(secret)}`).toString('base64')}`;
}

function halfHash(value: string): string {
  const digest = createHash('sha256').update(value, 'ascii').digest();
  return digest.subarray(0, 16).toString('base64url');
}

function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

async function json(response: Response): Promise<Record<string, unknown>> {
  return (await response.json()) as Record<string, unknown>;
}

interface Registered {
  client_id: string;
  client_secret: string;
  registration_access_token: string;
  registration_client_uri: string;
  [member: string]: unknown;
}

async function register(metadata: Record<string, unknown>): Promise<Registered> {
  const response = await fetch(`${ISSUER}/registration`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ redirect_uris: [REDIRECT], ...metadata }),
  });
  assert.equal(response.status, 201, await response.clone().text());
  return (await response.json()) as Registered;
}

/** Sends an authorization request and returns the response (303 expected). */
async function authorize(params: Record<string, string>): Promise<Response> {
  return fetch(`${ISSUER}/authorization?${new URLSearchParams(params)}`, { redirect: 'manual' });
}

/** The parameters of a 303 authorization response, from the query or the fragment. */
function redirectParams(response: Response, where: 'query' | 'fragment'): URLSearchParams {
  assert.equal(response.status, 303);
  const location = response.headers.get('location');
  assert.ok(location !== null, 'Location header');
  const url = new URL(location);
  assert.equal(url.origin + url.pathname, REDIRECT);
  return where === 'query' ? url.searchParams : new URLSearchParams(url.hash.slice(1));
}

async function token(params: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${ISSUER}/token`, {
    method: 'POST',
    headers: { 'Content-Type': FORM, ...headers },
    body: new URLSearchParams(params),
  });
}

async function opJwks(): Promise<ReturnType<typeof createLocalJWKSet>> {
  const discovery = await json(await fetch(`${ISSUER}/.well-known/openid-configuration`));
  const jwks = (await json(await fetch(String(discovery.jwks_uri)))) as unknown as JSONWebKeySet;
  return createLocalJWKSet(jwks);
}

/** Runs authorization (code, PKCE) and returns the code and verifier. */
async function codeFor(client: Registered, extra: Record<string, string> = {}): Promise<{ code: string; verifier: string }> {
  const { verifier, challenge } = pkce();
  const response = await authorize({
    client_id: client.client_id,
    redirect_uri: REDIRECT,
    response_type: 'code',
    scope: 'openid profile email',
    state: 'st',
    nonce: 'nn',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...extra,
  });
  const params = redirectParams(response, 'query');
  const code = params.get('code');
  assert.ok(code !== null, `code in ${response.headers.get('location')}`);
  return { code, verifier };
}

// ---------- setup ----------

before(async () => {
  keys = await generateOpKeys();
  op = await createMockOp({ issuer: ISSUER, keys });
  const pair = await generateKeyPair('RS256', { extractable: true });
  clientKey = { privateKey: pair.privateKey, publicJwk: { ...(await exportJWK(pair.publicKey)), kid: 'rp-1', alg: 'RS256', use: 'sig' } };
  server = setupServer(
    ...op.handlers,
    http.get(`${RP}/*`, ({ request }) => {
      const file = rpFiles.get(new URL(request.url).pathname);
      return file === undefined
        ? new Response('not found', { status: 404 })
        : new Response(file.body, { headers: { 'Content-Type': file.type } });
    }),
  );
  server.listen({ onUnhandledRequest: 'error' });
});

after(() => server.close());

beforeEach(() => op.clearRequests());

// ---------- tests ----------

describe('WebFinger', () => {
  it('answers an acct: resource on the issuer host with the issuer link', async () => {
    const resource = 'acct:foobar@op.example';
    const response = await fetch(
      `https://op.example/.well-known/webfinger?${new URLSearchParams({ resource, rel: 'http://openid.net/specs/connect/1.0/issuer' })}`,
    );
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^application\/jrd\+json/);
    const body = await json(response);
    assert.equal(body.subject, resource);
    assert.deepEqual(body.links, [{ rel: 'http://openid.net/specs/connect/1.0/issuer', href: ISSUER }]);
    assert.equal(op.requests.last()?.endpoint, 'webfinger');
  });

  it('answers a URL resource on the issuer host', async () => {
    const resource = 'https://op.example/joe';
    const body = await json(await fetch(`https://op.example/.well-known/webfinger?resource=${encodeURIComponent(resource)}`));
    assert.equal(body.subject, resource);
    assert.equal((body.links as Array<{ href: string }>)[0]?.href, ISSUER);
  });

  it('refuses a missing resource (400) and an unknown host (404)', async () => {
    assert.equal((await fetch('https://op.example/.well-known/webfinger')).status, 400);
    const other = await fetch(`https://op.example/.well-known/webfinger?resource=${encodeURIComponent('acct:joe@elsewhere.example')}`);
    assert.equal(other.status, 404);
  });
});

describe('discovery and JWKS', () => {
  it('serves the configuration under the issuer path', async () => {
    const response = await fetch(`${ISSUER}/.well-known/openid-configuration`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
    const doc = await json(response);
    assert.equal(doc.issuer, ISSUER);
    for (const name of ['authorization', 'token', 'userinfo', 'registration', 'jwks', 'end_session']) {
      const member = name === 'jwks' ? 'jwks_uri' : `${name}_endpoint`;
      assert.ok(String(doc[member]).startsWith(`${ISSUER}/`), `${member} under the issuer`);
    }
    assert.deepEqual(doc.response_types_supported, ['code', 'id_token', 'id_token token', 'code id_token', 'code token', 'code id_token token']);
    assert.deepEqual(doc.code_challenge_methods_supported, ['S256']);
    assert.deepEqual(doc.subject_types_supported, ['public']);
    assert.equal(doc.authorization_response_iss_parameter_supported, false);
    assert.ok((doc.token_endpoint_auth_methods_supported as string[]).includes('private_key_jwt'));
    assert.ok((doc.id_token_signing_alg_values_supported as string[]).includes('ES256'));
    assert.equal(op.requests.last()?.endpoint, 'discovery');
    assert.equal(op.requests.last()?.path, '/.well-known/openid-configuration');
  });

  it('publishes public keys only: RS256, PS256, ES256 and EdDSA for signing, RSA-OAEP for encryption', async () => {
    const jwks = (await json(await fetch(`${ISSUER}/jwks`))) as unknown as JSONWebKeySet;
    const summary = jwks.keys.map((k) => `${k.kty}/${k.use}/${k.alg}`).sort();
    assert.deepEqual(summary, ['EC/sig/ES256', 'OKP/sig/EdDSA', 'RSA/enc/RSA-OAEP', 'RSA/sig/PS256', 'RSA/sig/RS256']);
    for (const key of jwks.keys) {
      assert.ok(typeof key.kid === 'string' && key.kid.length > 0);
      for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k']) assert.equal((key as Record<string, unknown>)[secret], undefined, `no ${secret}`);
    }
  });

  it('leaves other URLs alone', async () => {
    assert.equal(await op.handle(new Request('https://other.example/.well-known/openid-configuration')), undefined);
    assert.equal(await op.handle(new Request('https://op.example/oicrp/rp-test-other/.well-known/openid-configuration')), undefined);
    const unknown = await op.handle(new Request(`${ISSUER}/nothing-here`));
    assert.equal(unknown?.status, 404);
  });
});

describe('dynamic registration', () => {
  it('registers a client and answers 201 with credentials and echoed metadata', async () => {
    const response = await fetch(`${ISSUER}/registration`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ redirect_uris: [REDIRECT], client_name: 'Test RP', contacts: ['rp@example.com'] }),
    });
    assert.equal(response.status, 201);
    const body = await json(response);
    assert.match(String(body.client_id), /^[A-Za-z0-9]{12}$/);
    assert.match(String(body.client_secret), /^[0-9a-f]{32,}$/);
    assert.equal(typeof body.client_id_issued_at, 'number');
    assert.equal(body.client_secret_expires_at, 0);
    assert.deepEqual(body.redirect_uris, [REDIRECT]);
    assert.equal(body.client_name, 'Test RP');
    assert.equal(body.token_endpoint_auth_method, 'client_secret_basic');
    assert.deepEqual(body.response_types, ['code']);
    assert.ok(op.clients.has(String(body.client_id)));

    const read = await fetch(String(body.registration_client_uri), {
      headers: { Authorization: `Bearer ${String(body.registration_access_token)}` },
    });
    assert.equal(read.status, 200);
    assert.equal((await json(read)).client_id, body.client_id);
    const wrong = await fetch(String(body.registration_client_uri), { headers: { Authorization: 'Bearer nope' } });
    assert.equal(wrong.status, 401);
    assert.deepEqual(
      op.requests.all().map((r) => r.endpoint),
      ['registration', 'registration-read', 'registration-read'],
    );
    assert.equal(JSON.parse(op.requests.all()[0]!.body).client_name, 'Test RP');
  });

  it('refuses bad redirect URIs and bad metadata with 400', async () => {
    const post = (body: unknown): Promise<Response> =>
      fetch(`${ISSUER}/registration`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    for (const redirect_uris of [undefined, [], ['/relative'], [`${REDIRECT}#frag`]]) {
      const response = await post({ redirect_uris });
      assert.equal(response.status, 400, JSON.stringify(redirect_uris));
      assert.equal((await json(response)).error, 'invalid_redirect_uri');
    }
    for (const bad of [{ response_types: ['code', 'magic'] }, { token_endpoint_auth_method: 'magic' }, { id_token_signed_response_alg: 'XX1' }]) {
      const response = await post({ redirect_uris: [REDIRECT], ...bad });
      assert.equal(response.status, 400);
      const body = await json(response);
      assert.equal(body.error, 'invalid_client_metadata');
      assert.equal(typeof body.error_description, 'string');
    }
  });
});

describe('authorization code flow', () => {
  it('runs with PKCE, client_secret_basic, a verifiable ID token and UserInfo', async () => {
    const client = await register({});
    const discovery = await json(await fetch(`${ISSUER}/.well-known/openid-configuration`));
    const { verifier, challenge } = pkce();
    const authz = await fetch(
      `${String(discovery.authorization_endpoint)}?${new URLSearchParams({
        client_id: client.client_id,
        redirect_uri: REDIRECT,
        response_type: 'code',
        scope: 'openid profile email',
        state: 'state-1',
        nonce: 'nonce-1',
        code_challenge: challenge,
        code_challenge_method: 'S256',
      })}`,
      { redirect: 'manual' },
    );
    const params = redirectParams(authz, 'query');
    assert.equal(params.get('state'), 'state-1');
    const code = params.get('code');
    assert.ok(code);
    assert.equal(params.get('iss'), null, 'no iss unless the behaviour asks for it');

    const tokenResponse = await fetch(String(discovery.token_endpoint), {
      method: 'POST',
      headers: { 'Content-Type': FORM, Authorization: basic(client.client_id, client.client_secret) },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier }),
    });
    assert.equal(tokenResponse.status, 200, await tokenResponse.clone().text());
    assert.equal(tokenResponse.headers.get('cache-control'), 'no-store');
    const tokens = await json(tokenResponse);
    assert.equal(tokens.token_type, 'Bearer');
    assert.equal(typeof tokens.expires_in, 'number');
    assert.equal(typeof tokens.access_token, 'string');
    assert.equal(tokens.scope, 'openid profile email');

    const idToken = String(tokens.id_token);
    const header = decodeProtectedHeader(idToken);
    assert.equal(header.alg, 'RS256');
    assert.equal(header.kid, keys.rs256.kid);
    const { payload } = await jwtVerify(idToken, createLocalJWKSet(await json(await fetch(String(discovery.jwks_uri))) as unknown as JSONWebKeySet), {
      issuer: ISSUER,
      audience: client.client_id,
    });
    assert.equal(payload.nonce, 'nonce-1');
    assert.equal(payload.acr, 'PASSWORD');
    assert.equal(typeof payload.auth_time, 'number');
    assert.equal(payload.exp, payload.iat! + 3600);
    assert.match(String(payload.sub), /^[0-9a-f]{32}$/);
    assert.equal(payload.email, undefined, 'scope claims come from UserInfo when an access token is issued');

    const userinfo = await fetch(String(discovery.userinfo_endpoint), {
      headers: { Authorization: `Bearer ${String(tokens.access_token)}` },
    });
    assert.equal(userinfo.status, 200);
    const claims = await json(userinfo);
    assert.equal(claims.sub, payload.sub);
    assert.equal(claims.email, 'foobar@example.com');
    assert.equal(claims.email_verified, true);
    assert.equal(claims.preferred_username, 'foobar');
    assert.equal(claims.phone_number, undefined, 'phone scope was not requested');

    const log = op.requests.all();
    assert.deepEqual(
      log.map((r) => r.endpoint),
      ['registration', 'discovery', 'authorization', 'token', 'jwks', 'userinfo'],
    );
    const tokenEntry = log[3]!;
    assert.equal(tokenEntry.method, 'POST');
    assert.equal(tokenEntry.path, '/token');
    assert.equal(tokenEntry.status, 200);
    assert.equal(tokenEntry.headers['content-type'], FORM);
    assert.equal(new URLSearchParams(tokenEntry.body).get('code_verifier'), verifier);
    assert.ok(tokenEntry.time instanceof Date);
    assert.ok(log[2]!.path.startsWith('/authorization?'));

    // The subject is the same for another client (public subject type).
    const other = await register({});
    const again = await codeFor(other);
    const otherTokens = await json(
      await token({ grant_type: 'authorization_code', code: again.code, redirect_uri: REDIRECT, code_verifier: again.verifier }, {
        Authorization: basic(other.client_id, other.client_secret),
      }),
    );
    assert.equal(decodeJwt(String(otherTokens.id_token)).sub, payload.sub);
  });

  it('rejects a wrong PKCE verifier and a missing one', async () => {
    const client = await register({});
    const auth = { Authorization: basic(client.client_id, client.client_secret) };
    const first = await codeFor(client);
    const bad = await token({ grant_type: 'authorization_code', code: first.code, redirect_uri: REDIRECT, code_verifier: pkce().verifier }, auth);
    assert.equal(bad.status, 400);
    assert.equal((await json(bad)).error, 'invalid_grant');
    const second = await codeFor(client);
    const missing = await token({ grant_type: 'authorization_code', code: second.code, redirect_uri: REDIRECT }, auth);
    assert.equal(missing.status, 400);
    assert.equal((await json(missing)).error, 'invalid_grant');
  });

  it('refuses a reused code and revokes the tokens issued for it', async () => {
    const client = await register({});
    const auth = { Authorization: basic(client.client_id, client.client_secret) };
    const { code, verifier } = await codeFor(client);
    const request = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier };
    const first = await token(request, auth);
    assert.equal(first.status, 200);
    const { access_token } = await json(first);
    const second = await token(request, auth);
    assert.equal(second.status, 400);
    assert.equal((await json(second)).error, 'invalid_grant');
    const userinfo = await fetch(`${ISSUER}/userinfo`, { headers: { Authorization: `Bearer ${String(access_token)}` } });
    assert.equal(userinfo.status, 401);
    assert.match(userinfo.headers.get('www-authenticate') ?? '', /^Bearer .*error="invalid_token"/);
  });

  it('refuses a wrong client secret with 401 invalid_client', async () => {
    const client = await register({});
    const { code, verifier } = await codeFor(client);
    const response = await token(
      { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier },
      { Authorization: basic(client.client_id, `${client.client_secret}x`) },
    );
    assert.equal(response.status, 401);
    assert.match(response.headers.get('www-authenticate') ?? '', /^Basic /);
    assert.equal((await json(response)).error, 'invalid_client');
    // The code was not spent by the failed authentication.
    const ok = await token(
      { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier },
      { Authorization: basic(client.client_id, client.client_secret) },
    );
    assert.equal(ok.status, 200);
  });

  it('refuses a redirect_uri that differs from the authorization request', async () => {
    const client = await register({ redirect_uris: [REDIRECT, `${RP}/cb2`] });
    const { code, verifier } = await codeFor(client);
    const response = await token(
      { grant_type: 'authorization_code', code, redirect_uri: `${RP}/cb2`, code_verifier: verifier },
      { Authorization: basic(client.client_id, client.client_secret) },
    );
    assert.equal((await json(response)).error, 'invalid_grant');
  });

  it('lets codes expire after 60 s', async () => {
    let now = Date.now();
    const timed = await createMockOp({ issuer: 'https://timed.example', keys, clock: () => now });
    const client = timed.registerClient({ redirect_uris: [REDIRECT] });
    const authz = await timed.handle(
      new Request(`https://timed.example/authorization?${new URLSearchParams({ client_id: client.client_id, redirect_uri: REDIRECT, response_type: 'code', scope: 'openid' })}`),
    );
    const code = new URL(authz!.headers.get('location')!).searchParams.get('code')!;
    now += 61_000;
    const response = await timed.handle(
      new Request('https://timed.example/token', {
        method: 'POST',
        headers: { 'Content-Type': FORM, Authorization: basic(client.client_id, client.client_secret) },
        body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT }),
      }),
    );
    assert.equal(response?.status, 400);
    assert.equal((await json(response!)).error, 'invalid_grant');
  });

  it('issues and rotates refresh tokens for clients registered for the refresh_token grant', async () => {
    const client = await register({ grant_types: ['authorization_code', 'refresh_token'] });
    const auth = { Authorization: basic(client.client_id, client.client_secret) };
    const { code, verifier } = await codeFor(client);
    const tokens = await json(await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier }, auth));
    assert.equal(typeof tokens.refresh_token, 'string');
    const refreshed = await token({ grant_type: 'refresh_token', refresh_token: String(tokens.refresh_token) }, auth);
    assert.equal(refreshed.status, 200);
    const body = await json(refreshed);
    assert.notEqual(body.refresh_token, tokens.refresh_token);
    const claims = decodeJwt(String(body.id_token));
    assert.equal(claims.nonce, undefined);
    assert.equal(claims.auth_time, decodeJwt(String(tokens.id_token)).auth_time);
    const replay = await token({ grant_type: 'refresh_token', refresh_token: String(tokens.refresh_token) }, auth);
    assert.equal((await json(replay)).error, 'invalid_grant');
  });
});

describe('authorization endpoint checks', () => {
  it('does not redirect to an unregistered redirect_uri or for an unknown client', async () => {
    const client = await register({});
    const response = await authorize({ client_id: client.client_id, redirect_uri: `${RP}/evil`, response_type: 'code', scope: 'openid' });
    assert.equal(response.status, 400);
    assert.equal(response.headers.get('location'), null);
    assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
    const unknown = await authorize({ client_id: 'nobody', redirect_uri: REDIRECT, response_type: 'code', scope: 'openid' });
    assert.equal(unknown.status, 400);
  });

  it('accepts a form POST authorization request', async () => {
    const client = await register({});
    const response = await fetch(`${ISSUER}/authorization`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': FORM },
      body: new URLSearchParams({ client_id: client.client_id, redirect_uri: REDIRECT, response_type: 'code', scope: 'openid', state: 'posted' }),
    });
    const params = redirectParams(response, 'query');
    assert.equal(params.get('state'), 'posted');
    assert.ok(params.get('code'));
    assert.equal(op.requests.last('authorization')?.method, 'POST');
    assert.equal(new URLSearchParams(op.requests.last('authorization')?.body).get('state'), 'posted');
  });

  it('redirects errors back with state: plain PKCE, missing openid, unregistered response type', async () => {
    const client = await register({});
    const base = { client_id: client.client_id, redirect_uri: REDIRECT, response_type: 'code', scope: 'openid', state: 's1' };
    const plain = redirectParams(await authorize({ ...base, code_challenge: pkce().verifier, code_challenge_method: 'plain' }), 'query');
    assert.equal(plain.get('error'), 'invalid_request');
    assert.equal(plain.get('state'), 's1');
    const scope = redirectParams(await authorize({ ...base, scope: 'profile' }), 'query');
    assert.equal(scope.get('error'), 'invalid_scope');
    const rt = redirectParams(await authorize({ ...base, response_type: 'id_token', nonce: 'n' }), 'fragment');
    assert.equal(rt.get('error'), 'unauthorized_client');
    assert.equal(rt.get('state'), 's1');
  });
});

describe('implicit and hybrid flows', () => {
  it('returns id_token and access_token in the fragment, with at_hash', async () => {
    const client = await register({ response_types: ['id_token token'] });
    const response = await authorize({
      client_id: client.client_id,
      redirect_uri: REDIRECT,
      response_type: 'id_token token',
      scope: 'openid email',
      state: 'imp',
      nonce: 'n-imp',
    });
    const params = redirectParams(response, 'fragment');
    assert.equal(new URL(response.headers.get('location')!).search, '');
    assert.equal(params.get('state'), 'imp');
    assert.equal(params.get('token_type'), 'Bearer');
    assert.equal(params.get('expires_in'), '3600');
    const accessToken = params.get('access_token')!;
    const { payload } = await jwtVerify(params.get('id_token')!, await opJwks(), { issuer: ISSUER, audience: client.client_id });
    assert.equal(payload.nonce, 'n-imp');
    assert.equal(payload.at_hash, halfHash(accessToken));
    assert.equal(payload.c_hash, undefined);
    const userinfo = await json(await fetch(`${ISSUER}/userinfo`, { method: 'POST', headers: { 'Content-Type': FORM }, body: new URLSearchParams({ access_token: accessToken }) }));
    assert.equal(userinfo.email, 'foobar@example.com');
  });

  it('puts scope claims in an id_token-only ID token and requires a nonce', async () => {
    const client = await register({ response_types: ['id_token'] });
    const base = { client_id: client.client_id, redirect_uri: REDIRECT, response_type: 'id_token', scope: 'openid email', state: 'x' };
    const missing = redirectParams(await authorize(base), 'fragment');
    assert.equal(missing.get('error'), 'invalid_request');
    assert.equal(missing.get('state'), 'x');
    const params = redirectParams(await authorize({ ...base, nonce: 'nn' }), 'fragment');
    const { payload } = await jwtVerify(params.get('id_token')!, await opJwks(), { issuer: ISSUER, audience: client.client_id });
    assert.equal(payload.email, 'foobar@example.com');
    assert.equal(payload.at_hash, undefined);
  });

  it('carries c_hash and at_hash in a code id_token token response', async () => {
    const client = await register({ response_types: ['code id_token token'] });
    const params = redirectParams(
      await authorize({ client_id: client.client_id, redirect_uri: REDIRECT, response_type: 'code id_token token', scope: 'openid', nonce: 'h' }),
      'fragment',
    );
    const claims = decodeJwt(params.get('id_token')!);
    assert.equal(claims.c_hash, halfHash(params.get('code')!));
    assert.equal(claims.at_hash, halfHash(params.get('access_token')!));
  });
});

describe('form_post response mode', () => {
  it('answers 200 HTML with an auto-submitting form of hidden inputs', async () => {
    const client = await register({});
    const response = await authorize({
      client_id: client.client_id,
      redirect_uri: REDIRECT,
      response_type: 'code',
      scope: 'openid',
      state: 'a"b<c',
      response_mode: 'form_post',
    });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
    const html = await response.text();
    assert.match(html, new RegExp(`<form method="post" action="${REDIRECT}">`));
    assert.match(html, /<input type="hidden" name="code" value="[A-Za-z0-9_-]+"\/>/);
    assert.match(html, /<input type="hidden" name="state" value="a&quot;b&lt;c"\/>/);
    assert.match(html, /\.submit\(\)/);
  });
});

describe('request objects', () => {
  it('accepts an unsigned request object by value whose claims override the query', async () => {
    const client = await register({});
    const header = base64url.encode(JSON.stringify({ alg: 'none' }));
    const body = base64url.encode(JSON.stringify({ client_id: client.client_id, redirect_uri: REDIRECT, response_type: 'code', scope: 'openid', state: 'from-object', nonce: 'ro' }));
    const response = await authorize({ client_id: client.client_id, response_type: 'code', scope: 'openid', state: 'from-query', request: `${header}.${body}.` });
    const params = redirectParams(response, 'query');
    assert.equal(params.get('state'), 'from-object');
    assert.ok(params.get('code'));
  });

  it('fetches an RS256-signed request object by reference and verifies it with the client jwks_uri', async () => {
    rpFiles.set('/jwks.json', { type: 'application/json', body: JSON.stringify({ keys: [clientKey.publicJwk] }) });
    const client = await register({ jwks_uri: `${RP}/jwks.json`, request_object_signing_alg: 'RS256' });
    const sign = (claims: Record<string, unknown>): Promise<string> =>
      new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'rp-1' }).setIssuer(client.client_id).setAudience(ISSUER).setIssuedAt().sign(clientKey.privateKey);
    const claims = { client_id: client.client_id, redirect_uri: REDIRECT, response_type: 'code', scope: 'openid', state: 'signed' };
    rpFiles.set('/request.jwt', { type: 'application/oauth-authz-req+jwt', body: await sign(claims) });
    const ok = redirectParams(await authorize({ client_id: client.client_id, response_type: 'code', scope: 'openid', request_uri: `${RP}/request.jwt` }), 'query');
    assert.equal(ok.get('state'), 'signed');
    assert.ok(ok.get('code'));

    // A tampered signature is refused, with the error sent back to the query's redirect_uri.
    const jwt = await sign(claims);
    const tampered = `${jwt.slice(0, -4)}${jwt.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
    rpFiles.set('/bad.jwt', { type: 'application/oauth-authz-req+jwt', body: tampered });
    const bad = redirectParams(
      await authorize({ client_id: client.client_id, redirect_uri: REDIRECT, response_type: 'code', scope: 'openid', request_uri: `${RP}/bad.jwt` }),
      'query',
    );
    assert.equal(bad.get('error'), 'invalid_request_object');
    assert.ok(op.requests.all().some((r) => r.endpoint === 'authorization'));
  });
});

describe('client authentication methods', () => {
  it('decodes form-urlencoded Basic credentials (RFC 6749 2.3.1)', async () => {
    assert.deepEqual(decodeBasicCredentials(basic('client:1', 'se cret+/:%é')), { id: 'client:1', secret: 'se cret+/:%é' });
    const client = op.registerClient({ client_id: 'client:1', client_secret: 'se cret+/:%é', redirect_uris: [REDIRECT] });
    const { code } = await codeFor(client as unknown as Registered, { code_challenge: pkce().challenge });
    const response = await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: 'x'.repeat(43) }, { Authorization: basic('client:1', 'se cret+/:%é') });
    // Authentication passed (the wrong verifier is what fails).
    assert.equal(response.status, 400);
    assert.equal((await json(response)).error, 'invalid_grant');
  });

  it('accepts client_secret_post, client_secret_jwt and private_key_jwt, and only the registered one', async () => {
    const post = await register({ token_endpoint_auth_method: 'client_secret_post' });
    let c = await codeFor(post);
    const viaBasic = await token({ grant_type: 'authorization_code', code: c.code, redirect_uri: REDIRECT, code_verifier: c.verifier }, { Authorization: basic(post.client_id, post.client_secret) });
    assert.equal(viaBasic.status, 401);
    assert.equal((await json(viaBasic)).error, 'invalid_client');
    c = await codeFor(post);
    const viaPost = await token({ grant_type: 'authorization_code', code: c.code, redirect_uri: REDIRECT, code_verifier: c.verifier, client_id: post.client_id, client_secret: post.client_secret });
    assert.equal(viaPost.status, 200);

    const assertionType = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
    const jwtClient = await register({ token_endpoint_auth_method: 'client_secret_jwt' });
    c = await codeFor(jwtClient);
    const hs = await new SignJWT({ jti: randomBytes(8).toString('hex') })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(jwtClient.client_id)
      .setSubject(jwtClient.client_id)
      .setAudience(`${ISSUER}/token`)
      .setIssuedAt()
      .setExpirationTime('1m')
      .sign(new TextEncoder().encode(jwtClient.client_secret));
    const viaHs = await token({ grant_type: 'authorization_code', code: c.code, redirect_uri: REDIRECT, code_verifier: c.verifier, client_assertion_type: assertionType, client_assertion: hs });
    assert.equal(viaHs.status, 200, await viaHs.clone().text());

    const pk = await register({ token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [clientKey.publicJwk] } });
    const assertion = (): Promise<string> =>
      new SignJWT({ jti: randomBytes(8).toString('hex') })
        .setProtectedHeader({ alg: 'RS256', kid: 'rp-1' })
        .setIssuer(pk.client_id)
        .setSubject(pk.client_id)
        .setAudience(ISSUER)
        .setIssuedAt()
        .setExpirationTime('1m')
        .sign(clientKey.privateKey);
    c = await codeFor(pk);
    const good = await assertion();
    const viaPk = await token({ grant_type: 'authorization_code', code: c.code, redirect_uri: REDIRECT, code_verifier: c.verifier, client_assertion_type: assertionType, client_assertion: good });
    assert.equal(viaPk.status, 200, await viaPk.clone().text());
    c = await codeFor(pk);
    const replayed = await token({ grant_type: 'authorization_code', code: c.code, redirect_uri: REDIRECT, code_verifier: c.verifier, client_assertion_type: assertionType, client_assertion: good });
    assert.equal(replayed.status, 401, 'a client assertion jti is single use');
    const other = await generateKeyPair('RS256');
    const forged = await new SignJWT({ jti: 'f' })
      .setProtectedHeader({ alg: 'RS256', kid: 'rp-1' })
      .setIssuer(pk.client_id)
      .setSubject(pk.client_id)
      .setAudience(ISSUER)
      .setExpirationTime('1m')
      .sign(other.privateKey);
    const viaForged = await token({ grant_type: 'authorization_code', code: c.code, redirect_uri: REDIRECT, code_verifier: c.verifier, client_assertion_type: assertionType, client_assertion: forged });
    assert.equal(viaForged.status, 401);
  });

  it('lets public clients (none) redeem codes with PKCE', async () => {
    const pub = await register({ token_endpoint_auth_method: 'none' });
    const c = await codeFor(pub);
    const response = await token({ grant_type: 'authorization_code', code: c.code, redirect_uri: REDIRECT, code_verifier: c.verifier, client_id: pub.client_id });
    assert.equal(response.status, 200);
  });
});

describe('signing algorithms', () => {
  async function idTokenFor(client: Registered): Promise<string> {
    const c = await codeFor(client);
    const body = await json(await token({ grant_type: 'authorization_code', code: c.code, redirect_uri: REDIRECT, code_verifier: c.verifier }, { Authorization: basic(client.client_id, client.client_secret) }));
    return String(body.id_token);
  }

  it('signs ID tokens with ES256, HS256 or none as registered', async () => {
    const es = await register({ id_token_signed_response_alg: 'ES256' });
    const esToken = await idTokenFor(es);
    assert.equal(decodeProtectedHeader(esToken).kid, keys.es256.kid);
    await jwtVerify(esToken, await opJwks(), { issuer: ISSUER, audience: es.client_id, algorithms: ['ES256'] });

    const hs = await register({ id_token_signed_response_alg: 'HS256' });
    await jwtVerify(await idTokenFor(hs), new TextEncoder().encode(hs.client_secret), { issuer: ISSUER, audience: hs.client_id, algorithms: ['HS256'] });

    const none = await register({ id_token_signed_response_alg: 'none' });
    const unsigned = await idTokenFor(none);
    assert.equal(decodeProtectedHeader(unsigned).alg, 'none');
    assert.ok(unsigned.endsWith('.'));
    assert.equal(decodeJwt(unsigned).aud, none.client_id);
  });

  it('answers UserInfo as a signed JWT when userinfo_signed_response_alg is registered', async () => {
    const client = await register({ userinfo_signed_response_alg: 'RS256' });
    const c = await codeFor(client);
    const tokens = await json(await token({ grant_type: 'authorization_code', code: c.code, redirect_uri: REDIRECT, code_verifier: c.verifier }, { Authorization: basic(client.client_id, client.client_secret) }));
    const response = await fetch(`${ISSUER}/userinfo`, { headers: { Authorization: `Bearer ${String(tokens.access_token)}` } });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^application\/jwt/);
    const { payload } = await jwtVerify(await response.text(), await opJwks(), { issuer: ISSUER, audience: client.client_id });
    assert.equal(payload.name, 'Foo Bar');
  });
});

describe('end session', () => {
  it('redirects to a registered post_logout_redirect_uri with state, and refuses others', async () => {
    const client = await register({ post_logout_redirect_uris: [`${RP}/logged-out`] });
    const c = await codeFor(client);
    const tokens = await json(await token({ grant_type: 'authorization_code', code: c.code, redirect_uri: REDIRECT, code_verifier: c.verifier }, { Authorization: basic(client.client_id, client.client_secret) }));
    const idToken = String(tokens.id_token);
    const ok = await fetch(`${ISSUER}/end_session?${new URLSearchParams({ id_token_hint: idToken, post_logout_redirect_uri: `${RP}/logged-out`, state: 'bye' })}`, { redirect: 'manual' });
    assert.equal(ok.status, 303);
    assert.equal(ok.headers.get('location'), `${RP}/logged-out?state=bye`);
    assert.equal(op.provider.session, undefined);
    const bad = await fetch(`${ISSUER}/end_session?${new URLSearchParams({ id_token_hint: idToken, post_logout_redirect_uri: `${RP}/elsewhere` })}`, { redirect: 'manual' });
    assert.equal(bad.status, 400);
    const forged = await new CompactSign(new TextEncoder().encode(JSON.stringify(decodeJwt(idToken))))
      .setProtectedHeader({ alg: 'RS256', kid: keys.rs256.kid })
      .sign((await generateKeyPair('RS256')).privateKey);
    const badHint = await fetch(`${ISSUER}/end_session?${new URLSearchParams({ id_token_hint: forged, post_logout_redirect_uri: `${RP}/logged-out` })}`, { redirect: 'manual' });
    assert.equal(badHint.status, 400);
  });
});

describe('behaviour hooks', () => {
  it('let a test change ID token claims, discovery and the iss response parameter', async () => {
    const odd = await createMockOp({
      issuer: 'https://odd.example/oicrp/rp-id_token-bad-nonce',
      keys,
      behaviour: {
        authorizationResponseIss: true,
        idTokenClaims: (claims) => ({ ...claims, nonce: 'not-the-nonce' }),
      },
    });
    const client = odd.registerClient({ redirect_uris: [REDIRECT], response_types: ['id_token'] });
    const doc = await json((await odd.handle(new Request(`${odd.issuer}/.well-known/openid-configuration`)))!);
    assert.equal(doc.authorization_response_iss_parameter_supported, true);
    const response = await odd.handle(
      new Request(`${odd.issuer}/authorization?${new URLSearchParams({ client_id: client.client_id, redirect_uri: REDIRECT, response_type: 'id_token', scope: 'openid', nonce: 'real' })}`),
    );
    const params = new URLSearchParams(new URL(response!.headers.get('location')!).hash.slice(1));
    assert.equal(params.get('iss'), odd.issuer);
    assert.equal(decodeJwt(params.get('id_token')!).nonce, 'not-the-nonce');
    odd.setBehaviour();
    const wellBehaved = await odd.handle(
      new Request(`${odd.issuer}/authorization?${new URLSearchParams({ client_id: client.client_id, redirect_uri: REDIRECT, response_type: 'id_token', scope: 'openid', nonce: 'real' })}`),
    );
    const again = new URLSearchParams(new URL(wellBehaved!.headers.get('location')!).hash.slice(1));
    assert.equal(decodeJwt(again.get('id_token')!).nonce, 'real');
    assert.equal(again.get('iss'), null);
    assert.equal(odd.requests.length, 3);
  });
});
