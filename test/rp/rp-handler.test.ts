/**
 * RpHandler: the RP's own endpoints (login URI, redirect URI, jwks_uri, request objects, logout
 * URIs, initiate_login_uri) answering Fetch API requests, with an in-process OP behind the RP; a
 * login is taken only from the browser holding its login cookie, once.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { RelyingParty, RpHandler, type Exchange, type RPConfig, type RpEvent } from '../../src/index.js';
import { BACKCHANNEL_LOGOUT_EVENT } from '../../src/checks/check-logout-token-claims.js';
import { randomToken } from '../../src/random.js';
import { publishRequestObject } from '../../src/request-object.js';
import { loginCookieName } from '../../src/rp-handler/login-cookie.js';
import { FRAGMENT_FIELD, fragmentRepostPage } from '../../src/rp-handler/redirect-endpoint.js';
import { FAKE_OP_ALLOWANCE, FakeOp, OP_ISSUER } from '../fixtures/fake-op.js';
import { signToken, tamperSignature } from '../fixtures/tokens.js';

const RP = 'https://rp.example.org';
const config: RPConfig = {
  base_url: RP,
  redirect_uris: [`${RP}/authz_cb`],
  post_logout_redirect_uris: [`${RP}/logged_out`],
  jwks_uri: `${RP}/static/jwks.json`,
  keys: { generate: ['ES256'] },
  allow: FAKE_OP_ALLOWANCE,
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

const get = (url: string, cookie?: string) => handler.handle(new Request(url, cookie === undefined ? {} : { headers: { cookie } }));
const post = (url: string, body: string, type = 'application/x-www-form-urlencoded', cookie?: string) =>
  handler.handle(new Request(url, { method: 'POST', body, headers: { 'content-type': type, ...(cookie === undefined ? {} : { cookie }) } }));

/** A login started as a browser starts it, at the RP's login URI. */
interface StartedLogin {
  /** The OP's authorization URL the RP redirected to. */
  url: string;
  state: string;
  /** The login cookie, as the browser sends it back (`name=value`). */
  cookie: string;
  /** The whole Set-Cookie header. */
  setCookie: string;
}

/** A browser opens the RP's login URI: the RP answers with the login cookie and a redirect to the OP. */
async function startLogin(query = ''): Promise<StartedLogin> {
  const response = await get(`${RP}/login${query}`);
  assert.equal(response?.status, 302);
  const url = response.headers.get('location') ?? '';
  const setCookie = response.headers.get('set-cookie') ?? '';
  return { url, state: new URL(url).searchParams.get('state') ?? '', cookie: setCookie.split(';')[0]!, setCookie };
}

/** Logs in through the login URI and the redirect endpoint; gives the state. */
async function login(sub = 'alice'): Promise<string> {
  const { url, state, cookie } = await startLogin();
  const response = await get(op.authorize(url, sub), cookie);
  assert.equal(response?.status, 200);
  return state;
}

const tokenRequests = (): number => op.sent.filter((r) => new URL(r.url).pathname === '/token').length;

describe('RpHandler.endpointFor', () => {
  it('names each of the RP\'s endpoints, ignoring the query, and nothing else', () => {
    assert.equal(handler.endpointFor(`${RP}/authz_cb?code=x&state=y`), 'redirect');
    assert.equal(handler.endpointFor(`${RP}/login?login_hint=alice`), 'login');
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

describe('RpHandler: the login URI and its cookie', () => {
  it('starts a login with a login cookie: HttpOnly, SameSite=Lax, Secure, __Host-, living as long as the pending login', async () => {
    events.length = 0;
    const { url, state, setCookie } = await startLogin();
    assert.equal(`${new URL(url).origin}${new URL(url).pathname}`, `${OP_ISSUER}/authorize`);
    const attributes = setCookie.split(';').map((a) => a.trim());
    assert.match(attributes[0]!, /^__Host-oidc-login-[A-Za-z0-9_-]{22}=[A-Za-z0-9_-]{43}$/);
    for (const attribute of ['Path=/', 'Max-Age=600', 'HttpOnly', 'SameSite=Lax', 'Secure']) assert.ok(attributes.includes(attribute), `${attribute} in ${attributes.slice(1).join('; ')}`);
    assert.equal(attributes.some((a) => /^Domain=/i.test(a)), false, 'no Domain: the cookie is the RP host\'s only');
    assert.deepEqual(events, [{ type: 'login-start', state }]);
  });

  it('passes on only what concerns the user from the query: login_hint and prompt, not scope or redirect_uri', async () => {
    const { url } = await startLogin(`?login_hint=alice&prompt=login&scope=admin&redirect_uri=${encodeURIComponent('https://evil.example/cb')}&response_type=token`);
    const query = new URL(url).searchParams;
    assert.equal(query.get('login_hint'), 'alice');
    assert.equal(query.get('prompt'), 'login');
    assert.equal(query.get('scope'), 'openid email');
    assert.equal(query.get('redirect_uri'), `${RP}/authz_cb`);
    assert.equal(query.get('response_type'), 'code');
  });

  it('sets a SameSite=None cookie for a form_post login on https, which a browser sends with the OP\'s cross-site post', async () => {
    const formPost = new RpHandler(rp, { loginArguments: () => ({ response_mode: 'form_post' }) });
    const response = await formPost.handle(new Request(`${RP}/login`));
    const setCookie = response?.headers.get('set-cookie') ?? '';
    assert.ok(setCookie.includes('SameSite=None') && setCookie.includes('Secure'), setCookie);
    assert.equal(new URL(response?.headers.get('location') ?? '').searchParams.get('response_mode'), 'form_post');
  });

  it('answers 503 naming pendingLoginCap when the cap of pending logins is reached', async () => {
    const capped = await RelyingParty.create({ ...config, issuer: OP_ISSUER, max_pending_logins: 2 }, { transport: op });
    await capped.discover();
    await capped.register();
    const cappedHandler = new RpHandler(capped);
    assert.equal((await cappedHandler.handle(new Request(`${RP}/login`)))?.status, 302);
    assert.equal((await cappedHandler.handle(new Request(`${RP}/login`)))?.status, 302);
    const refused = await cappedHandler.handle(new Request(`${RP}/login`));
    assert.equal(refused?.status, 503);
    assert.equal(((await refused?.json()) as Record<string, unknown>)['check'], 'pendingLoginCap');
    assert.equal(refused?.headers.get('set-cookie'), null);
  });
});

describe('RpHandler: the redirect URI', () => {
  it('completes a code-flow login from the query, clears the login cookie and emits a login event', async () => {
    events.length = 0;
    const { url, state, cookie } = await startLogin();
    events.length = 0;
    const response = await get(op.authorize(url, 'alice'), cookie);
    assert.equal(response?.status, 200);
    assert.equal(response?.headers.get('cache-control'), 'no-store');
    assert.match(response?.headers.get('set-cookie') ?? '', new RegExp(`^${cookie.split('=')[0]}=; Path=/; Max-Age=0`));
    const body = (await response?.json()) as Record<string, unknown>;
    assert.equal(body['state'], state);
    assert.equal(body['sub'], 'alice');
    assert.deepEqual(body['userinfo'], { sub: 'alice', email: 'alice@example.com' });
    assert.equal(events[0]?.type, 'login');
  });

  it('completes a login posted as a form (form_post) or as the repost of a fragment', async () => {
    const a = await startLogin();
    const redirectA = new URL(op.authorize(a.url));
    assert.equal((await post(`${RP}/authz_cb`, redirectA.searchParams.toString(), undefined, a.cookie))?.status, 200);
    const b = await startLogin();
    const redirectB = new URL(op.authorize(b.url));
    assert.equal((await post(`${RP}/authz_cb`, new URLSearchParams({ [FRAGMENT_FIELD]: redirectB.searchParams.toString() }).toString(), undefined, b.cookie))?.status, 200);
  });

  it('refuses a response brought by a browser without the login cookie (login CSRF): checkBrowserBinding, before any request to the OP', async () => {
    events.length = 0;
    // The attacker starts a login in the attacker's browser and stops at the redirect back.
    const attacker = await startLogin();
    const redirect = op.authorize(attacker.url, 'attacker');
    const before = tokenRequests();
    // The victim's browser is made to open it.
    const response = await get(redirect);
    assert.equal(response?.status, 400);
    assert.equal(((await response?.json()) as Record<string, unknown>)['check'], 'checkBrowserBinding');
    assert.equal(tokenRequests(), before, 'the OP saw no token request');
    const event = events.at(-1);
    assert.ok(event?.type === 'login-failed' && event.error.check === 'checkBrowserBinding' && event.state === attacker.state);
    // A login cookie of another login, or a forged value, does not help.
    const victim = await startLogin();
    const renamed = `${attacker.cookie.split('=')[0]}=${victim.cookie.split('=')[1]}`;
    assert.equal(((await (await get(redirect, renamed))?.json()) as Record<string, unknown>)['check'], 'checkBrowserBinding');
    assert.equal(((await (await get(redirect, victim.cookie))?.json()) as Record<string, unknown>)['check'], 'checkBrowserBinding');
    assert.equal(tokenRequests(), before, 'still no token request');
    // The attacker's own browser could still complete the attacker's login: nothing was consumed.
    assert.equal((await get(redirect, attacker.cookie))?.status, 200);
  });

  it('refuses a replayed callback (checkStateReplay): the code goes to the token endpoint once', async () => {
    const { url, cookie } = await startLogin();
    const redirect = op.authorize(url, 'alice');
    assert.equal((await get(redirect, cookie))?.status, 200);
    const after = tokenRequests();
    const replay = await get(redirect, cookie);
    assert.equal(replay?.status, 400);
    assert.equal(((await replay?.json()) as Record<string, unknown>)['check'], 'checkStateReplay');
    assert.equal(tokenRequests(), after, 'no second token request');
  });

  it('answers a bare GET with the fragment repost page', async () => {
    const response = await get(`${RP}/authz_cb`);
    assert.equal(response?.status, 200);
    const page = (await response?.text()) ?? '';
    assert.ok(page.includes(`name="${FRAGMENT_FIELD}"`));
    assert.ok(page.includes('action="/authz_cb"'));
    assert.ok(fragmentRepostPage('/a"b').includes('action="/a&quot;b"'));
  });

  it('refuses a foreign state: without a cookie checkBrowserBinding, with a planted cookie checkState; and emits login-failed', async () => {
    events.length = 0;
    const response = await get(`${RP}/authz_cb?code=stolen&state=forged-state`);
    assert.equal(response?.status, 400);
    assert.equal(((await response?.json()) as Record<string, unknown>)['check'], 'checkBrowserBinding');
    const planted = await get(`${RP}/authz_cb?code=stolen&state=forged-state`, `${loginCookieName('forged-state', true)}=made-up`);
    assert.deepEqual(await planted?.json(), { error: 'VerificationError', check: 'checkState', message: 'the response\'s state belongs to no session of this RP' });
    const event = events.at(-1);
    assert.ok(event?.type === 'login-failed' && event.error.check === 'checkState' && event.state === 'forged-state');
  });

  it('refuses an OP error response with 400 naming checkErrorResponse', async () => {
    const { state, cookie } = await startLogin();
    const response = await get(`${RP}/authz_cb?error=access_denied&state=${state}`, cookie);
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
  it('redirects to the OP with login_hint and the login cookie, and remembers target_link_uri', async () => {
    const response = await get(`${RP}/start?iss=${encodeURIComponent(OP_ISSUER)}&login_hint=alice&target_link_uri=${encodeURIComponent(`${RP}/app`)}`);
    assert.equal(response?.status, 302);
    const location = new URL(response?.headers.get('location') ?? '');
    assert.equal(`${location.origin}${location.pathname}`, `${OP_ISSUER}/authorize`);
    assert.equal(location.searchParams.get('login_hint'), 'alice');
    const state = location.searchParams.get('state') ?? '';
    assert.deepEqual(await rp.context.stateDb.getItem('login_initiation', state), { target_link_uri: `${RP}/app` });
    assert.ok((response?.headers.get('set-cookie') ?? '').startsWith(`${loginCookieName(state, true)}=`), 'the login cookie of the new login');
  });

  it('refuses another issuer, an http issuer, and a missing iss (checkInitiateLogin)', async () => {
    for (const iss of ['https://other-op.example.com', 'http://op.example.com', '']) {
      const response = await get(`${RP}/start?iss=${encodeURIComponent(iss)}`);
      assert.equal(response?.status, 400, iss);
      assert.equal(((await response?.json()) as Record<string, unknown>)['check'], 'checkInitiateLogin', iss);
    }
  });

  it('refuses a target_link_uri that leads elsewhere, is not a URL or is over 2,048 characters (checkTargetLinkUri), storing nothing', async () => {
    const pending = await rp.context.stateDb.pendingLogins();
    for (const target of ['https://evil.example/phish', 'javascript:alert(1)', `${RP}/${'a'.repeat(2_100)}`, 'not a url']) {
      const response = await get(`${RP}/start?iss=${encodeURIComponent(OP_ISSUER)}&target_link_uri=${encodeURIComponent(target)}`);
      assert.equal(response?.status, 400, target.slice(0, 40));
      assert.equal(((await response?.json()) as Record<string, unknown>)['check'], 'checkTargetLinkUri', target.slice(0, 40));
    }
    assert.equal(await rp.context.stateDb.pendingLogins(), pending, 'no login was started');
  });

  it('on an RP without a fixed issuer, refuses every issuer it is not configured for, fetching nothing and binding nothing', async () => {
    const quiet = new FakeOp();
    const unbound = await RelyingParty.create(config, { transport: quiet });
    const unboundHandler = new RpHandler(unbound);
    for (const iss of [OP_ISSUER, 'https://169.254.169.254/latest', 'https://attacker.example']) {
      const response = await unboundHandler.handle(new Request(`${RP}/start?iss=${encodeURIComponent(iss)}`));
      assert.equal(((await response?.json()) as Record<string, unknown>)['check'], 'checkInitiateLogin', iss);
    }
    assert.deepEqual(quiet.sent, [], 'the RP fetched nothing');
    assert.equal(unbound.context.issuer, undefined, 'and is bound to no issuer');
  });

  it('on an RP with third_party_login_issuers, discovers the allowed issuer; a failed discovery binds nothing', async () => {
    const allowing = new FakeOp();
    const failing = { sent: 0, async send() { this.sent += 1; return { status: 503, headers: {}, body: '', url: `${OP_ISSUER}/.well-known/openid-configuration` }; } };
    const broken = await RelyingParty.create({ ...config, third_party_login_issuers: [OP_ISSUER] }, { transport: failing });
    const refused = await new RpHandler(broken).handle(new Request(`${RP}/start?iss=${encodeURIComponent(OP_ISSUER)}`));
    assert.equal(((await refused?.json()) as Record<string, unknown>)['check'], 'checkHttpStatus');
    assert.equal(broken.context.issuer, undefined, 'the failed discovery bound no issuer');
    assert.equal(broken.context.providerInfo, undefined);
    const working = await RelyingParty.create({ ...config, third_party_login_issuers: [OP_ISSUER] }, { transport: allowing });
    const started = await new RpHandler(working).handle(new Request(`${RP}/start?iss=${encodeURIComponent(OP_ISSUER)}`));
    assert.equal(started?.status, 302);
    assert.equal(working.context.issuer, OP_ISSUER);
  });

  it('refuses an allowed issuer that resolves into the private network (checkPublicAddress) before fetching it', async () => {
    const quiet = new FakeOp();
    const internal = await RelyingParty.create({ ...config, third_party_login_issuers: ['https://10.1.2.3', 'https://[::ffff:127.0.0.1]'] }, { transport: quiet });
    for (const iss of ['https://10.1.2.3', 'https://[::ffff:127.0.0.1]']) {
      const response = await new RpHandler(internal).handle(new Request(`${RP}/start?iss=${encodeURIComponent(iss)}`));
      assert.equal(((await response?.json()) as Record<string, unknown>)['check'], 'checkPublicAddress', iss);
    }
    assert.deepEqual(quiet.sent, []);
  });
});

describe('RpHandler.onExchange', () => {
  it('sees the login and the redirect with the code and the login cookie redacted', async () => {
    const recorded: Exchange[] = [];
    const stop = handler.onExchange((e) => recorded.push(e));
    const { url, cookie } = await startLogin();
    const redirect = op.authorize(url);
    const code = new URL(redirect).searchParams.get('code') ?? '';
    await get(redirect, cookie);
    stop();
    assert.equal(recorded.length, 2);
    const text = JSON.stringify(recorded);
    assert.equal(text.includes(code), false);
    assert.equal(text.includes(cookie.split('=')[1]!), false, 'the login cookie\'s value is in no record');
    assert.equal(text.includes(rp.context.clientSecret ?? 'no-secret'), false);
  });
});
