/**
 * The steps of `features/real-op/real-op.feature`: the conversation of an RP with a real provider,
 * with Chromium at its login. A step that cannot run says why and is skipped; a step that fails
 * says what the provider or the RP did.
 */
import assert from 'node:assert/strict';
import { Given, Then, When } from '@cucumber/cucumber';
import { LiveScenario } from './support/targets/live-scenario.js';
import { loadLiveConfig } from './support/targets/live-config.js';
import { RealTarget } from './support/targets/real-target.js';
import { orSkip, skipWith } from './support/targets/skip-reason.js';
import type { HarnessWorld } from './support/world.js';

/** A real login may take a while: the provider's pages, a browser, several exchanges. */
const SLOW = { timeout: 120_000 };

/** The world parameters the `live` command passes (none for the local provider). */
interface LiveParameters {
  target?: string;
  liveConfig?: string;
}

Given('the provider under test, with Chromium at its login', SLOW, async function (this: HarnessWorld) {
  const parameters = this.parameters as LiveParameters;
  const target = parameters.target === 'live'
    ? await RealTarget.live(await loadLiveConfig(parameters.liveConfig ?? 'live.json'))
    : await RealTarget.local();
  const scenario = LiveScenario.start(this, target);
  return orSkip(this, async () => {
    await scenario.metadata();
  });
});

Given('the RP registers itself dynamically', async function (this: HarnessWorld) {
  const scenario = LiveScenario.require(this);
  scenario.settings.registration = 'dynamic';
  return orSkip(this, () => scenario.plan());
});

Given('the RP uses a client that authenticates with {word}', async function (this: HarnessWorld, method: string) {
  const scenario = LiveScenario.require(this);
  scenario.settings.method = method;
  return orSkip(this, () => scenario.plan());
});

Given('the RP asks for offline access as well', function (this: HarnessWorld) {
  const scenario = LiveScenario.require(this);
  const scope = scenario.scope.split(/\s+/);
  if (!scope.includes('offline_access')) scope.push('offline_access');
  scenario.settings.scope = scope.join(' ');
});

Given('the RP asks the provider to post the response to it \\(response_mode=form_post)', async function (this: HarnessWorld) {
  const scenario = LiveScenario.require(this);
  const { document } = await scenario.metadata();
  const modes = Array.isArray(document['response_modes_supported']) ? (document['response_modes_supported'] as unknown[]).map(String) : ['query', 'fragment'];
  if (!modes.includes('form_post')) return skipWith(this, `the provider does not offer response_mode=form_post (response_modes_supported: ${modes.join(', ')})`);
  scenario.settings.responseMode = 'form_post';
  return undefined;
});

Given("the RP finds the provider with WebFinger from the user's identifier", function (this: HarnessWorld) {
  const scenario = LiveScenario.require(this);
  if (scenario.target.webfinger === undefined) return skipWith(this, 'the configuration names no webfinger identifier (it names the issuer)');
  scenario.settings.webfinger = true;
  return undefined;
});

Given('the provider offers RP-initiated logout to the RP', async function (this: HarnessWorld) {
  const scenario = LiveScenario.require(this);
  const { document } = await scenario.metadata();
  if (typeof document['end_session_endpoint'] !== 'string') return skipWith(this, 'the provider offers no RP-initiated logout (its discovery document has no end_session_endpoint)');
  if (scenario.target.postLogoutRedirectUri === undefined) return skipWith(this, 'the configuration names no post_logout_redirect_uri');
  return undefined;
});

When('the RP discovers the provider', SLOW, async function (this: HarnessWorld) {
  return orSkip(this, async () => {
    await LiveScenario.require(this).discover();
  });
});

When('the RP registers itself with the provider', SLOW, async function (this: HarnessWorld) {
  return orSkip(this, () => LiveScenario.require(this).register());
});

When('the user signs in at the provider through the RP', SLOW, async function (this: HarnessWorld) {
  return orSkip(this, async () => {
    await LiveScenario.require(this).signIn();
  });
});

When('the RP refreshes the tokens with the refresh token', SLOW, async function (this: HarnessWorld) {
  return orSkip(this, () => LiveScenario.require(this).refresh());
});

When('the user signs out at the RP', SLOW, async function (this: HarnessWorld) {
  return orSkip(this, async () => {
    await LiveScenario.require(this).logout();
  });
});

Then('the RP holds the client_id and client secret the provider issued', function (this: HarnessWorld) {
  const scenario = LiveScenario.require(this);
  const context = scenario.rp?.context;
  assert.ok(context?.clientId, 'the RP has a client_id');
  assert.ok(scenario.requestsTo('registration_endpoint').some((r) => r.method === 'POST'), 'the RP sent a registration request');
  assert.equal(context.registrationResponse?.client_id, context.clientId, 'the client_id is the one the provider registered');
  assert.ok(context.clientSecret, 'the provider issued a client secret for client_secret_basic');
});

Then("the RP verified the ID token and read the user's claims", function (this: HarnessWorld) {
  const login = LiveScenario.require(this).lastLogin();
  assert.ok(login, 'the RP completed a login');
  assert.equal(typeof login.idToken?.['sub'], 'string', 'the RP holds a verified ID token');
  assert.ok(login.userinfo, 'the RP read the userinfo');
  assert.equal(login.userinfo['sub'], login.idToken?.['sub'], "the userinfo is about the ID token's user");
});

Then('the RP authenticated at the token endpoint with {word}', function (this: HarnessWorld, method: string) {
  const request = LiveScenario.require(this).requestsTo('token_endpoint')[0];
  assert.ok(request, 'the RP sent a token request');
  const body = new URLSearchParams(request.body);
  const assertion = body.get('client_assertion');
  const header = assertion ? JSON.parse(Buffer.from(assertion.split('.')[0] ?? '', 'base64url').toString()) as { alg?: string } : undefined;
  const found = request.headers['authorization']?.startsWith('Basic ') ? 'client_secret_basic'
    : body.has('client_secret') ? 'client_secret_post'
      : header ? (header.alg?.startsWith('HS') ? 'client_secret_jwt' : 'private_key_jwt')
        : 'none';
  assert.equal(found, method);
});

Then('the authorization request carried an S256 PKCE challenge', async function (this: HarnessWorld) {
  const scenario = LiveScenario.require(this);
  assert.ok(scenario.state && scenario.rp, 'the RP started a login');
  const request = await scenario.rp.context.stateDb.getItem('auth_request', scenario.state);
  assert.match(String(request?.['code_challenge'] ?? ''), /^[A-Za-z0-9_-]{43}$/);
  assert.equal(request?.['code_challenge_method'], 'S256');
});

Then("the RP verified the ID token's signature with a key from the provider's jwks_uri", function (this: HarnessWorld) {
  const scenario = LiveScenario.require(this);
  const jwksUri = scenario.rp?.context.providerInfo?.['jwks_uri'];
  assert.equal(typeof jwksUri, 'string', 'the provider names a jwks_uri');
  assert.ok(this.exchanges.some((e) => e.request.url === jwksUri && e.response?.status === 200), 'the RP fetched the keys at the discovered jwks_uri');
  assert.ok(scenario.lastLogin()?.idToken, 'the ID token verified with them');
});

Then('the RP holds the refreshed tokens', async function (this: HarnessWorld) {
  const scenario = LiveScenario.require(this);
  assert.ok(scenario.requestsTo('token_endpoint').some((r) => new URLSearchParams(r.body).get('grant_type') === 'refresh_token' && r.status === 200), 'the provider answered the refresh request');
  const stored = await scenario.rp!.context.stateDb.getItem('refresh_token_response', scenario.state!);
  assert.equal(typeof stored?.['access_token'], 'string', 'the RP stored the refreshed access token');
});

Then('the RP found the issuer with WebFinger', function (this: HarnessWorld) {
  const scenario = LiveScenario.require(this);
  assert.ok(this.exchanges.some((e) => new URL(e.request.url).pathname === '/.well-known/webfinger' && e.response?.status === 200), 'the RP asked WebFinger');
  assert.equal(scenario.rp?.context.issuer, String(scenario.rp?.context.providerInfo?.['issuer']), 'the issuer WebFinger named is the discovered one');
});

Then("the provider sent the browser back to the RP's post_logout_redirect_uri", function (this: HarnessWorld) {
  const scenario = LiveScenario.require(this);
  const visit = scenario.logoutVisit;
  const expected = scenario.target.postLogoutRedirectUri!;
  assert.ok(visit, 'the browser followed the logout');
  if (visit.at !== 'rp' || !visit.url.startsWith(expected)) {
    scenario.findings.push({
      id: 'logout.post-logout-redirect-not-honoured',
      title: 'the provider did not send the browser to the registered post_logout_redirect_uri after an RP-initiated logout',
      clause: 'OpenID Connect RP-Initiated Logout 1.0, 3 (redirection to the post_logout_redirect_uri the RP sent and registered)',
      url: String(scenario.rp?.context.providerInfo?.['end_session_endpoint'] ?? ''),
      detail: { cameToRest: visit.where },
    });
    assert.fail(`the provider did not send the browser back to ${expected}: after its logout pages the browser came to rest at ${visit.where}`);
  }
  const event = scenario.events.filter((e) => e.type === 'post-logout').at(-1);
  assert.ok(event, 'the RP saw the post-logout redirect');
  assert.equal(event.type === 'post-logout' ? event.error?.message : undefined, undefined, 'the RP accepted it');
});

Then("the provider's session is over: signing in again asks for the user's credentials", SLOW, async function (this: HarnessWorld) {
  return orSkip(this, async () => {
    const session = await LiveScenario.require(this).providerSession();
    assert.notEqual(session.state, 'alive', `the provider still held the user's session: a new sign-in came straight back to ${session.where}`);
    assert.equal(session.state, 'ended', `a new sign-in neither asked for credentials nor came back: the browser came to rest at ${session.where}`);
  });
});

Then("the RP's session is over", async function (this: HarnessWorld) {
  assert.equal(await LiveScenario.require(this).rpSessionAlive(), false, 'the RP ended its session at the post-logout redirect');
});
