/**
 * Request objects (OpenID Connect Core 6): signed RS256 or unsigned, optionally encrypted, passed
 * by value (`request`) or by reference (`request_uri`, published in the state store).
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { compactDecrypt, createLocalJWKSet, jwtVerify, type CryptoKey } from 'jose';
import { type ServiceContext } from '../../src/index.js';
import { getPublishedRequestObject, makeRequestObject, publishRequestObject } from '../../src/request-object.js';
import { Authorization } from '../../src/services/authorization.js';
import { BASE_URL, CLIENT_ID, CLIENT_SECRET, ISSUER, NOW, makeContext } from '../fixtures/context.js';
import { opEncryptionKey, opSigningKey, rpSigningKey, type KeyPairFixture } from '../fixtures/keys.js';
import { headerOf, payloadOf } from '../fixtures/tokens.js';

let rpSig: KeyPairFixture;
let opEnc: KeyPairFixture;
let signing: ServiceContext;
let keyless: ServiceContext;

before(async () => {
  [rpSig, opEnc] = await Promise.all([rpSigningKey(), opEncryptionKey()]);
  signing = await makeContext({ config: { keys: { import: [rpSig.privateJwk] } } });
  keyless = await makeContext();
});

describe('makeRequestObject', () => {
  it('signs with RS256 when the RP has an RSA key, with iss, aud, iat, exp, jti', async () => {
    const jwt = await makeRequestObject(signing, { response_type: 'code', state: 's', nonce: 'n' });
    const { payload, protectedHeader } = await jwtVerify(jwt, createLocalJWKSet(signing.keyJar.ownPublicJwks()), {
      issuer: CLIENT_ID,
      audience: ISSUER,
      currentDate: new Date(NOW * 1000),
      typ: 'oauth-authz-req+jwt',
    });
    assert.equal(protectedHeader.alg, 'RS256');
    assert.equal(protectedHeader.kid, rpSig.kid);
    assert.equal(payload['state'], 's');
    assert.equal(payload.iat, NOW);
    assert.equal(payload.exp, NOW + 300);
    assert.equal(typeof payload.jti, 'string');
  });

  it('is unsigned (alg none) when the RP has no key and nothing is registered', async () => {
    const jwt = await makeRequestObject(keyless, { response_type: 'code' });
    assert.equal(headerOf(jwt)['alg'], 'none');
    assert.ok(jwt.endsWith('.'));
    assert.equal(payloadOf(jwt)['iss'], CLIENT_ID);
  });

  it('with nothing registered, signs with an RSA key the RP has even when that key is for PS256', async () => {
    const ps = await makeContext({ config: { keys: { import: [{ ...rpSig.privateJwk, alg: 'PS256', kid: 'rp-ps256' }] } } });
    const jwt = await makeRequestObject(ps, { response_type: 'code' });
    const { protectedHeader } = await jwtVerify(jwt, createLocalJWKSet(ps.keyJar.ownPublicJwks()), { currentDate: new Date(NOW * 1000) });
    assert.equal(protectedHeader.kid, 'rp-ps256');
  });

  it('uses the registered request_object_signing_alg (HS256 with the client secret)', async () => {
    const hs = await makeContext({ behaviour: { request_object_signing_alg: 'HS256' } });
    const jwt = await makeRequestObject(hs, { response_type: 'code' });
    await jwtVerify(jwt, new TextEncoder().encode(CLIENT_SECRET), { algorithms: ['HS256'], currentDate: new Date(NOW * 1000) });
  });

  it('encrypts to the OP when request_object_encryption_alg is registered', async () => {
    const encrypting = await makeContext({
      config: { keys: { import: [rpSig.privateJwk] } },
      opKeys: [(await opSigningKey()).publicJwk, opEnc.publicJwk],
      behaviour: { request_object_encryption_alg: 'RSA-OAEP', request_object_encryption_enc: 'A256GCM' },
    });
    const jwe = await makeRequestObject(encrypting, { response_type: 'code', state: 'enc-state' });
    assert.deepEqual(headerOf(jwe), { alg: 'RSA-OAEP', enc: 'A256GCM', cty: 'JWT', kid: opEnc.kid });
    const { plaintext } = await compactDecrypt(jwe, opEnc.privateKey as CryptoKey);
    const { payload } = await jwtVerify(new TextDecoder().decode(plaintext), createLocalJWKSet(encrypting.keyJar.ownPublicJwks()), { currentDate: new Date(NOW * 1000) });
    assert.equal(payload['state'], 'enc-state');
  });
});

describe('publishing request objects', () => {
  it('publishes under {base_url}/{requests_dir}/ and gives the object back', async () => {
    const uri = await publishRequestObject(keyless, 'header.payload.');
    assert.match(uri, new RegExp(`^${BASE_URL}/requests/[A-Za-z0-9_-]+\\.jwt$`));
    assert.equal(await getPublishedRequestObject(keyless, uri), 'header.payload.');
  });

  it('gives nothing for another prefix, an unknown name, or a path trick', async () => {
    const uri = await publishRequestObject(keyless, 'x.y.');
    const name = uri.slice(uri.lastIndexOf('/') + 1);
    assert.equal(await getPublishedRequestObject(keyless, `https://evil.example/requests/${name}`), undefined);
    assert.equal(await getPublishedRequestObject(keyless, `${BASE_URL}/requests/unknown.jwt`), undefined);
    assert.equal(await getPublishedRequestObject(keyless, `${BASE_URL}/requests/../__state__x.jwt`), undefined);
    assert.equal(await getPublishedRequestObject(keyless, `${BASE_URL}/requests/${name}?cache=1`), 'x.y.');
  });
});

describe('Authorization with a request object', () => {
  it('by value: request holds every parameter; response_type, client_id and scope stay outside', async () => {
    const authorization = new Authorization(signing);
    const { url, state } = await authorization.getRequestParameters({ request_method: 'value', nonce: 'n-value', pkce: false });
    const query = new URL(url).searchParams;
    assert.deepEqual([...query.keys()].sort(), ['client_id', 'request', 'response_type', 'scope']);
    assert.equal(query.get('response_type'), 'code');
    assert.equal(query.get('client_id'), CLIENT_ID);
    const { payload } = await jwtVerify(query.get('request') ?? '', createLocalJWKSet(signing.keyJar.ownPublicJwks()), { currentDate: new Date(NOW * 1000) });
    assert.equal(payload['state'], state);
    assert.equal(payload['nonce'], 'n-value');
    assert.equal(payload['redirect_uri'], 'https://example.org/authz_cb');
  });

  it('by reference: request_uri points at the published object', async () => {
    const authorization = new Authorization(keyless);
    const { url, state } = await authorization.getRequestParameters({ request_method: 'reference', pkce: false });
    const query = new URL(url).searchParams;
    assert.equal(query.get('request'), null);
    const requestUri = query.get('request_uri') ?? '';
    assert.ok(requestUri.startsWith(`${BASE_URL}/requests/`));
    const published = await getPublishedRequestObject(keyless, requestUri);
    assert.ok(published);
    assert.equal(headerOf(published)['alg'], 'none');
    assert.equal(payloadOf(published)['state'], state);
  });
});
