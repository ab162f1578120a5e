/**
 * decryptJwe, signJwt and encryptJwt: RSA-OAEP + A128CBC-HS256 to the RP's key, symmetric keys
 * derived from the client secret (OpenID Connect Core 10.2), and the registered algorithms.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { CompactEncrypt, compactDecrypt, createLocalJWKSet, jwtVerify, type CryptoKey } from 'jose';
import { ConfigurationError, ResponseError, VerificationError } from '../../src/index.js';
import { decryptJwe } from '../../src/jose/decrypt-jwe.js';
import { encryptJwt, signJwt } from '../../src/jose/sign-jwt.js';
import { KeyJar } from '../../src/key-jar.js';
import { isError } from '../fixtures/http.js';
import { opEncryptionKey, opSigningKey, rpEncryptionKey, rpSigningKey, type KeyPairFixture } from '../fixtures/keys.js';
import { encryptTo, headerOf, idTokenClaims, payloadOf, signToken } from '../fixtures/tokens.js';

const ISS = 'https://example.com';
const SECRET = 'c8434f28cf9375d9a7f3b50dcfdf6a20d6e702e310066874f794817f';

let rpEnc: KeyPairFixture;
let rpSig: KeyPairFixture;
let opEnc: KeyPairFixture;
let jar: KeyJar;

const secretKey = (bytes: number) => new Uint8Array(createHash('sha256').update(SECRET).digest().subarray(0, bytes));

before(async () => {
  [rpEnc, rpSig, opEnc] = await Promise.all([rpEncryptionKey(), rpSigningKey(), opEncryptionKey()]);
  jar = new KeyJar();
  await jar.addOwnKey(rpEnc.privateJwk);
  await jar.addOwnKey(rpSig.privateJwk);
  jar.addIssuerJwks(ISS, { keys: [opEnc.publicJwk] });
});

describe('decryptJwe', () => {
  it('decrypts RSA-OAEP + A128CBC-HS256 addressed to the RP, giving the nested JWS', async () => {
    const jws = await signToken(idTokenClaims(), { key: await opSigningKey() });
    const jwe = await encryptTo(jws, rpEnc);
    assert.equal(jwe.split('.').length, 5);
    assert.equal(await decryptJwe(jwe, { keyJar: jar, expectedAlg: 'RSA-OAEP', expectedEnc: 'A128CBC-HS256' }), jws);
  });

  it('falls back to every fitting key when the kid is unknown', async () => {
    const key = rpEnc.publicKey;
    const jwe = await new CompactEncrypt(new TextEncoder().encode('hello')).setProtectedHeader({ alg: 'RSA-OAEP', enc: 'A128CBC-HS256', kid: 'rotated-away' }).encrypt(key);
    assert.equal(await decryptJwe(jwe, { keyJar: jar }), 'hello');
  });

  it('rejects another alg than registered', async () => {
    const jwe = await encryptTo('x.y.z', rpEnc, 'RSA-OAEP', 'A128CBC-HS256');
    await assert.rejects(decryptJwe(jwe, { keyJar: jar, expectedAlg: 'RSA-OAEP-256' }), isError(VerificationError, 'checkEncryptionAlgorithm'));
  });

  it('rejects another enc than registered', async () => {
    const jwe = await encryptTo('x.y.z', rpEnc, 'RSA-OAEP', 'A256GCM');
    await assert.rejects(decryptJwe(jwe, { keyJar: jar, expectedAlg: 'RSA-OAEP', expectedEnc: 'A128CBC-HS256' }), isError(VerificationError, 'checkEncryptionAlgorithm'));
  });

  it('rejects a JWE that no key of the RP opens', async () => {
    const jwe = await encryptTo('x.y.z', opEnc);
    await assert.rejects(decryptJwe(jwe, { keyJar: jar }), isError(VerificationError, 'checkDecryption'));
  });

  it('rejects a JWE whose ciphertext was changed', async () => {
    const jwe = await encryptTo('x.y.z', rpEnc);
    const parts = jwe.split('.');
    parts[3] = `${parts[3]![0] === 'A' ? 'B' : 'A'}${parts[3]!.slice(1)}`;
    await assert.rejects(decryptJwe(parts.join('.'), { keyJar: jar }), isError(VerificationError, 'checkDecryption'));
  });

  it('decrypts A128KW with the key derived from the client secret (left 128 bits of SHA-256)', async () => {
    const jwe = await new CompactEncrypt(new TextEncoder().encode('secret payload')).setProtectedHeader({ alg: 'A128KW', enc: 'A128CBC-HS256' }).encrypt(secretKey(16));
    assert.equal(await decryptJwe(jwe, { keyJar: jar, clientSecret: SECRET }), 'secret payload');
    await assert.rejects(decryptJwe(jwe, { keyJar: jar, clientSecret: 'another-secret' }), isError(VerificationError, 'checkDecryption'));
  });

  it('decrypts dir + A128CBC-HS256 with the whole SHA-256 of the client secret', async () => {
    const jwe = await new CompactEncrypt(new TextEncoder().encode('direct')).setProtectedHeader({ alg: 'dir', enc: 'A128CBC-HS256' }).encrypt(secretKey(32));
    assert.equal(await decryptJwe(jwe, { keyJar: jar, clientSecret: SECRET }), 'direct');
  });

  it('rejects a symmetric JWE when the RP has no client secret', async () => {
    const jwe = await new CompactEncrypt(new TextEncoder().encode('x')).setProtectedHeader({ alg: 'A128KW', enc: 'A128CBC-HS256' }).encrypt(secretKey(16));
    await assert.rejects(decryptJwe(jwe, { keyJar: jar }), isError(VerificationError, 'checkDecryption'));
  });

  it('rejects what does not parse, and a header without enc', async () => {
    await assert.rejects(decryptJwe('!!!.a.b.c.d', { keyJar: jar }), isError(ResponseError, 'checkJwtFormat'));
    const noEnc = `${Buffer.from(JSON.stringify({ alg: 'RSA-OAEP' })).toString('base64url')}.a.b.c.d`;
    await assert.rejects(decryptJwe(noEnc, { keyJar: jar }), isError(ResponseError, 'checkJwtFormat'));
  });
});

describe('signJwt', () => {
  it('makes an unsecured JWT for none, with the typ asked for', async () => {
    const jwt = await signJwt({ a: 1 }, { alg: 'none', keyJar: jar, typ: 'oauth-authz-req+jwt' });
    assert.ok(jwt.endsWith('.'));
    assert.deepEqual(headerOf(jwt), { alg: 'none', typ: 'oauth-authz-req+jwt' });
    assert.deepEqual(payloadOf(jwt), { a: 1 });
  });

  it('signs HS256 with the client secret', async () => {
    const jwt = await signJwt({ iss: 'c' }, { alg: 'HS256', keyJar: jar, clientSecret: SECRET });
    const { payload } = await jwtVerify(jwt, new TextEncoder().encode(SECRET), { algorithms: ['HS256'] });
    assert.equal(payload.iss, 'c');
  });

  it('refuses HS256 without a client secret', async () => {
    await assert.rejects(signJwt({}, { alg: 'HS256', keyJar: jar }), isError(ConfigurationError, 'signJwt'));
  });

  it('signs RS256 with the RP\'s own key, naming its kid, verifiable with its public JWKS', async () => {
    const jwt = await signJwt({ iss: 'c' }, { alg: 'RS256', keyJar: jar });
    assert.equal(headerOf(jwt)['kid'], rpSig.kid);
    const { payload } = await jwtVerify(jwt, createLocalJWKSet(jar.ownPublicJwks()));
    assert.equal(payload.iss, 'c');
  });

  it('refuses an algorithm the RP has no key for', async () => {
    await assert.rejects(signJwt({}, { alg: 'ES256', keyJar: jar }), isError(ConfigurationError, 'signJwt'));
  });
});

describe('encryptJwt', () => {
  it('encrypts to the OP\'s RSA-OAEP key as a nested JWT', async () => {
    const jwe = await encryptJwt('a.b.c', { alg: 'RSA-OAEP', issuer: ISS, keyJar: jar });
    assert.deepEqual(headerOf(jwe), { alg: 'RSA-OAEP', enc: 'A128CBC-HS256', cty: 'JWT', kid: opEnc.kid });
    const { plaintext } = await compactDecrypt(jwe, opEnc.privateKey as CryptoKey);
    assert.equal(new TextDecoder().decode(plaintext), 'a.b.c');
  });

  it('encrypts with A128KW from the client secret, which decryptJwe opens', async () => {
    const jwe = await encryptJwt('a.b.c', { alg: 'A128KW', enc: 'A256GCM', issuer: ISS, keyJar: jar, clientSecret: SECRET });
    assert.equal(await decryptJwe(jwe, { keyJar: jar, clientSecret: SECRET }), 'a.b.c');
  });

  it('refuses when the OP publishes no key for the algorithm', async () => {
    await assert.rejects(encryptJwt('a.b.c', { alg: 'ECDH-ES', issuer: ISS, keyJar: jar }), isError(ConfigurationError, 'encryptJwt'));
    await assert.rejects(encryptJwt('a.b.c', { alg: 'RSA-OAEP', issuer: 'https://unknown.example', keyJar: jar }), isError(ConfigurationError, 'encryptJwt'));
  });

  it('refuses symmetric key wrapping without a client secret', async () => {
    await assert.rejects(encryptJwt('a.b.c', { alg: 'A128KW', issuer: ISS, keyJar: jar }), isError(ConfigurationError, 'encryptJwt'));
  });
});
