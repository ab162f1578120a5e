/**
 * ID token and UserInfo encryption (OIDC Core 10.2): to the client's public key (RSA-OAEP,
 * RSA-OAEP-256, ECDH-ES) from `jwks` or `jwks_uri`, or with a key derived from the client secret
 * (A*KW, A*GCMKW, dir); signed then encrypted is a nested JWT. Round trips decrypt with the
 * client's key, computed here from the spec.
 *
 * Run: node --import tsx --test test/mock-op/encryption.test.ts
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { compactDecrypt, createLocalJWKSet, decodeProtectedHeader, exportJWK, generateKeyPair, jwtVerify } from 'jose';
import type { CryptoKey, JSONWebKeySet, JWK } from 'jose';
import { http } from 'msw';
import { setupServer } from 'msw/node';
import { createMockOp, generateOpKeys } from '../../mock-op/index.js';
import type { MockOp } from '../../mock-op/index.js';
import { RP, RpDriver } from './rp-driver.js';

const ISSUER = 'https://op.example/oicrp/rp-encryption';
let mock: MockOp;
let driver: RpDriver;
let server: ReturnType<typeof setupServer>;
const clientKeys: Record<string, { privateKey: CryptoKey; jwk: JWK }> = {};

/** The left-most `bits` of SHA-256 / SHA-384 / SHA-512 of the secret (OIDC Core 10.2). */
function secretKey(secret: string, bits: number): Uint8Array {
  const hash = bits <= 256 ? 'sha256' : bits <= 384 ? 'sha384' : 'sha512';
  return new Uint8Array(createHash(hash).update(secret).digest().subarray(0, bits / 8));
}

async function decrypt(jwe: string, key: CryptoKey | Uint8Array): Promise<string> {
  return new TextDecoder().decode((await compactDecrypt(jwe, key)).plaintext);
}

async function opJwks(): Promise<ReturnType<typeof createLocalJWKSet>> {
  return createLocalJWKSet((await (await driver.fetch(`${ISSUER}/jwks`)).json()) as JSONWebKeySet);
}

before(async () => {
  mock = await createMockOp({ issuer: ISSUER, keys: await generateOpKeys({ spares: 0 }) });
  driver = new RpDriver(mock.handle, ISSUER);
  for (const [name, alg, options] of [
    ['rsa', 'RSA-OAEP', {}],
    ['rsa256', 'RSA-OAEP-256', {}],
    ['ec', 'ECDH-ES+A128KW', { crv: 'P-256' }],
  ] as const) {
    const pair = await generateKeyPair(alg, { extractable: true, ...options });
    clientKeys[name] = { privateKey: pair.privateKey, jwk: { ...(await exportJWK(pair.publicKey)), kid: `rp-${name}`, use: 'enc', alg } };
  }
  server = setupServer(http.get(`${RP}/jwks.json`, () => Response.json({ keys: [clientKeys.rsa256!.jwk] })));
  server.listen({ onUnhandledRequest: 'error' });
});

after(() => server.close());

describe('ID token encryption', () => {
  it('encrypts to the client public key: RSA-OAEP, RSA-OAEP-256 (from jwks_uri), ECDH-ES+A128KW', async () => {
    const cases: Array<[string, Record<string, unknown>, CryptoKey]> = [
      ['RSA-OAEP', { jwks: { keys: [clientKeys.rsa!.jwk] } }, clientKeys.rsa!.privateKey],
      ['RSA-OAEP-256', { jwks_uri: `${RP}/jwks.json` }, clientKeys.rsa256!.privateKey],
      ['ECDH-ES+A128KW', { jwks: { keys: [clientKeys.ec!.jwk] } }, clientKeys.ec!.privateKey],
    ];
    for (const [alg, keyMetadata, privateKey] of cases) {
      const client = await driver.register({ ...keyMetadata, id_token_encrypted_response_alg: alg });
      assert.equal(client.id_token_encrypted_response_enc, 'A128CBC-HS256', 'enc defaults');
      const jwe = String((await driver.codeFlow(client)).id_token);
      const header = decodeProtectedHeader(jwe);
      assert.equal(header.alg, alg);
      assert.equal(header.cty, 'JWT');
      assert.ok(String(header.kid).startsWith('rp-'), 'kid of the client key');
      const inner = await decrypt(jwe, privateKey);
      await jwtVerify(inner, await opJwks(), { issuer: ISSUER, audience: client.client_id, algorithms: ['RS256'] });
    }
  });

  it('encrypts with a key derived from the client secret: A128KW, A192KW, A256KW, A256GCMKW, dir', async () => {
    const cases: Array<[string, string, number]> = [
      ['A128KW', 'A128CBC-HS256', 128],
      ['A192KW', 'A256GCM', 192],
      ['A256KW', 'A256CBC-HS512', 256],
      ['A256GCMKW', 'A128GCM', 256],
      ['dir', 'A128CBC-HS256', 256],
      ['dir', 'A256CBC-HS512', 512],
    ];
    for (const [alg, enc, bits] of cases) {
      const client = await driver.register({ id_token_encrypted_response_alg: alg, id_token_encrypted_response_enc: enc, id_token_signed_response_alg: 'HS256' });
      const jwe = String((await driver.codeFlow(client)).id_token);
      assert.deepEqual([decodeProtectedHeader(jwe).alg, decodeProtectedHeader(jwe).enc], [alg, enc]);
      const inner = await decrypt(jwe, secretKey(client.client_secret, bits));
      await jwtVerify(inner, new TextEncoder().encode(client.client_secret), { issuer: ISSUER, audience: client.client_id });
    }
  });

  it('encrypts front-channel ID tokens too, and accepts an encrypted ID token as id_token_hint', async () => {
    const client = await driver.register({
      response_types: ['id_token'],
      id_token_encrypted_response_alg: 'RSA-OAEP',
      jwks: { keys: [clientKeys.rsa!.jwk] },
      post_logout_redirect_uris: [`${RP}/out`],
    });
    const jwe = (await driver.authorize(client, { response_type: 'id_token' })).get('id_token')!;
    const { payload } = await jwtVerify(await decrypt(jwe, clientKeys.rsa!.privateKey), await opJwks(), { issuer: ISSUER });
    assert.equal(payload.nonce, 'nn');
    const logout = await driver.fetch(`${ISSUER}/end_session?${new URLSearchParams({ id_token_hint: jwe, post_logout_redirect_uri: `${RP}/out` })}`, { redirect: 'manual' });
    assert.equal(logout.status, 303);
  });

  it('refuses bad encryption metadata at registration', async () => {
    const refuse = async (metadata: Record<string, unknown>): Promise<void> => {
      const response = await driver.fetch(`${ISSUER}/registration`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ redirect_uris: [`${RP}/cb`], ...metadata }),
      });
      assert.equal(response.status, 400, JSON.stringify(metadata));
      assert.equal(((await response.json()) as Record<string, unknown>).error, 'invalid_client_metadata');
    };
    await refuse({ id_token_encrypted_response_enc: 'A128CBC-HS256' });
    await refuse({ id_token_encrypted_response_alg: 'RSA-OAEP' });
    await refuse({ userinfo_encrypted_response_alg: 'RSA1_5', jwks: { keys: [clientKeys.rsa!.jwk] } });
    await refuse({ userinfo_encrypted_response_alg: 'A128KW', userinfo_encrypted_response_enc: 'A999GCM' });
  });
});

describe('UserInfo encryption', () => {
  it('encrypts the JSON when no signing alg is registered, a nested JWT when one is', async () => {
    const encOnly = await driver.register({ userinfo_encrypted_response_alg: 'A128KW' });
    const response = await driver.userinfo(String((await driver.codeFlow(encOnly, { scope: 'openid email' })).access_token));
    assert.match(response.headers.get('content-type') ?? '', /^application\/jwt/);
    const json = JSON.parse(await decrypt(await response.text(), secretKey(encOnly.client_secret, 128))) as Record<string, unknown>;
    assert.equal(json.email, 'foobar@example.com');
    assert.equal(json.aud, encOnly.client_id);

    const nested = await driver.register({ userinfo_signed_response_alg: 'ES256', userinfo_encrypted_response_alg: 'RSA-OAEP', jwks: { keys: [clientKeys.rsa!.jwk] } });
    const jwe = await (await driver.userinfo(String((await driver.codeFlow(nested)).access_token))).text();
    assert.equal(decodeProtectedHeader(jwe).cty, 'JWT');
    await jwtVerify(await decrypt(jwe, clientKeys.rsa!.privateKey), await opJwks(), { issuer: ISSUER, audience: nested.client_id, algorithms: ['ES256'] });
  });

  it('signs ID tokens with PS256 and EdDSA keys published in the JWKS', async () => {
    for (const alg of ['PS256', 'EdDSA']) {
      const client = await driver.register({ id_token_signed_response_alg: alg });
      const token = String((await driver.codeFlow(client)).id_token);
      assert.equal(decodeProtectedHeader(token).alg, alg);
      await jwtVerify(token, await opJwks(), { issuer: ISSUER, algorithms: [alg] });
    }
  });
});
