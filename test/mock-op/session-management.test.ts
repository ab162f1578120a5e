/**
 * Session Management 1.0: `session_state` in authorization responses, the TypeScript check, and the
 * OP iframe's own script run in a sandbox (window, postMessage, fetch routed to the OP).
 *
 * Run: node --import tsx --test test/mock-op/session-management.test.ts
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { runInNewContext } from 'node:vm';
import { checkSession, createMockOp, generateOpKeys } from '../../mock-op/index.js';
import type { MockOp } from '../../mock-op/index.js';
import { RP, RpDriver } from './rp-driver.js';

const ISSUER = 'https://op.example/oicrp/rp-init-logout-session';
let mock: MockOp;

before(async () => {
  mock = await createMockOp({ issuer: ISSUER, keys: await generateOpKeys({ spares: 0 }) });
});

/** Loads the OP iframe's script in a sandbox and returns a function that posts a message to it. */
async function loadOpIframe(driver: RpDriver): Promise<(data: string, origin: string) => Promise<string>> {
  const response = await driver.fetch(`${ISSUER}/check_session`);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
  const script = /<script>([\s\S]*)<\/script>/.exec(await response.text())?.[1];
  assert.ok(script !== undefined, 'the iframe has a script');
  let listener: ((event: unknown) => void) | undefined;
  const window = {
    addEventListener: (type: string, handler: (event: unknown) => void) => {
      if (type === 'message') listener = handler;
    },
    crypto: globalThis.crypto,
  };
  const fetchFromIframe = async (url: string, init?: RequestInit): Promise<Response> => driver.fetch(url, init);
  runInNewContext(script, { window, fetch: fetchFromIframe, TextEncoder, Uint8Array, Array, Error, encodeURIComponent });
  assert.ok(listener !== undefined, 'the script listens for messages');
  return (data, origin) =>
    new Promise((resolve) => {
      listener!({ data, origin, source: { postMessage: (answer: string, target: string) => { assert.equal(target, origin); resolve(answer); } } });
    });
}

describe('session management', () => {
  it('puts session_state in authorization responses, computed as the spec says', async () => {
    const driver = new RpDriver(mock.handle, ISSUER);
    const client = await driver.register();
    const response = await driver.authorize(client);
    const state = response.get('session_state');
    assert.ok(state !== null);
    const [hash, salt] = state.split('.');
    assert.match(hash!, /^[0-9a-f]{64}$/);
    const expected = createHash('sha256').update(`${client.client_id} ${RP} ${mock.provider.browserState} ${salt}`).digest('hex');
    assert.equal(hash, expected);
  });

  it('answers unchanged before logout and changed after, in TypeScript and in the iframe script', async () => {
    const driver = new RpDriver(mock.handle, ISSUER);
    const client = await driver.register({ post_logout_redirect_uris: [`${RP}/out`] });
    const tokens = await driver.codeFlow(client);
    const state = (await driver.authorize(client)).get('session_state')!;
    const ask = await loadOpIframe(driver);

    assert.equal(checkSession(mock.provider, client.client_id, RP, state), 'unchanged');
    assert.equal(await ask(`${client.client_id} ${state}`, RP), 'unchanged');
    assert.equal(checkSession(mock.provider, client.client_id, 'https://other.example', state), 'changed');
    assert.equal(await ask(`${client.client_id} ${state}`, 'https://other.example'), 'changed');
    assert.equal(checkSession(mock.provider, 'unknown', RP, state), 'error');
    assert.equal(await ask(`unknown ${state}`, RP), 'error');
    assert.equal(checkSession(mock.provider, client.client_id, RP, 'no-salt'), 'error');
    assert.equal(await ask('garbage', RP), 'error');

    const logout = await driver.fetch(`${ISSUER}/end_session?${new URLSearchParams({ id_token_hint: String(tokens.id_token), post_logout_redirect_uri: `${RP}/out` })}`, { redirect: 'manual' });
    assert.equal(logout.status, 303);
    assert.equal(checkSession(mock.provider, client.client_id, RP, state), 'changed');
    assert.equal(await ask(`${client.client_id} ${state}`, RP), 'changed');

    const fresh = (await driver.authorize(client)).get('session_state')!;
    assert.equal(checkSession(mock.provider, client.client_id, RP, fresh), 'unchanged', 'a new login gives a new state');
    assert.equal(checkSession(mock.provider, client.client_id, RP, state), 'changed');
  });

  it('serves the browser state only for registered clients', async () => {
    const driver = new RpDriver(mock.handle, ISSUER);
    const client = await driver.register();
    const ok = await driver.fetch(`${ISSUER}/check_session/browser_state?client_id=${client.client_id}`);
    assert.equal(await ok.text(), mock.provider.browserState);
    assert.equal((await driver.fetch(`${ISSUER}/check_session/browser_state?client_id=nobody`)).status, 404);
  });
});
