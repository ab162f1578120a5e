import { ResponseError, VerificationError, missingStateError } from '../errors.js';
import type { JsonObject } from '../messages.js';
import type { RequestParameters } from '../transport/http.js';
import { Service, type ResponseInput, type StateOptions } from './service.js';

/** Arguments of a session check. */
export interface CheckSessionArgs {
  /** The session to check. Required. */
  state: string;
}

/** What the OP's check-session iframe answered. */
export interface CheckSessionResponse extends JsonObject {
  status: 'changed' | 'unchanged' | 'error';
}

/**
 * Session management (OpenID Connect Session Management 1.0): the request is the OP's
 * `check_session_iframe` to load, and {@link CheckSession.message} the text the RP's iframe posts
 * to it (`client_id + " " + session_state`); the response is the iframe's answer.
 */
export class CheckSession extends Service<CheckSessionArgs, CheckSessionResponse> {
  readonly serviceName = 'check_session' as const;
  protected readonly what = 'check-session answer';

  /** The OP iframe's URL. @throws {VerificationError} `checkState` for an unknown session. */
  async getRequestParameters(args?: CheckSessionArgs): Promise<RequestParameters> {
    if (typeof args?.state !== 'string' || args.state === '') throw missingStateError('a session check', args?.state);
    await this.context.stateDb.getState(args.state);
    return { method: 'GET', url: this.context.endpoint('check_session_iframe') };
  }

  /**
   * The message the RP's iframe posts to the OP's: `client_id session_state`.
   * @throws {ResponseError} `checkSessionState` when the authorization response carried no `session_state`.
   */
  async message(state: string): Promise<string> {
    const response = await this.context.stateDb.getItem('auth_response', state);
    const sessionState = response?.['session_state'];
    if (typeof sessionState !== 'string') throw new ResponseError('checkSessionState', 'the authorization response carried no session_state');
    return `${this.context.requireClientId()} ${sessionState}`;
  }

  /** Reads `changed`, `unchanged` or `error`. */
  override async parseResponse(input: ResponseInput, options: StateOptions = {}): Promise<CheckSessionResponse> {
    return super.parseResponse(typeof input === 'string' ? { status: input.trim() } : input, options);
  }

  /** @throws {ResponseError} `checkSessionStatus` for any other answer. */
  protected async verify(message: JsonObject): Promise<CheckSessionResponse> {
    const status = message['status'];
    if (status !== 'changed' && status !== 'unchanged' && status !== 'error') {
      throw new ResponseError('checkSessionStatus', 'the check-session iframe answered neither changed, unchanged nor error');
    }
    return { status };
  }
}
