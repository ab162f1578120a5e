import assert from 'node:assert/strict';
import { Given, Then, type DataTable } from '@cucumber/cucumber';
import { metadataTable } from './support/tables.js';
import type { HarnessWorld, StoreKind } from './support/world.js';

Given('an RP at {string} with these client preferences:', function (this: HarnessWorld, baseUrl: string, table: DataTable) {
  this.config = { ...this.config, base_url: baseUrl, client_preferences: metadataTable(table), keys: { generate: ['RS256'] } };
});

Given("the RP's redirect URI is {string} and its key set is published at {string}", function (this: HarnessWorld, redirectUri: string, jwksUri: string) {
  assert.ok(this.config, 'the RP is described first');
  this.config = { ...this.config, redirect_uris: [redirectUri], jwks_uri: jwksUri };
});

Given('the RP keeps its sessions in the {word} store', function (this: HarnessWorld, kind: string) {
  assert.ok(kind === 'in-memory' || kind === 'persistent', `unknown store "${kind}"`);
  this.storeKind = kind as StoreKind;
});

Given('the RP process keeps running', function (this: HarnessWorld) {
  this.restartsBetweenSteps = false;
});

Given('the RP process restarts before every step', function (this: HarnessWorld) {
  this.restartsBetweenSteps = true;
});

Given('the RP knows only the user identifier {string}', function (this: HarnessWorld, identifier: string) {
  this.userIdentifier = identifier;
});

Then(/^the RP process was started (once|\d+ times)$/, function (this: HarnessWorld, times: string) {
  assert.equal(this.starts, times === 'once' ? 1 : Number.parseInt(times, 10));
});
