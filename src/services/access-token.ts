import { checkSameSubject } from '../checks/check-same-subject.js';
import { applyClientAuth } from '../client-auth/client-auth.js';
import { ResponseError, VerificationError, missingStateError } from '../errors.js';
import { verifyIdToken } from '../id-token/verify-id-token.js';
import type { JsonObject } from '../messages.js';
import type { ServiceContext } from '../service-context.js';
import type { RequestParameters } from '../transport/http.js';
import { Service, type StateOptions } from './service.js';
import { checkTokenResponse, type TokenResponse } from './token-response.js';

/** Arguments of the access token request; other members are sent as parameters. */
export interface AccessTokenArgs {
  /** The session whose code is exchanged. Required. */
  state: string;
  /** Override the client authentication method. */
  authn_method?: string;
  [parameter: string]: unknown;
}

/**
 * Builds a token endpoint request: the form body and the client authentication of `method`
 * (default the behaviour's `token_endpoint_auth_method`, else `client_secret_basic`).
 */
export async function tokenEndpointRequest(context: ServiceContext, body: URLSearchParams, method?: string): Promise<RequestParameters> {
  const url = context.endpoint('token_endpoint');
  const registered = context.behaviour.token_endpoint_auth_method;
  const authMethod = method ?? (typeof registered === 'string' ? registered : Array.isArray(registered) ? registered[0] : undefined) ?? 'client_secret_basic';
  const signingAlg = context.behaviour.token_endpoint_auth_signing_alg;
  const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' };
  await applyClientAuth(authMethod, { body, headers }, {
    clientId: context.requireClientId(),
    clientSecret: context.clientSecret,
    keyJar: context.keyJar,
    audience: url,
    signingAlg: typeof signingAlg === 'string' ? signingAlg : undefined,
  });
  return { method: 'POST', url, body: body.toString(), headers };
}

/**
 * The access token request of the code flow (OpenID Connect Core 3.1.3): exchanges the session's
 * code, with the redirect URI and PKCE verifier of its authorization request, and verifies the
 * ID token that comes back.
 */
export class AccessToken extends Service<AccessTokenArgs, TokenResponse> {
  readonly serviceName = 'accesstoken' as const;
  protected readonly what = 'token response';

  /**
   * @throws {VerificationError} `checkState` for an unknown session.
   * @throws {ResponseError} `sessionCode` when the session has no code yet.
   * @throws {VerificationError} `checkStateReplay` when the session's code was sent already.
   */
  async getRequestParameters(args?: AccessTokenArgs): Promise<RequestParameters> {
    if (typeof args?.state !== 'string' || args.state === '') throw missingStateError('the access token request', args?.state);
    const { state, authn_method, ...extra } = args;
    const stateDb = this.context.stateDb;
    const session = await stateDb.getState(state);
    const request = session.auth_request ?? {};
    const code = session.auth_response?.['code'];
    if (typeof code !== 'string') throw new ResponseError('sessionCode', 'the session has no authorization code to exchange');
    // A code is sent once (RFC 6749 4.1.2): the first request for it claims it, atomically.
    if (!(await stateDb.claimItem({ at: this.context.now() }, 'code_exchange', state))) {
      throw new VerificationError('checkStateReplay', 'the code of this login was sent to the token endpoint already: a code is sent once');
    }
    // The order of the oidcservice documentation: grant_type, state, redirect_uri, code, client_id.
    const body = new URLSearchParams({ grant_type: 'authorization_code', state, redirect_uri: String(request['redirect_uri'] ?? this.context.redirectUris[0]), code, client_id: this.context.requireClientId() });
    const pkce = await stateDb.getItem('pkce', state);
    if (typeof pkce?.['code_verifier'] === 'string') body.set('code_verifier', pkce['code_verifier']);
    for (const [name, value] of Object.entries(extra)) if (value !== undefined) body.set(name, String(value));
    return tokenEndpointRequest(this.context, body, authn_method ?? this.config.default_authn_method);
  }

  /**
   * @throws {ResponseError} `checkTokenResponse`; `checkIdTokenPresent` when an OpenID Connect
   *   code exchange brings no ID token.
   * @throws {VerificationError} the ID token checks; `checkSameSubject` when a hybrid flow's two
   *   ID tokens name different issuers or subjects (OpenID Connect Core 3.3.3.6).
   */
  protected async verify(message: JsonObject, options: StateOptions): Promise<TokenResponse> {
    const response = checkTokenResponse(message);
    const state = options.state;
    if (typeof state !== 'string' || state === '') throw missingStateError('parsing a token response', state);
    const session = await this.context.stateDb.getState(state);
    const request = session.auth_request ?? {};
    const scopes = String(request['scope'] ?? 'openid').split(' ');
    if (response.id_token === undefined) {
      if (scopes.includes('openid')) throw new ResponseError('checkIdTokenPresent', 'the token response has no id_token, which an OpenID Connect code exchange must return');
      return response;
    }
    const { claims } = await verifyIdToken(response.id_token, this.context, {
      source: 'token',
      issuer: session.iss,
      nonce: typeof request['nonce'] === 'string' ? request['nonce'] : undefined,
      maxAge: request['max_age'] === undefined ? undefined : Number(request['max_age']),
      accessToken: response.access_token,
    });
    const earlier = session.auth_response?.['verified_id_token'] as JsonObject | undefined;
    checkSameSubject(earlier, claims, 'token endpoint\'s ID token');
    return { ...response, verified_id_token: claims };
  }

  /** Stores the token response in the session. */
  override async updateServiceContext(response: TokenResponse, options: StateOptions = {}): Promise<void> {
    if (typeof options.state !== 'string' || options.state === '') throw missingStateError('storing a token response', options.state);
    await this.context.stateDb.storeItem(response, 'token_response', options.state, { idTokenClaims: response.verified_id_token });
  }
}
