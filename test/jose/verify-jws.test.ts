/**
 * verifyJws and checkAlgorithm: the algorithm allow-list, alg none, key selection by kid, HMAC
 * with the client secret, and signatures that do not verify.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { ResponseError, VerificationError } from '../../src/index.js';
import { checkAlgorithm, verifyJws } from '../../src/jose/verify-jws.js';
import { KeyJar } from '../../src/key-jar.js';
import { isError } from '../fixtures/http.js';
import { ecKey, foreignKey, opSecondKey, opSigningKey, type KeyPairFixture } from '../fixtures/keys.js';
import { hmacToken, idTokenClaims, signToken, swapPayload, tamperSignature, unsignedToken } from '../fixtures/tokens.js';

const ISS = 'https://example.com';
const SECRET = 'c8434f28cf9375d9a7f3b50dcfdf6a20d6e702e310066874f794817f';

let op1: KeyPairFixture;
let op2: KeyPairFixture;

function jarWith(...keys: KeyPairFixture[]): KeyJar {
  const jar = new KeyJar();
  jar.addIssuerJwks(ISS, { keys: keys.map((k) => k.publicJwk) });
  return jar;
}

before(async () => {
  [op1, op2] = await Promise.all([opSigningKey(), opSecondKey()]);
});

describe('checkAlgorithm', () => {
  it('returns an allowed algorithm', () => {
    assert.equal(checkAlgorithm({ alg: 'RS256' }, ['RS256', 'ES256'], false, 'token'), 'RS256');
  });
  it('rejects an algorithm not in the list', () => {
    assert.throws(() => checkAlgorithm({ alg: 'HS256' }, ['RS256'], false, 'token'), isError(VerificationError, 'checkAlgorithm'));
  });
  it('rejects a missing or non-string alg', () => {
    assert.throws(() => checkAlgorithm({}, ['RS256'], false, 'token'), isError(VerificationError, 'checkAlgorithm'));
    assert.throws(() => checkAlgorithm({ alg: ['RS256'] }, ['RS256'], false, 'token'), isError(VerificationError, 'checkAlgorithm'));
  });
  it('rejects none unless both listed and allowed', () => {
    assert.throws(() => checkAlgorithm({ alg: 'none' }, ['RS256'], true, 'token'), isError(VerificationError, 'checkAlgorithm'));
    assert.throws(() => checkAlgorithm({ alg: 'none' }, ['none'], false, 'token'), isError(VerificationError, 'checkAlgorithm'));
    assert.equal(checkAlgorithm({ alg: 'none' }, ['none'], true, 'token'), 'none');
  });
  it('rejects a crit header it does not understand', () => {
    assert.throws(() => checkAlgorithm({ alg: 'RS256', crit: ['exp'], exp: 1 }, ['RS256'], false, 'token'), isError(VerificationError, 'checkCritical'));
    assert.throws(() => checkAlgorithm({ alg: 'RS256', crit: [] }, ['RS256'], false, 'token'), isError(VerificationError, 'checkCritical'));
  });
});

describe('verifyJws', () => {
  it('verifies an RS256 token by its kid and returns header and payload', async () => {
    const token = await signToken(idTokenClaims(), { key: op1 });
    const verified = await verifyJws(token, { issuer: ISS, keyJar: jarWith(op1, op2), allowedAlgs: ['RS256'] });
    assert.equal(verified.alg, 'RS256');
    assert.equal(verified.header['kid'], op1.kid);
    assert.equal(verified.payload['sub'], 'user-1');
  });

  it('picks the second key by kid', async () => {
    const token = await signToken(idTokenClaims(), { key: op2 });
    const verified = await verifyJws(token, { issuer: ISS, keyJar: jarWith(op1, op2), allowedAlgs: ['RS256'] });
    assert.equal(verified.header['kid'], op2.kid);
  });

  it('accepts a token without kid when the OP has a single key of the type', async () => {
    const token = await signToken(idTokenClaims(), { key: op1, kid: null });
    const verified = await verifyJws(token, { issuer: ISS, keyJar: jarWith(op1), allowedAlgs: ['RS256'] });
    assert.equal(verified.payload['iss'], ISS);
  });

  it('rejects a tampered signature', async () => {
    const token = tamperSignature(await signToken(idTokenClaims(), { key: op1 }));
    await assert.rejects(verifyJws(token, { issuer: ISS, keyJar: jarWith(op1), allowedAlgs: ['RS256'] }), isError(VerificationError, 'checkSignature'));
  });

  it('rejects a changed payload under the original signature', async () => {
    const token = swapPayload(await signToken(idTokenClaims(), { key: op1 }), idTokenClaims({ sub: 'admin' }));
    await assert.rejects(verifyJws(token, { issuer: ISS, keyJar: jarWith(op1), allowedAlgs: ['RS256'] }), isError(VerificationError, 'checkSignature'));
  });

  it('rejects a token signed by a foreign key that claims the OP\'s kid', async () => {
    const token = await signToken(idTokenClaims(), { key: await foreignKey() });
    assert.equal(token.split('.').length, 3);
    await assert.rejects(verifyJws(token, { issuer: ISS, keyJar: jarWith(op1), allowedAlgs: ['RS256'] }), isError(VerificationError, 'checkSignature'));
  });

  it('rejects a missing kid among several keys of the type (selectKey)', async () => {
    const token = await signToken(idTokenClaims(), { key: op1, kid: null });
    await assert.rejects(
      verifyJws(token, { issuer: ISS, keyJar: jarWith(op1, op2), allowedAlgs: ['RS256'] }),
      isError(VerificationError, 'selectKey', (e) => e.detail['candidates'] === 2),
    );
  });

  it('tries every key for a missing kid with allowMissingKid', async () => {
    const token = await signToken(idTokenClaims(), { key: op2, kid: null });
    const verified = await verifyJws(token, { issuer: ISS, keyJar: jarWith(op1, op2), allowedAlgs: ['RS256'], allowMissingKid: true });
    assert.equal(verified.payload['sub'], 'user-1');
    const forged = await signToken(idTokenClaims(), { key: await foreignKey(), kid: null });
    await assert.rejects(
      verifyJws(forged, { issuer: ISS, keyJar: jarWith(op1, op2), allowedAlgs: ['RS256'], allowMissingKid: true }),
      isError(VerificationError, 'checkSignature'),
    );
  });

  it('rejects an unknown kid (selectKey)', async () => {
    const token = await signToken(idTokenClaims(), { key: op1, kid: 'no-such-key' });
    await assert.rejects(
      verifyJws(token, { issuer: ISS, keyJar: jarWith(op1), allowedAlgs: ['RS256'] }),
      isError(VerificationError, 'selectKey', (e) => e.detail['kid'] === 'no-such-key'),
    );
  });

  it('rejects a token from an issuer whose keys are unknown (selectKey)', async () => {
    const token = await signToken(idTokenClaims(), { key: op1 });
    await assert.rejects(verifyJws(token, { issuer: 'https://unknown.example', keyJar: jarWith(op1), allowedAlgs: ['RS256'] }), isError(VerificationError, 'selectKey'));
  });

  it('does not use a key of another type than the algorithm names (ES256 header, RSA keys)', async () => {
    const ec = await ecKey('ec-1');
    const token = await signToken(idTokenClaims(), { key: ec, kid: op1.kid });
    await assert.rejects(verifyJws(token, { issuer: ISS, keyJar: jarWith(op1), allowedAlgs: ['RS256', 'ES256'] }), isError(VerificationError, 'selectKey'));
  });

  it('verifies ES256 with an EC key', async () => {
    const ec = await ecKey('ec-1');
    const token = await signToken(idTokenClaims(), { key: ec });
    const verified = await verifyJws(token, { issuer: ISS, keyJar: jarWith(op1, ec), allowedAlgs: ['RS256', 'ES256'] });
    assert.equal(verified.alg, 'ES256');
  });

  it('rejects an algorithm outside the allow-list before looking for keys', async () => {
    const token = await signToken(idTokenClaims(), { key: op1, alg: 'RS256' });
    await assert.rejects(verifyJws(token, { issuer: ISS, keyJar: jarWith(op1), allowedAlgs: ['ES256'] }), isError(VerificationError, 'checkAlgorithm'));
  });

  it('ignores keys embedded in the header (jwk): only the jar\'s keys verify', async () => {
    const attacker = await foreignKey();
    const token = await signToken(idTokenClaims(), { key: attacker, kid: null, header: { jwk: attacker.publicJwk } });
    await assert.rejects(verifyJws(token, { issuer: ISS, keyJar: jarWith(op1), allowedAlgs: ['RS256'] }), isError(VerificationError, 'checkSignature'));
  });

  it('accepts HS256 signed with the client secret', async () => {
    const token = await hmacToken(idTokenClaims(), SECRET);
    const verified = await verifyJws(token, { issuer: ISS, keyJar: jarWith(op1), allowedAlgs: ['RS256', 'HS256'], clientSecret: SECRET });
    assert.equal(verified.alg, 'HS256');
  });

  it('rejects HS256 signed with another secret', async () => {
    const token = await hmacToken(idTokenClaims(), 'not-the-client-secret');
    await assert.rejects(
      verifyJws(token, { issuer: ISS, keyJar: jarWith(op1), allowedAlgs: ['HS256'], clientSecret: SECRET }),
      isError(VerificationError, 'checkSignature'),
    );
  });

  it('rejects HS256 signed with the OP\'s public key (PEM or JWK) as the secret', async () => {
    for (const secret of [op1.publicPem, JSON.stringify(op1.publicJwk)]) {
      const token = await hmacToken(idTokenClaims(), secret);
      await assert.rejects(
        verifyJws(token, { issuer: ISS, keyJar: jarWith(op1), allowedAlgs: ['RS256', 'HS256'], clientSecret: SECRET }),
        isError(VerificationError, 'checkSignature'),
      );
      await assert.rejects(
        verifyJws(token, { issuer: ISS, keyJar: jarWith(op1), allowedAlgs: ['RS256', 'HS256'] }),
        isError(VerificationError, 'selectKey'),
      );
    }
  });

  it('rejects HS256 when only RS256 is allowed, even with the right secret', async () => {
    const token = await hmacToken(idTokenClaims(), SECRET);
    await assert.rejects(
      verifyJws(token, { issuer: ISS, keyJar: jarWith(op1), allowedAlgs: ['RS256'], clientSecret: SECRET }),
      isError(VerificationError, 'checkAlgorithm'),
    );
  });

  it('rejects alg none by default, even when listed', async () => {
    const token = unsignedToken(idTokenClaims());
    await assert.rejects(verifyJws(token, { issuer: ISS, keyJar: jarWith(op1), allowedAlgs: ['RS256', 'none'] }), isError(VerificationError, 'checkAlgorithm'));
  });

  it('accepts alg none when allowed and listed', async () => {
    const token = unsignedToken(idTokenClaims());
    const verified = await verifyJws(token, { issuer: ISS, keyJar: jarWith(op1), allowedAlgs: ['none'], allowNone: true });
    assert.equal(verified.alg, 'none');
  });

  it('rejects alg none that carries a signature', async () => {
    const token = `${unsignedToken(idTokenClaims())}c2lnbmF0dXJl`;
    await assert.rejects(
      verifyJws(token, { issuer: ISS, keyJar: jarWith(op1), allowedAlgs: ['none'], allowNone: true }),
      isError(VerificationError, 'checkSignature'),
    );
  });

  it('rejects what is not a compact JWS (checkJwtFormat)', async () => {
    for (const token of ['', 'abc', 'a.b', 'a.b.c.d', '!!.??.xx', 'eyJhbGciOiJSUzI1NiJ9.bm90IGpzb24.sig']) {
      await assert.rejects(verifyJws(token, { issuer: ISS, keyJar: jarWith(op1), allowedAlgs: ['RS256'] }), isError(ResponseError, 'checkJwtFormat'), token);
    }
  });
});
