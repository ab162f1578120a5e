import assert from 'node:assert/strict';
import { Then, When, type DataTable } from '@cucumber/cucumber';
import { jsonTable } from './support/tables.js';
import type { HarnessWorld } from './support/world.js';

When("the RP asks WebFinger where the user's OP is", async function (this: HarnessWorld) {
  assert.ok(this.userIdentifier, 'the user identifier is known');
  await this.converse('webfinger', { resource: this.userIdentifier });
});

Then(/^the (WebFinger|discovery) request is a GET of "([^"]+)"$/, function (this: HarnessWorld, which: string, url: string) {
  const request = this.requests.get(which === 'WebFinger' ? 'webfinger' : 'provider_info');
  assert.ok(request, `the RP made a ${which} request`);
  assert.equal(request.method, 'GET');
  assert.equal(request.url, url);
});

Then('the RP now knows the issuer is {string}', async function (this: HarnessWorld, issuer: string) {
  assert.equal((await this.rp()).context.issuer, issuer);
});

When("the RP fetches the OP's provider information", async function (this: HarnessWorld) {
  await this.converse('provider_info', {});
});

Then("the RP knows the OP's {string} is {string}", async function (this: HarnessWorld, member: string, value: string) {
  assert.equal((await this.rp()).context.providerInfo?.[member], value);
});

Then("the RP's behaviour keeps of its preferences what the OP supports:", async function (this: HarnessWorld, table: DataTable) {
  const { behaviour } = (await this.rp()).context;
  for (const [name, expected] of Object.entries(jsonTable(table))) assert.deepEqual(behaviour[name], expected, name);
});
