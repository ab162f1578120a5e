/**
 * The UserInfo endpoint (OIDC Core 5.3) at `<issuer>/userinfo`, GET or POST. The access token comes
 * from `Authorization: Bearer` or, for a form POST, the `access_token` body parameter (RFC 6750 2.1,
 * 2.2). The answer is JSON, or a JWT (`application/jwt`, with `iss` and `aud`) when the client
 * registered `userinfo_signed_response_alg` and / or `userinfo_encrypted_response_alg`: signed,
 * signed then encrypted (a nested JWT, `cty: JWT`), or only encrypted (a JWE over the JSON claims).
 *
 * @module
 */
import type { JsonObject } from '../behaviour.js';
import { hookContext } from '../endpoint.js';
import type { Endpoint } from '../endpoint.js';
import { signJwt } from '../jwt-signing.js';
import { encryptResponse } from '../response-encryption.js';
import { NO_STORE, jsonResponse, mediaType, methodNotAllowed, oauthErrorResponse } from '../responses.js';
import { releasedClaims } from '../scope-claims.js';

/** Answers the claims the access token's scope (and `claims.userinfo` request) release. */
export const userinfoEndpoint: Endpoint = async (request, op) => {
  if (request.method !== 'GET' && request.method !== 'POST') return methodNotAllowed(['GET', 'POST']);
  const realm = `realm="${op.issuer}"`;
  const authorization = request.headers.get('authorization');
  let headerToken: string | undefined;
  if (authorization !== null) {
    const match = /^Bearer\s+([A-Za-z0-9\-._~+/]+=*)\s*$/i.exec(authorization);
    if (match === null) {
      return oauthErrorResponse(400, 'invalid_request', 'malformed Authorization header', {
        'WWW-Authenticate': `Bearer ${realm}, error="invalid_request"`,
      });
    }
    headerToken = match[1];
  }
  let bodyToken: string | undefined;
  if (request.method === 'POST' && mediaType(request.headers) === 'application/x-www-form-urlencoded') {
    bodyToken = new URLSearchParams(await request.text()).get('access_token') ?? undefined;
  }
  if (headerToken !== undefined && bodyToken !== undefined) {
    return oauthErrorResponse(400, 'invalid_request', 'more than one way of sending the access token', {
      'WWW-Authenticate': `Bearer ${realm}, error="invalid_request"`,
    });
  }
  const token = headerToken ?? bodyToken;
  if (token === undefined) {
    return oauthErrorResponse(401, 'invalid_request', 'no access token', { 'WWW-Authenticate': `Bearer ${realm}` });
  }
  const grant = op.accessTokens.get(token);
  const client = grant === undefined ? undefined : op.clients.get(grant.clientId);
  if (grant === undefined || client === undefined || grant.expiresAt <= op.now()) {
    return oauthErrorResponse(401, 'invalid_token', 'the access token is unknown, expired or revoked', {
      'WWW-Authenticate': `Bearer ${realm}, error="invalid_token", error_description="the access token is unknown, expired or revoked"`,
    });
  }

  const ctx = hookContext(op, request, 'userinfo', client);
  const alg = client.userinfo_signed_response_alg;
  const encAlg = client.userinfo_encrypted_response_alg;
  const claims: JsonObject = releasedClaims(grant.user, grant.scope, grant.claims?.userinfo);
  if (alg === undefined && encAlg === undefined) {
    return jsonResponse(await op.behaviour.userinfoClaims(claims, ctx), 200, { ...NO_STORE });
  }
  claims.iss = op.issuer;
  claims.aud = client.client_id;
  const jwtClaims = await op.behaviour.userinfoClaims(claims, ctx);
  let body: string;
  if (alg === undefined) body = JSON.stringify(jwtClaims);
  else body = await signJwt(alg, jwtClaims, { ...ctx, client, purpose: 'userinfo' });
  if (encAlg !== undefined) {
    body = await encryptResponse(new TextEncoder().encode(body), client, {
      alg: encAlg,
      enc: client.userinfo_encrypted_response_enc ?? 'A128CBC-HS256',
      ...(alg === undefined ? {} : { cty: 'JWT' }),
    });
  }
  return new Response(body, { status: 200, headers: { 'Content-Type': 'application/jwt', ...NO_STORE } });
};
