/**
 * Judging a test from the OP side, as the suite does: after an RP rejects something it must send
 * no later request that depends on it (no token or UserInfo request after a rejected ID token, no
 * request at all after a rejected discovery document). These functions find such requests in a
 * test's request log; an empty answer means the RP stopped.
 *
 * @module
 */
import type { EndpointName } from '../endpoint-paths.js';
import type { BackchannelLogoutDelivery } from '../logout.js';
import type { LoggedRequest, RequestLog } from '../request-log.js';
import type { ConformanceTest, ResponseType } from './conformance-test.js';

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

/** Whether a logged request is a token request with `grant_type=refresh_token`. */
export function isRefreshRequest(entry: LoggedRequest): boolean {
  return entry.endpoint === 'token' && new URLSearchParams(entry.body).get('grant_type') === 'refresh_token';
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
