/**
 * The token endpoint (OIDC Core 3.1.3, 12; RFC 6749 4.1.3, 6) at `<issuer>/token`: grant types
 * `authorization_code` (with PKCE S256) and `refresh_token`.
 *
 * Refresh tokens are issued when the client registered the `refresh_token` grant type or the
 * granted scope contains `offline_access`; the `refresh_token` grant is accepted for any refresh
 * token the OP issued to the authenticated client. Refresh tokens rotate on use.
 *
 * Codes are single use, valid 60 s, bound to the client, the redirect URI and the PKCE challenge.
 * A code is spent as soon as its client presents it, even if the request then fails (a wrong
 * verifier, say); presenting a spent code also revokes the tokens issued for it.
 *
 * @module
 */
import type { HookContext, JsonObject } from '../behaviour.js';
import { LIFETIMES } from '../capabilities.js';
import type { Client } from '../client-metadata.js';
import { ClientAuthenticationError, authenticateClient } from '../client-authentication.js';
import { hookContext } from '../endpoint.js';
import type { Endpoint } from '../endpoint.js';
import { issueIdToken } from '../id-token.js';
import type { Provider } from '../provider.js';
import type { ClaimsRequest } from '../scope-claims.js';
import { scopeValues } from '../scope-claims.js';
import { NO_STORE, jsonResponse, mediaType, methodNotAllowed, oauthErrorResponse, paramsFrom } from '../responses.js';
import { isPkceValue, s256CodeChallenge } from '../token-hash.js';
import type { User } from '../users.js';

/** A token request error: a 400 OAuth error. */
class TokenError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
  ) {
    super(`${error}: ${description}`);
  }
}

function fail(error: string, description: string): never {
  throw new TokenError(error, description);
}

/** Handles a token request; successful answers are 200 JSON with `Cache-Control: no-store`. */
export const tokenEndpoint: Endpoint = async (request, op) => {
  if (request.method !== 'POST') return methodNotAllowed(['POST']);
  if (mediaType(request.headers) !== 'application/x-www-form-urlencoded') {
    return oauthErrorResponse(400, 'invalid_request', 'the token request must be application/x-www-form-urlencoded');
  }
  const { params, repeated } = paramsFrom(new URLSearchParams(await request.text()));
  if (repeated.length > 0) return oauthErrorResponse(400, 'invalid_request', `repeated parameters: ${repeated.join(', ')}`);

  let client: Client;
  try {
    ({ client } = await authenticateClient(request, params, op));
  } catch (error) {
    if (!(error instanceof ClientAuthenticationError)) throw error;
    const headers: Record<string, string> =
      error.status === 401 ? { 'WWW-Authenticate': `Basic realm="${op.issuer}", charset="UTF-8"` } : {};
    return oauthErrorResponse(error.status, error.error, error.description, headers);
  }

  const grantType = params.get('grant_type');
  const ctx = { ...hookContext(op, request, 'token', client), ...(grantType === undefined ? {} : { grantType }) };
  try {
    let body: JsonObject;
    if (grantType === undefined) fail('invalid_request', 'grant_type is required');
    else if (grantType === 'authorization_code') body = await authorizationCodeGrant(params, client, op, ctx);
    else if (grantType === 'refresh_token') body = await refreshTokenGrant(params, client, op, ctx);
    else fail('unsupported_grant_type', `grant_type "${grantType}" is not supported`);
    return jsonResponse(await op.behaviour.tokenResponse(body, ctx), 200, { ...NO_STORE });
  } catch (error) {
    if (!(error instanceof TokenError)) throw error;
    return oauthErrorResponse(400, error.error, error.description);
  }
};

interface Issue {
  readonly client: Client;
  readonly user: User;
  readonly scope: string;
  readonly authTime: number;
  readonly nonce?: string;
  readonly claims?: ClaimsRequest;
  readonly code?: string;
  readonly sid?: string;
  readonly acr?: string;
}

/** Issues an access token, an ID token and, per the policy above, a refresh token. */
async function tokens(issue: Issue, op: Provider, ctx: HookContext): Promise<JsonObject> {
  const { client, user, scope, claims, code, sid, acr } = issue;
  const access = op.issueAccessToken({
    clientId: client.client_id,
    scope,
    user,
    ...(claims === undefined ? {} : { claims }),
    ...(code === undefined ? {} : { code }),
  });
  const idToken = await issueIdToken(
    {
      client,
      user,
      authTime: issue.authTime,
      scope,
      includeScopeClaims: false,
      ...(sid === undefined ? {} : { sid }),
      ...(acr === undefined ? {} : { acr }),
      ...(issue.nonce === undefined ? {} : { nonce: issue.nonce }),
      ...(claims === undefined ? {} : { claims }),
    },
    ctx,
  );
  const body: JsonObject = {
    access_token: access.token,
    token_type: 'Bearer',
    expires_in: LIFETIMES.accessToken,
    id_token: idToken,
  };
  if (client.grant_types.includes('refresh_token') || scopeValues(scope).includes('offline_access')) {
    body.refresh_token = op.issueRefreshToken({
      clientId: client.client_id,
      scope,
      user,
      authTime: issue.authTime,
      ...(sid === undefined ? {} : { sid }),
      ...(acr === undefined ? {} : { acr }),
      ...(claims === undefined ? {} : { claims }),
      ...(code === undefined ? {} : { code }),
    }).token;
  }
  body.scope = scope;
  return body;
}

async function authorizationCodeGrant(
  params: ReadonlyMap<string, string>,
  client: Client,
  op: Provider,
  ctx: HookContext,
): Promise<JsonObject> {
  if (!client.grant_types.includes('authorization_code')) {
    fail('unauthorized_client', 'the client is not registered for the authorization_code grant');
  }
  const code = params.get('code');
  if (code === undefined) fail('invalid_request', 'code is required');
  const grant = op.codes.get(code);
  if (grant === undefined || grant.clientId !== client.client_id) fail('invalid_grant', 'unknown code');
  if (grant.consumed) {
    op.revokeTokensOfCode(code);
    fail('invalid_grant', 'code already used; the tokens issued for it are revoked');
  }
  grant.consumed = true;
  if (grant.expiresAt <= op.now()) fail('invalid_grant', 'code expired');
  const redirectUri = params.get('redirect_uri');
  if (redirectUri !== grant.redirectUri) fail('invalid_grant', 'redirect_uri does not match the authorization request');
  const verifier = params.get('code_verifier');
  if (grant.codeChallenge !== undefined) {
    if (verifier === undefined) fail('invalid_grant', 'code_verifier is required');
    if (!isPkceValue(verifier) || s256CodeChallenge(verifier) !== grant.codeChallenge) {
      fail('invalid_grant', 'code_verifier does not match the code_challenge');
    }
  } else if (verifier !== undefined) {
    fail('invalid_grant', 'code_verifier sent but the authorization request had no code_challenge');
  }
  return tokens(
    {
      client,
      user: grant.user,
      scope: grant.scope,
      authTime: grant.authTime,
      code,
      ...(grant.sid === undefined ? {} : { sid: grant.sid }),
      ...(grant.acr === undefined ? {} : { acr: grant.acr }),
      ...(grant.nonce === undefined ? {} : { nonce: grant.nonce }),
      ...(grant.claims === undefined ? {} : { claims: grant.claims }),
    },
    op,
    ctx,
  );
}

async function refreshTokenGrant(
  params: ReadonlyMap<string, string>,
  client: Client,
  op: Provider,
  ctx: HookContext,
): Promise<JsonObject> {
  const token = params.get('refresh_token');
  if (token === undefined) fail('invalid_request', 'refresh_token is required');
  const grant = op.refreshTokens.get(token);
  if (grant === undefined || grant.clientId !== client.client_id) fail('invalid_grant', 'unknown refresh token');
  if (grant.expiresAt <= op.now()) fail('invalid_grant', 'refresh token expired');
  let scope = grant.scope;
  const requestedScope = params.get('scope');
  if (requestedScope !== undefined) {
    const granted = scopeValues(grant.scope);
    const requested = scopeValues(requestedScope);
    const extra = requested.find((s) => !granted.includes(s));
    if (extra !== undefined) fail('invalid_scope', `scope "${extra}" was not granted`);
    scope = requested.join(' ');
  }
  op.refreshTokens.delete(token);
  // No nonce: OIDC Core 12.2 says a refreshed ID token SHOULD NOT have one.
  return tokens(
    {
      client,
      user: grant.user,
      scope,
      authTime: grant.authTime,
      ...(grant.sid === undefined ? {} : { sid: grant.sid }),
      ...(grant.acr === undefined ? {} : { acr: grant.acr }),
      ...(grant.claims === undefined ? {} : { claims: grant.claims }),
      ...(grant.code === undefined ? {} : { code: grant.code }),
    },
    op,
    ctx,
  );
}
