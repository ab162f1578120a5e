import { checkSameSubject } from '../checks/check-same-subject.js';
import { ResponseError, VerificationError, missingStateError } from '../errors.js';
import { verifyIdToken } from '../id-token/verify-id-token.js';
import type { JsonObject } from '../messages.js';
import type { RequestParameters } from '../transport/http.js';
import { tokenEndpointRequest } from './access-token.js';
import { Service, type StateOptions } from './service.js';
import { currentRefreshToken, sessionIdToken } from './session-tokens.js';
import { checkTokenResponse, type TokenResponse } from './token-response.js';

/** Arguments of a refresh request. */
export interface RefreshArgs {
  /** The session whose refresh token is used. Required. */
  state: string;
  /** A narrower scope, if wanted. */
  scope?: string;
  /** Override the client authentication method. */
  authn_method?: string;
}

/**
 * The refresh request (OpenID Connect Core 12): uses the session's newest refresh token; a new
 * ID token in the answer must name the same issuer and subject as the session's first.
 */
export class RefreshAccessToken extends Service<RefreshArgs, TokenResponse> {
  readonly serviceName = 'refresh_token' as const;
  protected readonly what = 'refresh token response';

  /**
   * @throws {VerificationError} `checkState` for an unknown session.
   * @throws {ResponseError} `sessionRefreshToken` when the session has no refresh token.
   */
  async getRequestParameters(args?: RefreshArgs): Promise<RequestParameters> {
    if (typeof args?.state !== 'string' || args.state === '') throw missingStateError('the refresh request', args?.state);
    const refreshToken = await currentRefreshToken(this.context.stateDb, args.state);
    if (!refreshToken) throw new ResponseError('sessionRefreshToken', 'the session has no refresh token');
    const body = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken });
    if (args.scope) body.set('scope', args.scope);
    return tokenEndpointRequest(this.context, body, args.authn_method ?? this.config.default_authn_method);
  }

  /** @throws {VerificationError} the ID token checks and `checkSameSubject`. */
  protected async verify(message: JsonObject, options: StateOptions): Promise<TokenResponse> {
    const response = checkTokenResponse(message);
    if (response.id_token === undefined) return response;
    if (typeof options.state !== 'string' || options.state === '') throw missingStateError('parsing a refresh response', options.state);
    const { claims } = await verifyIdToken(response.id_token, this.context, { source: 'refresh', accessToken: response.access_token });
    checkSameSubject((await sessionIdToken(this.context.stateDb, options.state)).claims, claims, 'refreshed ID token');
    return { ...response, verified_id_token: claims };
  }

  /** Stores the refresh response in the session. */
  override async updateServiceContext(response: TokenResponse, options: StateOptions = {}): Promise<void> {
    if (typeof options.state !== 'string' || options.state === '') throw missingStateError('storing a refresh response', options.state);
    await this.context.stateDb.storeItem(response, 'refresh_token_response', options.state);
  }
}
