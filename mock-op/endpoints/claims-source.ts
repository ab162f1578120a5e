/**
 * The claims provider of distributed claims (OIDC Core 5.6.2) at `<issuer>/claims_source`: called
 * with the access token of a distributed source (Bearer header, or `access_token` in a form body),
 * it answers that source's claims as a JWT signed by the OP (`application/jwt`).
 *
 * @module
 */
import { signClaimsJwt } from '../claims-sources.js';
import type { Endpoint } from '../endpoint.js';
import { mediaType, methodNotAllowed, NO_STORE, oauthErrorResponse } from '../responses.js';

/** Answers the claims of a distributed source; 401 `invalid_token` for an unknown or expired token. */
export const claimsSourceEndpoint: Endpoint = async (request, op) => {
  if (request.method !== 'GET' && request.method !== 'POST') return methodNotAllowed(['GET', 'POST']);
  let token = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get('authorization') ?? '')?.[1];
  if (token === undefined && request.method === 'POST' && mediaType(request.headers) === 'application/x-www-form-urlencoded') {
    token = new URLSearchParams(await request.text()).get('access_token') ?? undefined;
  }
  const grant = token === undefined ? undefined : op.claimsSourceTokens.get(token);
  if (grant === undefined || grant.expiresAt <= op.now()) {
    return oauthErrorResponse(401, 'invalid_token', 'unknown or expired claims source access token', {
      'WWW-Authenticate': `Bearer realm="${op.issuer}", error="invalid_token"`,
    });
  }
  return new Response(await signClaimsJwt(op, grant.claims), {
    status: 200,
    headers: { 'Content-Type': 'application/jwt', ...NO_STORE },
  });
};
