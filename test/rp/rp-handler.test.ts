/**
 * RpHandler: the RP's own endpoints (redirect URI, jwks_uri, request objects, logout URIs,
 * initiate_login_uri) answering Fetch API requests, with an in-process OP behind the RP.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import {
  BACKCHANNEL_LOGOUT_EVENT,
  FRAGMENT_FIELD,
  RelyingParty,
  RpHandler,
  fragmentRepostPage,
  publishRequestObject,
  randomToken,
  type Exchange,
  type RPConfig,
  type RpEvent,
} from '../../src/index.js';
import { FakeOp, OP_ISSUER } from '../fixtures/fake-op.js';
import { signToken, tamperSignature } from '../fixtures/tokens.js';

const RP = 'https://rp.example.org';
const config: RPConfig = {
  base_url: RP,
  redirect_uris: [`${RP}/authz_cb`],
  post_logout_redirect_uris: [`${RP}/logged_out`],
  jwks_uri: `${RP}/static/jwks.json`,
  keys: { generate: ['ES256'] },
  client_preferences: {
    response_types: ['code'],
    scope: ['openid', 'email'],
    token_endpoint_auth_method: 'client_secret_basic',
    backchannel_logout_uri: `${RP}/bc_logout`,
    frontchannel_logout_uri: `${RP}/fc_logout`,
    initiate_login_uri: `${RP}/start`,
  },
};

let op: FakeOp;
let rp: RelyingParty;
let handler: RpHandler;
const events: RpEvent[] = [];

before(async () => {
  op = new FakeOp();
  rp = await RelyingParty.create({ ...config, issuer: OP_ISSUER }, { transport: op });
  await rp.discover();
  await rp.register();
  handler = new RpHandler(rp);
  handler.onEvent((event) => events.push(event));
});

const get = (url: string) => handler.handle(new Request(url));
const post = (url: string, body: string, type = 'application/x-www-form-urlencoded') =>
  handler.handle(new Request(url, { method: 'POST', body, headers: { 'content-type': type } }));

/** Logs in through the redirect endpoint; gives the state. */
async function login(sub = 'alice'): Promise<string> {
  const { url, state } = await rp.beginLogin();
  const response = await get(op.authorize(url, sub));
  assert.equal(response?.status, 200);
  return state;
}

describe('RpHandler.endpointFor', () => {
  it('names each of the RP\'s endpoints, ignoring the query, and nothing else', () => {
    assert.equal(handler.endpointFor(`${RP}/authz_cb?code=x&state=y`), 'redirect');
    assert.equal(handler.endpointFor(`${RP}/static/jwks.json`), 'jwks');
    assert.equal(handler.endpointFor(`${RP}/requests/abc.jwt`), 'request_object');
    assert.equal(handler.endpointFor(`${RP}/bc_logout`), 'backchannel_logout');
    assert.equal(handler.endpointFor(`${RP}/fc_logout?iss=x`), 'frontchannel_logout');
    assert.equal(handler.endpointFor(`${RP}/logged_out?state=s`), 'post_logout');
    assert.equal(handler.endpointFor(`${RP}/start?iss=x`), 'initiate_login');
    assert.equal(handler.endpointFor(`${RP}/elsewhere`), undefined);
    assert.equal(handler.endpointFor('https://evil.example.org/authz_cb'), undefined);
  });

  it('handle answers undefined for a URL that is none of them', async () => {
    assert.equal(await get(`${RP}/elsewhere`), undefined);
  });
});

describe('RpHandler: jwks_uri and request objects', () => {
  it('publishes the RP\'s public keys without private members', async () => {
    const response = await get(`${RP}/static/jwks.json`);
    assert.equal(response?.status, 200);
    const jwks = (await response?.json()) as { keys: Array<Record<string, unknown>> };
    assert.equal(jwks.keys.length, 1);
    assert.equal(jwks.keys[0]?.['d'], undefined);
  });

  it('serves a published request object, and 404 for an unknown one', async () => {
    const uri = await publishRequestObject(rp.context, 'eyJhbGciOiJub25lIn0.eyJhIjoxfQ.');
    const response = await get(uri);
    assert.equal(response?.status, 200);
    assert.equal(response?.headers.get('content-type'), 'application/oauth-authz-req+jwt');
    assert.equal(await response?.text(), 'eyJhbGciOiJub25lIn0.eyJhIjoxfQ.');
    assert.equal((await get(`${RP}/requests/unknown.jwt`))?.status, 404);
  });
});

describe('RpHandler: the redirect URI', () => {
  it('completes a code-flow login from the query and emits a login event', async () => {
    events.length = 0;
    const { url, state } = await rp.beginLogin();
    const response = await get(op.authorize(url, 'alice'));
    assert.equal(response?.status, 200);
    assert.equal(response?.headers.get('cache-control'), 'no-store');
    const body = (await response?.json()) as Record<string, unknown>;
    assert.equal(body['state'], state);
    assert.equal(body['sub'], 'alice');
    assert.deepEqual(body['userinfo'], { sub: 'alice', email: 'alice@example.com' });
    assert.equal(events[0]?.type, 'login');
  });

  it('completes a login posted as a form (form_post) or as the repost of a fragment', async () => {
    const a = await rp.beginLogin();
    const redirectA = new URL(op.authorize(a.url));
    assert.equal((await post(`${RP}/authz_cb`, redirectA.searchParams.toString()))?.status, 200);
    const b = await rp.beginLogin();
    const redirectB = new URL(op.authorize(b.url));
    assert.equal((await post(`${RP}/authz_cb`, new URLSearchParams({ [FRAGMENT_FIELD]: redirectB.searchParams.toString() }).toString()))?.status, 200);
  });

  it('answers a bare GET with the fragment repost page', async () => {
    const response = await get(`${RP}/authz_cb`);
    assert.equal(response?.status, 200);
    const page = (await response?.text()) ?? '';
    assert.ok(page.includes(`name="${FRAGMENT_FIELD}"`));
    assert.ok(page.includes('action="/authz_cb"'));
    assert.ok(fragmentRepostPage('/a"b').includes('action="/a&quot;b"'));
  });

  it('refuses a foreign state with 400 naming checkState, and emits login-failed', async () => {
    events.length = 0;
    const response = await get(`${RP}/authz_cb?code=stolen&state=forged-state`);
    assert.equal(response?.status, 400);
    assert.deepEqual(await response?.json(), { error: 'VerificationError', check: 'checkState', message: 'the response\'s state belongs to no session of this RP' });
    const event = events[0];
    assert.ok(event?.type === 'login-failed' && event.error.check === 'checkState' && event.state === 'forged-state');
  });

  it('refuses an OP error response with 400 naming checkErrorResponse', async () => {
    const { state } = await rp.beginLogin();
    const response = await get(`${RP}/authz_cb?error=access_denied&state=${state}`);
    assert.equal(response?.status, 400);
    assert.equal(((await response?.json()) as Record<string, unknown>)['check'], 'checkErrorResponse');
  });

  it('answers 405 to other methods', async () => {
    assert.equal((await handler.handle(new Request(`${RP}/authz_cb`, { method: 'PUT', body: 'x' })))?.status, 405);
  });
});

describe('RpHandler: logout endpoints', () => {
  const logoutToken = async (claims: Record<string, unknown>) =>
    signToken({ iss: OP_ISSUER, aud: rp.context.clientId, iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 120, jti: randomToken(8), events: { [BACKCHANNEL_LOGOUT_EVENT]: {} }, ...claims });

  it('back-channel: 200 for a good logout token, ending the user\'s session', async () => {
    const state = await login('bc-user');
    const response = await post(`${RP}/bc_logout`, new URLSearchParams({ logout_token: await logoutToken({ sub: 'bc-user' }) }).toString());
    assert.equal(response?.status, 200);
    assert.equal(await rp.context.stateDb.hasState(state), false);
  });

  it('back-channel: 400 naming the check for a bad token, 405 for GET', async () => {
    const state = await login('bc-user-2');
    const response = await post(`${RP}/bc_logout`, new URLSearchParams({ logout_token: tamperSignature(await logoutToken({ sub: 'bc-user-2' })) }).toString());
    assert.equal(response?.status, 400);
    assert.equal(((await response?.json()) as Record<string, unknown>)['check'], 'checkSignature');
    assert.equal(await rp.context.stateDb.hasState(state), true);
    assert.equal((await get(`${RP}/bc_logout`))?.status, 405);
  });

  it('front-channel: 400 for another iss', async () => {
    const response = await get(`${RP}/fc_logout?iss=${encodeURIComponent('https://evil.example.com')}&sid=x`);
    assert.equal(response?.status, 400);
    assert.equal(((await response?.json()) as Record<string, unknown>)['check'], 'checkIssuer');
    assert.equal((await get(`${RP}/fc_logout?iss=${encodeURIComponent(OP_ISSUER)}&sid=unknown`))?.status, 200);
  });

  it('post-logout: ends the session of the logout state, refuses a forged one', async () => {
    const state = await login('pl-user');
    const logoutState = new URL(await rp.logoutUrl(state)).searchParams.get('state') ?? '';
    const ok = await get(`${RP}/logged_out?state=${logoutState}`);
    assert.equal(ok?.status, 200);
    assert.equal(await rp.context.stateDb.hasState(state), false);
    const forged = await get(`${RP}/logged_out?state=forged`);
    assert.equal(forged?.status, 400);
    assert.equal(((await forged?.json()) as Record<string, unknown>)['check'], 'checkLogoutState');
  });
});

describe('RpHandler: initiate_login_uri', () => {
  it('redirects to the OP with login_hint and remembers target_link_uri', async () => {
    const response = await get(`${RP}/start?iss=${encodeURIComponent(OP_ISSUER)}&login_hint=alice&target_link_uri=${encodeURIComponent(`${RP}/app`)}`);
    assert.equal(response?.status, 302);
    const location = new URL(response?.headers.get('location') ?? '');
    assert.equal(`${location.origin}${location.pathname}`, `${OP_ISSUER}/authorize`);
    assert.equal(location.searchParams.get('login_hint'), 'alice');
    const state = location.searchParams.get('state') ?? '';
    assert.deepEqual(await rp.context.stateDb.getItem('login_initiation', state), { target_link_uri: `${RP}/app` });
  });

  it('refuses another issuer, an http issuer, and a missing iss (checkInitiateLogin)', async () => {
    for (const iss of ['https://other-op.example.com', 'http://op.example.com', '']) {
      const response = await get(`${RP}/start?iss=${encodeURIComponent(iss)}`);
      assert.equal(response?.status, 400, iss);
      assert.equal(((await response?.json()) as Record<string, unknown>)['check'], 'checkInitiateLogin', iss);
    }
  });
});

describe('RpHandler.onExchange', () => {
  it('sees the redirect with its code redacted', async () => {
    const recorded: Exchange[] = [];
    const stop = handler.onExchange((e) => recorded.push(e));
    const { url } = await rp.beginLogin();
    const redirect = op.authorize(url);
    const code = new URL(redirect).searchParams.get('code') ?? '';
    await get(redirect);
    stop();
    assert.equal(recorded.length, 1);
    const text = JSON.stringify(recorded);
    assert.equal(text.includes(code), false);
    assert.equal(text.includes(rp.context.clientSecret ?? 'no-secret'), false);
  });
});
