/**
 * A certification scenario concluded at the end of its steps, for the report: the verdict as the
 * verdict formatter will report it (the judge's, or a failed step's), with the check and the
 * clause the RP refused at, and the failure of a scenario whose steps passed and whose verdict did
 * not (an assertion for a failed verdict, so that Allure shows it failed; an error for an
 * inconclusive one, broken). The judgement is made once.
 *
 * Run: node --import tsx --test test/report/scenario-verdict.test.ts
 */
import assert from 'node:assert/strict';
import { AssertionError } from 'node:assert';
import { describe, it } from 'node:test';
import { findConformanceTest, type Evidence, type LoggedRequest } from '../../mock-op/index.js';
import { concludeVerdict, failedForItsVerdict, scenarioJudgement, type Pickle } from '../../steps/support/scenario-verdict.js';
import type { HarnessWorld } from '../../steps/support/world.js';

const ISSUER = 'https://op.example/rp1/oidcc-client-test-invalid-sig-rs256';
const test = findConformanceTest('oidcc-client-test-invalid-sig-rs256')!;

/** A request the OP logged. */
function logged(endpoint: LoggedRequest['endpoint'], method: string, path: string, body = ''): LoggedRequest {
  return { method, url: `${ISSUER}${path}`, path, endpoint, headers: body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}, body, time: new Date(0), status: 200 };
}

/** The parts of a World that concluding a scenario reads: a code-flow run of the test in which the RP did `rp`. */
function world(rp: { refused?: { check: string; message: string; clause?: string }; requests: LoggedRequest[] }): HarnessWorld {
  const rejection = rp.refused ? { error: Object.assign(new Error(rp.refused.message), rp.refused), opRequests: 0, exchanges: 3 } : undefined;
  const evidence: Evidence = { responseType: 'code', outcome: rp.refused ? 'refused' : 'accepted', requests: rp.requests, ...(rp.refused ? { rpSays: rp.refused.message } : {}) };
  const cert = {
    target: { test },
    test,
    issuer: ISSUER,
    settings: { responseType: 'code' },
    rejection,
    evidence: () => evidence,
    outcome: () => (rp.refused ? { outcome: 'rejected', check: rp.refused.check } : { outcome: 'accepted' }),
  };
  // Only what concludeVerdict reads of a World and its certification scenario.
  return { cert, plan: undefined } as unknown as HarnessWorld;
}

const pickle = { tags: [{ name: '@profile:basic' }] } as unknown as Pickle;
const login = [logged('discovery', 'GET', '/.well-known/openid-configuration'), logged('authorization', 'GET', '/authorization'), logged('token', 'POST', '/token', 'grant_type=authorization_code&code=x')];

describe('concluding a certification scenario', () => {
  it('an RP that refused at the named check passes, with the check and its clause in the facts', () => {
    const refusing = world({ refused: { check: 'checkSignature', message: "the ID token's RS256 signature does not verify", clause: 'OIDC Core 3.1.3.7 step 6' }, requests: login });
    const concluded = concludeVerdict(refusing, pickle, { status: 'PASSED' });
    assert.equal(concluded?.failure, undefined);
    assert.equal(concluded?.facts.verdict, 'passed');
    assert.deepEqual([concluded?.facts.refusedAt, concluded?.facts.clause, concluded?.facts.testCheck, concluded?.facts.outcome, concluded?.facts.profile], ['checkSignature', 'OIDC Core 3.1.3.7 step 6', 'checkSignature', 'refused', 'basic']);
  });

  it('an RP that carried on after a bad ID token fails in its last step with an assertion, once', () => {
    const carryingOn = world({ requests: [...login, logged('userinfo', 'GET', '/userinfo')] });
    const concluded = concludeVerdict(carryingOn, pickle, { status: 'PASSED' });
    assert.ok(concluded?.failure instanceof AssertionError);
    assert.equal(concluded?.failure?.message, 'the verdict is failed: the RP carried on after the ID token: GET userinfo -> 200');
    assert.equal(concluded?.facts.verdict, 'failed');
    assert.equal(failedForItsVerdict(carryingOn), true);
    assert.equal(scenarioJudgement(carryingOn, pickle), scenarioJudgement(carryingOn, pickle), 'judged once');
  });

  it('a scenario of the project\'s own security profile is judged by its steps, and named by its scenario', () => {
    const security = { name: 'Login CSRF', tags: [{ name: '@profile:security' }] } as unknown as Pickle;
    const refusing = world({ refused: { check: 'checkBrowserBinding', message: 'this browser did not start the login', clause: 'RFC 9700, 4.7.1' }, requests: login.slice(0, 2) });
    const concluded = concludeVerdict(refusing, security, { status: 'PASSED' });
    assert.equal(concluded?.failure, undefined);
    assert.deepEqual([concluded?.facts.verdict, concluded?.facts.test, concluded?.facts.expected], ['passed', 'security: Login CSRF', 'reject']);
    assert.equal(concludeVerdict(world({ refused: { check: 'checkBrowserBinding', message: 'x', clause: 'y' }, requests: [] }), security, { status: 'FAILED', message: 'the OP saw a token request' })?.facts.verdict, 'failed');
  });

  it('an RP that never got the bad ID token is inconclusive, and the failure is no assertion (broken)', () => {
    const concluded = concludeVerdict(world({ requests: login.slice(0, 2) }), pickle, { status: 'PASSED' });
    assert.equal(concluded?.facts.verdict, 'inconclusive');
    assert.ok(concluded?.failure instanceof Error && !(concluded.failure instanceof AssertionError));
  });

  it('a failed step fails the scenario with its first line, as the verdict formatter says, and adds no failure of its own', () => {
    const refusing = world({ refused: { check: 'checkNonce', message: 'the nonce differs' }, requests: login });
    const concluded = concludeVerdict(refusing, pickle, { status: 'FAILED', message: '\nexpected checkSignature, got checkNonce\n    at step' });
    assert.equal(concluded?.failure, undefined);
    assert.deepEqual([concluded?.facts.verdict, concluded?.facts.reason], ['failed', 'a step failed: expected checkSignature, got checkNonce']);
    assert.equal(failedForItsVerdict(refusing), false);
  });

  it('a scenario that runs no certification test has no verdict', () => {
    assert.equal(concludeVerdict({ cert: undefined } as unknown as HarnessWorld, pickle, { status: 'PASSED' }), undefined);
  });
});
