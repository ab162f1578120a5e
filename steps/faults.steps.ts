/**
 * Steps of the fault features (features/faults): the RP's deadline and size limit, the typed error
 * it fails with, and what it knows after the failed step. The scenario itself comes from
 * "Given the certification OP runs the test ..." (a fault test id of the mock OP, `fault-...`).
 *
 * @module
 */
import assert from 'node:assert/strict';
import { Given, Then } from '@cucumber/cucumber';
import { isFaultTest, type FaultTest } from '../mock-op/index.js';
import { MemoryStore, ResponseError, TransportError, type OidcError } from '../src/index.js';
import type { CertificationScenario } from './support/certification.js';
import { certification } from './support/scenario.js';
import type { HarnessWorld } from './support/world.js';

/** Fails when the scenario's RP is already built: its settings would no longer apply. */
function assertRpNotBuilt(world: HarnessWorld, setting: string): void {
  assert.equal(world.cert?.rp, undefined, `the RP is already built: set ${setting} before the step that uses the RP`);
}

/** The fault test of the scenario. */
function faultTest(cert: CertificationScenario): FaultTest {
  const test = cert.test;
  assert.ok(isFaultTest(test), `${test.name} is no fault test`);
  return test;
}

/** The error the RP failed with (recorded by the scenario as its first rejection). */
function failure(cert: CertificationScenario): OidcError {
  assert.ok(cert.rejection, 'the RP failed');
  return cert.rejection.error;
}

/** Asserts that the fault test expects the check the feature names (the feature and the data agree). */
function assertExpected(cert: CertificationScenario, check: string): void {
  assert.equal(faultTest(cert).failure.check, check, `the fault test ${cert.test.name} expects ${faultTest(cert).failure.check}`);
}

Given('the RP gives up on an answer after {int} ms', function (this: HarnessWorld, ms: number) {
  assertRpNotBuilt(this, 'its deadline');
  this.certSettings.timeoutMs = ms;
});

Given('the RP reads answers of at most {int} bytes', function (this: HarnessWorld, bytes: number) {
  assertRpNotBuilt(this, 'its size limit');
  this.certSettings.maxResponseBytes = bytes;
});

Then('the RP fails with a transport error {string}', function (this: HarnessWorld, check: string) {
  const cert = certification(this);
  const error = failure(cert);
  assert.ok(error instanceof TransportError, `a TransportError, not ${error.name} ${error.check}: ${error.message}`);
  assert.equal(error.check, check, error.message);
  assertExpected(cert, check);
  // Structural, not timed: the deadline that fired is the one configured, the limit hit is the one set.
  if (check === 'transportTimeout') assert.equal(error.detail['timeout'], this.certSettings.timeoutMs, 'the RP gave up at its own deadline');
  if (check === 'transportSize') assert.equal(error.detail['limit'], this.certSettings.maxResponseBytes, 'the RP stopped at its own size limit');
});

Then('the RP fails with a response error {string} for the HTTP status {int}', function (this: HarnessWorld, check: string, status: number) {
  const cert = certification(this);
  const error = failure(cert);
  assert.ok(error instanceof ResponseError, `a ResponseError, not ${error.name} ${error.check}: ${error.message}`);
  assert.equal(error.check, check, error.message);
  assert.equal(error.detail['status'], status);
  assertExpected(cert, check);
  assert.equal(faultTest(cert).failure.status, status);
});

Then('the RP fails with a response error {string} for the content type {string}', function (this: HarnessWorld, check: string, contentType: string) {
  const cert = certification(this);
  const error = failure(cert);
  assert.ok(error instanceof ResponseError, `a ResponseError, not ${error.name} ${error.check}: ${error.message}`);
  assert.equal(error.check, check, error.message);
  assert.equal(error.detail['contentType'], contentType);
  assertExpected(cert, check);
});

Then("the RP's knowledge of the OP is unchanged", function (this: HarnessWorld) {
  // The RP is built by the failed step, knowing nothing of the OP: after it, it still knows nothing.
  const cert = certification(this);
  const rp = cert.rp;
  assert.ok(rp, 'the RP was built');
  assert.equal(rp.context.providerInfo, undefined, 'the RP holds no provider info');
  assert.equal(rp.context.clientId, undefined, 'the RP registered no client');
  assert.equal(rp.context.registrationResponse, undefined, 'the RP holds no registration');
  assert.deepEqual(cert.states, [], 'the RP started no session');
  const store = rp.context.stateDb.store;
  assert.ok(store instanceof MemoryStore, 'the scenario RP keeps its state in memory');
  assert.equal(store.size, 0, 'the RP stored nothing: no saved context, no session');
});

Then("the RP's session keeps its authorization response and holds no tokens", async function (this: HarnessWorld) {
  const cert = certification(this);
  const rp = cert.rp;
  assert.ok(rp && cert.state, 'the RP started a login');
  assert.deepEqual(cert.states, [cert.state], 'one session, the one the login started');
  assert.ok(rp.context.providerInfo, 'the RP still knows the OP');
  const db = rp.context.stateDb;
  const authorization = await db.getItem('auth_response', cert.state);
  assert.equal(typeof authorization?.['code'], 'string', 'the session keeps the authorization response and its code');
  assert.equal(await db.getItem('token_response', cert.state), undefined, 'the session holds no token response');
  assert.equal(await db.getItem('user_info', cert.state), undefined, 'the session holds no user info');
  assert.equal(cert.lastEvent('login'), undefined, 'the RP completed no login');
});

Then("the RP asked for the OP's configuration only once", function (this: HarnessWorld) {
  assert.equal(certification(this).opRequests().filter((r) => r.endpoint === 'discovery').length, 1, 'one discovery request: the RP did not retry at once');
});

Then('the RP did not follow the redirect', function (this: HarnessWorld) {
  const requests = certification(this).opRequests();
  assert.deepEqual(requests.map((r) => r.endpoint), ['discovery'], 'the OP saw the discovery request and nothing at the redirect target');
});

Then('the RP sent its token request only once', function (this: HarnessWorld) {
  assert.equal(certification(this).requestsTo('token_endpoint').length, 1, 'one token request: the RP did not retry at once');
});
