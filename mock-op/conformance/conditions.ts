/**
 * Small named conditions over a test's {@link Evidence}, as the OpenID Foundation's suite composes
 * its tests from conditions: what proves that an RP did what a test is about (it read the
 * userinfo, it authenticated with `client_secret_basic`, it used WebFinger), and what makes a test
 * apply to what the RP did (it sent a nonce). A test's definition lists them by reference; the one
 * verdict (`verdict.ts`) evaluates them.
 *
 * @module
 */
import type { LoggedRequest } from '../request-log.js';
import type { Evidence } from './evidence.js';
import { frontChannelIdToken, givesAccessToken, isCodeRequest, isRefreshRequest, parametersOf, successes, succeeded, usesTokenEndpoint } from './evidence.js';

/** A named condition: what it establishes, and whether it holds on the evidence. */
export interface Condition {
  /** A stable name (`readUserinfo`), shown in reports. */
  readonly name: string;
  /** What holds when it holds, in words that finish "...because" in a reason: "the RP read the userinfo". */
  readonly says: string;
  /** `true` when it holds, else why not ("the OP saw no userinfo request"). */
  test(evidence: Evidence): true | string;
}

/** Makes a condition. */
function condition(name: string, says: string, test: (evidence: Evidence) => true | string): Condition {
  return Object.freeze({ name, says, test });
}

/** Code requests the OP answered with tokens. */
function redeemedCodes(evidence: Evidence): LoggedRequest[] {
  return successes(evidence.requests, 'token', isCodeRequest);
}

/** The client authentication method a token request used, read off the request as the OP saw it. */
export function clientAuthenticationOf(request: LoggedRequest): string {
  const params = parametersOf(request);
  if ((request.headers['authorization'] ?? '').startsWith('Basic ')) return 'client_secret_basic';
  if (params.has('client_secret')) return 'client_secret_post';
  const assertion = params.get('client_assertion');
  if (assertion) {
    try {
      const header = JSON.parse(Buffer.from(assertion.split('.')[0] ?? '', 'base64url').toString()) as { alg?: unknown };
      return typeof header.alg === 'string' && header.alg.startsWith('HS') ? 'client_secret_jwt' : 'private_key_jwt';
    } catch {
      return 'an unreadable client assertion';
    }
  }
  return 'none';
}

/** The RP completed a login: the OP answered its authorization request and, in flows with a code, redeemed the code. */
export const completedLogin = condition('completedLogin', 'the RP completed the login', (e) => {
  if (successes(e.requests, 'authorization').length === 0) return 'the OP answered no authorization request of the RP with a code or tokens';
  if (usesTokenEndpoint(e.responseType) && redeemedCodes(e).length === 0) return 'the RP never redeemed its code at the token endpoint';
  return true;
});

/** The RP completed `times` logins in the test (key rotation tests need a second one). */
export function completedLogins(times: number): Condition {
  return condition(`completedLogins(${times})`, `the RP completed ${times} logins`, (e) => {
    const authorizations = successes(e.requests, 'authorization').length;
    const done = usesTokenEndpoint(e.responseType) ? Math.min(authorizations, redeemedCodes(e).length) : authorizations;
    return done >= times ? true : `the RP completed ${done} login${done === 1 ? '' : 's'}; the test needs ${times}`;
  });
}

/** The RP read the userinfo (when its response type gave it an access token). */
export const readUserinfo = condition('readUserinfo', 'the RP read the userinfo', (e) => {
  if (!givesAccessToken(e.responseType)) return true;
  return successes(e.requests, 'userinfo').length > 0 ? true : 'the OP answered no userinfo request of the RP';
});

/** The RP authenticated at the token endpoint with `method`. */
export function authenticatedWith(method: string): Condition {
  return condition(`authenticatedWith(${method})`, `the RP authenticated with ${method}`, (e) => {
    if (!usesTokenEndpoint(e.responseType)) return true;
    const token = e.requests.filter((r) => r.endpoint === 'token');
    if (token.length === 0) return 'the RP sent no token request';
    const used = token.map(clientAuthenticationOf).find((m) => m !== method);
    return used === undefined ? true : `the RP authenticated with ${used}, not ${method}`;
  });
}

/** The RP put the access token in the `header` (Authorization: Bearer) or the form `body` at the userinfo endpoint. */
export function sentAccessTokenIn(where: 'header' | 'body'): Condition {
  return condition(`sentAccessTokenIn(${where})`, `the RP sent the access token in the ${where === 'header' ? 'Authorization header' : 'form body'}`, (e) => {
    const userinfo = e.requests.filter((r) => r.endpoint === 'userinfo');
    if (userinfo.length === 0) return 'the RP sent no userinfo request';
    const inHeader = (r: LoggedRequest): boolean => /^Bearer /i.test(r.headers['authorization'] ?? '');
    const inBody = (r: LoggedRequest): boolean => r.method === 'POST' && parametersOf(r).has('access_token');
    const fits = userinfo.some((r) => (where === 'header' ? inHeader(r) : inBody(r) && !inHeader(r)));
    return fits ? true : `the RP did not send the access token in the ${where === 'header' ? 'Authorization header' : 'form body'}`;
  });
}

/** The RP found the OP with WebFinger from an `acct:` or a URL identifier. */
export function usedWebFinger(kind: 'acct' | 'url'): Condition {
  return condition(`usedWebFinger(${kind})`, `the RP used WebFinger with ${kind === 'acct' ? 'an acct:' : 'a URL'} identifier`, (e) => {
    const lookups = e.requests.filter((r) => r.endpoint === 'webfinger');
    if (lookups.length === 0) return 'the RP did not use WebFinger';
    const fits = lookups.some((r) => {
      const resource = new URL(r.url).searchParams.get('resource') ?? '';
      return kind === 'acct' ? /^acct:/i.test(resource) : /^https?:/i.test(resource);
    });
    return fits ? true : `the RP's WebFinger request did not name ${kind === 'acct' ? 'an acct:' : 'a URL'} resource`;
  });
}

/** The RP registered itself at the registration endpoint. */
export const registeredItself = condition('registeredItself', 'the RP registered itself', (e) =>
  successes(e.requests, 'registration', (r) => r.method === 'POST').length > 0 ? true : 'the RP sent no registration request the OP accepted',
);

/**
 * The RP registered `name` with `value`, when it registered itself (a client the harness
 * registered for it was registered with what the test needs).
 */
export function registeredMetadata(name: string, value: string): Condition {
  return condition(`registeredMetadata(${name})`, `the RP registered ${name} ${value}`, (e) => {
    const registrations = e.requests.filter((r) => r.endpoint === 'registration' && r.method === 'POST');
    if (registrations.length === 0) return true;
    const fits = registrations.some((r) => {
      try {
        return (JSON.parse(r.body) as Record<string, unknown>)[name] === value;
      } catch {
        return false;
      }
    });
    return fits ? true : `the RP's registration request did not ask for ${name} ${value}`;
  });
}

/** The RP read the discovery document. */
export const readDiscovery = condition('readDiscovery', 'the RP read the discovery document', (e) =>
  successes(e.requests, 'discovery').length > 0 ? true : 'the RP did not read the discovery document',
);

/** The RP fetched the OP's keys at the `jwks_uri` discovery gave (the default path answers 404 in that test). */
export const fetchedDiscoveredKeys = condition('fetchedDiscoveredKeys', "the RP fetched the OP's keys from the discovered jwks_uri", (e) =>
  successes(e.requests, 'jwks').length > 0 ? true : "the RP never fetched the OP's keys from the jwks_uri discovery gave",
);

/** The RP refreshed its tokens with the refresh grant. */
export const refreshedTokens = condition('refreshedTokens', 'the RP refreshed its tokens', (e) =>
  successes(e.requests, 'token', isRefreshRequest).length > 0 ? true : 'the RP sent no refresh request the OP answered',
);

/** Every token request of the RP went to the mutual-TLS alias of the token endpoint. */
export const usedMtlsAlias = condition('usedMtlsAlias', 'the RP used the mTLS alias of the token endpoint', (e) => {
  const token = e.requests.filter((r) => r.endpoint === 'token');
  if (token.length === 0) return 'the RP sent no token request';
  return token.every((r) => r.mtlsAlias === true) ? true : 'the RP sent a token request to the plain token endpoint, not its mTLS alias';
});

/** The RP asked for claims by scope: `profile`, `email`, `address` or `phone` besides `openid`. */
export const askedForScopeClaims = condition('askedForScopeClaims', 'the RP asked for claims by scope', (e) => {
  const scopes = e.requests.filter((r) => r.endpoint === 'authorization').flatMap((r) => (parametersOf(r).get('scope') ?? '').split(' '));
  return ['profile', 'email', 'address', 'phone'].some((s) => scopes.includes(s)) ? true : 'the RP asked for no claims by scope (profile, email, address or phone)';
});

/** The RP sent a nonce in its authorization request (what a nonce test tampers with). */
export const sentNonce = condition('sentNonce', 'the RP sent a nonce', (e) =>
  e.requests.some((r) => r.endpoint === 'authorization' && parametersOf(r).has('nonce')) ? true : 'the RP sent no nonce, so there is none in the ID token to tamper with',
);

/** The RP answered the OP's back-channel logout request with `status` (200 or 204 for "ok", 400). */
export function answeredBackchannel(expected: 'ok' | 400): Condition {
  const words = expected === 'ok' ? '200 (or 204)' : '400';
  return condition(`answeredBackchannel(${expected})`, `the RP answered the back-channel logout with ${words}`, (e) => {
    const delivery = e.backchannel?.at(-1);
    if (delivery === undefined) return 'the OP made no back-channel logout request';
    if (delivery.status === undefined) return `the RP's back-channel logout URI did not answer (${delivery.error ?? 'no answer'})`;
    const fits = expected === 'ok' ? delivery.status === 200 || delivery.status === 204 : delivery.status === 400;
    return fits ? true : `the RP answered the back-channel logout with ${delivery.status}, not ${words}`;
  });
}

/** The RP sent the user to the OP's end_session endpoint with an `id_token_hint`, and the OP ended the session. */
export const loggedOutAtOp = condition('loggedOutAtOp', 'the RP sent the user to log out at the OP', (e) => {
  const endSession = e.requests.filter((r) => r.endpoint === 'end-session');
  if (endSession.length === 0) return "the RP never sent the user to the OP's end_session endpoint";
  if (!endSession.some((r) => parametersOf(r).has('id_token_hint'))) return 'the RP sent no id_token_hint to the end_session endpoint';
  return endSession.some(succeeded) ? true : 'the OP refused the RP\'s logout request';
});

/** The RP loaded the OP's check_session iframe (Session Management 1.0). */
export const loadedCheckSession = condition('loadedCheckSession', "the RP loaded the OP's check_session iframe", (e) =>
  e.requests.some((r) => r.endpoint === 'check-session' && succeeded(r)) ? true : "the RP never loaded the OP's check_session iframe",
);

/** The browser loaded one of the RP's front-channel logout URIs and the RP answered it. */
export const answeredFrontchannel = condition('answeredFrontchannel', "the RP's front-channel logout URI was loaded and answered", (e) => {
  const uris = (e.clients ?? []).map((c) => c.frontchannel_logout_uri).filter((u): u is string => typeof u === 'string');
  if (uris.length === 0) return 'the RP registered no frontchannel_logout_uri';
  const loads = (e.browserRequests ?? []).filter((r) => uris.some((u) => r.url.split('?')[0] === u.split('?')[0]));
  if (loads.length === 0) return "the browser never loaded the RP's frontchannel_logout_uri";
  return loads.some((r) => r.status !== undefined && r.status >= 200 && r.status < 300) ? true : "the RP's frontchannel_logout_uri did not answer with 2xx";
});

/** The RP registered a back-channel logout URI (what a back-channel logout test calls). */
export const registeredBackchannelUri = condition('registeredBackchannelUri', 'the RP registered a backchannel_logout_uri', (e) =>
  (e.clients ?? []).some((c) => typeof c.backchannel_logout_uri === 'string') ? true : 'the RP registered no backchannel_logout_uri, so the OP has nowhere to send a logout token',
);

/** The RP registered a front-channel logout URI. */
export const registeredFrontchannelUri = condition('registeredFrontchannelUri', 'the RP registered a frontchannel_logout_uri', (e) =>
  (e.clients ?? []).some((c) => typeof c.frontchannel_logout_uri === 'string') ? true : 'the RP registered no frontchannel_logout_uri',
);

/** The RP registered an `initiate_login_uri` (where a third party starts its login). */
export const registeredInitiateLoginUri = condition('registeredInitiateLoginUri', 'the RP registered an initiate_login_uri', (e) =>
  (e.clients ?? []).some((c) => typeof c.initiate_login_uri === 'string') ? true : 'the RP registered no initiate_login_uri',
);

/** The RP took the front-channel ID token into account: it is there to be checked (hash rows need one). */
export const receivedFrontChannelIdToken = condition('receivedFrontChannelIdToken', 'the response type gives an ID token from the authorization endpoint', (e) =>
  frontChannelIdToken(e.responseType) ? true : `the response type ${e.responseType} gives no ID token from the authorization endpoint`,
);

/** The token endpoint authentication method the RP asked for: in its registration request, else in what the harness registered for it. */
function requestedAuthMethod(e: Evidence): unknown {
  for (const r of e.requests) {
    if (r.endpoint !== 'registration' || r.method !== 'POST') continue;
    try {
      return (JSON.parse(r.body) as Record<string, unknown>)['token_endpoint_auth_method'] ?? 'client_secret_basic';
    } catch {
      continue;
    }
  }
  return e.requestedMetadata?.['token_endpoint_auth_method'];
}

/** The RP is a confidential client (it asked for a client authentication method other than `none`). */
export const confidentialClient = condition('confidentialClient', 'the RP is a confidential client', (e) =>
  requestedAuthMethod(e) === 'none' ? 'the RP is a public client (token_endpoint_auth_method none), which cannot authenticate at the token endpoint' : true,
);

/**
 * The RP fetched the OP's keys after the `nth` ID token reached it (from the token endpoint in
 * flows with a code, else in the authorization response): how an RP that verifies signatures
 * learns a key the OP rotated in.
 */
export function fetchedKeysAfterIdToken(nth: number): Condition {
  return condition(`fetchedKeysAfterIdToken(${nth})`, `the RP fetched the OP's keys for ID token ${nth}`, (e) => {
    const delivers = usesTokenEndpoint(e.responseType)
      ? (r: LoggedRequest): boolean => r.endpoint === 'token' && isCodeRequest(r) && succeeded(r)
      : (r: LoggedRequest): boolean => r.endpoint === 'authorization' && succeeded(r);
    const positions = e.requests.flatMap((r, i) => (delivers(r) ? [i] : []));
    const position = positions[nth - 1];
    if (position === undefined) return `the RP never received ID token ${nth}`;
    const after = e.requests.slice(position + 1);
    return after.some((r) => r.endpoint === 'jwks' && succeeded(r))
      ? true
      : `the RP never fetched the OP's keys after ID token ${nth}, which is signed with a key it had not seen: it cannot have verified its signature`;
  });
}

/** The RP sent a `state` with its logout request (what a post-logout state test tampers with). */
export const sentLogoutState = condition('sentLogoutState', 'the RP sent a state with its logout request', (e) => {
  const logout = e.requests.filter((r) => r.endpoint === 'end-session');
  if (logout.length === 0) return true;
  return logout.some((r) => parametersOf(r).has('state')) ? true : 'the RP sent no state with its logout request, so there is none to return altered';
});
