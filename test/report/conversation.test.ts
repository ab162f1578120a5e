/**
 * A scenario's conversation as the report draws and names it: who sent each exchange to whom, a
 * request the browser sent to the RP kept once though both recorded it, a request to the RP that
 * the browser did not send coming from the OP, paths relative to the issuer and the RP's base,
 * the exchanges the RP made while answering the browser nested in that answer, and the OP's log
 * of certify-rp read as requests from the browser (front channel) and the RP.
 *
 * Run: node --import tsx --test test/report/conversation.test.ts
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exchangeTitle, fromOpLog, fromRecorded, inStartOrder, nest, type RecordedExchange } from '../../report/conversation.js';
import type { RedactedRequest } from '../../mock-op/redacted-log.js';
import type { Exchange } from '../../src/index.js';

const ISSUER = 'https://op.example/rp1/oidcc-client-test';
const RP = 'https://rp.example/rp1';

/** A recorded exchange that started at `at` (ms after a fixed instant). */
function exchange(method: Exchange['request']['method'], url: string, status: number, at: number): Exchange {
  return { request: { method, url, headers: {} }, response: { status, headers: {}, body: '' }, startedAt: new Date(1_800_000_000_000 + at).toISOString(), ms: 1 };
}

/** A code-flow login as a certification scenario records it, in the order the records complete. */
const LOGIN: RecordedExchange[] = [
  { who: 'RP to OP', exchange: exchange('GET', `${ISSUER}/.well-known/openid-configuration`, 200, 0) },
  { who: 'browser', exchange: exchange('GET', `${ISSUER}/authorization?state=s`, 303, 5) },
  // The browser's callback: the RP redeems the code and reads the userinfo before it answers.
  { who: 'RP to OP', exchange: exchange('POST', `${ISSUER}/token`, 200, 11) },
  { who: 'RP to OP', exchange: exchange('GET', `${ISSUER}/userinfo`, 200, 12) },
  { who: 'to the RP', exchange: exchange('GET', `${RP}/callback?code=[REDACTED]&state=s`, 302, 10) },
  { who: 'browser', exchange: exchange('GET', `${RP}/callback?code=[REDACTED]&state=s`, 302, 10) },
  // The OP's back-channel logout: only the RP's endpoint recorded it.
  { who: 'to the RP', exchange: exchange('POST', `${RP}/backchannel_logout`, 200, 20) },
];

describe('the conversation of a scenario', () => {
  it('names who sent each exchange to whom, keeps the browser-to-RP request once, and tells the OP from the browser', () => {
    const titles = fromRecorded(LOGIN, { issuer: ISSUER, rpBase: RP }).map(exchangeTitle);
    assert.deepEqual(titles, [
      'RP to OP: GET /.well-known/openid-configuration -> 200',
      'browser to OP: GET /authorization -> 303',
      'RP to OP: POST /token -> 200',
      'RP to OP: GET /userinfo -> 200',
      'browser to RP: GET /callback -> 302',
      'OP to RP: POST /backchannel_logout -> 200',
    ]);
  });

  it('nests what the RP sent while it answered the browser in that answer, in the order things started', () => {
    const nodes = nest(fromRecorded(LOGIN, { issuer: ISSUER, rpBase: RP }));
    assert.deepEqual(nodes.map((n) => [n.exchange.path, n.children.map((c) => c.exchange.path)]), [
      ['/.well-known/openid-configuration', []],
      ['/authorization', []],
      ['/callback', ['/token', '/userinfo']],
      ['/backchannel_logout', []],
    ]);
    assert.deepEqual(inStartOrder(nodes).map((e) => e.path), ['/.well-known/openid-configuration', '/authorization', '/callback', '/token', '/userinfo', '/backchannel_logout']);
  });

  it('a request to the RP that no browser recorded (Chromium) is the browser\'s, unless it is to a back-channel endpoint', () => {
    const records: RecordedExchange[] = [
      { who: 'to the RP', exchange: exchange('GET', `${RP}/callback?code=[REDACTED]`, 200, 0) },
      { who: 'to the RP', exchange: exchange('GET', `${RP}/jwks.json`, 200, 1) },
      { who: 'to the RP', exchange: exchange('POST', `${RP}/logout_hook`, 200, 2) },
    ];
    assert.deepEqual(fromRecorded(records, { rpBase: RP }).map(exchangeTitle), ['browser to RP: GET /callback -> 200', 'OP to RP: GET /jwks.json -> 200', 'browser to RP: POST /logout_hook -> 200']);
    // The RP's endpoints know better than the path: here the last one is the back-channel logout URI.
    const rpSender = (url: string) => (url.endsWith('/logout_hook') || url.endsWith('/jwks.json') ? 'OP' as const : 'browser' as const);
    assert.deepEqual(fromRecorded(records, { rpBase: RP, rpSender }).map((e) => e.from), ['browser', 'OP', 'OP']);
  });

  it('keeps the position of each exchange among the records, for placing a refusal', () => {
    assert.deepEqual(fromRecorded(LOGIN, { issuer: ISSUER, rpBase: RP }).map((e) => e.position), [0, 1, 2, 3, 4, 6]);
  });

  it('an error instead of an answer names the transport check', () => {
    const failed: Exchange = { request: { method: 'GET', url: `${ISSUER}/jwks`, headers: {} }, error: { check: 'transport.timeout', message: 'no answer within 10 s' }, startedAt: new Date(0).toISOString(), ms: 10_000 };
    assert.deepEqual(fromRecorded([{ who: 'RP', exchange: failed }], { issuer: ISSUER }).map(exchangeTitle), ['RP to OP: GET /jwks -> transport.timeout']);
  });

  it("reads the OP's log of certify-rp: the front channel from the browser, the rest from the RP, with the OAuth error", () => {
    const logged = (endpoint: RedactedRequest['endpoint'], method: string, path: string, status: number, error?: string): RedactedRequest => ({ method, url: `${ISSUER}${path}`, endpoint, status, error, headers: {}, body: '', time: new Date(0).toISOString() });
    const exchanges = fromOpLog([logged('discovery', 'GET', '/.well-known/openid-configuration', 200), logged('authorization', 'GET', '/authorization?x=1', 303), logged('token', 'POST', '/token', 400, 'invalid_grant')], ISSUER);
    assert.deepEqual(exchanges.map(exchangeTitle), ['RP to OP: GET /.well-known/openid-configuration -> 200', 'browser to OP: GET /authorization -> 303', 'RP to OP: POST /token -> 400 invalid_grant']);
    assert.deepEqual(nest(exchanges).map((n) => n.children.length), [0, 0, 0]);
  });
});
