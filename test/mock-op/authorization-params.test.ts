/**
 * Authorization request parameters the OP honours beyond the basic flow: `acr_values` and a
 * `claims` request for `acr`, `prompt=none` (login_required without a session), `max_age` with
 * `auth_time`, and `sid` / `session_state` in what it returns.
 *
 * Run: node --import tsx --test test/mock-op/authorization-params.test.ts
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { createMockOp, generateOpKeys } from '../../mock-op/index.js';
import type { MockOp } from '../../mock-op/index.js';
import { RpDriver } from './rp-driver.js';

const ISSUER = 'https://op.example/oicrp/rp-params';
let mock: MockOp;
let now = 1_800_000_000_000;

before(async () => {
  mock = await createMockOp({ issuer: ISSUER, keys: await generateOpKeys({ spares: 0 }), clock: () => now });
});

describe('authorization parameters', () => {
  it('reports the first supported acr asked for by acr_values or the claims request', async () => {
    const driver = new RpDriver(mock.handle, ISSUER);
    const client = await driver.register({ response_types: ['code', 'id_token'] });
    assert.equal(decodeJwt(String((await driver.codeFlow(client)).id_token)).acr, 'PASSWORD');
    assert.equal(decodeJwt(String((await driver.codeFlow(client, { acr_values: 'unknown 2 1' })).id_token)).acr, '2');
    const viaClaims = (await driver.authorize(client, { response_type: 'id_token', claims: JSON.stringify({ id_token: { acr: { values: ['x', '1'] } } }) })).get('id_token')!;
    assert.equal(decodeJwt(viaClaims).acr, '1');
    assert.ok((await driver.discovery()).acr_values_supported instanceof Array);
  });

  it('answers prompt=none with login_required without a session, and with a code once logged in', async () => {
    mock.reset();
    const driver = new RpDriver(mock.handle, ISSUER);
    const client = await driver.register();
    const refused = await driver.authorize(client, { prompt: 'none' });
    assert.equal(refused.get('error'), 'login_required');
    assert.equal(refused.get('state'), 'st');
    await driver.authorize(client);
    const silent = await driver.authorize(client, { prompt: 'none' });
    assert.ok(silent.get('code'));
    now += 120_000;
    assert.equal((await driver.authorize(client, { prompt: 'none', max_age: '60' })).get('error'), 'login_required');
  });

  it('re-authenticates for max_age, with auth_time and a new sid and session_state', async () => {
    const driver = new RpDriver(mock.handle, ISSUER);
    const client = await driver.register({ response_types: ['id_token'] });
    const first = await driver.authorize(client, { response_type: 'id_token' });
    const firstClaims = decodeJwt(first.get('id_token')!);
    assert.ok(typeof firstClaims.sid === 'string');
    assert.ok(first.get('session_state')?.includes('.'));
    now += 600_000;
    const again = await driver.authorize(client, { response_type: 'id_token', max_age: '300' });
    const againClaims = decodeJwt(again.get('id_token')!);
    assert.equal(againClaims.auth_time, Math.floor(now / 1000));
    assert.notEqual(againClaims.sid, firstClaims.sid);
    assert.notEqual(again.get('session_state'), first.get('session_state'));
    const kept = decodeJwt((await driver.authorize(client, { response_type: 'id_token', max_age: '300' })).get('id_token')!);
    assert.equal(kept.sid, againClaims.sid, 'a young enough session is kept');
  });
});
