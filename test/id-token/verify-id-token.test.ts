/**
 * verifyIdToken on a ServiceContext: the whole OpenID Connect Core 3.1.3.7 sequence, each rejection
 * under the name of its check, and where the token came from (alg none only from the token
 * endpoint, and only when registered), HMAC with the client secret, and encrypted ID tokens.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { ResponseError, VerificationError, type ServiceContext } from '../../src/index.js';
import { allowedIdTokenAlgs, verifyIdToken } from '../../src/id-token/verify-id-token.js';
import { leftHalfHash } from '../../src/jose/hash-claim.js';
import { CLIENT_ID, CLIENT_SECRET, ISSUER, NOW, makeContext } from '../fixtures/context.js';
import { isError } from '../fixtures/http.js';
import { opSecondKey, opSigningKey, rpEncryptionKey, type KeyPairFixture } from '../fixtures/keys.js';
import { encryptTo, hmacToken, idTokenClaims, signToken, tamperSignature, unsignedToken } from '../fixtures/tokens.js';

let op1: KeyPairFixture;
let op2: KeyPairFixture;
let rpEnc: KeyPairFixture;
let context: ServiceContext;

before(async () => {
  [op1, op2, rpEnc] = await Promise.all([opSigningKey(), opSecondKey(), rpEncryptionKey()]);
  context = await makeContext();
});

const token = (overrides: Record<string, unknown> = {}) => signToken(idTokenClaims(overrides));
const rejectsWith = (check: string) => isError(VerificationError, check);

describe('verifyIdToken: accepting', () => {
  it('accepts a valid RS256 ID token and returns its claims', async () => {
    const { claims, alg } = await verifyIdToken(await token({ nonce: 'n1', acr: 'PASSWORD' }), context, { source: 'token', nonce: 'n1' });
    assert.equal(alg, 'RS256');
    assert.equal(claims.sub, 'user-1');
    assert.equal(claims.iss, ISSUER);
    assert.equal(claims.acr, 'PASSWORD');
  });

  it('accepts aud as a list with azp', async () => {
    const { claims } = await verifyIdToken(await token({ aud: [CLIENT_ID], azp: CLIENT_ID }), context, { source: 'token' });
    assert.deepEqual(claims.aud, [CLIENT_ID]);
  });

  it('accepts a trusted extra audience', async () => {
    const trusting = await makeContext({ config: { trusted_audiences: ['https://api.example.org'] } });
    await verifyIdToken(await token({ aud: [CLIENT_ID, 'https://api.example.org'], azp: CLIENT_ID }), trusting, { source: 'token' });
  });

  it('accepts auth_time within max_age', async () => {
    await verifyIdToken(await token({ auth_time: NOW - 100 }), context, { source: 'token', maxAge: 300 });
  });

  it('accepts a matching at_hash and c_hash', async () => {
    const claims = { at_hash: leftHalfHash('access-token-1', 'RS256'), c_hash: leftHalfHash('code-1', 'RS256') };
    await verifyIdToken(await token(claims), context, {
      source: 'authorization',
      accessToken: 'access-token-1',
      atHashRequired: true,
      code: 'code-1',
      cHashRequired: true,
    });
  });

  it('accepts an issuer mismatch with allow.issuer_mismatch', async () => {
    const lenient = await makeContext({ config: { allow: { issuer_mismatch: true } } });
    await verifyIdToken(await token({ iss: 'https://localhost:8080/oicrp/rp-userinfo-bearer-header' }), lenient, { source: 'token' });
  });
});

describe('verifyIdToken: rejecting', () => {
  it('rejects a tampered signature', async () => {
    await assert.rejects(verifyIdToken(tamperSignature(await token()), context, { source: 'token' }), rejectsWith('checkSignature'));
  });

  it('rejects a wrong iss', async () => {
    await assert.rejects(verifyIdToken(await token({ iss: 'https://evil.example.com' }), context, { source: 'token' }), rejectsWith('checkIssuer'));
  });

  it('rejects a wrong aud', async () => {
    await assert.rejects(verifyIdToken(await token({ aud: 'another-client' }), context, { source: 'token' }), rejectsWith('checkAudience'));
  });

  it('rejects an untrusted extra audience', async () => {
    await assert.rejects(verifyIdToken(await token({ aud: [CLIENT_ID, 'stranger'], azp: CLIENT_ID }), context, { source: 'token' }), rejectsWith('checkAudience'));
  });

  it('rejects an azp naming another client', async () => {
    await assert.rejects(verifyIdToken(await token({ azp: 'another-client' }), context, { source: 'token' }), rejectsWith('checkAuthorizedParty'));
  });

  it('rejects a wrong nonce', async () => {
    await assert.rejects(verifyIdToken(await token({ nonce: 'other' }), context, { source: 'authorization', nonce: 'n1' }), rejectsWith('checkNonce'));
  });

  it('rejects a missing nonce when one was sent', async () => {
    await assert.rejects(verifyIdToken(await token(), context, { source: 'token', nonce: 'n1' }), rejectsWith('checkNonce'));
  });

  it('rejects an expired token', async () => {
    await assert.rejects(verifyIdToken(await token({ iat: NOW - 7200, exp: NOW - 3600 }), context, { source: 'token' }), rejectsWith('checkExpiry'));
  });

  it('rejects iat in the future beyond the clock skew', async () => {
    await assert.rejects(verifyIdToken(await token({ iat: NOW + 120, exp: NOW + 3600 }), context, { source: 'token' }), rejectsWith('checkIssuedAt'));
  });

  it('honours a configured clock skew', async () => {
    const strict = await makeContext({ config: { clock_skew: 0 } });
    await assert.rejects(verifyIdToken(await token({ iat: NOW + 1 }), strict, { source: 'token' }), rejectsWith('checkIssuedAt'));
    const loose = await makeContext({ config: { clock_skew: 300 } });
    await verifyIdToken(await token({ iat: NOW + 120 }), loose, { source: 'token' });
  });

  it('rejects an nbf in the future', async () => {
    await assert.rejects(verifyIdToken(await token({ nbf: NOW + 600 }), context, { source: 'token' }), rejectsWith('checkNotBefore'));
  });

  it('rejects a missing sub', async () => {
    await assert.rejects(verifyIdToken(await token({ sub: undefined }), context, { source: 'token' }), rejectsWith('checkSubject'));
  });

  it('rejects a missing kid among several OP keys', async () => {
    const several = await makeContext({ opKeys: [op1.publicJwk, op2.publicJwk] });
    const noKid = await signToken(idTokenClaims(), { kid: null });
    await assert.rejects(verifyIdToken(noKid, several, { source: 'token' }), rejectsWith('selectKey'));
  });

  it('accepts a missing kid among several OP keys with allow.missing_kid', async () => {
    const lenient = await makeContext({ opKeys: [op1.publicJwk, op2.publicJwk], config: { allow: { missing_kid: true } } });
    const noKid = await signToken(idTokenClaims(), { key: op2, kid: null });
    await verifyIdToken(noKid, lenient, { source: 'token' });
  });

  it('rejects a wrong at_hash, and a missing one where required', async () => {
    await assert.rejects(
      verifyIdToken(await token({ at_hash: leftHalfHash('other-token', 'RS256') }), context, { source: 'authorization', accessToken: 'access-token-1', atHashRequired: true }),
      rejectsWith('checkAtHash'),
    );
    await assert.rejects(verifyIdToken(await token(), context, { source: 'authorization', accessToken: 'access-token-1', atHashRequired: true }), rejectsWith('checkAtHash'));
  });

  it('rejects a wrong c_hash, and a missing one where required', async () => {
    await assert.rejects(
      verifyIdToken(await token({ c_hash: leftHalfHash('other-code', 'RS256') }), context, { source: 'authorization', code: 'code-1', cHashRequired: true }),
      rejectsWith('checkCHash'),
    );
    await assert.rejects(verifyIdToken(await token(), context, { source: 'authorization', code: 'code-1', cHashRequired: true }), rejectsWith('checkCHash'));
  });

  it('rejects a missing auth_time when max_age was asked', async () => {
    await assert.rejects(verifyIdToken(await token(), context, { source: 'token', maxAge: 300 }), rejectsWith('checkAuthTime'));
  });

  it('rejects a missing auth_time when require_auth_time is registered', async () => {
    const requiring = await makeContext({ behaviour: { require_auth_time: true } });
    await assert.rejects(verifyIdToken(await token(), requiring, { source: 'token' }), rejectsWith('checkAuthTime'));
  });

  it('rejects an authentication older than max_age', async () => {
    await assert.rejects(verifyIdToken(await token({ auth_time: NOW - 3600 }), context, { source: 'token', maxAge: 300 }), rejectsWith('checkAuthTime'));
  });

  it('rejects what is not a token', async () => {
    await assert.rejects(verifyIdToken(undefined, context, { source: 'token' }), isError(ResponseError, 'checkJwtFormat'));
    await assert.rejects(verifyIdToken('not.a.jwt', context, { source: 'token' }), isError(ResponseError, 'checkJwtFormat'));
  });
});

describe('verifyIdToken: alg none', () => {
  it('rejects alg none from the authorization endpoint, even when registered', async () => {
    const registered = await makeContext({ behaviour: { id_token_signed_response_alg: 'none' } });
    await assert.rejects(verifyIdToken(unsignedToken(idTokenClaims()), registered, { source: 'authorization' }), rejectsWith('checkAlgorithm'));
    await assert.rejects(verifyIdToken(unsignedToken(idTokenClaims()), context, { source: 'authorization' }), rejectsWith('checkAlgorithm'));
  });

  it('rejects alg none from the token endpoint when not registered (though the OP advertises none)', async () => {
    assert.ok(context.providerInfo?.id_token_signing_alg_values_supported?.includes('none'));
    await assert.rejects(verifyIdToken(unsignedToken(idTokenClaims()), context, { source: 'token' }), rejectsWith('checkAlgorithm'));
  });

  it('accepts alg none from the token endpoint when id_token_signed_response_alg none is registered', async () => {
    const registered = await makeContext({ behaviour: { id_token_signed_response_alg: 'none' } });
    const { alg, claims } = await verifyIdToken(unsignedToken(idTokenClaims()), registered, { source: 'token' });
    assert.equal(alg, 'none');
    assert.equal(claims.sub, 'user-1');
  });

  it('with none registered, an RS256 token is refused', async () => {
    const registered = await makeContext({ behaviour: { id_token_signed_response_alg: 'none' } });
    await assert.rejects(verifyIdToken(await token(), registered, { source: 'token' }), rejectsWith('checkAlgorithm'));
  });

  it('allowedIdTokenAlgs: registered alg, else RS256 and the advertised ones without none', () => {
    assert.deepEqual(new Set(allowedIdTokenAlgs(context, 'token')), new Set(['RS256', 'RS384', 'RS512', 'ES256', 'HS256']));
    assert.equal(allowedIdTokenAlgs(context, 'authorization').includes('none'), false);
  });
});

describe('verifyIdToken: HMAC', () => {
  it('accepts HS256 signed with the client secret', async () => {
    const { alg } = await verifyIdToken(await hmacToken(idTokenClaims(), CLIENT_SECRET), context, { source: 'token' });
    assert.equal(alg, 'HS256');
  });

  it('accepts HS256 when registered', async () => {
    const registered = await makeContext({ behaviour: { id_token_signed_response_alg: 'HS256' } });
    await verifyIdToken(await hmacToken(idTokenClaims(), CLIENT_SECRET), registered, { source: 'authorization' });
  });

  it('rejects HS256 signed with the OP\'s public key PEM or JWK as the secret', async () => {
    for (const secret of [op1.publicPem, JSON.stringify(op1.publicJwk), JSON.stringify({ keys: [op1.publicJwk] })]) {
      await assert.rejects(verifyIdToken(await hmacToken(idTokenClaims(), secret), context, { source: 'token' }), rejectsWith('checkSignature'));
    }
  });

  it('rejects HS256 when RS256 is registered', async () => {
    const registered = await makeContext({ behaviour: { id_token_signed_response_alg: 'RS256' } });
    await assert.rejects(verifyIdToken(await hmacToken(idTokenClaims(), CLIENT_SECRET), registered, { source: 'token' }), rejectsWith('checkAlgorithm'));
  });

  it('rejects HS256 when the client has no secret', async () => {
    const noSecret = await makeContext({ config: { client_secret: undefined }, behaviour: { token_endpoint_auth_method: 'none' } });
    await assert.rejects(verifyIdToken(await hmacToken(idTokenClaims(), op1.publicPem), noSecret, { source: 'token' }), rejectsWith('selectKey'));
  });
});

describe('verifyIdToken: encrypted ID tokens', () => {
  let encrypting: ServiceContext;
  before(async () => {
    encrypting = await makeContext({
      config: { keys: { import: [rpEnc.privateJwk] } },
      behaviour: { id_token_encrypted_response_alg: 'RSA-OAEP', id_token_encrypted_response_enc: 'A128CBC-HS256' },
    });
  });

  it('decrypts RSA-OAEP + A128CBC-HS256 and verifies the nested signed JWT', async () => {
    const jwe = await encryptTo(await token({ nonce: 'n1' }), rpEnc);
    const { claims, alg } = await verifyIdToken(jwe, encrypting, { source: 'token', nonce: 'n1' });
    assert.equal(alg, 'RS256');
    assert.equal(claims.nonce, 'n1');
  });

  it('still runs every check on the nested token', async () => {
    const jwe = await encryptTo(await token({ iss: 'https://evil.example.com' }), rpEnc);
    await assert.rejects(verifyIdToken(jwe, encrypting, { source: 'token' }), rejectsWith('checkIssuer'));
    const tampered = await encryptTo(tamperSignature(await token()), rpEnc);
    await assert.rejects(verifyIdToken(tampered, encrypting, { source: 'token' }), rejectsWith('checkSignature'));
  });

  it('rejects an unsigned nested token', async () => {
    const jwe = await encryptTo(unsignedToken(idTokenClaims()), rpEnc);
    await assert.rejects(verifyIdToken(jwe, encrypting, { source: 'token' }), rejectsWith('checkAlgorithm'));
  });

  it('rejects another encryption than registered', async () => {
    const jwe = await encryptTo(await token(), rpEnc, 'RSA-OAEP', 'A256GCM');
    await assert.rejects(verifyIdToken(jwe, encrypting, { source: 'token' }), rejectsWith('checkEncryptionAlgorithm'));
  });

  it('rejects an encrypted token the RP cannot decrypt', async () => {
    const jwe = await encryptTo(await token(), rpEnc);
    await assert.rejects(verifyIdToken(jwe, context, { source: 'token' }), rejectsWith('checkDecryption'));
  });

  it('rejects an ID token that arrives only signed, from either endpoint, when encryption was registered (checkEncrypted, 3.1.3.7 step 1)', async () => {
    for (const source of ['token', 'authorization'] as const) {
      await assert.rejects(verifyIdToken(await token(), encrypting, { source }), rejectsWith('checkEncrypted'), source);
    }
  });

  it('pins the registered alg: RSA-OAEP registered, RSA-OAEP-256 refused (checkEncryptionAlgorithm)', async () => {
    const jwe = await encryptTo(await token(), rpEnc, 'RSA-OAEP-256', 'A128CBC-HS256');
    await assert.rejects(verifyIdToken(jwe, encrypting, { source: 'token' }), rejectsWith('checkEncryptionAlgorithm'));
  });

  it('pins enc to A128CBC-HS256 when only the alg was registered (Registration 1.0, 2)', async () => {
    const algOnly = await makeContext({ config: { keys: { import: [rpEnc.privateJwk] } }, behaviour: { id_token_encrypted_response_alg: 'RSA-OAEP' } });
    const { claims } = await verifyIdToken(await encryptTo(await token({ nonce: 'n2' }), rpEnc, 'RSA-OAEP', 'A128CBC-HS256'), algOnly, { source: 'token', nonce: 'n2' });
    assert.equal(claims.nonce, 'n2');
    await assert.rejects(verifyIdToken(await encryptTo(await token(), rpEnc, 'RSA-OAEP', 'A256GCM'), algOnly, { source: 'token' }), rejectsWith('checkEncryptionAlgorithm'));
  });
});

describe('verifyIdToken: the nonce', () => {
  it('rejects an ID token without nonce when the request sent one (checkNonce), from the token endpoint and the authorization endpoint', async () => {
    for (const source of ['token', 'authorization'] as const) {
      const claims = idTokenClaims();
      delete claims['nonce'];
      await assert.rejects(verifyIdToken(await signToken(claims), context, { source, nonce: 'sent-nonce' }), rejectsWith('checkNonce'), source);
    }
  });
});
