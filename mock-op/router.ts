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
import { jsonResponse } from './responses.js';

/** Routing options. */
export interface RouteOptions {
  /** Whether this OP answers WebFinger at the root of its host (default true). */
  readonly webfinger?: boolean;
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
 * Answers a request addressed to `op`, or returns `undefined` when it is not the OP's. Every
 * request the OP answers is logged in `op.requests` (with the response status once known).
 * An endpoint that throws gives a 500 `server_error`.
 */
export async function handleRequest(op: Provider, request: Request, options: RouteOptions = {}): Promise<Response | undefined> {
  const match = route(op, new URL(request.url), options);
  if (match === undefined) return undefined;
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
  return response;
}
