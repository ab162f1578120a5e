/**
 * What the mock OP supports: the fixed vocabularies it advertises in its discovery document and
 * checks requests and client registrations against. One place, so that discovery, registration
 * and the endpoints can never disagree.
 *
 * @module
 */
import { SCOPE_CLAIMS } from './scope-claims.js';

/** Scope values the OP understands. */
export const SCOPES_SUPPORTED = ['openid', 'profile', 'email', 'address', 'phone', 'offline_access'] as const;

/**
 * Response types the OP supports, in the spelling it advertises. Requests and registrations
 * may list the words in any order: compare with {@link normalizeResponseType}.
 */
export const RESPONSE_TYPES_SUPPORTED = [
  'code',
  'id_token',
  'id_token token',
  'code id_token',
  'code token',
  'code id_token token',
] as const;

/** Response modes the OP supports. */
export const RESPONSE_MODES_SUPPORTED = ['query', 'fragment', 'form_post'] as const;

/** A response mode the OP supports. */
export type ResponseMode = (typeof RESPONSE_MODES_SUPPORTED)[number];

/** Grant types the OP supports. */
export const GRANT_TYPES_SUPPORTED = ['authorization_code', 'implicit', 'refresh_token'] as const;

/** Client authentication methods the token endpoint supports. */
export const TOKEN_ENDPOINT_AUTH_METHODS_SUPPORTED = [
  'client_secret_basic',
  'client_secret_post',
  'client_secret_jwt',
  'private_key_jwt',
  'none',
] as const;

/** A client authentication method at the token endpoint. */
export type TokenEndpointAuthMethod = (typeof TOKEN_ENDPOINT_AUTH_METHODS_SUPPORTED)[number];

/**
 * JWS algorithms the OP can sign ID tokens and UserInfo responses with: RS256, PS256, ES256 and
 * EdDSA (Ed25519) with its own keys, HS256/HS384/HS512 with the client secret, and `none` (unsigned).
 */
export const SIGNING_ALGS_SUPPORTED = ['RS256', 'PS256', 'ES256', 'EdDSA', 'HS256', 'HS384', 'HS512', 'none'] as const;

/** A JWS algorithm the OP can produce, including `none`. */
export type SigningAlg = (typeof SIGNING_ALGS_SUPPORTED)[number];

/**
 * JWS algorithms the OP verifies on request objects and client assertions. Asymmetric algorithms
 * are verified with the client's `jwks` / `jwks_uri`, HS* with the client secret.
 */
export const VERIFICATION_ALGS_SUPPORTED = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'HS256',
  'HS384',
  'HS512',
] as const;

/** JWE key management algorithms the OP accepts for request objects encrypted to its own key. */
export const REQUEST_OBJECT_ENCRYPTION_ALGS_SUPPORTED = ['RSA-OAEP'] as const;

/** JWE content encryption algorithms the OP accepts for encrypted request objects. */
export const REQUEST_OBJECT_ENCRYPTION_ENCS_SUPPORTED = ['A128CBC-HS256', 'A256CBC-HS512', 'A128GCM', 'A256GCM'] as const;

/**
 * JWE key management algorithms the OP can encrypt ID tokens and UserInfo responses with
 * (`id_token_encrypted_response_alg`, `userinfo_encrypted_response_alg`). RSA-OAEP* and ECDH-ES*
 * encrypt to a key of the client's `jwks` / `jwks_uri`; A*KW, A*GCMKW and `dir` use a key derived
 * from the client secret (OIDC Core 10.2).
 */
export const RESPONSE_ENCRYPTION_ALGS_SUPPORTED = [
  'RSA-OAEP',
  'RSA-OAEP-256',
  'ECDH-ES',
  'ECDH-ES+A128KW',
  'ECDH-ES+A192KW',
  'ECDH-ES+A256KW',
  'A128KW',
  'A192KW',
  'A256KW',
  'A128GCMKW',
  'A192GCMKW',
  'A256GCMKW',
  'dir',
] as const;

/** A JWE key management algorithm for ID tokens and UserInfo. */
export type ResponseEncryptionAlg = (typeof RESPONSE_ENCRYPTION_ALGS_SUPPORTED)[number];

/** JWE content encryption algorithms for ID tokens and UserInfo; the default is the first. */
export const RESPONSE_ENCRYPTION_ENCS_SUPPORTED = [
  'A128CBC-HS256',
  'A192CBC-HS384',
  'A256CBC-HS512',
  'A128GCM',
  'A192GCM',
  'A256GCM',
] as const;

/** A JWE content encryption algorithm for ID tokens and UserInfo. */
export type ResponseEncryptionEnc = (typeof RESPONSE_ENCRYPTION_ENCS_SUPPORTED)[number];

/** Whether `alg` is a key management algorithm the OP can encrypt responses with. */
export function isResponseEncryptionAlg(alg: unknown): alg is ResponseEncryptionAlg {
  return typeof alg === 'string' && (RESPONSE_ENCRYPTION_ALGS_SUPPORTED as readonly string[]).includes(alg);
}

/** Whether `enc` is a content encryption algorithm the OP can encrypt responses with. */
export function isResponseEncryptionEnc(enc: unknown): enc is ResponseEncryptionEnc {
  return typeof enc === 'string' && (RESPONSE_ENCRYPTION_ENCS_SUPPORTED as readonly string[]).includes(enc);
}

/** Claims the OP can release: those about the token, and every user claim a scope releases. */
export const CLAIMS_SUPPORTED: readonly string[] = [
  'sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'acr', 'at_hash', 'c_hash', 'sid',
  ...new Set(Object.values(SCOPE_CLAIMS).flat()),
];

/** The Authentication Context Class Reference the OP reports when none is asked for. */
export const ACR = 'PASSWORD';

/**
 * The ACR values the OP can claim to have met (`acr_values` / a `claims` request for `acr`): the
 * mock has no real authentication, so it reports the first of these that was asked for.
 */
export const ACR_VALUES_SUPPORTED = [ACR, '1', '2', 'urn:mace:incommon:iap:silver'] as const;

/** Lifetimes, in seconds. */
export const LIFETIMES = {
  /** Authorization codes (single use). */
  code: 60,
  /** Access tokens. */
  accessToken: 3600,
  /** ID tokens: `exp = iat + idToken`. */
  idToken: 3600,
  /** Refresh tokens. */
  refreshToken: 86_400,
  /** Back-channel logout tokens: `exp = iat + logoutToken`. */
  logoutToken: 120,
} as const;

/**
 * Puts the words of a space-separated response type in a canonical order so that
 * `token id_token` and `id_token token` compare equal. Empty words are dropped.
 */
export function normalizeResponseType(value: string): string {
  const order = ['code', 'id_token', 'token'];
  const words = value.split(' ').filter((w) => w !== '');
  return [...new Set(words)]
    .sort((a, b) => {
      const ia = order.indexOf(a);
      const ib = order.indexOf(b);
      return (ia === -1 ? 99 : ia) - (ib === -1 ? 99 : ib) || a.localeCompare(b);
    })
    .join(' ');
}

/** Whether the OP supports this (normalized or not) response type. */
export function isSupportedResponseType(value: string): boolean {
  const normalized = normalizeResponseType(value);
  return (RESPONSE_TYPES_SUPPORTED as readonly string[]).includes(normalized);
}

/** Whether `alg` is one the OP can sign with. */
export function isSigningAlg(alg: unknown): alg is SigningAlg {
  return typeof alg === 'string' && (SIGNING_ALGS_SUPPORTED as readonly string[]).includes(alg);
}

/** Whether `method` is a client authentication method the OP supports. */
export function isTokenEndpointAuthMethod(method: unknown): method is TokenEndpointAuthMethod {
  return typeof method === 'string' && (TOKEN_ENDPOINT_AUTH_METHODS_SUPPORTED as readonly string[]).includes(method);
}
