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
  | 'unknown';

/**
 * Paths of the endpoints relative to the issuer (`<issuer><path>`). WebFinger is the exception:
 * it lives at the root of the issuer's host. `registration-read` is `registration/<client_id>`.
 */
export const ENDPOINT_PATHS = {
  discovery: '/.well-known/openid-configuration',
  jwks: '/jwks',
  registration: '/registration',
  authorization: '/authorization',
  token: '/token',
  userinfo: '/userinfo',
  'end-session': '/end_session',
} as const;

/** The host-root path of WebFinger (RFC 7033). */
export const WEBFINGER_PATH = '/.well-known/webfinger';

/** An endpoint that lives under the issuer. */
export type IssuerEndpointName = keyof typeof ENDPOINT_PATHS;
