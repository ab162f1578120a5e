/**
 * Aggregated and distributed claims (OIDC Core 5.6.2), verified the way an RP would: the aggregated
 * JWT and the claims source's answer are checked against the OP's JWKS.
 *
 * Run: node --import tsx --test test/mock-op/claims-sources.test.ts
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { createLocalJWKSet, jwtVerify } from 'jose';
import type { JSONWebKeySet } from 'jose';
import { createConformanceOp, generateOpKeys } from '../../mock-op/index.js';
import type { ConformanceOp } from '../../mock-op/index.js';
import { RpDriver } from './rp-driver.js';

let op: ConformanceOp;

before(async () => {
  op = await createConformanceOp({ base: 'https://localhost:8080', keys: await generateOpKeys({ spares: 0 }) });
});

async function userinfoOf(testId: string): Promise<{ driver: RpDriver; info: Record<string, unknown>; jwks: ReturnType<typeof createLocalJWKSet> }> {
  const driver = new RpDriver(op.handle, op.issuerFor('oicrp', testId));
  const client = await driver.register();
  const tokens = await driver.codeFlow(client, { scope: 'openid email' });
  const response = await driver.userinfo(String(tokens.access_token));
  assert.equal(response.status, 200);
  const jwks = createLocalJWKSet((await (await driver.fetch(`${driver.issuer}/jwks`)).json()) as JSONWebKeySet);
  return { driver, info: (await response.json()) as Record<string, unknown>, jwks };
}

describe('claim sources', () => {
  it('aggregated-claims: a signed JWT in _claim_sources, named in _claim_names', async () => {
    const { driver, info, jwks } = await userinfoOf('oidcc-client-test-aggregated-claims');
    assert.equal(info.email, 'foobar@example.com', 'normal claims stay');
    assert.deepEqual(info._claim_names, { eye_color: 'src1', shoe_size: 'src1' });
    const source = (info._claim_sources as Record<string, { JWT: string }>).src1;
    assert.ok(source !== undefined);
    const { payload } = await jwtVerify(source.JWT, jwks, { issuer: driver.issuer });
    assert.equal(payload.eye_color, 'blue');
    assert.equal(payload.shoe_size, 8);
  });

  it('distributed-claims: an endpoint and access token answering a signed JWT', async () => {
    const { driver, info, jwks } = await userinfoOf('rp-claims-distributed');
    assert.deepEqual(info._claim_names, { payment_info: 'src2', credit_score: 'src2' });
    const source = (info._claim_sources as Record<string, { endpoint: string; access_token: string }>).src2!;
    assert.equal(source.endpoint, `${driver.issuer}/claims_source`);
    const response = await driver.fetch(source.endpoint, { headers: { Authorization: `Bearer ${source.access_token}` } });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^application\/jwt/);
    const { payload } = await jwtVerify(await response.text(), jwks, { issuer: driver.issuer });
    assert.equal(payload.payment_info, 'Some_Card');
    assert.equal(payload.credit_score, 650);
    assert.equal((await driver.fetch(source.endpoint, { headers: { Authorization: 'Bearer wrong' } })).status, 401);
    assert.equal((await driver.fetch(source.endpoint)).status, 401);
  });

  it('the well-behaved OP has none, and advertises the claim types', async () => {
    const { driver, info } = await userinfoOf('oidcc-client-test');
    assert.equal(info._claim_names, undefined);
    assert.deepEqual((await driver.discovery()).claim_types_supported, ['normal', 'aggregated', 'distributed']);
  });
});
