/**
 * The mock OP serves browser scripts (a single-page RP) as real providers do: CORS headers on the
 * endpoints a script fetches, preflights answered and kept out of the test's request log.
 *
 * Run: node --import tsx --test test/mock-op/cors.test.ts
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { createConformanceOp, generateOpKeys, type ConformanceOp } from '../../mock-op/index.js';

let op: ConformanceOp;
const ISSUER = 'https://op.example/rp1/oidcc-client-test';
const SPA = 'http://127.0.0.1:5173';

before(async () => {
  op = await createConformanceOp({ base: 'https://op.example', keys: await generateOpKeys({ spares: 0 }) });
});

describe('CORS at the mock OP', () => {
  it('answers a preflight of the token endpoint with the methods and headers asked for, and does not log it', async () => {
    const response = await op.handle(new Request(`${ISSUER}/token`, {
      method: 'OPTIONS',
      headers: { Origin: SPA, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type, dpop' },
    }));
    assert.equal(response?.status, 204);
    assert.equal(response?.headers.get('access-control-allow-origin'), '*');
    assert.match(response?.headers.get('access-control-allow-methods') ?? '', /POST/);
    assert.equal(response?.headers.get('access-control-allow-headers'), 'content-type, dpop');
    assert.equal(op.requestsFor('rp1', 'oidcc-client-test').length, 0);
  });

  it('puts Access-Control-Allow-Origin on discovery, JWKS, registration, token and userinfo answers, errors included', async () => {
    for (const path of ['/.well-known/openid-configuration', '/jwks', '/userinfo']) {
      const response = await op.handle(new Request(`${ISSUER}${path}`, { headers: { Origin: SPA } }));
      assert.equal(response?.headers.get('access-control-allow-origin'), '*', path);
    }
    const token = await op.handle(new Request(`${ISSUER}/token`, { method: 'POST', headers: { Origin: SPA, 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'grant_type=authorization_code&code=nope' }));
    assert.equal(token?.status, 401);
    assert.equal(token?.headers.get('access-control-allow-origin'), '*');
    assert.match(token?.headers.get('access-control-expose-headers') ?? '', /WWW-Authenticate/);
  });

  it('leaves the authorization endpoint, which the browser navigates to, without CORS headers', async () => {
    const response = await op.handle(new Request(`${ISSUER}/authorization?client_id=x`, { headers: { Origin: SPA } }));
    assert.equal(response?.headers.get('access-control-allow-origin'), null);
  });
});
