/**
 * The authorization endpoint (OIDC Core 3.1.2, 3.2.2, 3.3.2) at `<issuer>/authorization`, GET or
 * POST (form). There is no login or consent page: the user is considered logged in and consenting,
 * so a valid request is answered at once with the authorization response, except `prompt=none`
 * without a usable session, which is answered `login_required`. Successful responses carry
 * `session_state` (Session Management 1.0).
 *
 * @module
 */
import { decodeJwt } from 'jose';
import { normalizeResponseType, isSupportedResponseType, LIFETIMES, RESPONSE_MODES_SUPPORTED, SCOPES_SUPPORTED } from '../capabilities.js';
import type { AuthorizationRequestInfo } from '../behaviour.js';
import type { ResponseMode } from '../capabilities.js';
import type { Client } from '../client-metadata.js';
import { defaultResponseMode, deliverAuthorizationResponse } from '../authorization-response.js';
import { hookContext } from '../endpoint.js';
import type { Endpoint } from '../endpoint.js';
import { issueIdToken } from '../id-token.js';
import type { Provider } from '../provider.js';
import { RequestObjectError, decodeRequestObject, fetchRequestUri, requestObjectParameters } from '../request-object.js';
import { errorPage, methodNotAllowed, requestParameters } from '../responses.js';
import { sessionState } from '../session-management.js';
import { chooseAcr } from '../acr.js';
import type { ClaimsRequest } from '../scope-claims.js';
import { parseClaimsRequest, scopeValues } from '../scope-claims.js';
import { isPkceValue } from '../token-hash.js';

/** An authorization error to send back to the client (or show, when it cannot be sent). */
class AuthorizationError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
  ) {
    super(`${error}: ${description}`);
  }
}

/** Throws an {@link AuthorizationError}. */
function fail(error: string, description: string): never {
  throw new AuthorizationError(error, description);
}

/** Where an error can be sent: known once the client and its redirect URI are validated. */
interface ErrorDestination {
  client?: Client;
  redirectUri?: string;
  mode: ResponseMode;
  state?: string;
}

const PROMPT_VALUES = new Set(['none', 'login', 'consent', 'select_account']);

/**
 * Handles an authorization request. Errors go back to the redirect URI (`error`,
 * `error_description`, `state`) once the client and the redirect URI are known to be valid;
 * before that they are a 400 HTML page.
 */
export const authorizationEndpoint: Endpoint = async (request, op) => {
  if (request.method !== 'GET' && request.method !== 'POST') return methodNotAllowed(['GET', 'POST']);
  const parsed = await requestParameters(request);
  if (parsed === undefined) {
    return errorPage(400, 'invalid_request', 'a POST authorization request must be application/x-www-form-urlencoded');
  }
  if (parsed.repeated.length > 0) {
    return errorPage(400, 'invalid_request', `repeated parameters: ${parsed.repeated.join(', ')}`);
  }
  const dest: ErrorDestination = { mode: 'query' };
  try {
    return await authorize(request, op, parsed.params, dest);
  } catch (error) {
    if (!(error instanceof AuthorizationError)) throw error;
    if (dest.client === undefined || dest.redirectUri === undefined) {
      return errorPage(400, error.error, error.description);
    }
    const params: Record<string, string> = { error: error.error, error_description: error.description };
    if (dest.state !== undefined) params.state = dest.state;
    if (op.behaviour.authorizationResponseIss) params.iss = op.issuer;
    const mode = await op.behaviour.responseMode(dest.mode, hookContext(op, request, 'authorization', dest.client));
    return deliverAuthorizationResponse(dest.redirectUri, mode, params);
  }
};

/** The client id of a request object read without verification (to find the client that signed it). */
function unverifiedClientId(jwt: string): string | undefined {
  try {
    const clientId = decodeJwt(jwt).client_id;
    return typeof clientId === 'string' ? clientId : undefined;
  } catch {
    return undefined;
  }
}

/** The response mode named by `response_type` / `response_mode`, when both are usable. */
function modeOf(params: ReadonlyMap<string, string>): ResponseMode {
  const requested = params.get('response_mode');
  if (requested !== undefined && (RESPONSE_MODES_SUPPORTED as readonly string[]).includes(requested)) {
    return requested as ResponseMode;
  }
  const rt = params.get('response_type');
  return rt !== undefined && isSupportedResponseType(rt) ? defaultResponseMode(normalizeResponseType(rt)) : 'query';
}

async function authorize(
  request: Request,
  op: Provider,
  query: Map<string, string>,
  dest: ErrorDestination,
): Promise<Response> {
  // Find the request object, if any (by value or by reference).
  let requestObject: string | undefined;
  let byReference = false;
  let requestObjectInfo: AuthorizationRequestInfo['requestObject'];
  let requestObjectProblem: RequestObjectError | AuthorizationError | undefined;
  if (query.has('request') && query.has('request_uri')) {
    requestObjectProblem = new AuthorizationError('invalid_request', 'request and request_uri must not both be used');
  } else if (query.has('request_uri')) {
    byReference = true;
    try {
      requestObject = await fetchRequestUri(query.get('request_uri')!);
    } catch (error) {
      if (!(error instanceof RequestObjectError)) throw error;
      requestObjectProblem = error;
    }
  } else {
    requestObject = query.get('request');
  }

  // The client, and where errors can go, from the plain parameters.
  const clientId = query.get('client_id') ?? (requestObject === undefined ? undefined : unverifiedClientId(requestObject));
  if (clientId === undefined) fail('invalid_request', 'client_id is required');
  const client = op.clients.get(clientId);
  if (client === undefined) fail('invalid_request', `unknown client_id "${clientId}"`);
  dest.client = client;
  const queryRedirect = query.get('redirect_uri');
  if (queryRedirect !== undefined && client.redirect_uris.includes(queryRedirect)) dest.redirectUri = queryRedirect;
  dest.mode = modeOf(query);
  const queryState = query.get('state');
  if (queryState !== undefined) dest.state = queryState;

  if (requestObjectProblem !== undefined) {
    throw new AuthorizationError(requestObjectProblem.error, requestObjectProblem.description);
  }

  // Request object claims override the plain parameters.
  const params = new Map(query);
  params.delete('request');
  params.delete('request_uri');
  if (requestObject !== undefined) {
    let objectParams: Map<string, string>;
    try {
      const decoded = await decodeRequestObject(requestObject, client, op);
      requestObjectInfo = { byReference, encrypted: decoded.encrypted, alg: decoded.alg };
      objectParams = requestObjectParameters(decoded.payload);
    } catch (error) {
      if (!(error instanceof RequestObjectError)) throw error;
      fail(error.error, error.description);
    }
    const objectClientId = objectParams.get('client_id');
    if (objectClientId !== undefined && objectClientId !== client.client_id) {
      fail('invalid_request_object', 'client_id in the request object differs from the request');
    }
    const objectResponseType = objectParams.get('response_type');
    const queryResponseType = query.get('response_type');
    if (
      objectResponseType !== undefined &&
      queryResponseType !== undefined &&
      normalizeResponseType(objectResponseType) !== normalizeResponseType(queryResponseType)
    ) {
      fail('invalid_request_object', 'response_type in the request object differs from the request');
    }
    for (const [name, value] of objectParams) params.set(name, value);
  }

  // Redirect URI: required and registered exactly; otherwise nothing can be sent back.
  const redirectUri = params.get('redirect_uri');
  const state = params.get('state');
  if (state !== undefined) dest.state = state;
  else delete dest.state;
  dest.mode = modeOf(params);
  if (redirectUri === undefined) {
    delete dest.redirectUri;
    fail('invalid_request', 'redirect_uri is required');
  }
  if (!client.redirect_uris.includes(redirectUri)) {
    delete dest.redirectUri;
    fail('invalid_request', `redirect_uri "${redirectUri}" is not registered for this client`);
  }
  dest.redirectUri = redirectUri;

  // Response type and mode.
  const rawResponseType = params.get('response_type');
  if (rawResponseType === undefined) fail('invalid_request', 'response_type is required');
  const responseType = normalizeResponseType(rawResponseType);
  if (!isSupportedResponseType(responseType)) fail('unsupported_response_type', `response_type "${rawResponseType}" is not supported`);
  if (!client.response_types.includes(responseType)) {
    fail('unauthorized_client', `response_type "${rawResponseType}" is not registered for this client`);
  }
  const requestedMode = params.get('response_mode');
  if (requestedMode !== undefined) {
    if (!(RESPONSE_MODES_SUPPORTED as readonly string[]).includes(requestedMode)) {
      dest.mode = defaultResponseMode(responseType);
      fail('invalid_request', `response_mode "${requestedMode}" is not supported`);
    }
    if (requestedMode === 'query' && responseType !== 'code') {
      dest.mode = defaultResponseMode(responseType);
      fail('invalid_request', 'response_mode query is not allowed for response types that return tokens');
    }
  }
  const mode = dest.mode;
  const ctx = hookContext(op, request, 'authorization', client);
  const refusal = await op.behaviour.authorizationRequest(
    {
      params,
      sent: query,
      responseType,
      responseMode: mode,
      ...(requestObjectInfo === undefined ? {} : { requestObject: requestObjectInfo }),
    },
    ctx,
  );
  if (refusal !== undefined) fail(refusal.error, refusal.error_description);

  // Scope, nonce, PKCE, prompt, max_age, claims.
  const rawScope = params.get('scope');
  if (rawScope === undefined || !scopeValues(rawScope).includes('openid')) fail('invalid_scope', 'scope must contain openid');
  const scope = scopeValues(rawScope)
    .filter((s, i, all) => (SCOPES_SUPPORTED as readonly string[]).includes(s) && all.indexOf(s) === i)
    .join(' ');
  const nonce = params.get('nonce');
  if (responseType !== 'code' && nonce === undefined) fail('invalid_request', `nonce is required for response_type "${responseType}"`);

  const codeChallenge = params.get('code_challenge');
  const codeChallengeMethod = params.get('code_challenge_method');
  if (codeChallenge !== undefined) {
    if ((codeChallengeMethod ?? 'plain') !== 'S256') {
      fail('invalid_request', 'only code_challenge_method S256 is supported (plain is refused)');
    }
    if (!isPkceValue(codeChallenge)) fail('invalid_request', 'code_challenge is malformed');
  } else if (codeChallengeMethod !== undefined) {
    fail('invalid_request', 'code_challenge_method without code_challenge');
  }

  const prompt = scopeValues(params.get('prompt') ?? '');
  if (prompt.includes('none') && prompt.length > 1) fail('invalid_request', 'prompt=none cannot be combined with other values');
  const unknownPrompt = prompt.find((p) => !PROMPT_VALUES.has(p));
  if (unknownPrompt !== undefined) fail('invalid_request', `unknown prompt value "${unknownPrompt}"`);

  const rawMaxAge = params.get('max_age');
  if (rawMaxAge !== undefined && !/^\d+$/.test(rawMaxAge)) fail('invalid_request', 'max_age must be a non-negative integer');
  const maxAge = rawMaxAge === undefined ? undefined : Number(rawMaxAge);

  let claims: ClaimsRequest | undefined;
  try {
    claims = parseClaimsRequest(params.get('claims'));
  } catch (error) {
    fail('invalid_request', `claims: ${(error as Error).message}`);
  }

  // The user is logged in and consents (re-authenticating for prompt=login or an old session);
  // prompt=none needs a session of that user young enough for max_age.
  const loginHint = params.get('login_hint');
  const current = op.session;
  const user = prompt.includes('none') && loginHint === undefined && current !== undefined ? current.user : op.userFor(loginHint);
  if (
    prompt.includes('none') &&
    (current === undefined || current.user.id !== user.id || (maxAge !== undefined && op.now() - current.authTime > maxAge))
  ) {
    fail('login_required', 'the end user is not logged in (prompt=none)');
  }
  const session = op.login(user, {
    ...(maxAge === undefined ? {} : { maxAge }),
    forceLogin: prompt.includes('login'),
  });
  session.clients.add(client.client_id);
  const acr = chooseAcr(params.get('acr_values'), claims);

  // Issue what the response type asks for.
  const words = responseType.split(' ');
  const out: Record<string, string> = {};
  let code: string | undefined;
  let accessToken: string | undefined;
  if (words.includes('code')) {
    code = op.issueCode({
      clientId: client.client_id,
      redirectUri: redirectUri,
      scope,
      user: session.user,
      authTime: session.authTime,
      sid: session.sid,
      acr,
      ...(nonce === undefined ? {} : { nonce }),
      ...(codeChallenge === undefined ? {} : { codeChallenge }),
      ...(claims === undefined ? {} : { claims }),
    }).code;
    out.code = code;
  }
  if (words.includes('token')) {
    accessToken = op.issueAccessToken({
      clientId: client.client_id,
      scope,
      user: session.user,
      ...(claims === undefined ? {} : { claims }),
    }).token;
    out.access_token = accessToken;
    out.token_type = 'Bearer';
    out.expires_in = String(LIFETIMES.accessToken);
  }
  if (words.includes('id_token')) {
    out.id_token = await issueIdToken(
      {
        client: client,
        user: session.user,
        authTime: session.authTime,
        scope,
        includeScopeClaims: responseType === 'id_token',
        sid: session.sid,
        acr,
        ...(nonce === undefined ? {} : { nonce }),
        ...(claims === undefined ? {} : { claims }),
        ...(accessToken === undefined ? {} : { accessToken }),
        ...(code === undefined ? {} : { code }),
      },
      ctx,
    );
  }
  if (state !== undefined) out.state = state;
  if (op.behaviour.authorizationResponseIss) out.iss = op.issuer;
  out.session_state = sessionState(op, client.client_id, new URL(redirectUri).origin);
  const responseParams = await op.behaviour.authorizationResponse(out, ctx);
  return deliverAuthorizationResponse(redirectUri, await op.behaviour.responseMode(mode, ctx), responseParams);
}
