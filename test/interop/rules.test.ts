/** The rules answers are checked against, each naming its clause. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bearerChallenge, clientAuthenticationRefusal, isRegisteredResponseType, registrationAnswer, tokenErrorStatus, unexpectedError } from '../../src/interop/rules.js';

const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => ({ status, headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
const URL_ = 'https://op.example/token';

describe('interop rules', () => {
  it('a failed client authentication is invalid_client, with 401 and WWW-Authenticate: Basic after HTTP Basic (RFC 6749, 5.2)', () => {
    assert.deepEqual(clientAuthenticationRefusal(answer(401, { error: 'invalid_client' }, { 'www-authenticate': 'Basic realm="op"' }), true, URL_), []);
    assert.deepEqual(clientAuthenticationRefusal(answer(400, { error: 'invalid_client' }), false, URL_), [], 'without HTTP Basic, 400 is fine');
    const found = clientAuthenticationRefusal(answer(403, { error: 'unauthorized_client' }), true, URL_);
    assert.deepEqual(found.map((f) => f.id), ['token.invalid-client', 'token.invalid-client-challenge']);
    assert.equal(found[0]?.title, 'the refusal\'s error is "unauthorized_client", where invalid_client belongs');
    assert.equal(found[1]?.title, 'a client that failed HTTP Basic authentication got HTTP 403 without a WWW-Authenticate header, not 401 with WWW-Authenticate: Basic');
    for (const f of found) assert.match(f.clause, /^RFC 6749, 5\.2/);
  });

  it('an error response is 400, or 401 for invalid_client; a refusal without an error code is named', () => {
    assert.deepEqual(tokenErrorStatus(answer(400, { error: 'invalid_grant' }), URL_), []);
    assert.deepEqual(tokenErrorStatus(answer(403, { error: 'invalid_code' }), URL_).map((f) => f.id), ['token.error-status']);
    assert.equal(unexpectedError(answer(400, ''), ['invalid_grant'], 'RFC 6749, 5.2', URL_, 'x')[0]?.title, 'the refusal carried no error code (HTTP 400), where invalid_grant belongs');
  });

  it('a protected resource refuses a token with 401 and WWW-Authenticate: Bearer (RFC 6750, 3)', () => {
    assert.deepEqual(bearerChallenge(answer(401, '', { 'www-authenticate': 'Bearer error="invalid_token"' }), URL_), []);
    assert.deepEqual(bearerChallenge(answer(401, ''), URL_).map((f) => [f.id, f.requirement]), [['userinfo.missing-www-authenticate', 'MUST']]);
    assert.deepEqual(bearerChallenge(answer(403, ''), URL_).map((f) => [f.id, f.requirement]), [['userinfo.invalid-token-status', 'SHOULD'], ['userinfo.missing-www-authenticate', 'MUST']]);
  });

  it('a registration answers 201 with members of their types (RFC 7591, 3.2.1)', () => {
    assert.deepEqual(registrationAnswer(answer(201, { client_id: 'c', client_secret: 's', client_secret_expires_at: 0, client_id_issued_at: 1 }), URL_), []);
    assert.deepEqual(registrationAnswer(answer(201, { client_id: 'c' }), URL_), [], 'no secret, no expiry needed');
    assert.deepEqual(registrationAnswer(answer(200, { client_id: 5, client_secret: 's', client_secret_expires_at: '0' }), URL_).map((f) => f.id), ['registration.status', 'registration.member-type']);
    assert.deepEqual(registrationAnswer(answer(400, { error: 'invalid_client_metadata' }), URL_), [], 'a refused registration is not judged here');
  });

  it('knows the registered response types, in any order', () => {
    assert.ok(isRegisteredResponseType('id_token code'));
    assert.ok(isRegisteredResponseType('none'));
    assert.ok(!isRegisteredResponseType('refresh_token'));
    assert.ok(!isRegisteredResponseType('code password'));
  });
});
