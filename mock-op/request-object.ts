/**
 * Request objects (OIDC Core 6): passed by value (`request`) or by reference (`request_uri`,
 * fetched with the global `fetch`). Accepted forms: unsigned (`alg: none`), signed by the client
 * (asymmetric with its `jwks` / `jwks_uri`, HS* with its secret), and either of those encrypted to
 * the OP's RSA-OAEP key.
 *
 * @module
 */
import { compactDecrypt, decodeJwt, decodeProtectedHeader } from 'jose';
import type { JWTPayload } from 'jose';
import { REQUEST_OBJECT_ENCRYPTION_ENCS_SUPPORTED } from './capabilities.js';
import type { Client } from './client-metadata.js';
import { verifyClientJwt } from './client-jwt.js';
import type { Provider } from './provider.js';

/** A request object that cannot be used; `error` is the authorization error code to answer with. */
export class RequestObjectError extends Error {
  constructor(
    /** The OAuth error code to answer with. */
    readonly error: 'invalid_request_object' | 'invalid_request_uri',
    /** Human-readable description (`error_description`). */
    readonly description: string,
  ) {
    super(`${error}: ${description}`);
    this.name = 'RequestObjectError';
  }
}

/** JWT claims of a request object that are not authorization request parameters. */
const JWT_ONLY_CLAIMS = new Set(['iss', 'aud', 'exp', 'iat', 'nbf', 'jti']);

/** Fetches a request object by reference. Throws `invalid_request_uri` on any failure. */
export async function fetchRequestUri(requestUri: string): Promise<string> {
  let url: URL;
  try {
    url = new URL(requestUri);
  } catch {
    throw new RequestObjectError('invalid_request_uri', 'request_uri is not an absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new RequestObjectError('invalid_request_uri', 'request_uri must be an http(s) URL');
  }
  url.hash = '';
  let response: Response;
  try {
    response = await fetch(url, { headers: { Accept: 'application/oauth-authz-req+jwt, application/jwt' } });
  } catch (error) {
    throw new RequestObjectError('invalid_request_uri', `fetching request_uri failed: ${String(error)}`);
  }
  if (response.status !== 200) {
    throw new RequestObjectError('invalid_request_uri', `request_uri answered HTTP ${response.status}`);
  }
  return (await response.text()).trim();
}

/** A verified request object: its claims, its JWS `alg` and whether it came encrypted. */
export interface DecodedRequestObject {
  readonly payload: JWTPayload;
  /** The `alg` of the (inner) JWS, `none` when unsigned. */
  readonly alg: string;
  /** Whether it was a JWE encrypted to the OP's key. */
  readonly encrypted: boolean;
}

/**
 * Decrypts (if it is a JWE), verifies and decodes a request object sent by `client`. Returns its
 * claims. Checks: `alg` is the client's registered `request_object_signing_alg` if any; the
 * signature; `iss` (if present) is the client id; `aud` (if present) contains the issuer; `exp`
 * / `nbf` (if present). Throws {@link RequestObjectError} (`invalid_request_object`).
 */
export async function decodeRequestObject(jwt: string, client: Client, op: Provider): Promise<DecodedRequestObject> {
  let token = jwt;
  const encrypted = token.split('.').length === 5;
  try {
    if (encrypted) {
      const { plaintext } = await compactDecrypt(token, op.keys.encryption.privateKey, {
        keyManagementAlgorithms: ['RSA-OAEP'],
        contentEncryptionAlgorithms: [...REQUEST_OBJECT_ENCRYPTION_ENCS_SUPPORTED],
      });
      token = new TextDecoder().decode(plaintext);
    }
    const header = decodeProtectedHeader(token);
    const registered = client.request_object_signing_alg;
    if (registered !== undefined && header.alg !== registered) {
      throw new RequestObjectError(
        'invalid_request_object',
        `request object alg ${String(header.alg)} is not the registered ${registered}`,
      );
    }
    let payload: JWTPayload;
    if (header.alg === 'none') {
      if (!token.endsWith('.') || token.split('.').length !== 3) {
        throw new RequestObjectError('invalid_request_object', 'an unsigned request object must have an empty signature');
      }
      payload = decodeJwt(token);
      const now = op.now();
      if (typeof payload.exp === 'number' && payload.exp <= now) {
        throw new RequestObjectError('invalid_request_object', 'request object expired');
      }
    } else {
      ({ payload } = await verifyClientJwt(token, client, { currentDate: op.currentDate(), clockTolerance: 5 }));
    }
    if (payload.iss !== undefined && payload.iss !== client.client_id) {
      throw new RequestObjectError('invalid_request_object', 'request object iss is not the client id');
    }
    if (payload.aud !== undefined) {
      const aud = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
      if (!aud.includes(op.issuer)) throw new RequestObjectError('invalid_request_object', 'request object aud is not the issuer');
    }
    return { payload, alg: String(header.alg), encrypted };
  } catch (error) {
    if (error instanceof RequestObjectError) throw error;
    throw new RequestObjectError('invalid_request_object', `request object rejected: ${(error as Error).message}`);
  }
}

/**
 * The authorization parameters a request object carries, as strings: JWT-only claims (`iss`,
 * `aud`, `exp`...) dropped, objects (such as `claims`) JSON-encoded, numbers stringified.
 */
export function requestObjectParameters(payload: JWTPayload): Map<string, string> {
  const params = new Map<string, string>();
  for (const [name, value] of Object.entries(payload)) {
    if (JWT_ONLY_CLAIMS.has(name) || value === undefined || value === null) continue;
    params.set(name, typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value));
  }
  return params;
}
