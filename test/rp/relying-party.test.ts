/**
 * RelyingParty: the whole conversation of the oidcservice documentation (WebFinger, discovery, registration,
 * authorization, token, userinfo), then refresh and logout, against an in-process OP.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigurationError, MemoryStore, OPError, RelyingParty, VerificationError, type RPConfig } from '../../src/index.js';
import { FAKE_OP_ALLOWANCE, FakeOp, OP_ISSUER } from '../fixtures/fake-op.js';
import { isError } from '../fixtures/http.js';

const config: RPConfig = {
  base_url: 'https://rp.example.org',
  redirect_uris: ['https://rp.example.org/authz_cb'],
  post_logout_redirect_uris: ['https://rp.example.org/logged_out'],
  allow: FAKE_OP_ALLOWANCE,
  client_preferences: {
    application_type: 'web',
    response_types: ['code'],
    scope: ['openid', 'email'],
    token_endpoint_auth_method: ['client_secret_basic', 'client_secret_post'],
  },
};

async function registeredRp(op: FakeOp, store = new MemoryStore()): Promise<RelyingParty> {
  const rp = await RelyingParty.create(config, { transport: op, store });
  await rp.discover('alice@op.example.com');
  await rp.register();
  return rp;
}

describe('RelyingParty', () => {
  it('runs the oidcservice documentation\'s conversation from a user identifier to the user\'s claims', async () => {
    const op = new FakeOp();
    const rp = await registeredRp(op);
    assert.equal(rp.context.issuer, OP_ISSUER);
    assert.ok(rp.context.clientId?.startsWith('client-'));
    assert.equal(rp.context.behaviour['token_endpoint_auth_method'], 'client_secret_basic');

    const { url, state } = await rp.beginLogin();
    assert.ok(url.startsWith(`${OP_ISSUER}/authorize?`));
    const redirect = op.authorize(url, 'alice');
    const { authorization, token } = await rp.finishLogin(redirect, state);
    assert.equal(authorization.state, state);
    assert.equal(token?.verified_id_token?.['sub'], 'alice');

    const userinfo = await rp.userInfo(state);
    assert.deepEqual(userinfo, { sub: 'alice', email: 'alice@example.com' });
    assert.deepEqual(Object.keys(await rp.context.stateDb.getState(state)).sort(), ['auth_request', 'auth_response', 'code_exchange', 'created', 'expires', 'iss', 'pkce', 'status', 'subSlots', 'token_response', 'user_info']);

    const refreshed = await rp.refresh(state);
    assert.notEqual(refreshed.access_token, token?.access_token);
    assert.equal(refreshed.verified_id_token?.['sub'], 'alice');

    const logout = new URL(await rp.logoutUrl(state));
    assert.equal(`${logout.origin}${logout.pathname}`, `${OP_ISSUER}/logout`);
    assert.equal(logout.searchParams.get('post_logout_redirect_uri'), 'https://rp.example.org/logged_out');
    assert.equal(logout.searchParams.get('id_token_hint'), refreshed.id_token);

    assert.deepEqual(op.sent.map((r) => `${r.method} ${new URL(r.url).pathname}`), [
      'GET /.well-known/webfinger',
      'GET /.well-known/openid-configuration',
      'POST /register',
      'POST /token',
      'GET /jwks',
      'GET /userinfo',
      'POST /token',
    ]);
  });

  it('refuses a redirect carrying another session\'s state', async () => {
    const op = new FakeOp();
    const rp = await registeredRp(op);
    const mine = await rp.beginLogin();
    const theirs = await rp.beginLogin();
    await assert.rejects(rp.finishLogin(op.authorize(theirs.url), mine.state), isError(VerificationError, 'checkBrowserBinding'));
    await assert.rejects(rp.finishLogin(op.authorize(theirs.url), { state: theirs.state, browserBinding: mine.browserBinding }), isError(VerificationError, 'checkBrowserBinding'));
    assert.equal((await rp.context.stateDb.getState(theirs.state)).status, 'pending', 'a refused response consumes nothing');
  });

  it('binds a login to a fresh browser binding, kept only as its digest', async () => {
    const op = new FakeOp();
    const rp = await registeredRp(op);
    const a = await rp.beginLogin();
    const b = await rp.beginLogin();
    assert.match(a.browserBinding, /^[A-Za-z0-9_-]{43}$/);
    assert.notEqual(a.browserBinding, b.browserBinding);
    const stored = JSON.stringify(await rp.context.stateDb.getState(a.state));
    assert.equal(stored.includes(a.browserBinding), false, 'the session does not hold the binding itself');
    assert.equal(new URL(a.url).searchParams.has('browser_binding'), false, 'the binding is never sent to the OP');
    const { token } = await rp.finishLogin(op.authorize(a.url), { state: a.state, browserBinding: a.browserBinding });
    assert.ok(token?.verified_id_token);
  });

  it('takes a login once: a replayed redirect is refused (checkStateReplay) before any request to the OP, the code is never sent twice', async () => {
    const op = new FakeOp();
    const rp = await registeredRp(op);
    const { url, state } = await rp.beginLogin();
    const redirect = op.authorize(url, 'alice');
    await rp.finishLogin(redirect, state);
    const tokenRequests = () => op.sent.filter((r) => new URL(r.url).pathname === '/token').length;
    assert.equal(tokenRequests(), 1);
    await assert.rejects(rp.finishLogin(redirect, state), isError(VerificationError, 'checkStateReplay'));
    await assert.rejects(rp.finishLogin(op.authorize(url, 'mallory'), state), isError(VerificationError, 'checkStateReplay'), 'a second response for the same login, with another code');
    assert.equal(tokenRequests(), 1, 'no second token request');
    await assert.rejects(rp.services.accesstoken.getRequestParameters({ state }), isError(VerificationError, 'checkStateReplay'), 'the service will not send the code again either');
    assert.equal((await rp.context.stateDb.getItem('token_response', state))?.['verified_id_token'] !== undefined, true);
    assert.equal(((await rp.context.stateDb.getItem('token_response', state))?.['verified_id_token'] as Record<string, unknown>)['sub'], 'alice', 'the session is still alice\'s');
  });

  it('refuses a login that comes back after it expired (checkStateExpiry), before any request to the OP', async () => {
    const op = new FakeOp();
    let now = Math.floor(Date.now() / 1000);
    const rp = await RelyingParty.create({ ...config, pending_login_lifetime: 60 }, { transport: op, now: () => now });
    await rp.discover('alice@op.example.com');
    await rp.register();
    const { url, state } = await rp.beginLogin();
    const redirect = op.authorize(url);
    now += 61;
    const sent = op.sent.length;
    await assert.rejects(rp.finishLogin(redirect, state), isError(VerificationError, 'checkStateExpiry'));
    assert.equal(op.sent.length, sent, 'no request to the OP');
  });

  it('takes a finishLogin without the expected state for the programming error it is (TypeError)', async () => {
    const op = new FakeOp();
    const rp = await registeredRp(op);
    const { url } = await rp.beginLogin();
    const redirect = op.authorize(url);
    for (const expected of [undefined, '', 42]) {
      await assert.rejects(rp.finishLogin(redirect, expected as never), (error: unknown) => error instanceof TypeError && /finishLogin needs the state/.test(error.message));
    }
    assert.deepEqual(op.sent.filter((r) => new URL(r.url).pathname === '/token'), [], 'no token request');
  });

  it('refuses an ID token that fails a check, and records no token response', async () => {
    const op = new FakeOp();
    const rp = await registeredRp(op);
    op.tweak = { idTokenClaims: { nonce: 'not-the-one-sent' } };
    const { url, state } = await rp.beginLogin();
    await assert.rejects(rp.finishLogin(op.authorize(url), state), isError(VerificationError, 'checkNonce'));
    assert.equal(await rp.context.stateDb.getItem('token_response', state), undefined);
  });

  it('refuses userinfo about another user', async () => {
    const op = new FakeOp();
    const rp = await registeredRp(op);
    const { url, state } = await rp.beginLogin();
    await rp.finishLogin(op.authorize(url, 'alice'), state);
    op.tweak = { userinfoSub: 'mallory' };
    await assert.rejects(rp.userInfo(state), isError(VerificationError, 'checkUserInfoSubject'));
  });

  it('surfaces the OP\'s token error as an OPError', async () => {
    const op = new FakeOp();
    const rp = await registeredRp(op);
    const { url, state } = await rp.beginLogin();
    const redirect = op.authorize(url);
    await rp.finishLogin(redirect, state);
    const replay = await rp.beginLogin();
    const forged = new URL(redirect);
    forged.searchParams.set('state', replay.state);
    await assert.rejects(rp.finishLogin(forged.toString(), replay.state), isError(OPError, 'checkErrorResponse', (e) => e.error === 'invalid_grant'));
  });

  it('picks up where it was after a restart on the same store', async () => {
    const op = new FakeOp();
    const store = new MemoryStore();
    const first = await registeredRp(op, store);
    const again = await RelyingParty.create(config, { transport: op, store });
    assert.equal(again.context.clientId, first.context.clientId);
    assert.equal(again.context.clientSecret, first.context.clientSecret);
    const { url, state } = await again.beginLogin();
    const { token } = await again.finishLogin(op.authorize(url, 'bob'), state);
    assert.equal(token?.verified_id_token?.['sub'], 'bob');
  });

  it('validates the configuration', async () => {
    await assert.rejects(RelyingParty.create({ ...config, redirect_uris: [] }), isError(ConfigurationError, 'configSetting', (e) => e.setting === 'redirect_uris'));
  });
});
