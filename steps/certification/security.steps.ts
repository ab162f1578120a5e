/**
 * Steps of the security profile (features/certification/security.feature): an attacker's own
 * browser, an attacker who sees and replays the user's requests to the RP, time that passes
 * between the start of a login and its response, anonymous login initiations, and an OP whose
 * discovery document, userinfo and ID tokens misbehave through the mock OP's hooks.
 *
 * @module
 */
import assert from 'node:assert/strict';
import { Given, Then, When } from '@cucumber/cucumber';
import { mergeBehaviour, type OpBehaviour } from '../../mock-op/index.js';
import { Transport, type RequestParameters } from '../../src/index.js';
import type { CertificationScenario } from '../support/certification.js';
import { REASONS } from '../support/reasons.js';
import { certification } from '../support/scenario.js';
import type { HarnessWorld } from '../support/world.js';

/** A request the user's browser sent to the RP, as an attacker on the way would see it. */
interface SeenRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** What the security scenarios keep between their steps. */
interface SecurityState {
  /** The attacker's authorization response: the redirect back to the RP, not followed. */
  attackerResponse?: string;
  /** The state of the attacker's login. */
  attackerState?: string;
  /** The requests the user's browser sent to the RP's redirect URIs that carry a response. */
  seen: SeenRequest[];
  /** Seconds the RP's clock is ahead of the system clock. */
  clockOffset: number;
  /** Seconds the clock jumps when the browser comes back to the RP with a response. */
  delayOnReturn: number;
}

const states = new WeakMap<HarnessWorld, SecurityState>();

function security(world: HarnessWorld): SecurityState {
  let state = states.get(world);
  if (!state) {
    state = { seen: [], clockOffset: 0, delayOnReturn: 0 };
    states.set(world, state);
  }
  return state;
}

/** A transport of the scenario's own (an attacker's browser, an anonymous client), recorded and closed with the scenario. */
function ownTransport(world: HarnessWorld, who: string): Transport {
  const transport = new Transport({ timeout: 10_000 });
  transport.onExchange((exchange) => world.recordExchange(who, exchange));
  world.onDispose(() => transport.close());
  return transport;
}

/** Whether a request to the RP carries an authorization response (a query with state, or a posted one). */
function carriesResponse(method: string, url: string, body: string | undefined): boolean {
  if (method === 'GET') return new URL(url).searchParams.has('state');
  const form = new URLSearchParams(body ?? '');
  return form.has('state') || (form.get('url_fragment') ?? '').includes('state=');
}

/**
 * Watches the requests that reach the RP's redirect URIs (as a network attacker, or a logging
 * proxy, sees them) and moves the RP's clock on when a response comes back, as the scenario says.
 */
async function watchRedirects(cert: CertificationScenario, world: HarnessWorld): Promise<void> {
  await cert.prepare();
  const handler = cert.handler;
  assert.ok(handler, 'the RP serves its endpoints');
  const state = security(world);
  const original = handler.handle.bind(handler);
  handler.handle = async (request: Request) => {
    if (handler.endpointFor(request.url) === 'redirect') {
      const body = request.method === 'POST' ? await request.clone().text() : undefined;
      if (carriesResponse(request.method, request.url, body)) {
        state.seen.push({ method: request.method as 'GET' | 'POST', url: request.url, headers: Object.fromEntries(request.headers), ...(body === undefined ? {} : { body }) });
        state.clockOffset += state.delayOnReturn;
      }
    }
    return original(request);
  };
}

/** Replaces some hooks of the scenario's mock OP, each wrapping the hook it replaces. */
function misbehave(cert: CertificationScenario, hooks: (previous: OpBehaviour) => Partial<OpBehaviour>): void {
  const provider = cert.provider();
  provider.behaviour = mergeBehaviour(provider.behaviour, hooks(provider.behaviour));
}

/** The origin of a URL, or the text itself when it is none. */
function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

const COUNTS: Record<string, number> = { no: 0, one: 1, two: 2 };

// ---- the attacker's browser: login CSRF ----

Given("an attacker started a login at the RP in the attacker's own browser, and kept its authorization response", async function (this: HarnessWorld) {
  const cert = certification(this);
  await cert.findOp();
  await cert.register();
  assert.equal(cert.rejection, undefined, `the RP is ready: ${cert.rejection?.error.check}`);
  const browser = ownTransport(this, "attacker's browser");
  const start = await browser.send({ method: 'GET', url: cert.rp!.context.loginUri });
  assert.equal(start.status, 302, 'the RP sends the attacker to the OP');
  const authorize = start.headers['location'];
  assert.ok(authorize, 'to the OP\'s authorization endpoint');
  const atOp = await browser.send({ method: 'GET', url: authorize });
  const back = atOp.headers['location'];
  assert.ok(atOp.status >= 300 && atOp.status < 400 && back, `the OP sends the attacker back to the RP (HTTP ${atOp.status})`);
  const response = new URL(back, authorize).toString();
  assert.ok(response.startsWith(cert.rpBase), 'the redirect leads back to the RP');
  const state = security(this);
  state.attackerResponse = response;
  state.attackerState = new URL(response).searchParams.get('state') ?? undefined;
});

When("the victim's browser brings the attacker's authorization response back", async function (this: HarnessWorld) {
  const response = security(this).attackerResponse;
  assert.ok(response, 'the attacker kept an authorization response');
  await certification(this).browse(response);
});

Then("the victim's browser holds no session at the RP", async function (this: HarnessWorld) {
  const cert = certification(this);
  assert.equal(cert.lastEvent('login'), undefined, 'the RP completed no login');
  const attackerState = security(this).attackerState;
  assert.ok(attackerState);
  // Nothing was consumed: the refusal came before the login was taken.
  assert.equal((await cert.rp!.context.stateDb.getState(attackerState)).status, 'pending');
});

// ---- an attacker who sees the user's requests: replays ----

Given("an attacker sees every request the user's browser sends to the RP", async function (this: HarnessWorld) {
  await watchRedirects(certification(this), this);
});

When("the attacker replays the user's authorization response to the RP, login cookie included", async function (this: HarnessWorld) {
  const cert = certification(this);
  assert.equal(cert.rejection, undefined, `the user's login went through: ${cert.rejection?.error.check}`);
  const seen = security(this).seen.at(-1);
  assert.ok(seen, 'the attacker saw the user\'s authorization response');
  assert.match(seen.headers['cookie'] ?? '', /oidc-login-/, 'the request the attacker saw carried the login cookie');
  const replay: RequestParameters = { method: seen.method, url: seen.url, headers: seen.headers, ...(seen.body === undefined ? {} : { body: seen.body }) };
  await ownTransport(this, "attacker's replay").send(replay);
});

When("the user's browser opens the RP's callback URL again", async function (this: HarnessWorld) {
  const cert = certification(this);
  assert.equal(cert.rejection, undefined, `the user's login went through: ${cert.rejection?.error.check}`);
  const callback = [...cert.visited].reverse().find((url) => url.startsWith(cert.rpBase) && new URL(url).searchParams.has('code'));
  assert.ok(callback, 'the browser came back to the RP with a code');
  await cert.browse(callback);
});

Then("the user's session at the RP is still the one of the first login", async function (this: HarnessWorld) {
  const cert = certification(this);
  const logins = cert.events.filter((e) => e.type === 'login');
  assert.equal(logins.length, 1, 'one login completed');
  const login = cert.lastEvent('login')!;
  const session = await cert.rp!.context.stateDb.getState(login.state);
  assert.equal(session.status, 'established');
  const claims = (session.token_response?.['verified_id_token'] ?? session.auth_response?.['verified_id_token']) as Record<string, unknown> | undefined;
  assert.equal(claims?.['sub'], login.idToken?.['sub'], 'the session is the first login\'s user\'s');
});

// ---- time ----

Given('the RP lets a login wait {int} minutes for its authorization response', async function (this: HarnessWorld, minutes: number) {
  const cert = certification(this);
  const state = security(this);
  assert.equal(cert.rp, undefined, 'the RP\'s clock is set before the RP is built');
  this.certSettings.rpClock = () => Math.floor(Date.now() / 1000) + state.clockOffset;
  const rp = await cert.prepare();
  assert.equal(rp.context.stateDb.pendingLoginLifetime, minutes * 60, 'the RP\'s pending-login lifetime (the default)');
});

When('the user starts a login and comes back from the OP {int} minutes later', async function (this: HarnessWorld, minutes: number) {
  const cert = certification(this);
  await watchRedirects(cert, this);
  security(this).delayOnReturn = minutes * 60;
  await cert.login();
});

// ---- third-party login ----

When("an anonymous request to the RP's login initiation URI names the issuer {string}", async function (this: HarnessWorld, issuer: string) {
  const cert = certification(this);
  await cert.prepare();
  const url = new URL(`${cert.rpBase}/initiate_login`);
  url.searchParams.set('iss', issuer);
  url.searchParams.set('target_link_uri', `${cert.rpBase}/home`);
  const answer = await ownTransport(this, 'anonymous client').send({ method: 'GET', url: url.toString() });
  assert.equal(answer.status, 400, 'the RP answers the initiation with an error');
});

Then('the RP sent nothing to {string}', function (this: HarnessWorld, target: string) {
  const origin = originOf(target);
  const sent = this.exchanges.filter((e) => originOf(e.request.url) === origin);
  assert.deepEqual(sent.map((e) => `${e.request.method} ${e.request.url}`), [], `the RP sent requests to ${origin}`);
});

Then('the RP is bound to no issuer', function (this: HarnessWorld) {
  const context = certification(this).rp!.context;
  assert.equal(context.issuer, undefined, 'the RP took no issuer');
  assert.equal(context.providerInfo, undefined, 'the RP discovered nothing');
});

// ---- refusals and what the OP saw ----

Then('the RP refuses it because {reason}', function (this: HarnessWorld, reason: string) {
  const cert = certification(this);
  const expected = REASONS[reason];
  assert.ok(cert.rejection, `the RP accepted what it should have refused at ${expected}`);
  assert.equal(cert.rejection.error.check, expected, `the RP refused at ${cert.rejection.error.check} (${cert.rejection.error.message}), expected ${expected}`);
});

Then('the OP saw {word} token request', function (this: HarnessWorld, count: string) {
  const expected = COUNTS[count];
  assert.ok(expected !== undefined, `no, one or two, not ${count}`);
  assert.equal(certification(this).opRequests().filter((r) => r.endpoint === 'token').length, expected, 'token requests the OP received');
});

// ---- an OP that misbehaves ----

Given("the OP's discovery document names {string} as its {word}", function (this: HarnessWorld, url: string, endpoint: string) {
  misbehave(certification(this), (previous) => ({ discovery: async (doc, ctx) => ({ ...(await previous.discovery(doc, ctx)), [endpoint]: url }) }));
});

Given("the OP's userinfo names a distributed claims source at {string}, with an access token for it", function (this: HarnessWorld, endpoint: string) {
  misbehave(certification(this), (previous) => ({
    userinfoClaims: async (claims, ctx) => ({
      ...(await previous.userinfoClaims(claims, ctx)),
      _claim_names: { credit_score: 'bank' },
      _claim_sources: { bank: { endpoint, access_token: 'an-access-token-for-the-source' } },
    }),
  }));
});

Given('the OP leaves the nonce out of its ID tokens', function (this: HarnessWorld) {
  misbehave(certification(this), (previous) => ({
    idTokenClaims: async (claims, ctx) => {
      const { nonce: _nonce, ...rest } = await previous.idTokenClaims(claims, ctx);
      return rest;
    },
  }));
});

Given('the OP sends its ID tokens signed but not encrypted', function (this: HarnessWorld) {
  let lastSigned: string | undefined;
  misbehave(certification(this), (previous) => ({
    // The OP signs the ID token, then encrypts it as the client registered; the token response gets the signed one.
    jwt: async (token, ctx) => {
      const signed = await previous.jwt(token, ctx);
      if (ctx.purpose === 'id_token') lastSigned = signed;
      return signed;
    },
    tokenResponse: async (body, ctx) => {
      const answer = await previous.tokenResponse(body, ctx);
      return lastSigned === undefined || answer['id_token'] === undefined ? answer : { ...answer, id_token: lastSigned };
    },
  }));
});
