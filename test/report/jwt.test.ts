/**
 * The JWTs of a recorded exchange, decoded for the report: found wherever the redaction module
 * left them (a JSON member, a query, a form, an HTML input), named by what carried them, header
 * and claims read, times as dates; a JWE only by its header; never a signature, never a secret.
 *
 * Run: node --import tsx --test test/report/jwt.test.ts
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeJwts } from '../../report/jwt.js';
import { redactBody, redactUrl } from '../../src/transport/redact.js';

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const HEADER = { alg: 'RS256', kid: 'k1' };
const CLAIMS = { iss: 'https://op.example', sub: 'alice', aud: 'rp', iat: 1_700_000_000, exp: 1_700_003_600, nonce: 'n-0S6_WzA2Mj' };
const SIGNATURE = 'c2lnbmF0dXJlLW9mLXRoZS10b2tlbi10aGF0LW11c3Qtbm90LWJlLXNob3du';
const TOKEN = `${b64(HEADER)}.${b64(CLAIMS)}.${SIGNATURE}`;

describe('decodeJwts', () => {
  it('decodes the ID token of a redacted token response, named by its member, with its times as dates', () => {
    const body = redactBody(JSON.stringify({ access_token: 'secret-access-token', id_token: TOKEN }), 'application/json');
    const [jwt, ...others] = decodeJwts(body, 'response body');
    assert.deepEqual(others, []);
    assert.deepEqual(jwt, {
      at: 'response body: id_token',
      kind: 'JWS',
      header: HEADER,
      claims: CLAIMS,
      times: { iat: '2023-11-14T22:13:20.000Z', exp: '2023-11-14T23:13:20.000Z' },
    });
  });

  it('finds tokens in a redacted URL, a form body and an HTML form, named by their parameter', () => {
    const url = redactUrl(`https://rp.example/cb#state=s1&id_token=${TOKEN}`);
    assert.deepEqual(decodeJwts(url, 'request URL').map((j) => [j.at, j.claims?.['sub']]), [['request URL: id_token', 'alice']]);
    const form = redactBody(new URLSearchParams({ client_assertion: TOKEN, grant_type: 'authorization_code' }).toString(), 'application/x-www-form-urlencoded');
    assert.deepEqual(decodeJwts(form, 'request body').map((j) => j.at), ['request body: client_assertion']);
    const page = redactBody(`<form method="post"><input type="hidden" name="id_token" value="${TOKEN}"/></form>`, 'text/html');
    assert.deepEqual(decodeJwts(page, 'response body').map((j) => j.at), ['response body: id_token']);
  });

  it('never shows a signature, even of a text that was not redacted', () => {
    const decoded = decodeJwts(`{"id_token":"${TOKEN}"}`, 'response body');
    assert.equal(decoded.length, 1);
    assert.ok(!JSON.stringify(decoded).includes(SIGNATURE));
  });

  it('reads only the header of a JWE, and tells an unsigned JWT', () => {
    const jwe = redactBody(`{"id_token":"${b64({ alg: 'RSA-OAEP', enc: 'A128GCM' })}.a2V5.aXY.Y2lwaGVydGV4dA.dGFn"}`, 'application/json');
    assert.deepEqual(decodeJwts(jwe, 'response body'), [{ at: 'response body: id_token', kind: 'JWE', header: { alg: 'RSA-OAEP', enc: 'A128GCM' } }]);
    const unsigned = `${b64({ alg: 'none' })}.${b64({ sub: 'alice' })}.`;
    assert.deepEqual(decodeJwts(`{"id_token":"${unsigned}"}`, 'response body').map((j) => [j.kind, j.claims]), [['unsigned JWT', { sub: 'alice' }]]);
  });

  it('takes secret members and known secret values out of what it decodes', () => {
    const response = `${b64({ alg: 'RS256' })}.${b64({ code: 'the-authorization-code', state: 'st', sid: 'known-session-secret' })}.`;
    const [jwt] = decodeJwts(`response=${response}`, 'request URL', ['known-session-secret']);
    assert.deepEqual(jwt?.claims, { code: '[REDACTED]', state: 'st', sid: '[REDACTED]' });
  });

  it('leaves what only looks like a token alone', () => {
    assert.deepEqual(decodeJwts('eyJub3Qgd2l0aCBhIGRvdA and eyJhbGciOi.x.y', 'body'), []);
  });
});
