/** The userinfo request and response (OpenID Connect Core 5.3), plain, signed and encrypted. */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { CompactEncrypt, importJWK, type CryptoKey } from 'jose';
import { OPError, ResponseError, VerificationError, type ServiceContext } from '../../src/index.js';
import { Authorization } from '../../src/services/authorization.js';
import { UserInfo } from '../../src/services/userinfo.js';
import { CLIENT_ID, ISSUER, makeContext } from '../fixtures/context.js';
import { tokenSession } from '../fixtures/flows.js';
import { httpResponse, isError } from '../fixtures/http.js';
import { rpEncryptionKey, type KeyPairFixture } from '../fixtures/keys.js';
import { encryptTo, signToken, tamperSignature, unsignedToken } from '../fixtures/tokens.js';

let context: ServiceContext;
let service: UserInfo;
let state: string;
let rpEnc: KeyPairFixture;

before(async () => {
  rpEnc = await rpEncryptionKey();
  context = await makeContext();
  service = new UserInfo(context);
  ({ state } = await tokenSession(context));
});

const jwt = (body: string) => httpResponse(body, { contentType: 'application/jwt' });

describe('UserInfo request', () => {
  it('GETs the userinfo endpoint with Authorization: Bearer <token>', async () => {
    const info = await service.getRequestParameters({ state });
    assert.equal(info.method, 'GET');
    assert.equal(info.url, 'https://example.com/userinfo');
    assert.equal(info.headers?.['Authorization'], 'Bearer access-token-1');
    assert.equal(info.body, undefined);
  });

  it('bearer_body POSTs the access token in a form body', async () => {
    const info = await service.getRequestParameters({ state, token_placement: 'bearer_body' });
    assert.equal(info.method, 'POST');
    assert.equal(info.headers?.['Authorization'], undefined);
    assert.equal(info.headers?.['Content-Type'], 'application/x-www-form-urlencoded');
    assert.equal(new URLSearchParams(info.body).get('access_token'), 'access-token-1');
  });

  it('POST with the header keeps the token out of the body', async () => {
    const info = await service.getRequestParameters({ state, method: 'POST' });
    assert.equal(info.method, 'POST');
    assert.equal(info.headers?.['Authorization'], 'Bearer access-token-1');
    assert.equal(new URLSearchParams(info.body).get('access_token'), null);
  });

  it('needs a state, a known state, and an access token', async () => {
    await assert.rejects(service.getRequestParameters(), TypeError);
    await assert.rejects(service.getRequestParameters({ state: 'unknown' }), isError(VerificationError, 'checkState'));
    const { state: fresh } = await new Authorization(context).getRequestParameters();
    await assert.rejects(service.getRequestParameters({ state: fresh }), isError(ResponseError, 'sessionAccessToken'));
  });
});

describe('UserInfo response: JSON', () => {
  it('accepts claims about the ID token\'s subject and stores them as user_info', async () => {
    const ctx = await makeContext();
    const session = await tokenSession(ctx);
    const userinfo = new UserInfo(ctx);
    const response = await userinfo.parseResponse(httpResponse({ sub: 'user-1', email: 'alice@example.com' }), { state: session.state });
    await userinfo.updateServiceContext(response, { state: session.state });
    assert.deepEqual(await ctx.stateDb.getItem('user_info', session.state), { sub: 'user-1', email: 'alice@example.com' });
    assert.deepEqual(Object.keys(await ctx.stateDb.getState(session.state)).sort(), ['auth_request', 'auth_response', 'created', 'expires', 'iss', 'status', 'subSlots', 'token_response', 'user_info']);
  });

  it('rejects a mismatched sub (checkUserInfoSubject)', async () => {
    await assert.rejects(
      service.parseResponse(httpResponse({ sub: 'someone-else', email: 'mallory@example.com' }), { state }),
      isError(VerificationError, 'checkUserInfoSubject', (e) => e.detail['service'] === 'userinfo'),
    );
  });

  it('rejects a missing sub (checkUserInfoSubject)', async () => {
    await assert.rejects(service.parseResponse(httpResponse({ email: 'alice@example.com' }), { state }), isError(VerificationError, 'checkUserInfoSubject'));
  });

  it('turns a WWW-Authenticate Bearer error into an OPError', async () => {
    await assert.rejects(
      service.parseResponse(httpResponse('', { status: 401, contentType: null, headers: { 'www-authenticate': 'Bearer realm="op", error="invalid_token", error_description="The access token expired"' } }), { state }),
      isError(OPError, 'checkErrorResponse', (e) => e.error === 'invalid_token' && e.errorDescription === 'The access token expired' && e.detail['status'] === 401),
    );
  });

  it('rejects a 500, an HTML page and malformed JSON', async () => {
    await assert.rejects(service.parseResponse(httpResponse('oops', { status: 500, contentType: 'text/plain' }), { state }), isError(ResponseError, 'checkHttpStatus'));
    await assert.rejects(service.parseResponse(httpResponse('<html/>', { contentType: 'text/html' }), { state }), isError(ResponseError, 'checkContentType'));
    await assert.rejects(service.parseResponse(httpResponse('{"sub": ', {}), { state }), isError(ResponseError, 'parseJson'));
  });

  it('updateServiceContext needs the state', async () => {
    await assert.rejects(service.updateServiceContext({ sub: 'user-1' }), TypeError);
  });
});

describe('UserInfo response: signed and encrypted', () => {
  let signedCtx: ServiceContext;
  let signedService: UserInfo;
  let signedState: string;

  before(async () => {
    signedCtx = await makeContext({ behaviour: { userinfo_signed_response_alg: 'RS256' } });
    signedService = new UserInfo(signedCtx);
    ({ state: signedState } = await tokenSession(signedCtx));
  });

  it('verifies a signed response (application/jwt)', async () => {
    const token = await signToken({ sub: 'user-1', email: 'alice@example.com', iss: ISSUER, aud: CLIENT_ID });
    const claims = await signedService.parseResponse(jwt(token), { state: signedState });
    assert.equal(claims['email'], 'alice@example.com');
  });

  it('rejects a tampered signature, a wrong iss, a wrong aud, a mismatched sub', async () => {
    const good = { sub: 'user-1', iss: ISSUER, aud: CLIENT_ID };
    await assert.rejects(signedService.parseResponse(jwt(tamperSignature(await signToken(good))), { state: signedState }), isError(VerificationError, 'checkSignature'));
    await assert.rejects(signedService.parseResponse(jwt(await signToken({ ...good, iss: 'https://evil.example.com' })), { state: signedState }), isError(VerificationError, 'checkIssuer'));
    await assert.rejects(signedService.parseResponse(jwt(await signToken({ ...good, aud: 'other' })), { state: signedState }), isError(VerificationError, 'checkAudience'));
    await assert.rejects(signedService.parseResponse(jwt(await signToken({ ...good, sub: 'other' })), { state: signedState }), isError(VerificationError, 'checkUserInfoSubject'));
  });

  it('rejects alg none when RS256 is registered', async () => {
    await assert.rejects(signedService.parseResponse(jwt(unsignedToken({ sub: 'user-1' })), { state: signedState }), isError(VerificationError, 'checkAlgorithm'));
  });

  it('rejects plain JSON when a signed response is registered (checkUserInfoFormat)', async () => {
    await assert.rejects(signedService.parseResponse(httpResponse({ sub: 'user-1' }), { state: signedState }), isError(VerificationError, 'checkUserInfoFormat'));
  });

  it('decrypts an encrypted signed response and an encrypted JSON response', async () => {
    const ctx = await makeContext({
      config: { keys: { import: [rpEnc.privateJwk] } },
      behaviour: { userinfo_encrypted_response_alg: 'RSA-OAEP', userinfo_encrypted_response_enc: 'A128CBC-HS256' },
    });
    const session = await tokenSession(ctx);
    const userinfo = new UserInfo(ctx);
    const nested = await encryptTo(await signToken({ sub: 'user-1', name: 'Alice' }), rpEnc);
    assert.equal((await userinfo.parseResponse(jwt(nested), { state: session.state }))['name'], 'Alice');
    const key = (await importJWK(rpEnc.publicJwk, 'RSA-OAEP')) as CryptoKey;
    const plain = await new CompactEncrypt(new TextEncoder().encode(JSON.stringify({ sub: 'user-1', name: 'Bob' }))).setProtectedHeader({ alg: 'RSA-OAEP', enc: 'A128CBC-HS256' }).encrypt(key);
    assert.equal((await userinfo.parseResponse(jwt(plain), { state: session.state }))['name'], 'Bob');
    const wrongEnc = await encryptTo(await signToken({ sub: 'user-1' }), rpEnc, 'RSA-OAEP', 'A256GCM');
    await assert.rejects(userinfo.parseResponse(jwt(wrongEnc), { state: session.state }), isError(VerificationError, 'checkEncryptionAlgorithm'));
    const wrongAlg = await encryptTo(await signToken({ sub: 'user-1' }), rpEnc, 'RSA-OAEP-256', 'A128CBC-HS256');
    await assert.rejects(userinfo.parseResponse(jwt(wrongAlg), { state: session.state }), isError(VerificationError, 'checkEncryptionAlgorithm'), 'the registered alg is pinned');
  });

  it('requires encryption when it was registered: plain JSON and a JWS only signed are checkEncrypted', async () => {
    const ctx = await makeContext({
      config: { keys: { import: [rpEnc.privateJwk] } },
      behaviour: { userinfo_encrypted_response_alg: 'RSA-OAEP' },
    });
    const session = await tokenSession(ctx);
    const userinfo = new UserInfo(ctx);
    await assert.rejects(userinfo.parseResponse(httpResponse({ sub: 'user-1' }), { state: session.state }), isError(VerificationError, 'checkEncrypted'));
    await assert.rejects(userinfo.parseResponse(jwt(await signToken({ sub: 'user-1' })), { state: session.state }), isError(VerificationError, 'checkEncrypted'));
    // Only the alg registered: enc is A128CBC-HS256 (Registration 1.0, 2), and another is refused.
    const otherEnc = await encryptTo(await signToken({ sub: 'user-1' }), rpEnc, 'RSA-OAEP', 'A256GCM');
    await assert.rejects(userinfo.parseResponse(jwt(otherEnc), { state: session.state }), isError(VerificationError, 'checkEncryptionAlgorithm'));
  });
});
