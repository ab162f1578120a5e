/**
 * The authorization request and response (OpenID Connect Core 3.1.2, 3.2.2, 3.3.2): the oidcservice documentation's
 * URL, PKCE, the session it creates, and every verification of what comes back.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { ConfigurationError, OPError, ResponseError, ServiceContext, VerificationError } from '../../src/index.js';
import { leftHalfHash } from '../../src/jose/hash-claim.js';
import { s256 } from '../../src/pkce.js';
import { Authorization, paramsToObject } from '../../src/services/authorization.js';
import { CLIENT_ID, ISSUER, NOW, REDIRECT_URI, makeContext } from '../fixtures/context.js';
import { httpResponse, isError } from '../fixtures/http.js';
import { idTokenClaims, signToken, unsignedToken } from '../fixtures/tokens.js';

const SEED_STATE = 'Oh3w3gKlvoM2ehFqlxI3HIK5';
const SEED_NONCE = 'UvudLKz287YByZdsY3AJoPAlEXQkJ0dK';
const SEED_URL =
  'https://example.com/authorization?state=Oh3w3gKlvoM2ehFqlxI3HIK5&nonce=UvudLKz287YByZdsY3AJoPAlEXQkJ0dK&response_type=code&client_id=zls2qhN1jO6A&scope=openid&redirect_uri=https%3A%2F%2Fexample.org%2Fauthz_cb';

let context: ServiceContext;
let authorization: Authorization;

before(async () => {
  context = await makeContext();
  authorization = new Authorization(context);
});

/** Starts a request and returns its state and nonce. */
async function start(args: Parameters<Authorization['getRequestParameters']>[0] = {}, service = authorization) {
  const { state, url } = await service.getRequestParameters({ pkce: false, ...args });
  const request = (await service.context.stateDb.getItem('auth_request', state)) ?? {};
  return { state, url, nonce: String(request['nonce']) };
}

describe('Authorization request', () => {
  it('gives the oidcservice documentation\'s URL for the oidcservice documentation\'s state and nonce', async () => {
    const request = await authorization.getRequestParameters({ state: SEED_STATE, nonce: SEED_NONCE, pkce: false });
    assert.equal(request.method, 'GET');
    assert.equal(request.url, SEED_URL);
    assert.equal(request.state, SEED_STATE);
  });

  it('creates a session keyed on a fresh state, storing the request and mapping the nonce', async () => {
    const a = await authorization.getRequestParameters({ pkce: false });
    const b = await authorization.getRequestParameters({ pkce: false });
    assert.notEqual(a.state, b.state);
    const query = new URL(a.url).searchParams;
    assert.equal(query.get('state'), a.state);
    const nonce = query.get('nonce') ?? '';
    assert.ok(nonce.length >= 32);
    assert.notEqual(nonce, new URL(b.url).searchParams.get('nonce'));
    const stored = await context.stateDb.getItem('auth_request', a.state);
    assert.equal(stored?.['nonce'], nonce);
    assert.equal(stored?.['redirect_uri'], REDIRECT_URI);
    assert.equal(await context.stateDb.getStateByNonce(nonce), a.state);
    assert.equal(await context.stateDb.getIss(a.state), ISSUER);
  });

  it('adds a PKCE S256 challenge whose verifier is stored in the session', async () => {
    const { url, state } = await authorization.getRequestParameters();
    const query = new URL(url).searchParams;
    assert.equal(query.get('code_challenge_method'), 'S256');
    const pkce = await context.stateDb.getItem('pkce', state);
    const verifier = String(pkce?.['code_verifier']);
    assert.match(verifier, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(query.get('code_challenge'), s256(verifier));
    assert.equal(url.includes(verifier), false, 'the verifier never leaves the RP');
  });

  it('leaves PKCE out when configured off, for response types without code, and when the OP lacks S256', async () => {
    const off = await makeContext({ config: { pkce: false } });
    assert.equal(new URL((await new Authorization(off).getRequestParameters()).url).searchParams.get('code_challenge'), null);
    assert.equal(new URL((await authorization.getRequestParameters({ response_type: 'id_token' })).url).searchParams.get('code_challenge'), null);
    const plainOnly = await makeContext({ providerInfo: { code_challenge_methods_supported: ['plain'] } });
    assert.equal(new URL((await new Authorization(plainOnly).getRequestParameters()).url).searchParams.get('code_challenge'), null);
  });

  it('always includes openid in scope and uses the behaviour\'s scope', async () => {
    assert.equal(new URL((await start({ scope: 'profile email' })).url).searchParams.get('scope'), 'openid profile email');
    const scoped = await makeContext({ behaviour: { scope: ['openid', 'profile'] } });
    assert.equal(new URL((await start({}, new Authorization(scoped))).url).searchParams.get('scope'), 'openid profile');
  });

  it('passes extra parameters, JSON-encoding objects, and max_age from default_max_age', async () => {
    const withDefault = await makeContext({ behaviour: { default_max_age: 600 } });
    const { url } = await start({ prompt: 'login', login_hint: 'alice', claims: { userinfo: { email: null } } }, new Authorization(withDefault));
    const query = new URL(url).searchParams;
    assert.equal(query.get('prompt'), 'login');
    assert.equal(query.get('login_hint'), 'alice');
    assert.deepEqual(JSON.parse(query.get('claims') ?? ''), { userinfo: { email: null } });
    assert.equal(query.get('max_age'), '600');
    assert.equal(query.get('pkce'), null);
  });

  it('asks for consent with offline_access, as OpenID Connect Core 11 requires, but never with prompt=none', async () => {
    const prompt = async (args: Parameters<Authorization['getRequestParameters']>[0]): Promise<string | null> => new URL((await start(args)).url).searchParams.get('prompt');
    assert.equal(await prompt({ scope: 'openid offline_access' }), 'consent');
    assert.equal(await prompt({ scope: 'openid offline_access', prompt: 'login' }), 'login consent');
    assert.equal(await prompt({ scope: 'openid offline_access', prompt: 'none' }), 'none');
    assert.equal(await prompt({ scope: 'openid' }), null);
  });

  it('uses the form_post and implicit callbacks', async () => {
    const cb = await makeContext({ config: { redirect_uris: undefined, callback: { code: 'https://example.org/code', implicit: 'https://example.org/implicit', form_post: 'https://example.org/post' } } });
    const service = new Authorization(cb);
    assert.equal(new URL((await start({}, service)).url).searchParams.get('redirect_uri'), 'https://example.org/code');
    assert.equal(new URL((await start({ response_type: 'id_token token' }, service)).url).searchParams.get('redirect_uri'), 'https://example.org/implicit');
    assert.equal(new URL((await start({ response_mode: 'form_post' }, service)).url).searchParams.get('redirect_uri'), 'https://example.org/post');
  });

  it('needs the OP and a client_id', async () => {
    const bare = await ServiceContext.create({ base_url: 'https://example.org', redirect_uris: [REDIRECT_URI] });
    await assert.rejects(new Authorization(bare).getRequestParameters(), isError(ConfigurationError, 'contextIssuer'));
    const noClient = await ServiceContext.create({ base_url: 'https://example.org', redirect_uris: [REDIRECT_URI], issuer: ISSUER });
    await assert.rejects(new Authorization(noClient).getRequestParameters(), isError(ConfigurationError, 'contextClientId'));
  });
});

describe('Authorization response: code flow', () => {
  it('parses the query of a redirect, stores it in the session', async () => {
    const { state } = await start();
    const response = await authorization.parseResponse(`?code=Z0FBQUFB&state=${state}`);
    assert.deepEqual(response, { code: 'Z0FBQUFB', state });
    await authorization.updateServiceContext(response);
    assert.deepEqual(await context.stateDb.getItem('auth_response', state), { code: 'Z0FBQUFB', state });
  });

  it('reads a whole redirect URL, URLSearchParams, an object and a 302 from the transport', async () => {
    // A login is taken once: each form of response gets a login of its own.
    const states = [(await start()).state, (await start()).state, (await start()).state, (await start()).state];
    assert.equal((await authorization.parseResponse(`${REDIRECT_URI}?code=c1&state=${states[0]}`)).code, 'c1');
    assert.equal((await authorization.parseResponse(new URLSearchParams({ code: 'c2', state: states[1]! }))).code, 'c2');
    assert.equal((await authorization.parseResponse({ code: 'c3', state: states[2] })).code, 'c3');
    const redirect = httpResponse('', { status: 302, contentType: null, headers: { location: `${REDIRECT_URI}?code=c4&state=${states[3]}` } });
    assert.equal((await authorization.parseResponse(redirect)).code, 'c4');
  });

  it('takes a login once: a second response for the same state is checkStateReplay, an error response uses the login up too', async () => {
    const { state } = await start();
    await authorization.parseResponse({ code: 'first', state });
    await assert.rejects(authorization.parseResponse({ code: 'first', state }), isError(VerificationError, 'checkStateReplay'));
    await assert.rejects(authorization.parseResponse({ code: 'another', state }), isError(VerificationError, 'checkStateReplay'));
    const refused = await start();
    await assert.rejects(authorization.parseResponse({ error: 'access_denied', state: refused.state }), isError(OPError, 'checkErrorResponse'));
    await assert.rejects(authorization.parseResponse({ code: 'late', state: refused.state }), isError(VerificationError, 'checkStateReplay'));
  });

  it('refuses the response of a login that expired (checkStateExpiry), then of one long forgotten (checkState)', async () => {
    let now = NOW;
    const clocked = await makeContext({ now: () => now });
    const service = new Authorization(clocked);
    const { state } = await start({}, service);
    now += 601;
    await assert.rejects(service.parseResponse({ code: 'c', state }), isError(VerificationError, 'checkStateExpiry'));
  });

  it('rejects an authorization endpoint that answers instead of redirecting', async () => {
    await assert.rejects(authorization.parseResponse(httpResponse('<html>login</html>', { contentType: 'text/html' })), isError(ResponseError, 'parseAuthorizationResponse'));
  });

  it('rejects a foreign state', async () => {
    await start();
    await assert.rejects(
      authorization.parseResponse('?code=c&state=not-a-state-of-this-rp'),
      isError(VerificationError, 'checkState', (e) => e.detail['service'] === 'authorization'),
    );
  });

  it('rejects a missing state', async () => {
    await assert.rejects(authorization.parseResponse('?code=c'), isError(VerificationError, 'checkState'));
  });

  it('rejects the state of another session than the user agent\'s', async () => {
    const mine = await start();
    const theirs = await start();
    await assert.rejects(authorization.parseResponse({ code: 'c', state: theirs.state }, { state: mine.state }), isError(VerificationError, 'checkBrowserBinding'));
    assert.equal((await context.stateDb.getState(theirs.state)).status, 'pending', 'neither login is consumed');
    assert.equal((await context.stateDb.getState(mine.state)).status, 'pending');
  });

  it('rejects a repeated parameter', async () => {
    const { state } = await start();
    await assert.rejects(authorization.parseResponse(`?code=a&code=b&state=${state}`), isError(ResponseError, 'parseAuthorizationResponse'));
    assert.throws(() => paramsToObject(new URLSearchParams('state=a&state=b')), isError(ResponseError, 'parseAuthorizationResponse'));
  });

  it('rejects a response without the code its response type promises', async () => {
    const { state } = await start();
    await assert.rejects(authorization.parseResponse({ state }), isError(ResponseError, 'checkResponseType', (e) => e.detail['member'] === 'code'));
  });

  it('turns an error response into an OPError with error and error_description', async () => {
    const { state } = await start();
    await assert.rejects(
      authorization.parseResponse(`?error=access_denied&error_description=The+user+said+no&state=${state}`),
      isError(OPError, 'checkErrorResponse', (e) => e.error === 'access_denied' && e.errorDescription === 'The user said no'),
    );
  });

  it('checks the state of an error response first', async () => {
    await assert.rejects(authorization.parseResponse('?error=access_denied&state=forged'), isError(VerificationError, 'checkState'));
  });
});

describe('Authorization response: RFC 9207 iss', () => {
  it('accepts a matching iss', async () => {
    const { state } = await start();
    assert.equal((await authorization.parseResponse({ code: 'c', state, iss: ISSUER })).iss, ISSUER);
  });

  it('rejects a mismatched iss, even in an error response', async () => {
    const { state } = await start();
    await assert.rejects(authorization.parseResponse({ code: 'c', state, iss: 'https://attacker.example.com' }), isError(VerificationError, 'checkResponseIssuer'));
    const again = await start();
    await assert.rejects(authorization.parseResponse({ error: 'access_denied', state: again.state, iss: 'https://attacker.example.com' }), isError(VerificationError, 'checkResponseIssuer'));
  });

  it('compares iss with the issuer the login\'s request went to, not with the context\'s issuer of the moment (RFC 9207, 2.4)', async () => {
    const ctx = await makeContext();
    const service = new Authorization(ctx);
    const first = await start({}, service);
    const second = await start({}, service);
    // The context learns another OP while the logins are out (a mix-up: the attacker's OP).
    ctx.issuer = 'https://other-op.example.com';
    assert.equal((await service.parseResponse({ code: 'c', state: first.state, iss: ISSUER })).iss, ISSUER);
    await assert.rejects(service.parseResponse({ code: 'c', state: second.state, iss: 'https://other-op.example.com' }), isError(VerificationError, 'checkResponseIssuer', (e) => e.detail['expected'] === ISSUER));
  });

  it('rejects a missing iss when the OP advertises authorization_response_iss_parameter_supported', async () => {
    const advertising = new Authorization(await makeContext({ providerInfo: { authorization_response_iss_parameter_supported: true } }));
    const { state } = await start({}, advertising);
    await assert.rejects(advertising.parseResponse({ code: 'c', state }), isError(VerificationError, 'checkResponseIssuer'));
    const again = await start({}, advertising);
    assert.equal((await advertising.parseResponse({ code: 'c', state: again.state, iss: ISSUER })).code, 'c');
  });

  it('accepts a missing iss when the OP does not advertise it', async () => {
    const { state } = await start();
    assert.equal((await authorization.parseResponse({ code: 'c', state })).code, 'c');
  });
});

describe('Authorization response: ID tokens from the authorization endpoint', () => {
  it('implicit id_token token: verifies the ID token with at_hash and records sub and sid', async () => {
    const { state, nonce } = await start({ response_type: 'id_token token' });
    const accessToken = 'implicit-access-token';
    const idToken = await signToken(idTokenClaims({ nonce, at_hash: leftHalfHash(accessToken, 'RS256'), sid: 'sid-1' }));
    const response = await authorization.parseResponse(`${REDIRECT_URI}#access_token=${accessToken}&token_type=Bearer&expires_in=3600&id_token=${idToken}&state=${state}`);
    assert.equal(response.verified_id_token?.['sub'], 'user-1');
    assert.equal(response.expires_in, 3600);
    await authorization.updateServiceContext(response);
    assert.equal(await context.stateDb.getStateBySub('user-1'), state);
    assert.equal(await context.stateDb.getStateBySid('sid-1'), state);
  });

  it('implicit: rejects a wrong at_hash and a missing one', async () => {
    const { state, nonce } = await start({ response_type: 'id_token token' });
    const wrong = await signToken(idTokenClaims({ nonce, at_hash: leftHalfHash('another-token', 'RS256') }));
    await assert.rejects(authorization.parseResponse({ access_token: 'at', token_type: 'Bearer', id_token: wrong, state }), isError(VerificationError, 'checkAtHash'));
    const again = await start({ response_type: 'id_token token' });
    const missing = await signToken(idTokenClaims({ nonce: again.nonce }));
    await assert.rejects(authorization.parseResponse({ access_token: 'at', token_type: 'Bearer', id_token: missing, state: again.state }), isError(VerificationError, 'checkAtHash'));
  });

  it('implicit: rejects an access token without token_type', async () => {
    const { state, nonce } = await start({ response_type: 'id_token token' });
    const idToken = await signToken(idTokenClaims({ nonce, at_hash: leftHalfHash('at', 'RS256') }));
    await assert.rejects(authorization.parseResponse({ access_token: 'at', id_token: idToken, state }), isError(ResponseError, 'checkResponseType'));
  });

  it('hybrid code id_token: verifies c_hash', async () => {
    const { state, nonce } = await start({ response_type: 'code id_token' });
    const idToken = await signToken(idTokenClaims({ nonce, c_hash: leftHalfHash('hybrid-code', 'RS256') }));
    const response = await authorization.parseResponse({ code: 'hybrid-code', id_token: idToken, state });
    assert.equal(response.verified_id_token?.['c_hash'], leftHalfHash('hybrid-code', 'RS256'));
  });

  it('hybrid: rejects a wrong c_hash and a missing one', async () => {
    const { state, nonce } = await start({ response_type: 'code id_token' });
    const wrong = await signToken(idTokenClaims({ nonce, c_hash: leftHalfHash('other-code', 'RS256') }));
    await assert.rejects(authorization.parseResponse({ code: 'hybrid-code', id_token: wrong, state }), isError(VerificationError, 'checkCHash'));
    const again = await start({ response_type: 'code id_token' });
    const missing = await signToken(idTokenClaims({ nonce: again.nonce }));
    await assert.rejects(authorization.parseResponse({ code: 'hybrid-code', id_token: missing, state: again.state }), isError(VerificationError, 'checkCHash'));
  });

  it('rejects an ID token without the nonce the request sent (checkNonce): the missing-nonce check', async () => {
    const { state, nonce } = await start({ response_type: 'id_token' });
    assert.ok(nonce.length > 0, 'the request sent a nonce');
    const { nonce: _dropped, ...claims } = idTokenClaims({ nonce });
    const idToken = await signToken(claims);
    await assert.rejects(authorization.parseResponse({ id_token: idToken, state }), isError(VerificationError, 'checkNonce', (e) => /no nonce/.test(e.message)));
  });

  it('rejects a wrong nonce', async () => {
    const { state } = await start({ response_type: 'id_token' });
    const idToken = await signToken(idTokenClaims({ nonce: 'a-nonce-from-another-request' }));
    await assert.rejects(authorization.parseResponse({ id_token: idToken, state }), isError(VerificationError, 'checkNonce'));
  });

  it('rejects a missing auth_time when max_age was asked', async () => {
    const { state, nonce } = await start({ response_type: 'id_token', max_age: 300 });
    const idToken = await signToken(idTokenClaims({ nonce }));
    await assert.rejects(authorization.parseResponse({ id_token: idToken, state }), isError(VerificationError, 'checkAuthTime'));
    const again = await start({ response_type: 'id_token', max_age: 300 });
    const fresh = await signToken(idTokenClaims({ nonce: again.nonce, auth_time: NOW - 10 }));
    assert.equal((await authorization.parseResponse({ id_token: fresh, state: again.state })).verified_id_token?.['auth_time'], NOW - 10);
  });

  it('rejects alg none, even when none is registered', async () => {
    for (const service of [authorization, new Authorization(await makeContext({ behaviour: { id_token_signed_response_alg: 'none' } }))]) {
      const { state, nonce } = await start({ response_type: 'id_token' }, service);
      await assert.rejects(service.parseResponse({ id_token: unsignedToken(idTokenClaims({ nonce })), state }), isError(VerificationError, 'checkAlgorithm'));
    }
  });

  it('rejects an ID token for another client', async () => {
    const { state, nonce } = await start({ response_type: 'id_token' });
    const idToken = await signToken(idTokenClaims({ nonce, aud: 'other-client' }));
    await assert.rejects(authorization.parseResponse({ id_token: idToken, state }), isError(VerificationError, 'checkAudience'));
    assert.notEqual(CLIENT_ID, 'other-client');
  });
});
