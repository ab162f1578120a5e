import assert from 'node:assert/strict';
import { Then, When, type DataTable } from '@cucumber/cucumber';
import type { HarnessWorld } from './support/world.js';

When("the RP asks for an access token with the session's code", async function (this: HarnessWorld) {
  assert.ok(this.state);
  await this.converse('accesstoken', { state: this.state }, { state: this.state });
});

Then('the token request is a POST to {string} with HTTP Basic client authentication and this form body, in this order:', async function (this: HarnessWorld, url: string, table: DataTable) {
  const request = this.requests.get('accesstoken');
  assert.ok(request?.body, 'the RP made a token request');
  assert.ok(this.state);
  const { context } = await this.rp();
  assert.equal(request.method, 'POST');
  assert.equal(request.url, url);
  assert.equal(request.headers?.['Content-Type'], 'application/x-www-form-urlencoded');
  const basic = Buffer.from(`${context.clientId}:${context.clientSecret}`).toString('base64');
  assert.equal(request.headers?.['Authorization'], `Basic ${basic}`);
  const session = await context.stateDb.getState(this.state);
  const placeholders: Record<string, unknown> = {
    "the session's state": this.state,
    "the session's code": session.auth_response?.['code'],
    "the session's PKCE verifier": session.pkce?.['code_verifier'],
  };
  const body = new URLSearchParams(request.body);
  const expected = table.raw();
  assert.deepEqual([...body.keys()], expected.map(([name]) => name), 'parameter names and order');
  for (const [name, value] of expected) {
    const wanted = value! in placeholders ? placeholders[value!] : value;
    assert.equal(typeof wanted, 'string', `${value} is known`);
    assert.equal(body.get(name!), wanted, name);
  }
});

Then('the RP accepts the ID token, issued by {string} for {string} with the nonce it sent', async function (this: HarnessWorld, issuer: string, clientId: string) {
  assert.ok(this.state);
  const { context } = await this.rp();
  const session = await context.stateDb.getState(this.state);
  const claims = session.token_response?.['verified_id_token'] as Record<string, unknown> | undefined;
  assert.ok(claims, 'the token response was stored with the verified ID token');
  assert.equal(claims['iss'], issuer);
  const aud = claims['aud'];
  assert.ok(aud === clientId || (Array.isArray(aud) && aud.includes(clientId)), 'the audience is the client');
  assert.equal(claims['nonce'], session.auth_request?.['nonce']);
  assert.equal(typeof claims['sub'], 'string');
});
