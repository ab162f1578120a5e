import { VerificationError, missingStateError } from '../errors.js';
import type { JsonObject } from '../messages.js';
import { randomToken } from '../random.js';
import type { RequestParameters } from '../transport/http.js';
import { paramsToObject } from './authorization.js';
import { Service, type ResponseInput, type StateOptions } from './service.js';
import { latestIdToken } from './session-tokens.js';

/** Arguments of an RP-initiated logout. */
export interface EndSessionArgs {
  /** The session to end. Required. */
  state: string;
  /** Where the OP should send the user agent afterwards; default the first configured. */
  post_logout_redirect_uri?: string;
  /** Extra parameters (`ui_locales`, `logout_hint`, ...). */
  [parameter: string]: unknown;
}

/** The verified post-logout redirect. */
export interface EndSessionResponse extends JsonObject {
  /** The logout `state` sent back, when the OP sent one. */
  state?: string;
  /** The session the logout ended, when the redirect could be tied to one. */
  session?: string;
}

/**
 * RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0): sends the user agent to the OP's
 * `end_session_endpoint` with `id_token_hint`, `post_logout_redirect_uri` and a fresh logout `state`,
 * and checks the `state` that comes back with the post-logout redirect.
 */
export class EndSession extends Service<EndSessionArgs, EndSessionResponse> {
  readonly serviceName = 'end_session' as const;
  protected readonly what = 'post-logout redirect';

  /** @throws {VerificationError} `checkState` for an unknown session. */
  async getRequestParameters(args?: EndSessionArgs): Promise<RequestParameters> {
    if (typeof args?.state !== 'string' || args.state === '') throw missingStateError('logout', args?.state);
    const { state, post_logout_redirect_uri, ...extra } = args;
    const stateDb = this.context.stateDb;
    await stateDb.getState(state);
    const url = new URL(this.context.endpoint('end_session_endpoint'));
    const logoutState = randomToken(24);
    const params: Record<string, string> = {};
    const idToken = await latestIdToken(stateDb, state);
    if (idToken) params['id_token_hint'] = idToken;
    const redirect = post_logout_redirect_uri ?? this.context.postLogoutRedirectUris[0];
    if (redirect) params['post_logout_redirect_uri'] = redirect;
    params['state'] = logoutState;
    params['client_id'] = this.context.requireClientId();
    for (const [name, value] of Object.entries(extra)) if (value !== undefined) params[name] = String(value);
    for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
    const { id_token_hint: _hint, ...recorded } = params;
    await stateDb.storeItem(recorded, 'end_session_request', state);
    await stateDb.storeLogoutState2State(logoutState, state);
    return { method: 'GET', url: url.toString() };
  }

  /**
   * Reads the post-logout redirect (URL, query string or object).
   * @throws {VerificationError} `checkLogoutState` when it carries a `state` this RP did not send.
   */
  override async parseResponse(input: ResponseInput, options: StateOptions = {}): Promise<EndSessionResponse> {
    const message = typeof input === 'string' ? paramsToObject(new URLSearchParams(input.includes('?') ? input.slice(input.indexOf('?') + 1).split('#')[0] : input.replace(/^[?#]/, ''))) : input;
    return super.parseResponse(message as JsonObject, options);
  }

  protected async verify(message: JsonObject, options: StateOptions): Promise<EndSessionResponse> {
    const logoutState = message['state'];
    if (logoutState === undefined) return {};
    if (typeof logoutState !== 'string') throw new VerificationError('checkLogoutState', 'the post-logout redirect\'s state is not a string');
    const session = await this.context.stateDb.getStateBy('logout_state', logoutState);
    if (session === undefined || (options.state !== undefined && options.state !== session)) {
      throw new VerificationError('checkLogoutState', 'the post-logout redirect carries a state this RP did not send');
    }
    return { state: logoutState, session };
  }

  /**
   * Ends the session the redirect belongs to (it may have ended already, by a back-channel
   * logout) and consumes the logout state, so the same redirect cannot be replayed.
   */
  override async updateServiceContext(response: EndSessionResponse): Promise<void> {
    const db = this.context.stateDb;
    if (response.session) await db.removeState(response.session);
    if (response.state) await db.deleteIndex('logout_state', response.state);
  }
}
