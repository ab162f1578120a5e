import assert from 'node:assert/strict';
import { Then, When } from '@cucumber/cucumber';
import { certification } from '../support/scenario.js';
import type { HarnessWorld } from '../support/world.js';

When('the RP finds the OP', async function (this: HarnessWorld) {
  await certification(this).findOp();
});

When('the RP registers itself with the OP', async function (this: HarnessWorld) {
  const cert = certification(this);
  // A live provider need not offer dynamic registration: then there is nothing to test here.
  if (cert.target.kind === 'live' && !cert.rp?.context.providerInfo?.registration_endpoint) return 'skipped';
  await cert.register();
  return undefined;
});

When('the user logs in at the OP', async function (this: HarnessWorld) {
  await certification(this).login();
});

When('the user logs in at the OP again', async function (this: HarnessWorld) {
  await certification(this).login();
});

When('the user logs in at the OP, who is already logged in, without being asked again', async function (this: HarnessWorld) {
  await certification(this).login({ prompt: 'none' });
});

When('the RP refreshes its tokens', async function (this: HarnessWorld) {
  await certification(this).refresh();
});

Then('the RP accepts the login', function (this: HarnessWorld) {
  const cert = certification(this);
  assert.equal(cert.rejection, undefined, `the RP refused: ${cert.rejection?.error.check}: ${cert.rejection?.error.message}`);
  const login = cert.lastEvent('login');
  assert.ok(login, 'the RP completed a login');
  assert.equal(login.state, cert.state, 'the login completed the session the RP started');
  assert.equal(typeof login.idToken?.['sub'], 'string', 'the RP holds a verified ID token');
});

Then("the RP accepts the login and reads the user's claims", function (this: HarnessWorld) {
  const cert = certification(this);
  assert.equal(cert.rejection, undefined, `the RP refused: ${cert.rejection?.error.check}: ${cert.rejection?.error.message}`);
  const login = cert.lastEvent('login');
  assert.ok(login?.userinfo, 'the RP read the userinfo');
  assert.equal(login.userinfo['sub'], login.idToken?.['sub'], 'the userinfo is about the ID token\'s user');
  assert.ok(cert.requestsTo('userinfo_endpoint').length > 0, 'the RP sent a userinfo request');
});

Then('the RP completed {int} logins', function (this: HarnessWorld, logins: number) {
  const cert = certification(this);
  assert.equal(cert.rejection, undefined, `the RP refused: ${cert.rejection?.error.check}: ${cert.rejection?.error.message}`);
  assert.equal(cert.events.filter((e) => e.type === 'login').length, logins);
});

Then("the user's claims include {string}", function (this: HarnessWorld, names: string) {
  const userinfo = certification(this).lastEvent('login')?.userinfo;
  assert.ok(userinfo, 'the RP read the userinfo');
  for (const name of names.split(',').map((n) => n.trim())) assert.ok(userinfo[name] !== undefined, `the claims include ${name}`);
});

Then("the ID token's claims include {string}", function (this: HarnessWorld, names: string) {
  const idToken = certification(this).lastEvent('login')?.idToken;
  assert.ok(idToken, 'the RP verified an ID token');
  for (const name of names.split(',').map((n) => n.trim())) assert.ok(idToken[name] !== undefined, `the ID token includes ${name}`);
});

Then('the RP accepts the refreshed tokens', function (this: HarnessWorld) {
  const cert = certification(this);
  assert.equal(cert.rejection, undefined, `the RP refused: ${cert.rejection?.error.check}: ${cert.rejection?.error.message}`);
  assert.ok(cert.requestsTo('token_endpoint').some((r) => new URLSearchParams(r.body).get('grant_type') === 'refresh_token'), 'the RP sent a refresh request');
  assert.ok(cert.state && cert.rp, 'a session');
  return cert.rp.context.stateDb.getItem('refresh_token_response', cert.state).then((stored) => assert.ok(stored?.['access_token'], 'the RP stored the refreshed tokens'));
});

Then('the RP holds the client_id and secret the OP registered', function (this: HarnessWorld) {
  const cert = certification(this);
  const clientId = cert.rp?.context.clientId;
  assert.ok(clientId, 'the RP has a client_id');
  assert.ok(cert.requestsTo('registration_endpoint').some((r) => r.method === 'POST'), 'the RP sent a registration request');
  assert.equal(cert.rp?.context.registrationResponse?.client_id, clientId);
  if (cert.target.kind === 'mock') assert.equal(cert.rp?.context.clientSecret, cert.provider().clients.get(clientId)?.client_secret, 'the RP holds the secret the OP registered');
});
