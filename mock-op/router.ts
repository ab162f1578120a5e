/**
 * Routing a request to the OP's endpoint, logging it, and applying the `intercept` and `response`
 * behaviour hooks around the endpoint. Plain Fetch API in and out, so MSW and a real HTTP server can
 * both serve it.
 *
 * @module
 */
import { hookContext } from './endpoint.js';
import type { Endpoint } from './endpoint.js';
import type { EndpointName } from './endpoint-paths.js';
import { MTLS_ALIAS_PREFIX, MTLS_ALIASED_ENDPOINTS, WEBFINGER_PATH } from './endpoint-paths.js';
import type { IssuerEndpointName } from './endpoint-paths.js';
import { authorizationEndpoint } from './endpoints/authorization.js';
import { browserStateEndpoint, checkSessionEndpoint } from './endpoints/check-session.js';
import { claimsSourceEndpoint } from './endpoints/claims-source.js';
import { discoveryEndpoint } from './endpoints/discovery.js';
import { endSessionEndpoint } from './endpoints/end-session.js';
import { initiateLoginEndpoint } from './endpoints/initiate-login.js';
import { jwksEndpoint } from './endpoints/jwks.js';
import { registrationEndpoint, registrationReadEndpoint } from './endpoints/registration.js';
import { tokenEndpoint } from './endpoints/token.js';
import { userinfoEndpoint } from './endpoints/userinfo.js';
import { webfingerEndpoint } from './endpoints/webfinger.js';
import type { Provider } from './provider.js';
import type { LoggedRequest } from './request-log.js';
import { errorOf, jsonResponse } from './responses.js';

/** Routing options. */
export interface RouteOptions {
  /** Whether this OP answers WebFinger at the root of its host (default true). */
  readonly webfinger?: boolean;
  /** Called with the request's log entry once the OP has answered it (status and error set). */
  readonly onLogged?: ((entry: LoggedRequest) => void) | undefined;
}

/** Where a URL goes. */
export interface Route {
  /** The endpoint (`unknown` for a path under the issuer that is no endpoint). */
  readonly endpoint: EndpointName;
  /** Path and query relative to the issuer (from the host root for WebFinger). */
  readonly path: string;
  /** True when the path is a mutual-TLS alias of the endpoint (`/mtls/token`...). */
  readonly mtlsAlias?: boolean;
}

const ENDPOINTS: Record<EndpointName, Endpoint | undefined> = {
  webfinger: webfingerEndpoint,
  discovery: discoveryEndpoint,
  jwks: jwksEndpoint,
  registration: registrationEndpoint,
  'registration-read': registrationReadEndpoint,
  authorization: authorizationEndpoint,
  token: tokenEndpoint,
  userinfo: userinfoEndpoint,
  'end-session': endSessionEndpoint,
  'check-session': checkSessionEndpoint,
  'browser-state': browserStateEndpoint,
  'claims-source': claimsSourceEndpoint,
  'initiate-login': initiateLoginEndpoint,
  unknown: undefined,
};

/**
 * The route of a URL at `op`, or `undefined` when the URL is not the OP's: another origin, or a
 * path outside the issuer's (other than WebFinger at the host root).
 */
export function route(op: Provider, url: URL, options: RouteOptions = {}): Route | undefined {
  if (url.origin !== op.issuerUrl.origin) return undefined;
  if ((options.webfinger ?? true) && url.pathname === WEBFINGER_PATH) {
    return { endpoint: 'webfinger', path: url.pathname + url.search };
  }
  const issuerPath = op.issuerUrl.pathname.replace(/\/+$/, '');
  if (url.pathname !== issuerPath && !url.pathname.startsWith(issuerPath + '/')) return undefined;
  const relative = url.pathname.slice(issuerPath.length) || '/';
  const path = relative + url.search;
  const paths = op.endpointPaths;
  const name = (Object.keys(paths) as IssuerEndpointName[]).find((n) => paths[n] === relative);
  if (name !== undefined) return { endpoint: name, path };
  if (relative.startsWith(paths.registration + '/') && relative.length > paths.registration.length + 1) {
    return { endpoint: 'registration-read', path };
  }
  if (relative.startsWith(MTLS_ALIAS_PREFIX + '/')) {
    const aliased = relative.slice(MTLS_ALIAS_PREFIX.length);
    const alias = (Object.keys(MTLS_ALIASED_ENDPOINTS) as Array<keyof typeof MTLS_ALIASED_ENDPOINTS>).find((n) => paths[n] === aliased);
    if (alias !== undefined) return { endpoint: alias, path, mtlsAlias: true };
  }
  return { endpoint: 'unknown', path };
}

/**
 * The endpoints a browser script calls with `fetch` (a single-page RP): they answer cross-origin
 * requests as real providers do. The authorization and end-session endpoints are navigated to, not
 * fetched, and the check-session iframe is framed.
 */
const CORS_ENDPOINTS: ReadonlySet<EndpointName> = new Set(['webfinger', 'discovery', 'jwks', 'registration', 'registration-read', 'token', 'userinfo', 'claims-source']);

/** The CORS headers of an answer to a browser script: any origin, no cookies (these endpoints use none). */
const CORS_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'WWW-Authenticate, Cache-Control, Retry-After',
} as const;

/** Whether a request is a CORS preflight (an `OPTIONS` with `Origin` and `Access-Control-Request-Method`). */
function isPreflight(request: Request): boolean {
  return request.method === 'OPTIONS' && request.headers.has('origin') && request.headers.has('access-control-request-method');
}

/** The answer to a preflight of a CORS endpoint: the methods and the headers asked for, cached for 10 minutes. */
function preflightAnswer(request: Request): Response {
  return new Response(null, {
    status: 204,
    headers: {
      ...CORS_HEADERS,
      'Access-Control-Allow-Methods': 'GET, POST',
      'Access-Control-Allow-Headers': request.headers.get('access-control-request-headers') ?? 'Authorization, Content-Type',
      'Access-Control-Max-Age': '600',
    },
  });
}

/**
 * `response` with the CORS headers added: in place (so a streamed response stays one), or on a
 * copy when its headers are immutable (a `Response.redirect`).
 */
function withCors(response: Response): Response {
  if (response.type === 'error' || response.headers.has('access-control-allow-origin')) return response;
  try {
    for (const [name, value] of Object.entries(CORS_HEADERS)) response.headers.set(name, value);
    return response;
  } catch {
    const headers = new Headers(response.headers);
    for (const [name, value] of Object.entries(CORS_HEADERS)) headers.set(name, value);
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  }
}

/**
 * Answers a request addressed to `op`, or returns `undefined` when it is not the OP's. Every
 * request the OP answers is logged in `op.requests` (with the response status once known), but
 * CORS preflights, which the browser sends on its own and which are answered here without
 * reaching an endpoint. An endpoint that throws gives a 500 `server_error`.
 */
export async function handleRequest(op: Provider, request: Request, options: RouteOptions = {}): Promise<Response | undefined> {
  const match = route(op, new URL(request.url), options);
  if (match === undefined) return undefined;
  const cors = CORS_ENDPOINTS.has(match.endpoint);
  if (cors && isPreflight(request)) return preflightAnswer(request);
  const entry: LoggedRequest = {
    method: request.method,
    url: request.url,
    path: match.path,
    endpoint: match.endpoint,
    ...(match.mtlsAlias === true ? { mtlsAlias: true } : {}),
    headers: Object.fromEntries(request.headers),
    body: request.body === null ? '' : await request.clone().text(),
    time: op.currentDate(),
  };
  op.requests.add(entry);
  const ctx = hookContext(op, request, match.endpoint);
  let response: Response;
  try {
    const intercepted = await op.behaviour.intercept(ctx);
    const endpoint = ENDPOINTS[match.endpoint];
    response =
      intercepted ??
      (endpoint === undefined
        ? jsonResponse({ error: 'not_found', error_description: `no endpoint at ${match.path}` }, 404)
        : await endpoint(request, op));
    response = await op.behaviour.response(response, ctx);
  } catch (error) {
    response = jsonResponse({ error: 'server_error', error_description: String(error) }, 500);
  }
  entry.status = response.status;
  const error = errorOf(response);
  if (error !== undefined) entry.error = error;
  options.onLogged?.(entry);
  return cors ? withCors(response) : response;
}
