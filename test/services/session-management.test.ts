/** RP-initiated logout, session management (check_session_iframe) and the CheckID service. */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { ConfigurationError, ResponseError, VerificationError, type ServiceContext } from '../../src/index.js';
import { CheckID } from '../../src/services/check-id.js';
import { CheckSession } from '../../src/services/check-session.js';
import { EndSession } from '../../src/services/end-session.js';
import { latestIdToken } from '../../src/services/session-tokens.js';
import { CLIENT_ID, ISSUER, NOW, makeContext } from '../fixtures/context.js';
import { authorizedSession, tokenSession } from '../fixtures/flows.js';
import { httpResponse, isError } from '../fixtures/http.js';

const POST_LOGOUT = 'https://example.org/logged_out';

let context: ServiceContext;
before(async () => {
  context = await makeContext({
    config: { post_logout_redirect_uris: [POST_LOGOUT] },
    providerInfo: { check_session_iframe: 'https://example.com/check_session', check_id_endpoint: 'https://example.com/check_id' },
  });
});

describe('EndSession', () => {
  it('builds the logout URL with id_token_hint, post_logout_redirect_uri, a fresh state and client_id', async () => {
    const { state, token } = await tokenSession(context);
    const service = new EndSession(context);
    const { url, method } = await service.getRequestParameters({ state, ui_locales: 'sv' });
    assert.equal(method, 'GET');
    const parsed = new URL(url);
    assert.equal(`${parsed.origin}${parsed.pathname}`, 'https://example.com/end_session');
    assert.equal(parsed.searchParams.get('id_token_hint'), token.id_token);
    assert.equal(parsed.searchParams.get('post_logout_redirect_uri'), POST_LOGOUT);
    assert.equal(parsed.searchParams.get('client_id'), CLIENT_ID);
    assert.equal(parsed.searchParams.get('ui_locales'), 'sv');
    const logoutState = parsed.searchParams.get('state') ?? '';
    assert.ok(logoutState.length >= 32 && logoutState !== state);
    assert.equal(await context.stateDb.getStateByLogoutState(logoutState), state);
    const recorded = await context.stateDb.getItem('end_session_request', state);
    assert.equal(recorded?.['state'], logoutState);
    assert.equal(recorded?.['id_token_hint'], undefined, 'the ID token is not copied into the session');
  });

  it('accepts the post-logout redirect with its state and ends the session', async () => {
    const { state } = await tokenSession(context);
    const service = new EndSession(context);
    const logoutState = new URL((await service.getRequestParameters({ state })).url).searchParams.get('state') ?? '';
    const response = await service.parseResponse(`${POST_LOGOUT}?state=${logoutState}`);
    assert.deepEqual(response, { state: logoutState, session: state });
    await service.updateServiceContext(response);
    assert.equal(await context.stateDb.hasState(state), false);
    assert.equal(await context.stateDb.getStateByLogoutState(logoutState), undefined);
  });

  it('accepts the post-logout redirect after a back-channel logout ended the session, once', async () => {
    const { state } = await tokenSession(context);
    const service = new EndSession(context);
    const logoutState = new URL((await service.getRequestParameters({ state })).url).searchParams.get('state') ?? '';
    await context.stateDb.removeState(state);
    const response = await service.parseResponse(`${POST_LOGOUT}?state=${logoutState}`);
    await service.updateServiceContext(response);
    await assert.rejects(service.parseResponse(`${POST_LOGOUT}?state=${logoutState}`), isError(VerificationError, 'checkLogoutState'), 'a replayed redirect');
  });

  it('accepts a redirect without state, ending nothing', async () => {
    const service = new EndSession(context);
    assert.deepEqual(await service.parseResponse(POST_LOGOUT), {});
  });

  it('rejects a logout state this RP did not send (checkLogoutState)', async () => {
    const service = new EndSession(context);
    await assert.rejects(service.parseResponse('?state=forged-logout-state'), isError(VerificationError, 'checkLogoutState'));
    await assert.rejects(service.parseResponse({ state: 42 }), isError(VerificationError, 'checkLogoutState'));
  });

  it('rejects a logout state of another session (checkLogoutState)', async () => {
    const service = new EndSession(context);
    const a = await tokenSession(context);
    const b = await tokenSession(context);
    const logoutState = new URL((await service.getRequestParameters({ state: a.state })).url).searchParams.get('state') ?? '';
    await assert.rejects(service.parseResponse(`?state=${logoutState}`, { state: b.state }), isError(VerificationError, 'checkLogoutState'));
  });

  it('needs a state, a known state and an end_session_endpoint', async () => {
    const service = new EndSession(context);
    await assert.rejects(service.getRequestParameters(), TypeError);
    await assert.rejects(service.getRequestParameters({ state: 'unknown' }), isError(VerificationError, 'checkState'));
    const noLogout = await makeContext({ providerInfo: { end_session_endpoint: undefined } });
    const { state } = await authorizedSession(noLogout);
    await assert.rejects(new EndSession(noLogout).getRequestParameters({ state }), isError(ConfigurationError, 'contextEndpoint'));
  });
});

describe('CheckSession', () => {
  it('loads the OP\'s iframe and posts client_id and session_state', async () => {
    const { state } = await authorizedSession(context, {}, 'code-s', { session_state: 'abc.salt' });
    const service = new CheckSession(context);
    assert.deepEqual(await service.getRequestParameters({ state }), { method: 'GET', url: 'https://example.com/check_session' });
    assert.equal(await service.message(state), `${CLIENT_ID} abc.salt`);
  });

  it('reads changed, unchanged and error', async () => {
    const service = new CheckSession(context);
    for (const status of ['changed', 'unchanged', 'error'] as const) assert.deepEqual(await service.parseResponse(` ${status}\n`), { status });
  });

  it('rejects any other answer (checkSessionStatus)', async () => {
    await assert.rejects(new CheckSession(context).parseResponse('maybe'), isError(ResponseError, 'checkSessionStatus'));
  });

  it('rejects a session without session_state (checkSessionState)', async () => {
    const { state } = await authorizedSession(context);
    await assert.rejects(new CheckSession(context).message(state), isError(ResponseError, 'checkSessionState'));
  });

  it('needs a known state and a check_session_iframe', async () => {
    await assert.rejects(new CheckSession(context).getRequestParameters({ state: 'unknown' }), isError(VerificationError, 'checkState'));
    const plain = await makeContext();
    const { state } = await authorizedSession(plain);
    await assert.rejects(new CheckSession(plain).getRequestParameters({ state }), isError(ConfigurationError, 'contextEndpoint'));
  });
});

describe('CheckID', () => {
  it('POSTs the session\'s ID token to the check ID endpoint', async () => {
    const { state } = await tokenSession(context);
    const info = await new CheckID(context).getRequestParameters({ state });
    assert.equal(info.method, 'POST');
    assert.equal(info.url, 'https://example.com/check_id');
    assert.equal(new URLSearchParams(info.body).get('id_token'), await latestIdToken(context.stateDb, state));
  });

  it('accepts claims about the session\'s subject', async () => {
    const { state } = await tokenSession(context);
    const claims = { iss: ISSUER, sub: 'user-1', aud: CLIENT_ID, exp: NOW + 60 };
    assert.deepEqual(await new CheckID(context).parseResponse(httpResponse(claims), { state }), claims);
  });

  it('rejects another issuer, audience, subject, or an expired token', async () => {
    const { state } = await tokenSession(context);
    const good = { iss: ISSUER, sub: 'user-1', aud: CLIENT_ID, exp: NOW + 60 };
    const service = new CheckID(context);
    await assert.rejects(service.parseResponse({ ...good, iss: 'https://evil.example.com' }, { state }), isError(VerificationError, 'checkIssuer'));
    await assert.rejects(service.parseResponse({ ...good, aud: 'other' }, { state }), isError(VerificationError, 'checkAudience'));
    await assert.rejects(service.parseResponse({ ...good, exp: NOW - 3600 }, { state }), isError(VerificationError, 'checkExpiry'));
    await assert.rejects(service.parseResponse({ ...good, sub: 'other' }, { state }), isError(VerificationError, 'checkSameSubject'));
  });

  it('needs an endpoint and an ID token', async () => {
    const plain = await makeContext();
    const { state } = await authorizedSession(plain);
    await assert.rejects(new CheckID(plain).getRequestParameters({ state }), isError(ConfigurationError, 'contextEndpoint'));
    await assert.rejects(new CheckID(plain).getRequestParameters({ state, endpoint: 'https://example.com/check_id' }), isError(ResponseError, 'sessionIdToken'));
    await assert.rejects(new CheckID(plain).getRequestParameters(), TypeError);
  });
});
