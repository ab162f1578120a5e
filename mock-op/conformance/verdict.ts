/**
 * The one verdict of a test, from both sides: the RP's outcome and what the OP saw. It judges the
 * built-in service layer (`certify`, which adds its own sharper assertion, the named check) and
 * an RP nobody here wrote (`certify-rp`) alike.
 *
 * - After a response the RP must refuse, it must send no request that depends on it (no token or
 *   userinfo request after a rejected ID token, no request at all after a rejected discovery
 *   document); {@link stopPoint} says where that is, {@link carriedOn} finds such requests.
 * - A positive test passes when the RP accepts and the requests that prove it did what the test is
 *   about are in the log (the test's `proof` conditions).
 * - Where only the RP can tell (a userinfo `sub` mismatch), its outcome decides, and the reason says so.
 * - A test that does not apply to what the RP did (its `applies` conditions) is skipped, never passed.
 * - A run in which the RP never received the test's misbehaviour is inconclusive, never passed.
 *
 * @module
 */
import type { EndpointName } from '../endpoint-paths.js';
import type { BackchannelLogoutDelivery } from '../logout.js';
import type { LoggedRequest, RequestLog } from '../request-log.js';
import { answeredBackchannel } from './conditions.js';
import type { ConformanceTest, RejectionPoint, ResponseType } from './conformance-test.js';
import type { Evidence } from './evidence.js';
import { describeRequest, frontChannelIdToken, isCodeRequest, isRefreshRequest, successes } from './evidence.js';

export { isRefreshRequest } from './evidence.js';

/** A point in the log: the first request of an endpoint, or the first request a predicate accepts. */
export type LogPoint = EndpointName | ((entry: LoggedRequest) => boolean);

/** Options of {@link requestsAfter}. */
export interface RequestsAfterOptions {
  /** Only requests to these endpoints (default: any endpoint). */
  readonly endpoints?: readonly EndpointName[];
  /** Measure from the `first` (default) or the `last` request matching the point. */
  readonly from?: 'first' | 'last';
}

/**
 * The requests logged after the point (exclusive) to the given endpoints, oldest first; empty when
 * the point never happened. E.g. `requestsAfter(log, 'token', { endpoints: ['userinfo'] })`.
 */
export function requestsAfter(log: RequestLog | readonly LoggedRequest[], after: LogPoint, options: RequestsAfterOptions = {}): LoggedRequest[] {
  const entries = Array.isArray(log) ? [...(log as readonly LoggedRequest[])] : (log as RequestLog).all();
  const matches = typeof after === 'function' ? after : (entry: LoggedRequest) => entry.endpoint === after;
  const index = options.from === 'last' ? entries.findLastIndex(matches) : entries.findIndex(matches);
  if (index < 0) return [];
  const later = entries.slice(index + 1);
  return options.endpoints === undefined ? later : later.filter((entry) => options.endpoints!.includes(entry.endpoint));
}

/** The OP endpoints an RP talks to once it has an issuer. */
const AFTER_DISCOVERY: readonly EndpointName[] = [
  'jwks',
  'registration',
  'registration-read',
  'authorization',
  'token',
  'userinfo',
  'end-session',
  'check-session',
  'claims-source',
];

/**
 * Where, for a test that expects (or allows) a rejection, the RP must stop and what it must not
 * request afterwards; `undefined` when the OP cannot see it (a rejected UserInfo response, logout
 * token or post-logout redirect: judge those from the RP's answers).
 */
export function stopPoint(test: ConformanceTest, responseType: ResponseType = 'code'): { after: LogPoint; endpoints: readonly EndpointName[] } | undefined {
  switch (test.rejectedAt) {
    case 'id-token':
      return responseType.split(' ').includes('id_token')
        ? { after: 'authorization', endpoints: ['token', 'userinfo'] }
        : { after: 'token', endpoints: ['userinfo'] };
    case 'authorization-error':
      return { after: 'authorization', endpoints: ['token', 'userinfo'] };
    case 'refreshed-id-token':
      return { after: isRefreshRequest, endpoints: ['userinfo'] };
    case 'discovery':
      return { after: 'discovery', endpoints: AFTER_DISCOVERY };
    case 'webfinger':
      return { after: 'webfinger', endpoints: ['discovery', ...AFTER_DISCOVERY] };
    default:
      return undefined;
  }
}

/**
 * The requests by which an RP carried on after the point where `test` expects it to reject
 * (see {@link stopPoint}); empty when it stopped, or when the OP cannot tell.
 */
export function carriedOn(test: ConformanceTest, log: RequestLog | readonly LoggedRequest[], responseType: ResponseType = 'code'): LoggedRequest[] {
  const point = stopPoint(test, responseType);
  return point === undefined ? [] : requestsAfter(log, point.after, { endpoints: point.endpoints });
}

/**
 * The HTTP status a conforming RP answers a back-channel logout of `test` with: 200 for a valid
 * logout token, 400 for a bad one; `undefined` for tests without back-channel logout.
 */
export function expectedBackchannelStatus(test: ConformanceTest): 200 | 400 | undefined {
  if (!test.profiles.includes('BCL')) return undefined;
  return test.expected === 'reject' ? 400 : 200;
}

/** Whether the RP answered a back-channel delivery as `test` expects (see {@link expectedBackchannelStatus}). */
export function backchannelAnsweredAsExpected(test: ConformanceTest, delivery: BackchannelLogoutDelivery): boolean {
  const expected = expectedBackchannelStatus(test);
  if (expected === undefined || delivery.status === undefined) return false;
  return expected === 200 ? delivery.status === 200 || delivery.status === 204 : delivery.status === 400;
}

/** A test's verdict: passed, failed, skipped (the test does not apply), inconclusive (the RP never met the test). */
export type VerdictName = 'passed' | 'failed' | 'skipped' | 'inconclusive';

/** A verdict and its reason, in words a reader of the report understands. */
export interface Judgement {
  readonly verdict: VerdictName;
  readonly reason: string;
}

/** What the RP is to refuse at each rejection point, for reasons. */
const BAD_THING: Record<RejectionPoint, string> = {
  'id-token': 'the ID token',
  userinfo: 'the userinfo response',
  discovery: 'the discovery document',
  webfinger: 'the WebFinger answer',
  'refreshed-id-token': 'the refreshed ID token',
  'logout-token': 'the logout token',
  'post-logout-redirect': 'the post-logout redirect',
  'authorization-error': "the OP's error response",
};

/** What the RP is to refuse (or may refuse) in `test`, in words (`the ID token`). */
export function badThing(test: ConformanceTest): string {
  return test.rejectedAt === undefined ? 'nothing' : BAD_THING[test.rejectedAt];
}

/** The last request of the log, for a reason ("the OP last saw POST registration -> 201"). */
function lastSeen(evidence: Evidence): string {
  const last = evidence.requests.at(-1);
  return last === undefined ? 'the OP saw no request' : `the OP last saw ${describeRequest(last)}`;
}

/**
 * Whether the RP received what `test` makes the OP do wrong: `true`, or why not. An RP that
 * stopped before it (a failed registration, a browser that could not reach the token endpoint)
 * has not been tested.
 */
export function delivered(test: ConformanceTest, evidence: Evidence): true | string {
  const { requests, responseType } = evidence;
  switch (test.rejectedAt) {
    case undefined:
      return true;
    case 'id-token':
      if (frontChannelIdToken(responseType)) {
        return successes(requests, 'authorization').length > 0 ? true : 'the OP never sent its authorization response with the bad ID token';
      }
      return successes(requests, 'token', isCodeRequest).length > 0 ? true : 'the RP never redeemed its code, so it never received the bad ID token from the token endpoint';
    case 'userinfo':
      return successes(requests, 'userinfo').length > 0 ? true : 'the RP never read the userinfo, so it never received the bad userinfo response';
    case 'discovery':
      return successes(requests, 'discovery').length > 0 ? true : 'the RP never read the discovery document';
    case 'webfinger':
      return successes(requests, 'webfinger').length > 0 ? true : 'the RP never asked WebFinger';
    case 'refreshed-id-token':
      return successes(requests, 'token', isRefreshRequest).length > 0 ? true : 'the RP never refreshed its tokens, so it never received the bad refreshed ID token';
    case 'logout-token':
      return (evidence.backchannel?.length ?? 0) > 0 ? true : 'the OP sent no logout token: the RP did not log in, or registered no backchannel_logout_uri';
    case 'post-logout-redirect':
      return requests.some((r) => r.endpoint === 'end-session' && (r.status ?? 0) >= 300 && (r.status ?? 0) < 400)
        ? true
        : "the RP never logged out at the OP, so it never received the OP's post-logout redirect";
    case 'authorization-error':
      return requests.some((r) => r.endpoint === 'authorization' && r.error !== undefined) ? true : "the OP never answered with its error response";
  }
}

/** The proof conditions of a positive outcome that do not hold, as reasons. */
function missingProof(test: ConformanceTest, evidence: Evidence): string[] {
  return test.proof.map((c) => c.test(evidence)).filter((r): r is string => r !== true);
}

/** The words for a positive verdict: what the proof conditions established. */
function proven(test: ConformanceTest): string {
  return test.proof.map((c) => c.says).join('; ');
}

/** `rpSays` in parentheses, when the RP said something about its refusal. */
function saying(evidence: Evidence): string {
  return evidence.rpSays ? ` (the RP says: ${evidence.rpSays})` : '';
}

/**
 * The verdict of one run of `test`, from the RP's outcome and what the OP saw (see the module's
 * documentation for the rules).
 */
export function judge(test: ConformanceTest, evidence: Evidence): Judgement {
  if (evidence.driverProblem !== undefined) return { verdict: 'inconclusive', reason: evidence.driverProblem };
  for (const condition of test.applies) {
    const holds = condition.test(evidence);
    if (holds !== true) return { verdict: 'skipped', reason: `${holds}: the test does not apply` };
  }
  if (evidence.requests.length === 0) {
    return {
      verdict: 'inconclusive',
      reason: `the OP saw no request from the RP: it never reached the OP (did it start, can it reach the OP, does it trust the OP's certificate, did CORS stop it?)${saying(evidence)}`,
    };
  }
  const refused = evidence.outcome === 'refused';
  if (test.expected === 'reject' || (test.expected === 'either' && refused) || (test.skipAllowed && refused)) {
    const got = delivered(test, evidence);
    if (got !== true) return { verdict: 'inconclusive', reason: `${got}; ${lastSeen(evidence)}${saying(evidence)}` };
    const later = carriedOn(test, evidence.requests, evidence.responseType);
    if (later.length > 0) {
      return { verdict: 'failed', reason: `the RP carried on after ${badThing(test)}: ${later.map(describeRequest).join(', ')}` };
    }
    if (test.rejectedAt === 'logout-token') {
      const answer = answeredBackchannel(400).test(evidence);
      return answer === true
        ? { verdict: 'passed', reason: 'the RP answered the logout token with 400' }
        : { verdict: 'failed', reason: answer };
    }
    if (test.skipAllowed && test.expected === 'accept') {
      return { verdict: 'skipped', reason: `the RP refused ${badThing(test)} (${test.description}), which the test allows${saying(evidence)}` };
    }
    const onlyRp = stopPoint(test, evidence.responseType) === undefined;
    if (!refused) {
      const accepted = `accepted ${badThing(test)}, which it must refuse (${test.description})`;
      return { verdict: 'failed', reason: onlyRp ? `only the RP can tell, and it ${accepted}` : `the RP ${accepted}` };
    }
    return onlyRp
      ? { verdict: 'passed', reason: `only the RP can tell, and it refused ${badThing(test)}${saying(evidence)}` }
      : { verdict: 'passed', reason: `the RP refused ${badThing(test)} and sent nothing that depends on it${saying(evidence)}` };
  }
  if (refused) return { verdict: 'failed', reason: `the RP refused, although nothing in this test should be refused; ${lastSeen(evidence)}${saying(evidence)}` };
  const missing = missingProof(test, evidence);
  if (missing.length > 0) return { verdict: 'failed', reason: `the RP says it logged in, but ${missing.join('; ')}` };
  return { verdict: 'passed', reason: proven(test) };
}
