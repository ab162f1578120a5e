/** Refreshing tokens (OpenID Connect Core 12). */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { OPError, ResponseError, VerificationError, type ServiceContext } from '../../src/index.js';
import { Authorization } from '../../src/services/authorization.js';
import { RefreshAccessToken } from '../../src/services/refresh-access-token.js';
import { currentAccessToken, currentRefreshToken } from '../../src/services/session-tokens.js';
import { CLIENT_SECRET, NOW, makeContext } from '../fixtures/context.js';
import { tokenSession } from '../fixtures/flows.js';
import { httpResponse, isError } from '../fixtures/http.js';
import { idTokenClaims, signToken } from '../fixtures/tokens.js';

let context: ServiceContext;
let service: RefreshAccessToken;

before(async () => {
  context = await makeContext();
  service = new RefreshAccessToken(context);
});

describe('RefreshAccessToken request', () => {
  it('sends the session\'s refresh token with the client authentication', async () => {
    const { state } = await tokenSession(context);
    const info = await service.getRequestParameters({ state, scope: 'openid' });
    const body = new URLSearchParams(info.body);
    assert.equal(info.url, 'https://example.com/token');
    assert.equal(body.get('grant_type'), 'refresh_token');
    assert.equal(body.get('refresh_token'), 'refresh-token-1');
    assert.equal(body.get('scope'), 'openid');
    assert.match(info.headers?.['Authorization'] ?? '', /^Basic /);
    const post = new URLSearchParams((await service.getRequestParameters({ state, authn_method: 'client_secret_post' })).body);
    assert.equal(post.get('client_secret'), CLIENT_SECRET);
  });

  it('uses the newest refresh token after a refresh', async () => {
    const { state } = await tokenSession(context);
    const response = await service.parseResponse(httpResponse({ access_token: 'access-token-2', token_type: 'Bearer', refresh_token: 'refresh-token-2' }), { state });
    await service.updateServiceContext(response, { state });
    assert.equal(await currentRefreshToken(context.stateDb, state), 'refresh-token-2');
    assert.equal(await currentAccessToken(context.stateDb, state), 'access-token-2');
    assert.equal(new URLSearchParams((await service.getRequestParameters({ state })).body).get('refresh_token'), 'refresh-token-2');
  });

  it('needs a state, a known state, and a refresh token', async () => {
    await assert.rejects(service.getRequestParameters(), TypeError);
    await assert.rejects(service.getRequestParameters({ state: 'unknown' }), isError(VerificationError, 'checkState'));
    const { state } = await new Authorization(context).getRequestParameters();
    await assert.rejects(service.getRequestParameters({ state }), isError(ResponseError, 'sessionRefreshToken'));
  });
});

describe('RefreshAccessToken response', () => {
  it('accepts a new ID token for the same subject, without a nonce', async () => {
    const { state } = await tokenSession(context);
    const idToken = await signToken(idTokenClaims({ iat: NOW + 10 }));
    const response = await service.parseResponse(httpResponse({ access_token: 'at2', token_type: 'Bearer', id_token: idToken }), { state });
    assert.equal(response.verified_id_token?.['sub'], 'user-1');
  });

  it('rejects a new ID token for another subject (checkSameSubject)', async () => {
    const { state } = await tokenSession(context);
    const idToken = await signToken(idTokenClaims({ sub: 'mallory' }));
    await assert.rejects(service.parseResponse(httpResponse({ access_token: 'at2', token_type: 'Bearer', id_token: idToken }), { state }), isError(VerificationError, 'checkSameSubject'));
  });

  it('rejects a changed auth_time (checkSameSubject)', async () => {
    const { state } = await tokenSession(context, { claims: { auth_time: NOW - 100 } });
    const idToken = await signToken(idTokenClaims({ auth_time: NOW - 1 }));
    await assert.rejects(service.parseResponse(httpResponse({ access_token: 'at2', token_type: 'Bearer', id_token: idToken }), { state }), isError(VerificationError, 'checkSameSubject'));
  });

  it('still runs the ID token checks', async () => {
    const { state } = await tokenSession(context);
    const idToken = await signToken(idTokenClaims({ aud: 'other-client' }));
    await assert.rejects(service.parseResponse(httpResponse({ access_token: 'at2', token_type: 'Bearer', id_token: idToken }), { state }), isError(VerificationError, 'checkAudience'));
  });

  it('rejects an ID token without the session\'s state', async () => {
    const idToken = await signToken(idTokenClaims());
    await assert.rejects(service.parseResponse(httpResponse({ access_token: 'at2', token_type: 'Bearer', id_token: idToken })), TypeError);
  });

  it('turns invalid_grant into an OPError, and rejects a 500', async () => {
    const { state } = await tokenSession(context);
    await assert.rejects(
      service.parseResponse(httpResponse({ error: 'invalid_grant', error_description: 'refresh token revoked' }, { status: 400 }), { state }),
      isError(OPError, 'checkErrorResponse', (e) => e.error === 'invalid_grant' && e.errorDescription === 'refresh token revoked'),
    );
    await assert.rejects(service.parseResponse(httpResponse('', { status: 500, contentType: null }), { state }), isError(ResponseError, 'checkHttpStatus'));
  });

  it('rejects a response without access_token', async () => {
    const { state } = await tokenSession(context);
    await assert.rejects(service.parseResponse(httpResponse({ token_type: 'Bearer' }), { state }), isError(ResponseError, 'checkTokenResponse'));
  });

  it('updateServiceContext needs the state', async () => {
    await assert.rejects(service.updateServiceContext({ access_token: 'a', token_type: 'Bearer' }), TypeError);
  });
});
