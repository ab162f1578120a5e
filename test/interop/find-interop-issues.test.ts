import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { base64url } from 'jose';
import { findInteropIssues, type Exchange } from '../../src/index.js';

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
    assert.deepEqual(found.map((f) => f.id).sort(), ['clock.skew', 'discovery.issuer-mismatch', 'discovery.missing-metadata', 'http.content-type', 'jwks.missing-kid', 'token.cache-control', 'token.expires-in-string', 'token.status', 'token.token-type-case']);
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
});
