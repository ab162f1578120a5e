/**
 * Logout: Back-Channel Logout 1.0 (logout tokens POSTed to the RP, served here by MSW), Front-Channel
 * Logout 1.0 (iframe URIs) and RP-Initiated Logout, on the well-behaved OP and on the conformance
 * OP's bad-logout-token rows.
 *
 * Run: node --import tsx --test test/mock-op/logout.test.ts
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import type { JSONWebKeySet } from 'jose';
import { http } from 'msw';
import { setupServer } from 'msw/node';
import {
  BACKCHANNEL_LOGOUT_EVENT,
  backchannelAnsweredAsExpected,
  createConformanceOp,
  createMockOp,
  expectedBackchannelStatus,
  findConformanceTest,
  generateOpKeys,
} from '../../mock-op/index.js';
import type { ConformanceOp, MockOp, OpKeys } from '../../mock-op/index.js';
import { RP, RpDriver } from './rp-driver.js';

const ISSUER = 'https://op.example/oicrp/rp-logout';
let keys: OpKeys;
let mock: MockOp;
let conformance: ConformanceOp;
let server: ReturnType<typeof setupServer>;
/** Logout tokens the RP's back-channel endpoint received, and the status it answers with. */
const received: Array<{ contentType: string | null; body: string }> = [];
let rpStatus = 200;

before(async () => {
  keys = await generateOpKeys();
  mock = await createMockOp({ issuer: ISSUER, keys });
  conformance = await createConformanceOp({ base: 'https://localhost:8080', keys });
  server = setupServer(
    http.post(`${RP}/bcl`, async ({ request }) => {
      received.push({ contentType: request.headers.get('content-type'), body: await request.text() });
      return new Response(null, { status: rpStatus });
    }),
  );
  server.listen({ onUnhandledRequest: 'error' });
});

after(() => server.close());

beforeEach(() => {
  received.length = 0;
  rpStatus = 200;
});

function logoutToken(index = 0): string {
  const body = received[index]?.body;
  assert.ok(body !== undefined, 'the RP received a logout POST');
  const token = new URLSearchParams(body).get('logout_token');
  assert.ok(token !== null);
  return token;
}

async function jwks(driver: RpDriver): Promise<JSONWebKeySet> {
  return (await (await driver.fetch(String((await driver.discovery()).jwks_uri))).json()) as JSONWebKeySet;
}

describe('discovery and registration of logout features', () => {
  it('advertises the logout and session features', async () => {
    const doc = await new RpDriver(mock.handle, ISSUER).discovery();
    for (const member of ['frontchannel_logout_supported', 'frontchannel_logout_session_supported', 'backchannel_logout_supported', 'backchannel_logout_session_supported']) {
      assert.equal(doc[member], true, member);
    }
    assert.equal(doc.check_session_iframe, `${ISSUER}/check_session`);
    assert.equal(doc.end_session_endpoint, `${ISSUER}/end_session`);
  });

  it('registers logout URIs and session flags, and refuses bad ones', async () => {
    const driver = new RpDriver(mock.handle, ISSUER);
    const client = await driver.register({ backchannel_logout_uri: `${RP}/bcl`, backchannel_logout_session_required: true, frontchannel_logout_uri: `${RP}/fcl` });
    assert.equal(client.backchannel_logout_session_required, true);
    assert.equal(client.frontchannel_logout_session_required, false);
    const bad = await driver.fetch(`${ISSUER}/registration`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ redirect_uris: [`${RP}/cb`], backchannel_logout_uri: 'not a url' }),
    });
    assert.equal(bad.status, 400);
    const badFlag = await driver.fetch(`${ISSUER}/registration`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ redirect_uris: [`${RP}/cb`], frontchannel_logout_session_required: 'yes' }),
    });
    assert.equal(badFlag.status, 400);
  });
});

describe('back-channel logout', () => {
  it('end_session POSTs a valid logout token to the RP and records its answer', async () => {
    const driver = new RpDriver(mock.handle, ISSUER);
    const client = await driver.register({ backchannel_logout_uri: `${RP}/bcl`, backchannel_logout_session_required: true, post_logout_redirect_uris: [`${RP}/out`] });
    const idToken = String((await driver.codeFlow(client)).id_token);
    const sid = decodeJwt(idToken).sid;
    assert.ok(typeof sid === 'string' && sid.length > 0, 'sid in the ID token');
    const response = await driver.fetch(`${ISSUER}/end_session?${new URLSearchParams({ id_token_hint: idToken, post_logout_redirect_uri: `${RP}/out`, state: 's' })}`, { redirect: 'manual' });
    assert.equal(response.status, 303);
    assert.equal(received.length, 1);
    assert.equal(received[0]?.contentType, 'application/x-www-form-urlencoded');
    const token = logoutToken();
    const header = decodeProtectedHeader(token);
    assert.equal(header.typ, 'logout+jwt');
    assert.equal(header.alg, 'RS256');
    assert.equal(header.kid, mock.keys.rs256.kid);
    const { payload } = await jwtVerify(token, createLocalJWKSet(await jwks(driver)), { issuer: ISSUER, audience: client.client_id, typ: 'logout+jwt' });
    assert.deepEqual(payload.events, { [BACKCHANNEL_LOGOUT_EVENT]: {} });
    assert.equal(payload.sid, sid);
    assert.equal(payload.sub, decodeJwt(idToken).sub);
    assert.equal(payload.nonce, undefined);
    assert.ok(typeof payload.jti === 'string' && typeof payload.iat === 'number' && typeof payload.exp === 'number');
    const delivery = mock.provider.backchannelDeliveries.at(-1);
    assert.equal(delivery?.status, 200);
    assert.equal(delivery?.clientId, client.client_id);
    assert.equal(delivery?.trigger, 'end-session');
    assert.equal(mock.provider.logouts.at(-1)?.sid, sid);
    assert.equal(mock.provider.session, undefined);
  });

  it('Provider.backchannelLogout sends one on demand and records the RP status', async () => {
    const driver = new RpDriver(mock.handle, ISSUER);
    const client = await driver.register({ backchannel_logout_uri: `${RP}/bcl` });
    await driver.codeFlow(client);
    rpStatus = 400;
    const delivery = await mock.provider.backchannelLogout(client.client_id);
    assert.equal(delivery.status, 400);
    assert.equal(delivery.trigger, 'api');
    assert.equal(decodeJwt(logoutToken()).sid, mock.provider.session?.sid);
    await assert.rejects(mock.provider.backchannelLogout('nobody'), /unknown client/);
  });

  it('the bad-logout-token rows send the logout token they describe', async () => {
    const cases: Array<[string, (token: string, clientId: string, issuer: string, secret: string) => Promise<void> | void]> = [
      ['rp-backchannel-rpinitlogout-lt-alg-none', (t) => {
        assert.equal(decodeProtectedHeader(t).alg, 'none');
        assert.ok(t.endsWith('.'));
      }],
      ['rp-backchannel-rpinitlogout-lt-no-event', (t) => assert.equal(decodeJwt(t).events, undefined)],
      ['rp-backchannel-rpinitlogout-lt-with-nonce', (t) => assert.equal(typeof decodeJwt(t).nonce, 'string')],
      ['rp-backchannel-rpinitlogout-lt-wrong-alg', async (t, _c, issuer, secret) => {
        assert.equal(decodeProtectedHeader(t).alg, 'HS256');
        await jwtVerify(t, new TextEncoder().encode(secret), { issuer });
      }],
      ['rp-backchannel-rpinitlogout-lt-wrong-aud', (t, clientId) => assert.equal(decodeJwt(t).aud, `${clientId}1`)],
      ['rp-backchannel-rpinitlogout-lt-wrong-event', (t) => assert.deepEqual(decodeJwt(t).events, { [`${BACKCHANNEL_LOGOUT_EVENT}1`]: {} })],
      ['rp-backchannel-rpinitlogout-lt-wrong-iss', (t, _c, issuer) => assert.equal(decodeJwt(t).iss, `${issuer}1`)],
      ['oidcc-client-test-rp-backchannel-rpinitlogout', async (t, clientId, issuer) => {
        const driver = new RpDriver(conformance.handle, issuer);
        await jwtVerify(t, createLocalJWKSet(await jwks(driver)), { issuer, audience: clientId, typ: 'logout+jwt' });
      }],
    ];
    for (const [id, check] of cases) {
      received.length = 0;
      const test = findConformanceTest(id)!;
      rpStatus = expectedBackchannelStatus(test)!;
      const driver = new RpDriver(conformance.handle, conformance.issuerFor('oicrp', id));
      const client = await driver.register({ backchannel_logout_uri: `${RP}/bcl` });
      await driver.codeFlow(client);
      const response = await driver.fetch(`${driver.issuer}/end_session?client_id=${client.client_id}`);
      assert.equal(response.status, 200);
      await check(logoutToken(), client.client_id, driver.issuer, client.client_secret);
      const delivery = conformance.opFor('oicrp', id).backchannelDeliveries.at(-1)!;
      assert.equal(delivery.status, rpStatus);
      assert.ok(backchannelAnsweredAsExpected(test, delivery), id);
    }
  });
});

describe('front-channel logout', () => {
  it('end_session renders an iframe per front-channel URI (iss and sid when asked) and exposes them', async () => {
    const driver = new RpDriver(mock.handle, ISSUER);
    const withSession = await driver.register({ frontchannel_logout_uri: `${RP}/fcl?a=1`, frontchannel_logout_session_required: true, post_logout_redirect_uris: [`${RP}/out`] });
    const plain = await driver.register({ frontchannel_logout_uri: `${RP}/fcl-plain` });
    const idToken = String((await driver.codeFlow(withSession)).id_token);
    await driver.codeFlow(plain);
    const sid = String(decodeJwt(idToken).sid);
    const expected = [`${RP}/fcl?a=1&iss=${encodeURIComponent(ISSUER)}&sid=${sid}`, `${RP}/fcl-plain`];
    assert.deepEqual(mock.provider.frontchannelLogoutUris(), expected);
    const page = await driver.fetch(`${ISSUER}/end_session?${new URLSearchParams({ id_token_hint: idToken, post_logout_redirect_uri: `${RP}/out`, state: 'z' })}`, { redirect: 'manual' });
    assert.equal(page.status, 200);
    const html = await page.text();
    const srcs = [...html.matchAll(/<iframe[^>]* src="([^"]*)"/g)].map((m) => m[1]!.replaceAll('&amp;', '&'));
    assert.deepEqual(srcs, expected);
    assert.match(html, /window\.location\.href = target/);
    assert.ok(html.includes(`${RP}/out?state=z`));
    assert.deepEqual(mock.provider.logouts.at(-1)?.frontchannelUris, expected);
    assert.deepEqual(mock.provider.frontchannelLogoutUris(), expected, 'still known after logout (last ended session)');
  });
});
