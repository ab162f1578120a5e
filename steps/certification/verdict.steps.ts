import assert from 'node:assert/strict';
import { defineParameterType, Then } from '@cucumber/cucumber';
import { REASON_PATTERN, REASONS } from '../support/reasons.js';
import { certification } from '../support/scenario.js';
import type { HarnessWorld } from '../support/world.js';

defineParameterType({ name: 'reason', regexp: REASON_PATTERN, transformer: (phrase: string) => phrase });

const ARTIFACTS = /ID token|refreshed ID token|userinfo response|discovery document|WebFinger answer|logout token|post-logout redirect/;
defineParameterType({ name: 'artifact', regexp: ARTIFACTS, transformer: (text: string) => text });

Then('the RP rejects the {artifact} because {reason}', function (this: HarnessWorld, _artifact: string, reason: string) {
  const cert = certification(this);
  const expected = REASONS[reason];
  assert.ok(cert.rejection, `the RP accepted what it should have rejected at ${expected}`);
  assert.equal(cert.rejection.error.check, expected, `the RP refused at ${cert.rejection.error.check} (${cert.rejection.error.message}), expected ${expected}`);
});

Then('the RP sends the OP no further request', function (this: HarnessWorld) {
  const later = certification(this).requestsAfterRejection();
  assert.deepEqual(later.map((r) => `${r.method} ${r.endpoint}`), [], 'the OP saw requests after the rejection');
});

Then('the RP either accepts the login or rejects the ID token because {reason}; both pass', function (this: HarnessWorld, reason: string) {
  const cert = certification(this);
  if (cert.rejection) {
    assert.equal(cert.rejection.error.check, REASONS[reason]);
    assert.deepEqual(cert.requestsAfterRejection().map((r) => r.endpoint), []);
  } else {
    assert.ok(cert.lastEvent('login'), 'the RP completed a login');
  }
});

Then("the RP accepts the unsigned ID token and reads the user's claims; rejecting it would be allowed", function (this: HarnessWorld) {
  const cert = certification(this);
  if (cert.rejection?.error.check === 'checkAlgorithm') return 'skipped';
  assert.equal(cert.rejection, undefined, `the RP refused: ${cert.rejection?.error.check}`);
  assert.ok(cert.lastEvent('login')?.userinfo, 'the RP read the userinfo');
  return undefined;
});

Then('the RP reports the OP\'s error {string}', function (this: HarnessWorld, error: string) {
  const cert = certification(this);
  assert.ok(cert.rejection, 'the RP surfaced an error');
  assert.equal(cert.rejection.error.check, 'checkErrorResponse');
  assert.equal((cert.rejection.error as { error?: string }).error, error);
});

Then('the authorization request carried a nonce', function (this: HarnessWorld) {
  const request = certification(this).opRequests().find((r) => r.endpoint === 'authorization');
  assert.ok(request, 'the OP saw an authorization request');
  assert.match(new URL(request.url).searchParams.get('nonce') ?? '', /^.{16,}$/);
});

Then('the token request authenticated the client with {word}', function (this: HarnessWorld, method: string) {
  const request = certification(this).requestsTo('token_endpoint')[0];
  assert.ok(request, 'the RP sent a token request');
  const body = new URLSearchParams(request.body);
  const assertion = body.get('client_assertion');
  const found =
    request.headers['authorization']?.startsWith('Basic ') ? 'client_secret_basic'
    : body.has('client_secret') ? 'client_secret_post'
    : assertion ? ((JSON.parse(Buffer.from(assertion.split('.')[0]!, 'base64url').toString()) as { alg: string }).alg.startsWith('HS') ? 'client_secret_jwt' : 'private_key_jwt')
    : 'none';
  assert.equal(found, method);
});

Then('the userinfo request carried the access token in the {word}', function (this: HarnessWorld, where: string) {
  const request = certification(this).requestsTo('userinfo_endpoint')[0];
  assert.ok(request, 'the RP sent a userinfo request');
  if (where === 'header') assert.match(request.headers['authorization'] ?? '', /^Bearer /);
  else assert.ok(new URLSearchParams(request.body).has('access_token') && !request.headers['authorization'], 'the token was in the form body only');
});

Then('the authorization request passed a request object by reference', function (this: HarnessWorld) {
  const request = certification(this).opRequests().find((r) => r.endpoint === 'authorization');
  assert.ok(request, 'the OP saw an authorization request');
  const uri = new URL(request.url).searchParams.get('request_uri');
  assert.ok(uri?.startsWith(certification(this).rpBase), 'request_uri points at the RP');
});

Then('the RP fetched the OP\'s keys from the discovered jwks_uri', function (this: HarnessWorld) {
  const cert = certification(this);
  const jwksUri = cert.rp?.context.providerInfo?.jwks_uri;
  assert.ok(jwksUri, 'the RP discovered a jwks_uri');
  assert.ok(this.exchanges.some((e) => e.request.url === jwksUri && e.response?.status === 200), 'the RP fetched the keys at the discovered jwks_uri');
});

Then('the authorization request carried a PKCE challenge', function (this: HarnessWorld) {
  const cert = certification(this);
  assert.ok(cert.state && cert.rp, 'the RP started a login');
  return cert.rp.context.stateDb.getItem('auth_request', cert.state).then((request) => {
    assert.match(String(request?.['code_challenge'] ?? ''), /^[A-Za-z0-9_-]{43}$/);
    assert.equal(request?.['code_challenge_method'], 'S256');
  });
});

Then('the RP fetched the OP\'s keys {int} times', function (this: HarnessWorld, times: number) {
  assert.equal(certification(this).opRequests().filter((r) => r.endpoint === 'jwks').length, times);
});

Then('the RP used the mTLS alias of the token endpoint', function (this: HarnessWorld) {
  const token = certification(this).opRequests().filter((r) => r.endpoint === 'token');
  assert.ok(token.length > 0, 'the OP saw a token request');
  assert.ok(token.every((r) => new URL(r.url).pathname.includes('/mtls/')), 'every token request went to the alias');
});
