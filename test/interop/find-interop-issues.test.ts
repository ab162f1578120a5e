import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { base64url } from 'jose';
import { findInteropIssues, type Exchange } from '../../src/index.js';
import { isProviderExchange } from '../../src/interop/find-interop-issues.js';

const NOW = 1_800_000_000;

function exchange(request: Partial<Exchange['request']> & { url: string }, response: { status?: number; headers?: Record<string, string>; body: unknown }): Exchange {
  return {
    request: { method: 'GET', headers: {}, ...request },
    response: {
      status: response.status ?? 200,
      headers: { 'content-type': 'application/json', ...response.headers },
      body: typeof response.body === 'string' ? response.body : JSON.stringify(response.body),
    },
    startedAt: new Date(NOW * 1000).toISOString(),
    ms: 0,
  };
}

const ids = (exchanges: Exchange[]): string[] => findInteropIssues(exchanges).map((f) => f.id).sort();
const TOKEN_REQUEST = { method: 'POST' as const, url: 'https://op.example/token', body: 'grant_type=authorization_code&code=x' };
const GOOD_TOKEN = { access_token: 'a', token_type: 'Bearer', expires_in: 3600 };

describe('findInteropIssues', () => {
  it('finds nothing in a well-behaved conversation', () => {
    const discovery = exchange({ url: 'https://op.example/.well-known/openid-configuration' }, { body: { issuer: 'https://op.example', authorization_endpoint: 'a', token_endpoint: 't', jwks_uri: 'j', response_types_supported: ['code'], subject_types_supported: ['public'], id_token_signing_alg_values_supported: ['RS256'] } });
    const token = exchange(TOKEN_REQUEST, { headers: { 'cache-control': 'no-store' }, body: GOOD_TOKEN });
    assert.deepEqual(ids([discovery, token]), []);
  });

  it('names each departure with its clause', () => {
    const discovery = exchange({ url: 'https://op.example/.well-known/openid-configuration' }, { headers: { 'content-type': 'text/plain' }, body: { issuer: 'https://other.example', response_types_supported: ['code'] } });
    const jwks = exchange({ url: 'https://op.example/jwks' }, { body: { keys: [{ kty: 'RSA' }, { kty: 'RSA' }] } });
    const idToken = `${base64url.encode(JSON.stringify({ alg: 'RS256' }))}.${base64url.encode(JSON.stringify({ iat: NOW + 120 }))}.[REDACTED]`;
    const token = exchange(TOKEN_REQUEST, { status: 201, body: { ...GOOD_TOKEN, expires_in: '3600', token_type: 'bearer', id_token: idToken } });
    const found = findInteropIssues([discovery, jwks, token]);
    assert.deepEqual(found.map((f) => f.id).sort(), ['clock.skew', 'discovery.issuer-mismatch', 'discovery.missing-metadata', 'http.content-type', 'jwks.missing-kid', 'token.cache-control', 'token.expires-in-string', 'token.status']);
    for (const finding of found) assert.match(finding.clause, /RFC|OpenID Connect/);
    assert.deepEqual((found.find((f) => f.id === 'discovery.missing-metadata')?.detail?.['missing'] as string[]).sort(), ['authorization_endpoint', 'id_token_signing_alg_values_supported', 'jwks_uri', 'subject_types_supported', 'token_endpoint']);
  });

  it('reports expires_in sent as a string, and a token endpoint that redirects', () => {
    assert.ok(ids([exchange(TOKEN_REQUEST, { headers: { 'cache-control': 'no-store' }, body: { ...GOOD_TOKEN, expires_in: '60' } })]).includes('token.expires-in-string'));
    assert.ok(ids([exchange(TOKEN_REQUEST, { status: 302, headers: { location: 'https://elsewhere' }, body: '' })]).includes('token.redirect'));
  });

  it('reports the same finding at the same URL once', () => {
    const jwks = exchange({ url: 'https://op.example/jwks' }, { body: { keys: [{ kty: 'RSA' }, { kty: 'EC' }] } });
    assert.equal(findInteropIssues([jwks, jwks]).length, 1);
  });

  it('does not report a token_type of "bearer": RFC 6749, 5.1 makes the type case-insensitive', () => {
    const token = exchange(TOKEN_REQUEST, { headers: { 'cache-control': 'no-store' }, body: { ...GOOD_TOKEN, token_type: 'bearer' } });
    assert.deepEqual(ids([token]), []);
  });

  it('reports a token endpoint error with another status than 400 (or 401 for invalid_client)', () => {
    const replay = exchange(TOKEN_REQUEST, { status: 403, body: { error: 'invalid_code' } });
    const found = findInteropIssues([replay]);
    assert.deepEqual(found.map((f) => f.id), ['token.error-status']);
    assert.match(found[0]!.clause, /^RFC 6749, 5\.2/);
    assert.deepEqual(ids([exchange(TOKEN_REQUEST, { status: 400, body: { error: 'invalid_grant' } }), exchange(TOKEN_REQUEST, { status: 401, headers: { 'www-authenticate': 'Basic' }, body: { error: 'invalid_client' } })]), []);
  });

  describe('dynamic registration (RFC 7591, 3.2.1)', () => {
    const metadata = { registration_endpoint: 'https://op.example/register', userinfo_endpoint: 'https://op.example/userinfo' };
    const registration = (status: number, body: Record<string, unknown>): Exchange => exchange(
      { method: 'POST', url: 'https://op.example/register', body: JSON.stringify({ redirect_uris: ['https://rp.example/cb'] }) },
      { status, body },
    );
    const of = (e: Exchange): string[] => findInteropIssues([e], undefined, { metadata }).map((f) => f.id).sort();

    it('finds nothing in a 201 with every member of its type', () => {
      assert.deepEqual(of(registration(201, { client_id: 'c', client_secret: 's', client_id_issued_at: NOW, client_secret_expires_at: 0 })), []);
    });

    it('reports a 200, members of the wrong type, and a secret without client_secret_expires_at', () => {
      const found = findInteropIssues([registration(200, { client_id: 'c', client_secret: 's', client_id_issued_at: String(NOW) })], undefined, { metadata });
      assert.deepEqual(found.map((f) => f.id).sort(), ['registration.member-type', 'registration.missing-member', 'registration.status']);
      assert.match(found.find((f) => f.id === 'registration.member-type')!.title, /client_id_issued_at is a string, not a number/);
      assert.match(found.find((f) => f.id === 'registration.missing-member')!.title, /client_secret_expires_at/);
      for (const finding of found) assert.match(finding.clause, /RFC 7591, 3\.2\.1/);
    });

    it('without a discovery document, recognises a registration by its redirect_uris', () => {
      assert.deepEqual(ids([registration(200, { client_id: 'c' })]), ['registration.status']);
    });

    it('reports a userinfo 401 without a WWW-Authenticate: Bearer challenge', () => {
      const userinfo = exchange({ url: 'https://op.example/userinfo' }, { status: 401, headers: {}, body: '' });
      assert.deepEqual(of(userinfo), ['userinfo.missing-www-authenticate']);
      assert.deepEqual(of(exchange({ url: 'https://op.example/userinfo' }, { status: 401, headers: { 'www-authenticate': 'Bearer error="invalid_token"' }, body: '' })), []);
    });
  });

  it('counts as the provider\'s the exchanges to its issuer\'s origin and to any endpoint its discovery document names', () => {
    const metadata = { issuer: 'https://op.example', token_endpoint: 'https://tokens.example/token', mtls_endpoint_aliases: { token_endpoint: 'https://mtls.example/token' } };
    const at = (url: string): Exchange => exchange({ url }, { body: {} });
    assert.equal(isProviderExchange(at('https://op.example/authorize?x=1'), 'https://op.example', metadata), true);
    assert.equal(isProviderExchange(at('https://tokens.example/token'), 'https://op.example', metadata), true);
    assert.equal(isProviderExchange(at('https://mtls.example/token'), 'https://op.example', metadata), true);
    assert.equal(isProviderExchange(at('https://rp.example/callback'), 'https://op.example', metadata), false);
  });
});
