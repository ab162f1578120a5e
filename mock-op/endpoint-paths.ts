/**
 * The OP's endpoints: their names and their paths relative to the issuer.
 *
 * @module
 */

/** The name of an endpoint, as recorded in the request log and passed to behaviour hooks. */
export type EndpointName =
  | 'webfinger'
  | 'discovery'
  | 'jwks'
  | 'registration'
  | 'registration-read'
  | 'authorization'
  | 'token'
  | 'userinfo'
  | 'end-session'
  | 'check-session'
  | 'browser-state'
  | 'claims-source'
  | 'initiate-login'
  | 'unknown';

/**
 * Default paths of the endpoints relative to the issuer (`<issuer><path>`). WebFinger is the
 * exception: it lives at the root of the issuer's host. `registration-read` is
 * `registration/<client_id>`. A provider may move an endpoint (see `Provider.endpointPaths`).
 */
export const ENDPOINT_PATHS = {
  discovery: '/.well-known/openid-configuration',
  jwks: '/jwks',
  registration: '/registration',
  authorization: '/authorization',
  token: '/token',
  userinfo: '/userinfo',
  'end-session': '/end_session',
  /** Session Management 1.0: the OP iframe (`check_session_iframe`). */
  'check-session': '/check_session',
  /** The OP browser state the check-session iframe reads (this mock's stand-in for a cookie). */
  'browser-state': '/check_session/browser_state',
  /** The claims provider of distributed claims (OIDC Core 5.6.2). */
  'claims-source': '/claims_source',
  /** Third-party initiated login: redirects the browser to a client's `initiate_login_uri`. */
  'initiate-login': '/initiate_login',
} as const;

/** The host-root path of WebFinger (RFC 7033). */
export const WEBFINGER_PATH = '/.well-known/webfinger';

/** An endpoint that lives under the issuer. */
export type IssuerEndpointName = keyof typeof ENDPOINT_PATHS;

/**
 * The prefix (under the issuer) of the mutual-TLS endpoint aliases (RFC 8705 5): `<issuer>/mtls/token`
 * is the same token endpoint, logged with `mtlsAlias: true`.
 */
export const MTLS_ALIAS_PREFIX = '/mtls';

/** The endpoints that have a mutual-TLS alias, with the discovery member naming each. */
export const MTLS_ALIASED_ENDPOINTS = {
  token: 'token_endpoint',
  userinfo: 'userinfo_endpoint',
  registration: 'registration_endpoint',
} as const satisfies Partial<Record<IssuerEndpointName, string>>;
