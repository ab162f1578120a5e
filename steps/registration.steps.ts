import assert from 'node:assert/strict';
import { Then, When, type DataTable } from '@cucumber/cucumber';
import { jsonTable } from './support/tables.js';
import type { HarnessWorld } from './support/world.js';

When('the RP registers with the OP', async function (this: HarnessWorld) {
  await this.converse('registration', {});
});

Then('the registration request is a POST of JSON to {string} holding:', function (this: HarnessWorld, url: string, table: DataTable) {
  const request = this.requests.get('registration');
  assert.ok(request?.body, 'the RP made a registration request with a body');
  assert.equal(request.method, 'POST');
  assert.equal(request.url, url);
  assert.equal(request.headers?.['Content-Type'], 'application/json');
  const body = JSON.parse(request.body) as Record<string, unknown>;
  for (const [name, expected] of Object.entries(jsonTable(table))) assert.deepEqual(body[name], expected, name);
});

Then('the RP is now client {string} with the client secret the OP gave it', async function (this: HarnessWorld, clientId: string) {
  const { context } = await this.rp();
  assert.equal(context.clientId, clientId);
  const registered = this.op?.clients.get(clientId);
  assert.ok(registered, 'the OP registered the client');
  assert.ok(context.clientSecret && context.clientSecret === registered.client_secret, 'the RP holds the secret the OP issued');
  assert.equal(context.registrationResponse?.client_id, clientId);
});
