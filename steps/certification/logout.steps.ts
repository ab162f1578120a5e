import assert from 'node:assert/strict';
import { Then, When } from '@cucumber/cucumber';
import { certification } from '../support/scenario.js';
import type { HarnessWorld } from '../support/world.js';

When('the user logs out at the RP', async function (this: HarnessWorld) {
  await certification(this).logout();
});

Then('the RP answers the OP\'s back-channel logout request with HTTP {int}', function (this: HarnessWorld, status: number) {
  const cert = certification(this);
  const deliveries = cert.provider().backchannelDeliveries;
  assert.ok(deliveries.length > 0, 'the OP posted a logout token to the RP');
  assert.equal(deliveries.at(-1)?.status, status);
  assert.equal(cert.lastEvent('backchannel-logout')?.status, status);
});

Then('the back-channel logout ended the user\'s session at the RP', async function (this: HarnessWorld) {
  const cert = certification(this);
  const event = cert.lastEvent('backchannel-logout');
  assert.ok(event && cert.state && event.endedSessions.includes(cert.state), 'the logout token ended the session');
  assert.equal(await cert.aliveAfterBackchannel.at(-1), false);
});

Then('the back-channel logout left the user\'s session at the RP alone', async function (this: HarnessWorld) {
  const cert = certification(this);
  const event = cert.lastEvent('backchannel-logout');
  assert.ok(event, 'the RP got a back-channel logout request');
  assert.deepEqual(event.endedSessions, []);
  assert.equal(await cert.aliveAfterBackchannel.at(-1), true);
});

Then('the front-channel logout ended the user\'s session at the RP, checking iss and sid', function (this: HarnessWorld) {
  const cert = certification(this);
  const event = cert.lastEvent('frontchannel-logout');
  assert.ok(event, 'the OP\'s logout page loaded the RP\'s front-channel logout URI');
  assert.equal(event.status, 200, event.error?.message);
  assert.ok(cert.state && event.endedSessions.includes(cert.state), 'the session of the sid ended');
  const loaded = cert.visited.find((url) => url.startsWith(`${cert.rpBase}/frontchannel_logout`));
  assert.ok(loaded, 'the browser loaded the RP\'s front-channel logout URI');
  const query = new URL(loaded).searchParams;
  assert.equal(query.get('iss'), cert.issuer);
  assert.ok(query.get('sid'), 'the OP sent the sid');
});

Then('the RP accepts the post-logout redirect and the session is over', async function (this: HarnessWorld) {
  const cert = certification(this);
  assert.equal(cert.rejection, undefined, `the RP refused: ${cert.rejection?.error.check}`);
  const event = cert.lastEvent('post-logout');
  assert.ok(event, 'the browser came back to the RP after logout');
  assert.equal(await cert.sessionAlive(), false);
});

Then('the RP either accepts the post-logout redirect or rejects it because {reason}; both pass', function (this: HarnessWorld, _reason: string) {
  const cert = certification(this);
  assert.ok(cert.lastEvent('post-logout'), 'the browser came back to the RP after logout');
});
