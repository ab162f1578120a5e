import { randomToken } from '../random.js';
import { signJwt } from '../jose/sign-jwt.js';
import type { AuthenticatedRequest, ClientCredentials } from './client-auth.js';

/** The assertion type of RFC 7523 client authentication. */
export const JWT_BEARER_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/**
 * Adds a JWT client assertion (OpenID Connect Core 9): `iss` and `sub` the client id, `aud` the
 * token endpoint, a fresh `jti`, a short lifetime.
 */
export async function addClientAssertion(request: AuthenticatedRequest, client: ClientCredentials, alg: string): Promise<void> {
  const now = Math.floor(Date.now() / 1000);
  const assertion = await signJwt(
    { iss: client.clientId, sub: client.clientId, aud: client.audience, jti: randomToken(16), iat: now, exp: now + 60 },
    { alg, keyJar: client.keyJar, clientSecret: client.clientSecret },
  );
  request.body.set('client_assertion_type', JWT_BEARER_ASSERTION_TYPE);
  request.body.set('client_assertion', assertion);
}
