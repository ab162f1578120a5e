/**
 * Client authentication at the token endpoint (RFC 6749 2.3, OIDC Core 9): client_secret_basic,
 * client_secret_post, client_secret_jwt, private_key_jwt and none. The method used must be the
 * one the client registered.
 *
 * @module
 */
import { decodeProtectedHeader } from 'jose';
import { timingSafeEqual } from 'node:crypto';
import { VERIFICATION_ALGS_SUPPORTED } from './capabilities.js';
import type { TokenEndpointAuthMethod } from './capabilities.js';
import type { Client } from './client-metadata.js';
import { MTLS_ALIAS_PREFIX } from './endpoint-paths.js';
import { verifyClientJwt } from './client-jwt.js';
import type { Provider } from './provider.js';

/** The `client_assertion_type` of JWT client assertions (RFC 7523). */
export const JWT_BEARER_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** Why client authentication failed. `status` is 400 for `invalid_request`, 401 for `invalid_client`. */
export class ClientAuthenticationError extends Error {
  constructor(
    /** The OAuth error code to answer with. */
    readonly error: 'invalid_client' | 'invalid_request',
    /** Human-readable description (`error_description`). */
    readonly description: string,
  ) {
    super(`${error}: ${description}`);
    this.name = 'ClientAuthenticationError';
  }

  /** The HTTP status to answer with. */
  get status(): number {
    return this.error === 'invalid_client' ? 401 : 400;
  }
}

/** A successfully authenticated client and the method it used. */
export interface AuthenticatedClient {
  readonly client: Client;
  readonly method: TokenEndpointAuthMethod;
}

/**
 * Decodes HTTP Basic credentials the RFC 6749 2.3.1 way: base64, split at the first colon, and each
 * part form-urlencoded (`+` is a space, `%XX` an octet). Returns `undefined` when malformed.
 */
export function decodeBasicCredentials(authorization: string): { id: string; secret: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization);
  if (match === null) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  try {
    const formDecode = (s: string): string => decodeURIComponent(s.replaceAll('+', ' '));
    return { id: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
  } catch {
    return undefined;
  }
}

function secretsEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Authenticates the client of a token request from its `Authorization` header and form
 * parameters. Exactly one method may be used; it must be the client's registered
 * `token_endpoint_auth_method`. Throws {@link ClientAuthenticationError}.
 */
export async function authenticateClient(
  request: Request,
  params: ReadonlyMap<string, string>,
  op: Provider,
): Promise<AuthenticatedClient> {
  const authorization = request.headers.get('authorization');
  const assertion = params.get('client_assertion');
  const postedSecret = params.get('client_secret');
  const used = [authorization !== null, assertion !== undefined, postedSecret !== undefined].filter(Boolean).length;
  if (used > 1) throw new ClientAuthenticationError('invalid_request', 'more than one client authentication method used');

  let method: TokenEndpointAuthMethod;
  let clientId: string | undefined;
  let secret: string | undefined;
  if (authorization !== null) {
    const credentials = decodeBasicCredentials(authorization);
    if (credentials === undefined) throw new ClientAuthenticationError('invalid_client', 'malformed Basic credentials');
    method = 'client_secret_basic';
    clientId = credentials.id;
    secret = credentials.secret;
  } else if (assertion !== undefined) {
    if (params.get('client_assertion_type') !== JWT_BEARER_ASSERTION_TYPE) {
      throw new ClientAuthenticationError('invalid_request', `client_assertion_type must be ${JWT_BEARER_ASSERTION_TYPE}`);
    }
    let alg: string | undefined;
    try {
      alg = decodeProtectedHeader(assertion).alg;
    } catch {
      throw new ClientAuthenticationError('invalid_client', 'client_assertion is not a JWS');
    }
    method = alg !== undefined && alg.startsWith('HS') ? 'client_secret_jwt' : 'private_key_jwt';
    clientId = params.get('client_id') ?? assertionSubject(assertion);
  } else if (postedSecret !== undefined) {
    method = 'client_secret_post';
    clientId = params.get('client_id');
    secret = postedSecret;
  } else {
    method = 'none';
    clientId = params.get('client_id');
  }

  if (clientId === undefined) throw new ClientAuthenticationError('invalid_client', 'no client identification');
  const client = op.clients.get(clientId);
  if (client === undefined) throw new ClientAuthenticationError('invalid_client', 'unknown client');
  if (params.has('client_id') && params.get('client_id') !== clientId) {
    throw new ClientAuthenticationError('invalid_client', 'client_id does not match the authenticated client');
  }
  if (method !== client.token_endpoint_auth_method) {
    throw new ClientAuthenticationError(
      'invalid_client',
      `client authenticated with ${method} but registered ${client.token_endpoint_auth_method}`,
    );
  }

  switch (method) {
    case 'client_secret_basic':
    case 'client_secret_post':
      if (secret === undefined || !secretsEqual(secret, client.client_secret)) {
        throw new ClientAuthenticationError('invalid_client', 'wrong client secret');
      }
      break;
    case 'client_secret_jwt':
    case 'private_key_jwt':
      await verifyAssertion(assertion!, client, method, op);
      break;
    case 'none':
      break;
  }
  return { client, method };
}

function assertionSubject(assertion: string): string | undefined {
  try {
    const payload = JSON.parse(Buffer.from(assertion.split('.')[1] ?? '', 'base64url').toString('utf8')) as unknown;
    if (typeof payload === 'object' && payload !== null) {
      const sub = (payload as { sub?: unknown }).sub;
      if (typeof sub === 'string') return sub;
    }
  } catch {
    // fall through: no usable subject
  }
  return undefined;
}

async function verifyAssertion(assertion: string, client: Client, method: TokenEndpointAuthMethod, op: Provider): Promise<void> {
  const hmac = method === 'client_secret_jwt';
  const registeredAlg = client.token_endpoint_auth_signing_alg;
  let payload;
  try {
    ({ payload } = await verifyClientJwt(assertion, client, {
      issuer: client.client_id,
      subject: client.client_id,
      audience: [op.endpointUrl('token'), op.issuer + MTLS_ALIAS_PREFIX + op.endpointPaths.token, op.issuer],
      requiredClaims: ['exp', 'jti'],
      currentDate: op.currentDate(),
      clockTolerance: 5,
      algorithms:
        registeredAlg !== undefined
          ? [registeredAlg]
          : VERIFICATION_ALGS_SUPPORTED.filter((alg) => alg.startsWith('HS') === hmac),
    }));
  } catch (error) {
    throw new ClientAuthenticationError('invalid_client', `client assertion rejected: ${(error as Error).message}`);
  }
  const jti = `${client.client_id}:${String(payload.jti)}`;
  if (op.usedAssertionIds.has(jti)) throw new ClientAuthenticationError('invalid_client', 'client assertion jti replayed');
  op.usedAssertionIds.add(jti);
}
