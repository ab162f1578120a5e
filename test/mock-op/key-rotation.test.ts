/**
 * Key rotation: the provider switches to a spare key (then to new ones), the JWKS follows, and
 * ID tokens signed before the rotation still serve as `id_token_hint`.
 *
 * Run: node --import tsx --test test/mock-op/key-rotation.test.ts
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { decodeProtectedHeader } from 'jose';
import type { JSONWebKeySet } from 'jose';
import { createMockOp, generateOpKeys } from '../../mock-op/index.js';
import type { OpKeys } from '../../mock-op/index.js';
import { RP, RpDriver } from './rp-driver.js';

const ISSUER = 'https://op.example/oicrp/rp-rotation';
let keys: OpKeys;

before(async () => {
  keys = await generateOpKeys({ spares: 1 });
});

async function jwksKids(driver: RpDriver): Promise<string[]> {
  return ((await (await driver.fetch(`${ISSUER}/jwks`)).json()) as JSONWebKeySet).keys.map((k) => String(k.kid));
}

describe('key rotation', () => {
  it('generates spare keys that are not published', async () => {
    assert.equal(keys.spares?.rs256.length, 1);
    assert.equal(keys.spares?.encryption.length, 1);
    const mock = await createMockOp({ issuer: ISSUER, keys });
    const kids = await jwksKids(new RpDriver(mock.handle, ISSUER));
    assert.ok(!kids.includes(keys.spares!.rs256[0]!.kid));
    assert.ok(kids.includes(keys.rs256.kid));
  });

  it('rotates the signing key to the spare, then to a new key; the JWKS and ID tokens follow', async () => {
    const mock = await createMockOp({ issuer: ISSUER, keys });
    const driver = new RpDriver(mock.handle, ISSUER);
    const client = await driver.register({ post_logout_redirect_uris: [`${RP}/out`] });
    const before = String((await driver.codeFlow(client)).id_token);
    assert.equal(decodeProtectedHeader(before).kid, keys.rs256.kid);

    const first = await mock.provider.rotateSigningKey();
    assert.equal(first.kid, keys.spares!.rs256[0]!.kid, 'the spare first');
    assert.equal(mock.keys.rs256.kid, first.kid);
    const kids = await jwksKids(driver);
    assert.ok(kids.includes(first.kid) && !kids.includes(keys.rs256.kid));
    assert.equal(decodeProtectedHeader(String((await driver.codeFlow(client)).id_token)).kid, first.kid);

    const second = await mock.provider.rotateSigningKey();
    assert.notEqual(second.kid, first.kid);
    assert.notEqual(second.kid, keys.rs256.kid);
    assert.ok(!(await jwksKids(driver)).includes(first.kid));
    assert.equal(keys.rs256.kid, (await createMockOp({ issuer: ISSUER, keys })).keys.rs256.kid, 'the shared key set is not mutated');

    const logout = await driver.fetch(`${ISSUER}/end_session?${new URLSearchParams({ id_token_hint: before, post_logout_redirect_uri: `${RP}/out` })}`, { redirect: 'manual' });
    assert.equal(logout.status, 303, 'a hint signed with a retired key is still accepted');
  });

  it('rotates the encryption key', async () => {
    const mock = await createMockOp({ issuer: ISSUER, keys });
    const driver = new RpDriver(mock.handle, ISSUER);
    const next = await mock.provider.rotateEncryptionKey();
    assert.equal(next.kid, keys.spares!.encryption[0]!.kid);
    const jwks = (await (await driver.fetch(`${ISSUER}/jwks`)).json()) as JSONWebKeySet;
    const enc = jwks.keys.filter((k) => k.use === 'enc');
    assert.deepEqual(enc.map((k) => k.kid), [next.kid]);
    assert.equal(mock.provider.retiredKeys.at(-1)?.kid, keys.encryption.kid);
  });
});
