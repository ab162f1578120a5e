/**
 * The access token request and response (OpenID Connect Core 3.1.3): the oidcservice documentation's exact request,
 * PKCE, client authentication, and every way a token response can be refused.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { OPError, ResponseError, VerificationError, type ServiceContext } from '../../src/index.js';
import { leftHalfHash } from '../../src/jose/hash-claim.js';
import { s256 } from '../../src/pkce.js';
import { AccessToken } from '../../src/services/access-token.js';
import { Authorization } from '../../src/services/authorization.js';
import { checkTokenResponse } from '../../src/services/token-response.js';
import { CLIENT_ID, CLIENT_SECRET, NOW, makeContext } from '../fixtures/context.js';
import { authorizedSession } from '../fixtures/flows.js';
import { httpResponse, isError } from '../fixtures/http.js';
import { idTokenClaims, signToken, unsignedToken } from '../fixtures/tokens.js';

const SEED_STATE = 'Oh3w3gKlvoM2ehFqlxI3HIK5';
const SEED_NONCE = 'UvudLKz287YByZdsY3AJoPAlEXQkJ0dK';
const SEED_CODE =
  'Z0FBQUFBQmFkdFFjUVpFWE81SHU5N1N4N01aQWJ1Y3Y1MWFfMTVXXzhEcll2a0lkd0Z2Qk9lOHYtTUZjRnRjUzhNc1FOdm9RMGJ5aXhNUUtYSkdldTItRnBFVFV5YkhIVE5Gbk1VY2x2YmRuQXhxTEFSV2d6Zi1IaHE3SklpdndGbzRHR2tfT0Rwck5RTW1TalRwRUg0SE5JSUJtSC1lZU5HTXRjdkZXWXUzT3VodF8tdFhtX2NURFNiRXVhX1pFTFk1SXZ6NWhvSEdyXzNQRXVfZU9uTS1GZnB1dnVkYmRZSkh4VDdPWENlQ240al9GSkdFa1I0Yz0=';
const SEED_BODY =
  'grant_type=authorization_code&state=Oh3w3gKlvoM2ehFqlxI3HIK5&redirect_uri=https%3A%2F%2Fexample.org%2Fauthz_cb&code=Z0FBQUFBQmFkdFFjUVpFWE81SHU5N1N4N01aQWJ1Y3Y1MWFfMTVXXzhEcll2a0lkd0Z2Qk9lOHYtTUZjRnRjUzhNc1FOdm9RMGJ5aXhNUUtYSkdldTItRnBFVFV5YkhIVE5Gbk1VY2x2YmRuQXhxTEFSV2d6Zi1IaHE3SklpdndGbzRHR2tfT0Rwck5RTW1TalRwRUg0SE5JSUJtSC1lZU5HTXRjdkZXWXUzT3VodF8tdFhtX2NURFNiRXVhX1pFTFk1SXZ6NWhvSEdyXzNQRXVfZU9uTS1GZnB1dnVkYmRZSkh4VDdPWENlQ240al9GSkdFa1I0Yz0%3D&client_id=zls2qhN1jO6A';
const DOCUMENTED_BASIC = 'Basic emxzMnFoTjFqTzZBOmM4NDM0ZjI4Y2Y5Mzc1ZDlhN2YzYjUwZGNmZGY2YTIwZDZlNzAyZTMxMDA2Njg3NGY3OTQ4MTdm';

let context: ServiceContext;
let service: AccessToken;

before(async () => {
  context = await makeContext();
  service = new AccessToken(context);
});

/** A token response body for the session, with a valid ID token unless overridden. */
async function tokenBody(nonce: string, claims: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  return { access_token: 'access-token-1', token_type: 'Bearer', expires_in: 3600, refresh_token: 'refresh-token-1', id_token: await signToken(idTokenClaims({ nonce, ...claims })), ...extra };
}

describe('AccessToken request', () => {
  it('gives the oidcservice documentation\'s request: URL, urlencoded body in the oidcservice documentation\'s order, and the Basic header', async () => {
    const ctx = await makeContext();
    await authorizedSession(ctx, { state: SEED_STATE, nonce: SEED_NONCE }, SEED_CODE);
    const info = await new AccessToken(ctx).getRequestParameters({ state: SEED_STATE });
    assert.equal(info.method, 'POST');
    assert.equal(info.url, 'https://example.com/token');
    assert.equal(info.body, SEED_BODY);
    assert.ok(info.body?.startsWith('grant_type=authorization_code&state=Oh3w3gKlvoM2ehFqlxI3HIK5&redirect_uri='));
    assert.equal(info.headers?.['Authorization'], DOCUMENTED_BASIC);
    assert.equal(info.headers?.['Content-Type'], 'application/x-www-form-urlencoded');
  });

  it('sends the PKCE verifier whose S256 matches the challenge sent', async () => {
    const authorization = new Authorization(context);
    const { url, state } = await authorization.getRequestParameters();
    await authorization.updateServiceContext(await authorization.parseResponse({ code: 'c-pkce', state }));
    const body = new URLSearchParams((await service.getRequestParameters({ state })).body);
    const verifier = body.get('code_verifier') ?? '';
    assert.equal(s256(verifier), new URL(url).searchParams.get('code_challenge'));
    assert.equal(body.get('code'), 'c-pkce');
  });

  it('uses the redirect_uri of the session\'s own request', async () => {
    const ctx = await makeContext({ config: { redirect_uris: ['https://example.org/a', 'https://example.org/b'] } });
    const { state } = await authorizedSession(ctx, { redirect_uri: 'https://example.org/b' });
    const body = new URLSearchParams((await new AccessToken(ctx).getRequestParameters({ state })).body);
    assert.equal(body.get('redirect_uri'), 'https://example.org/b');
  });

  it('adds extra arguments and honours authn_method', async () => {
    const { state } = await authorizedSession(context);
    const info = await service.getRequestParameters({ state, authn_method: 'client_secret_post', resource: 'https://api.example.org' });
    const body = new URLSearchParams(info.body);
    assert.equal(body.get('resource'), 'https://api.example.org');
    assert.equal(body.get('client_secret'), CLIENT_SECRET);
    assert.equal(info.headers?.['Authorization'], undefined);
  });

  it('needs a state, a known state, and a code in the session', async () => {
    await assert.rejects(service.getRequestParameters(), TypeError);
    await assert.rejects(service.getRequestParameters({ state: 'unknown' }), isError(VerificationError, 'checkState'));
    const authorization = new Authorization(context);
    const { state } = await authorization.getRequestParameters({ pkce: false });
    await assert.rejects(service.getRequestParameters({ state }), isError(ResponseError, 'sessionCode'));
  });
});

describe('AccessToken response: accepting', () => {
  it('verifies the ID token, adds verified_id_token, stores the response and maps sub and sid', async () => {
    const { state, nonce } = await authorizedSession(context);
    const response = await service.parseResponse(httpResponse(await tokenBody(nonce, { acr: 'PASSWORD', auth_time: NOW - 5, sid: 'op-sid' })), { state });
    assert.equal(response.access_token, 'access-token-1');
    assert.equal(response.verified_id_token?.['nonce'], nonce);
    assert.equal(response.verified_id_token?.['acr'], 'PASSWORD');
    await service.updateServiceContext(response, { state });
    assert.equal((await context.stateDb.getItem('token_response', state))?.['access_token'], 'access-token-1');
    assert.equal(await context.stateDb.getStateBySub('user-1'), state);
    assert.equal(await context.stateDb.getStateBySid('op-sid'), state);
  });

  it('accepts the JSON as text, a charset parameter, and expires_in as a numeric string', async () => {
    const { state, nonce } = await authorizedSession(context);
    const body = JSON.stringify(await tokenBody(nonce, {}, { expires_in: '3600' }));
    assert.equal((await service.parseResponse(body, { state })).expires_in, 3600);
    assert.equal((await service.parseResponse(httpResponse(body, { contentType: 'application/json;charset=UTF-8' }), { state })).expires_in, 3600);
  });

  it('accepts a matching at_hash', async () => {
    const { state, nonce } = await authorizedSession(context);
    await service.parseResponse(httpResponse(await tokenBody(nonce, { at_hash: leftHalfHash('access-token-1', 'RS256') })), { state });
  });

  it('accepts alg none from the token endpoint only when id_token_signed_response_alg none is registered', async () => {
    const registered = await makeContext({ behaviour: { id_token_signed_response_alg: 'none' } });
    const session = await authorizedSession(registered);
    const body = { access_token: 'at', token_type: 'Bearer', id_token: unsignedToken(idTokenClaims({ nonce: session.nonce })) };
    const response = await new AccessToken(registered).parseResponse(httpResponse(body), { state: session.state });
    assert.equal(response.verified_id_token?.['sub'], 'user-1');

    const { state, nonce } = await authorizedSession(context);
    await assert.rejects(
      service.parseResponse(httpResponse({ ...body, id_token: unsignedToken(idTokenClaims({ nonce })) }), { state }),
      isError(VerificationError, 'checkAlgorithm'),
    );
  });

  it('accepts a response without id_token when openid was not asked for', async () => {
    const ctx = await makeContext();
    const { state } = await authorizedSession(ctx);
    await ctx.stateDb.storeItem({ ...(await ctx.stateDb.getItem('auth_request', state)), scope: 'profile' }, 'auth_request', state);
    const response = await new AccessToken(ctx).parseResponse(httpResponse({ access_token: 'at', token_type: 'Bearer' }), { state });
    assert.equal(response.id_token, undefined);
  });
});

describe('AccessToken response: rejecting', () => {
  it('a 500 (checkHttpStatus)', async () => {
    const { state } = await authorizedSession(context);
    await assert.rejects(
      service.parseResponse(httpResponse('Internal Server Error', { status: 500, contentType: 'text/plain' }), { state }),
      isError(ResponseError, 'checkHttpStatus', (e) => e.detail['status'] === 500 && e.detail['service'] === 'accesstoken'),
    );
    await assert.rejects(service.parseResponse(httpResponse({ error: 'server_error' }, { status: 500 }), { state }), isError(ResponseError, 'checkHttpStatus'));
  });

  it('a text/html answer (checkContentType)', async () => {
    const { state } = await authorizedSession(context);
    await assert.rejects(
      service.parseResponse(httpResponse('<html><body>Login</body></html>', { contentType: 'text/html; charset=utf-8' }), { state }),
      isError(ResponseError, 'checkContentType', (e) => e.detail['contentType'] === 'text/html'),
    );
    await assert.rejects(service.parseResponse(httpResponse('{}', { contentType: null }), { state }), isError(ResponseError, 'checkContentType'));
  });

  it('malformed JSON (parseJson)', async () => {
    const { state } = await authorizedSession(context);
    await assert.rejects(service.parseResponse(httpResponse('{"access_token": "at", ', {}), { state }), isError(ResponseError, 'parseJson'));
    await assert.rejects(service.parseResponse('{"access_token": "at", ', { state }), isError(ResponseError, 'parseJson'));
    await assert.rejects(service.parseResponse(httpResponse('"a string"', {}), { state }), isError(ResponseError, 'parseJson'));
  });

  it('an OP error (OPError with error and errorDescription)', async () => {
    const { state } = await authorizedSession(context);
    await assert.rejects(
      service.parseResponse(httpResponse({ error: 'invalid_grant', error_description: 'The code has expired' }, { status: 400 }), { state }),
      isError(OPError, 'checkErrorResponse', (e) => e.error === 'invalid_grant' && e.errorDescription === 'The code has expired'),
    );
    await assert.rejects(
      service.parseResponse(httpResponse({ error: 'invalid_client' }, { status: 401, headers: { 'www-authenticate': 'Basic realm="op"' } }), { state }),
      isError(OPError, 'checkErrorResponse', (e) => e.error === 'invalid_client' && e.errorDescription === undefined),
    );
    await assert.rejects(service.parseResponse(httpResponse({ error: 'invalid_request' }, { status: 200 }), { state }), isError(OPError, 'checkErrorResponse'));
  });

  it('a response without access_token or token_type, or with a bad expires_in (checkTokenResponse)', async () => {
    const { state, nonce } = await authorizedSession(context);
    const body = await tokenBody(nonce);
    for (const broken of [{ ...body, access_token: undefined }, { ...body, token_type: '' }, { ...body, expires_in: 'soon' }, { ...body, expires_in: -1 }, { ...body, refresh_token: 42 }]) {
      await assert.rejects(service.parseResponse(httpResponse(broken), { state }), isError(ResponseError, 'checkTokenResponse'), JSON.stringify(broken).slice(0, 80));
    }
    assert.throws(() => checkTokenResponse({ access_token: 'a', token_type: 'Bearer', id_token: {} }), isError(ResponseError, 'checkTokenResponse'));
  });

  it('a response without id_token for an OpenID Connect request (checkIdTokenPresent)', async () => {
    const { state } = await authorizedSession(context);
    await assert.rejects(service.parseResponse(httpResponse({ access_token: 'at', token_type: 'Bearer' }), { state }), isError(ResponseError, 'checkIdTokenPresent'));
  });

  it('parsing without the session\'s state (a TypeError: a programming error, not a verdict)', async () => {
    const { nonce } = await authorizedSession(context);
    await assert.rejects(service.parseResponse(httpResponse(await tokenBody(nonce))), TypeError);
  });

  it('an ID token with a wrong nonce, iss, aud, exp, iat or without sub', async () => {
    const { state, nonce } = await authorizedSession(context);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ nonce: 'other' }, 'checkNonce'],
      [{ iss: 'https://evil.example.com' }, 'checkIssuer'],
      [{ aud: 'other-client' }, 'checkAudience'],
      [{ exp: NOW - 3600, iat: NOW - 7200 }, 'checkExpiry'],
      [{ iat: NOW + 3600 }, 'checkIssuedAt'],
      [{ sub: undefined }, 'checkSubject'],
      [{ at_hash: leftHalfHash('another-access-token', 'RS256') }, 'checkAtHash'],
    ];
    for (const [claims, check] of cases) {
      await assert.rejects(service.parseResponse(httpResponse(await tokenBody(nonce, claims)), { state }), isError(VerificationError, check), check);
    }
  });

  it('an ID token without auth_time when max_age was asked (checkAuthTime)', async () => {
    const { state, nonce } = await authorizedSession(context, { max_age: 60 });
    await assert.rejects(service.parseResponse(httpResponse(await tokenBody(nonce)), { state }), isError(VerificationError, 'checkAuthTime'));
  });

  it('a hybrid flow whose token endpoint ID token names another subject (checkSameSubject)', async () => {
    const authorization = new Authorization(context);
    const { state } = await authorization.getRequestParameters({ response_type: 'code id_token', pkce: false });
    const nonce = String((await context.stateDb.getItem('auth_request', state))?.['nonce']);
    const front = await signToken(idTokenClaims({ nonce, c_hash: leftHalfHash('hy-code', 'RS256') }));
    await authorization.updateServiceContext(await authorization.parseResponse({ code: 'hy-code', id_token: front, state }));
    await assert.rejects(service.parseResponse(httpResponse(await tokenBody(nonce, { sub: 'someone-else' })), { state }), isError(VerificationError, 'checkSameSubject'));
    const same = await service.parseResponse(httpResponse(await tokenBody(nonce)), { state });
    assert.equal(same.verified_id_token?.['sub'], 'user-1');
  });

  it('updateServiceContext needs the state', async () => {
    await assert.rejects(service.updateServiceContext({ access_token: 'a', token_type: 'Bearer' }), TypeError);
    assert.equal(CLIENT_ID.length, 12);
  });
});
