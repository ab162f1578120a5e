/**
 * The one verdict (`judge`): the RP's outcome and what the OP saw, for every kind of test. The
 * evidence is written out request by request, as the OP logs it.
 *
 * Run: node --import tsx --test test/mock-op/verdict.test.ts
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findConformanceTest, judge, plans, type ConformanceTest, type Evidence, type LoggedRequest, type ResponseType } from '../../mock-op/index.js';

const ISSUER = 'http://127.0.0.1:8080/rp1/t';

/** A logged request: `POST token 200`, with a form body when given. */
function req(method: string, endpoint: LoggedRequest['endpoint'], status: number, extra: Partial<LoggedRequest> = {}): LoggedRequest {
  const body = extra.body ?? '';
  return {
    method,
    url: `${ISSUER}/${endpoint}${extra.url ?? ''}`,
    path: `/${endpoint}`,
    endpoint,
    headers: body ? { 'content-type': 'application/x-www-form-urlencoded', ...extra.headers } : { ...extra.headers },
    body,
    time: new Date(0),
    status,
    ...(extra.error === undefined ? {} : { error: extra.error }),
  };
}

const discovery = req('GET', 'discovery', 200);
const jwks = req('GET', 'jwks', 200);
const registration = req('POST', 'registration', 201, { body: '{}' });
const authorize = (nonce = true): LoggedRequest => ({ ...req('GET', 'authorization', 303), url: `${ISSUER}/authorization?response_type=code&scope=openid%20profile${nonce ? '&nonce=n' : ''}` });
const token = req('POST', 'token', 200, { body: 'grant_type=authorization_code&code=c', headers: { authorization: 'Basic eDp5' } });
const userinfo = req('GET', 'userinfo', 200, { headers: { authorization: 'Bearer at' } });

/** The test a test id selects (fails the test when the id is unknown). */
function test(id: string): ConformanceTest {
  const found = findConformanceTest(id);
  assert.ok(found, id);
  return found;
}

/** Evidence of a code-flow run. */
function evidence(outcome: 'accepted' | 'refused', requests: LoggedRequest[], more: Partial<Evidence> = {}, responseType: ResponseType = 'code'): Evidence {
  return { responseType, outcome, requests, ...more };
}

describe('judge: a test that expects a refusal', () => {
  const invalidIss = test('oidcc-client-test-invalid-iss');

  it('passes an RP that refused the ID token from the token endpoint and read no userinfo', () => {
    const j = judge(invalidIss, evidence('refused', [discovery, registration, authorize(), token, jwks], { rpSays: 'issuer mismatch' }));
    assert.equal(j.verdict, 'passed');
    assert.match(j.reason, /refused the ID token and sent nothing that depends on it \(the RP says: issuer mismatch\)/);
  });

  it('fails an RP that read the userinfo after the bad ID token, naming the request, whatever it says', () => {
    for (const outcome of ['accepted', 'refused'] as const) {
      const j = judge(invalidIss, evidence(outcome, [discovery, registration, authorize(), token, jwks, userinfo]));
      assert.equal(j.verdict, 'failed');
      assert.equal(j.reason, 'the RP carried on after the ID token: GET userinfo -> 200');
    }
  });

  it('fails an RP that accepted without carrying on: it must refuse', () => {
    const j = judge(invalidIss, evidence('accepted', [discovery, registration, authorize(), token, jwks]));
    assert.equal(j.verdict, 'failed');
    assert.match(j.reason, /^the RP accepted the ID token, which it must refuse \(ID token `iss` has `1` appended\)/);
  });

  it('fails a token request after a bad ID token from the authorization endpoint', () => {
    const authz = { ...authorize(), url: `${ISSUER}/authorization?response_type=code%20id_token&nonce=n` };
    const j = judge(invalidIss, evidence('refused', [discovery, registration, authz, jwks, token], {}, 'code id_token'));
    assert.equal(j.verdict, 'failed');
    assert.match(j.reason, /POST token \(authorization_code\) -> 200/);
  });

  it('is inconclusive when the RP stopped before the misbehaviour reached it', () => {
    const j = judge(invalidIss, evidence('refused', [discovery, { ...registration, status: 400, error: 'invalid_client_metadata' }]));
    assert.equal(j.verdict, 'inconclusive');
    assert.match(j.reason, /never redeemed its code.*the OP last saw POST registration -> 400/);
  });

  it('is inconclusive, never passed, when the OP saw nothing at all', () => {
    const j = judge(invalidIss, evidence('refused', [], { rpSays: 'self-signed certificate' }));
    assert.equal(j.verdict, 'inconclusive');
    assert.match(j.reason, /the OP saw no request from the RP.*self-signed certificate/);
  });

  it('is inconclusive with the cause when the harness could not drive the RP', () => {
    const j = judge(invalidIss, evidence('refused', [discovery], { driverProblem: 'the RP never became ready at http://127.0.0.1:3000/health' }));
    assert.deepEqual(j, { verdict: 'inconclusive', reason: 'the RP never became ready at http://127.0.0.1:3000/health' });
  });

  it('fails an RP that carried on past a bad discovery document, even if it refused later', () => {
    const j = judge(test('oidcc-client-test-discovery-issuer-mismatch'), evidence('refused', [discovery, registration, authorize(), token]));
    assert.equal(j.verdict, 'failed');
    assert.match(j.reason, /carried on after the discovery document: POST registration -> 201/);
  });
});

describe('judge: where only the RP can tell', () => {
  const invalidSub = test('oidcc-client-test-userinfo-invalid-sub');
  it('lets the outcome decide, and says so', () => {
    const requests = [discovery, registration, authorize(), token, jwks, userinfo];
    assert.deepEqual(judge(invalidSub, evidence('refused', requests)).verdict, 'passed');
    assert.match(judge(invalidSub, evidence('refused', requests)).reason, /^only the RP can tell, and it refused the userinfo response/);
    assert.equal(judge(invalidSub, evidence('accepted', requests)).verdict, 'failed');
    assert.match(judge(invalidSub, evidence('accepted', requests)).reason, /^only the RP can tell, and it accepted/);
  });
});

describe('judge: a positive test', () => {
  it('passes when the proof holds: the userinfo was read after the login', () => {
    const j = judge(test('oidcc-client-test'), evidence('accepted', [discovery, registration, authorize(), token, jwks, userinfo]));
    assert.deepEqual(j, { verdict: 'passed', reason: 'the RP completed the login; the RP read the userinfo' });
  });

  it('fails an RP that says it logged in but never read the userinfo the test is about', () => {
    const j = judge(test('oidcc-client-test-userinfo-bearer-header'), evidence('accepted', [discovery, registration, authorize(), token, jwks]));
    assert.equal(j.verdict, 'failed');
    assert.match(j.reason, /the RP sent no userinfo request/);
  });

  it('fails the client authentication test when the RP used another method', () => {
    const post = { ...token, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=authorization_code&code=c&client_secret=s' };
    const j = judge(test('oidcc-client-test-client-secret-basic'), evidence('accepted', [discovery, authorize(), post]));
    assert.equal(j.verdict, 'failed');
    assert.match(j.reason, /authenticated with client_secret_post, not client_secret_basic/);
  });

  it('fails an RP that refused a well-behaved OP', () => {
    const j = judge(test('oidcc-client-test'), evidence('refused', [discovery, registration, authorize(), token], { rpSays: 'boom' }));
    assert.equal(j.verdict, 'failed');
    assert.match(j.reason, /refused, although nothing in this test should be refused; the OP last saw POST token \(authorization_code\) -> 200 \(the RP says: boom\)/);
  });

  it('needs two logins in the key rotation test', () => {
    const rotation = test('oidcc-client-test-signing-key-rotation');
    assert.match(judge(rotation, evidence('accepted', [discovery, authorize(), token])).reason, /completed 1 login; the test needs 2/);
    assert.match(judge(rotation, evidence('accepted', [discovery, authorize(), token, jwks, authorize(), token])).reason, /never fetched the OP's keys after ID token 2/);
    assert.equal(judge(rotation, evidence('accepted', [discovery, authorize(), token, jwks, authorize(), token, jwks])).verdict, 'passed');
  });

  it('skips, never passes, a refusal the test allows (an unsigned ID token)', () => {
    const j = judge(test('oidcc-client-test-idtoken-sig-none'), evidence('refused', [discovery, registration, authorize(), token]));
    assert.equal(j.verdict, 'skipped');
    assert.match(j.reason, /which the test allows/);
  });

  it('passes either outcome of an "either" test, but not carrying on after a refusal', () => {
    const kid = test('oidcc-client-test-kid-absent-multiple-jwks');
    assert.equal(judge(kid, evidence('accepted', [discovery, authorize(), token])).verdict, 'passed');
    assert.equal(judge(kid, evidence('refused', [discovery, authorize(), token])).verdict, 'passed');
    assert.equal(judge(kid, evidence('refused', [discovery, authorize(), token, userinfo])).verdict, 'failed');
  });
});

describe('judge: applicability', () => {
  it('skips the nonce test when the RP sent no nonce, with that reason', () => {
    const j = judge(test('oidcc-client-test-nonce-invalid'), evidence('accepted', [discovery, authorize(false), token]));
    assert.equal(j.verdict, 'skipped');
    assert.match(j.reason, /sent no nonce.*the test does not apply/);
  });

  it('skips the dynamic registration test for an RP that did not register itself', () => {
    assert.equal(judge(test('oidcc-client-test-dynamic-registration'), evidence('accepted', [discovery, authorize(), token])).verdict, 'skipped');
  });

  it('judges a back-channel logout test by the RP\'s answer to the logout token', () => {
    const clients = [{ client_id: 'c', backchannel_logout_uri: 'http://127.0.0.1:1/bcl' }] as unknown as Evidence['clients'];
    const delivery = (status: number) => [{ clientId: 'c', uri: 'http://127.0.0.1:1/bcl', logoutToken: 'x', trigger: 'api' as const, time: new Date(0), status }];
    const bad = test('rp-backchannel-rpinitlogout-lt-wrong-iss');
    assert.equal(judge(bad, evidence('accepted', [discovery, authorize(), token], { clients, backchannel: delivery(400) })).verdict, 'passed');
    assert.match(judge(bad, evidence('accepted', [discovery, authorize(), token], { clients, backchannel: delivery(200) })).reason, /answered the back-channel logout with 200, not 400/);
    assert.equal(judge(bad, evidence('accepted', [discovery, authorize(), token], { clients: [] })).verdict, 'skipped');
  });
});

describe('plans', () => {
  it('runs Basic with code, Implicit with its two response types, and Form Post over all six with form_post', () => {
    const all = plans();
    assert.deepEqual(all.filter((p) => p.name === 'implicit').map((p) => p.responseType), ['id_token', 'id_token token']);
    const formPost = all.filter((p) => p.name === 'form-post');
    assert.equal(formPost.length, 6);
    assert.ok(formPost.every((p) => p.responseMode === 'form_post'));
    const basic = all.find((p) => p.name === 'basic');
    assert.ok(basic && formPost[0]!.tests.length > basic.tests.length, 'Form Post code reruns the Basic tests and adds its own');
  });

  it('filters by response type and refuses an unknown profile with a TypeError', () => {
    assert.deepEqual(plans({ profiles: ['hybrid'], responseTypes: ['code token'] }).map((p) => p.responseType), ['code token']);
    assert.throws(() => plans({ profiles: ['nope'] }), TypeError);
  });
});
