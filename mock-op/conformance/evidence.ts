/**
 * What a test's verdict is made of, from both sides: what the RP said (it logged the user in, or
 * it refused) and what the OP saw (every request of the test, the RP's answers to the OP's own
 * back-channel calls, the clients registered). The same evidence judges the built-in service
 * layer (`certify`) and an RP nobody here wrote (`certify-rp`).
 *
 * @module
 */
import type { Client } from '../client-metadata.js';
import type { BackchannelLogoutDelivery } from '../logout.js';
import type { LoggedRequest } from '../request-log.js';
import type { ResponseType } from './conformance-test.js';

/** What the RP said it did: logged the user in (and did what the test asked of it), or refused. */
export type RpOutcome = 'accepted' | 'refused';

/** The evidence of one run of one test. */
export interface Evidence {
  /** The response type the test ran with. */
  readonly responseType: ResponseType;
  /** The response mode of the plan (`form_post` in the Form Post plan). */
  readonly responseMode?: string | undefined;
  /** The RP's outcome. */
  readonly outcome: RpOutcome;
  /** Every request the OP received from the RP in this test, oldest first (the harness's own excluded). */
  readonly requests: readonly LoggedRequest[];
  /** The back-channel logout requests the OP made to the RP, with the RP's answers. */
  readonly backchannel?: readonly BackchannelLogoutDelivery[];
  /** The clients the test's OP holds (registered by the RP or, before the RP ran, by the harness). */
  readonly clients?: readonly Client[];
  /** Whether the RP registered itself (dynamic registration) rather than being handed a client. */
  readonly registeredItself?: boolean;
  /**
   * The client metadata asked for, before the OP forced what a test needs: what the harness
   * registered for the RP (the RP's own registration request is in `requests`).
   */
  readonly requestedMetadata?: Readonly<Record<string, unknown>>;
  /** Requests the browser made to the RP's own URLs (browser-driven RPs), for what only the browser sees. */
  readonly browserRequests?: readonly { readonly url: string; readonly status?: number | undefined }[];
  /** Why the harness could not drive the RP through the test (it never became ready, the browser failed...). */
  readonly driverProblem?: string | undefined;
  /** What the RP itself said about its refusal (a named check, the last line of its output), for reasons. */
  readonly rpSays?: string | undefined;
}

/** The parameters of a logged request: its query, or its form body. */
export function parametersOf(request: LoggedRequest): URLSearchParams {
  const contentType = request.headers['content-type'] ?? '';
  if (request.method === 'POST' && contentType.startsWith('application/x-www-form-urlencoded')) return new URLSearchParams(request.body);
  return new URL(request.url).searchParams;
}

/** `GET /token -> 200`: a request in the words of a verdict's reason. */
export function describeRequest(request: LoggedRequest): string {
  const grant = request.endpoint === 'token' ? parametersOf(request).get('grant_type') : null;
  const what = grant ? ` (${grant})` : '';
  return `${request.method} ${request.endpoint}${what}${request.status === undefined ? '' : ` -> ${request.status}`}`;
}

/** Whether a logged response status is a success (2xx) or, at the authorization and end-session endpoints, a redirect or a form post page. */
export function answered(request: LoggedRequest): boolean {
  const status = request.status ?? 0;
  return status >= 200 && status < 400;
}

/** Whether the response type returns an ID token from the authorization endpoint. */
export function frontChannelIdToken(responseType: ResponseType): boolean {
  return responseType.split(' ').includes('id_token');
}

/** Whether the response type involves the token endpoint (a code). */
export function usesTokenEndpoint(responseType: ResponseType): boolean {
  return responseType.split(' ').includes('code');
}

/** Whether the response type gives the RP an access token (so it can read userinfo). */
export function givesAccessToken(responseType: ResponseType): boolean {
  return responseType !== 'id_token';
}

/** Whether a logged token request is a refresh (`grant_type=refresh_token`). */
export function isRefreshRequest(entry: LoggedRequest): boolean {
  return entry.endpoint === 'token' && parametersOf(entry).get('grant_type') === 'refresh_token';
}

/** Whether a logged token request redeems a code (`grant_type=authorization_code`). */
export function isCodeRequest(entry: LoggedRequest): boolean {
  return entry.endpoint === 'token' && parametersOf(entry).get('grant_type') === 'authorization_code';
}

/** Whether the OP answered a logged request successfully: a 2xx or 3xx status and no OAuth error. */
export function succeeded(request: LoggedRequest): boolean {
  return answered(request) && request.error === undefined;
}

/** The requests to an endpoint that the OP answered successfully, oldest first. */
export function successes(requests: readonly LoggedRequest[], endpoint: LoggedRequest['endpoint'], filter: (r: LoggedRequest) => boolean = () => true): LoggedRequest[] {
  return requests.filter((r) => r.endpoint === endpoint && succeeded(r) && filter(r));
}
