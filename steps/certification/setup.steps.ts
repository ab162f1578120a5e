import assert from 'node:assert/strict';
import { Given } from '@cucumber/cucumber';
import { CertificationScenario } from '../support/certification.js';
import type { HarnessWorld } from '../support/world.js';


/** Reads a metadata value as the feature writes it: JSON for lists, booleans and numbers, else text. */
function metadataValue(text: string): unknown {
  return /^[[{]|^(true|false|\d+)$/.test(text) ? (JSON.parse(text) as unknown) : text;
}

Given('the certification OP runs the test {string}', async function (this: HarnessWorld, testId: string) {
  this.cert = await CertificationScenario.start(this, testId);
});

Given('the RP uses the response type {string}', function (this: HarnessWorld, responseType: string) {
  this.certSettings.responseType = responseType;
});

Given('the RP asks for the response mode {string}', function (this: HarnessWorld, responseMode: string) {
  this.certSettings.responseMode = responseMode;
});

Given('the RP registers {string} as {string}', function (this: HarnessWorld, name: string, value: string) {
  this.certSettings.preferences[name] = metadataValue(value);
});

Given('the RP is statically registered with the OP', function (this: HarnessWorld) {
  this.certSettings.registration = 'static';
});

Given('the RP finds the OP with WebFinger from an {string} identifier', function (this: HarnessWorld, kind: string) {
  assert.ok(kind === 'acct:' || kind === 'URL', `unknown identifier kind ${kind}`);
  this.certSettings.discovery = kind === 'acct:' ? 'webfinger-acct' : 'webfinger-url';
});

Given('the RP sends its authorization request as a request object by {word}', function (this: HarnessWorld, how: string) {
  assert.ok(how === 'value' || how === 'reference', `by value or by reference, not ${how}`);
  this.certSettings.authorizationArgs['request_method'] = how;
});

Given('the RP asks for the claims {string} in the {word} with the claims parameter', function (this: HarnessWorld, claims: string, where: string) {
  assert.ok(where === 'userinfo' || where === 'id_token', `claims go to userinfo or id_token, not ${where}`);
  this.certSettings.authorizationArgs['claims'] = { [where]: Object.fromEntries(claims.split(',').map((c) => [c.trim(), { essential: true }])) };
});

Given('the RP asks for the scope {string}', function (this: HarnessWorld, scope: string) {
  this.certSettings.authorizationArgs['scope'] = scope;
});

Given('the RP sends the access token to the userinfo endpoint in the {word}', function (this: HarnessWorld, where: string) {
  assert.ok(where === 'header' || where === 'body', `header or body, not ${where}`);
  this.certSettings.userinfoPlacement = where === 'header' ? 'bearer_header' : 'bearer_body';
});

Given('the RP registers a {word}-channel logout URI', function (this: HarnessWorld, channel: string) {
  assert.ok(channel === 'back' || channel === 'front', `back or front, not ${channel}`);
  if (channel === 'back') this.certSettings.backchannelLogout = true;
  else this.certSettings.frontchannelLogout = true;
});

Given('the RP holds a TLS client certificate and uses the OP\'s mTLS endpoint aliases', function (this: HarnessWorld) {
  this.certSettings.mtls = true;
});
