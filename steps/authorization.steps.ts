import assert from 'node:assert/strict';
import { Then, When, type DataTable } from '@cucumber/cucumber';
import type { HarnessWorld } from './support/world.js';

const FRESH = 'a fresh random value';

When('the RP sends the user to the OP to log in with the scope {string}', async function (this: HarnessWorld, scope: string) {
  const { services } = await this.rp();
  const request = await services.authorization.getRequestParameters({ scope });
  this.requests.set('authorization', request);
  this.state = request.state;
});

Then('the authorization request is a GET of {string} with these parameters, in this order:', function (this: HarnessWorld, endpoint: string, table: DataTable) {
  const request = this.requests.get('authorization');
  assert.ok(request, 'the RP built an authorization request');
  assert.equal(request.method, 'GET');
  const url = new URL(request.url);
  assert.equal(`${url.origin}${url.pathname}`, endpoint);
  const expected = table.raw();
  assert.deepEqual([...url.searchParams.keys()], expected.map(([name]) => name), 'parameter names and order');
  for (const [name, value] of expected) {
    const actual = url.searchParams.get(name!);
    if (value === FRESH) assert.match(actual ?? '', /^[A-Za-z0-9_-]{32,}$/, `${name} is a fresh random value`);
    else assert.equal(actual, value, name);
  }
  assert.equal(url.searchParams.get('state'), this.state);
});

Then('the state store holds a new session under that state, for the issuer {string}', async function (this: HarnessWorld, issuer: string) {
  assert.ok(this.state);
  const { context } = await this.rp();
  const session = await context.stateDb.getState(this.state);
  assert.equal(session.iss, issuer);
  const request = session.auth_request;
  assert.ok(request, 'the session holds the authorization request');
  assert.equal(await context.stateDb.getStateByNonce(String(request['nonce'])), this.state, 'the nonce leads back to the session');
});

When('the user logs in and the OP redirects the browser back to the RP', async function (this: HarnessWorld) {
  const request = this.requests.get('authorization');
  assert.ok(request, 'the RP built an authorization request');
  const answer = await this.userAgent().send({ method: 'GET', url: request.url });
  assert.ok(answer.status === 302 || answer.status === 303, `the OP redirects the browser (HTTP ${answer.status})`);
  const location = answer.headers['location'];
  assert.ok(location, 'the redirect has a Location');
  const { services } = await this.rp();
  const response = await services.authorization.parseResponse(location, { state: this.state });
  await services.authorization.updateServiceContext(response, { state: this.state });
});

Then("the RP accepts the authorization response, which carries a code and the session's state", async function (this: HarnessWorld) {
  assert.ok(this.state);
  const { context } = await this.rp();
  const response = await context.stateDb.getItem('auth_response', this.state);
  assert.ok(response, 'the session holds the authorization response');
  assert.equal(typeof response['code'], 'string');
  assert.equal(response['state'], this.state);
});
