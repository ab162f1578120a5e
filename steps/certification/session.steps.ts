import assert from 'node:assert/strict';
import { Then, When } from '@cucumber/cucumber';
import { checkSession } from '../../mock-op/index.js';
import { RP_ORIGIN } from '../support/targets/mock-target.js';
import { certification } from '../support/scenario.js';
import type { HarnessWorld } from '../support/world.js';

When("the RP's iframe asks the OP's check-session iframe about the session", async function (this: HarnessWorld) {
  const cert = certification(this);
  assert.ok(cert.rp && cert.state, 'the user logged in');
  const service = cert.rp.services.check_session;
  const iframe = await service.getRequestParameters({ state: cert.state });
  assert.equal(iframe.url, cert.rp.context.providerInfo?.check_session_iframe);
  // The RP's page frames the OP's iframe, as a browser loads it.
  await cert.browse(iframe.url);
  const [clientId, sessionState] = (await service.message(cert.state)).split(' ');
  // The OP iframe's answer, computed as its script computes it for a message from the RP's origin.
  const answer = checkSession(cert.provider(), clientId!, RP_ORIGIN, sessionState!);
  cert.sessionChecks.push((await service.parseResponse(answer)).status);
});

When('the user logs out at the OP', async function (this: HarnessWorld) {
  await certification(this).provider().endSession();
});

Then('the OP answers {string}', function (this: HarnessWorld, answer: string) {
  assert.equal(certification(this).sessionChecks.at(-1), answer);
});

When("the OP sends the user to the RP's login initiation URI", async function (this: HarnessWorld) {
  const cert = certification(this);
  await cert.findOp();
  await cert.register();
  const clientId = cert.rp?.context.clientId;
  assert.ok(clientId, 'the RP is registered');
  await cert.browse(cert.provider().initiateLoginUrl(clientId, { login_hint: 'foobar' }));
});

Then('the RP started the login at the issuer the OP named', function (this: HarnessWorld) {
  const cert = certification(this);
  const event = cert.lastEvent('initiate-login');
  assert.ok(event && !event.error, 'the RP accepted the login initiation');
  assert.equal(event.iss, cert.issuer);
  const request = cert.opRequests().find((r) => r.endpoint === 'authorization');
  assert.equal(new URL(request!.url).searchParams.get('login_hint'), 'foobar');
});
