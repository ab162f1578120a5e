import assert from 'node:assert/strict';
import { Then, When } from '@cucumber/cucumber';
import type { HarnessWorld } from './support/world.js';

When("the RP asks for the user's information", async function (this: HarnessWorld) {
  assert.ok(this.state);
  await this.converse('userinfo', { state: this.state }, { state: this.state });
});

Then('the userinfo request is a GET of {string} with the access token as a Bearer token', async function (this: HarnessWorld, url: string) {
  const request = this.requests.get('userinfo');
  assert.ok(request && this.state);
  const { context } = await this.rp();
  const token = (await context.stateDb.getItem('token_response', this.state))?.['access_token'];
  assert.equal(typeof token, 'string');
  assert.equal(request.method, 'GET');
  assert.equal(request.url, url);
  assert.equal(request.headers?.['Authorization'], `Bearer ${String(token)}`);
});

Then('the user info holds only the {string} of the ID token', async function (this: HarnessWorld, claim: string) {
  assert.ok(this.state);
  const { context } = await this.rp();
  const session = await context.stateDb.getState(this.state);
  const userInfo = session.user_info;
  assert.ok(userInfo, 'the session holds the user info');
  assert.deepEqual(Object.keys(userInfo), [claim]);
  assert.equal(userInfo[claim], (session.token_response?.['verified_id_token'] as Record<string, unknown>)[claim]);
});
