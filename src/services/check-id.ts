import { checkHttps } from '../checks/check-https.js';
import { checkAudience } from '../checks/check-audience.js';
import { checkExpiry } from '../checks/check-expiry.js';
import { checkIssuer } from '../checks/check-issuer.js';
import { checkSameSubject } from '../checks/check-same-subject.js';
import { ConfigurationError, ResponseError, VerificationError, missingStateError } from '../errors.js';
import type { JsonObject } from '../messages.js';
import type { RequestParameters } from '../transport/http.js';
import { Service, type StateOptions } from './service.js';
import { latestIdToken, sessionIdToken } from './session-tokens.js';

/** Arguments of a check-ID request. */
export interface CheckIdArgs {
  /** The session whose ID token is checked. Required. */
  state: string;
  /** The OP's check ID endpoint; default the provider info's `check_id_endpoint`. */
  endpoint?: string;
}

/**
 * Asks the OP whether the session's ID token is still good: POSTs it as `id_token` to the OP's
 * check ID endpoint (the `CheckID` service of the oidcservice documentation), which answers with the token's claims
 * as JSON. The answer must be about the same issuer, client and subject, and not expired.
 */
export class CheckID extends Service<CheckIdArgs, JsonObject> {
  readonly serviceName = 'check_id' as const;
  protected readonly what = 'check ID response';

  /**
   * @throws {ConfigurationError} `contextEndpoint` when no endpoint is known.
   * @throws {ResponseError} `sessionIdToken` when the session has no ID token.
   */
  async getRequestParameters(args?: CheckIdArgs): Promise<RequestParameters> {
    if (typeof args?.state !== 'string' || args.state === '') throw missingStateError('a check ID request', args?.state);
    const endpoint = args.endpoint ?? this.context.providerInfo?.['check_id_endpoint'];
    if (typeof endpoint !== 'string') throw new ConfigurationError('contextEndpoint', 'the OP has no check_id_endpoint');
    checkHttps(endpoint, this.context.allow.http_links === true, 'check_id_endpoint');
    const idToken = await latestIdToken(this.context.stateDb, args.state);
    if (!idToken) throw new ResponseError('sessionIdToken', 'the session has no ID token to check');
    return {
      method: 'POST',
      url: endpoint,
      body: new URLSearchParams({ id_token: idToken }).toString(),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    };
  }

  /** @throws {VerificationError} `checkIssuer`, `checkAudience`, `checkExpiry`, `checkSameSubject`. */
  protected async verify(message: JsonObject, options: StateOptions): Promise<JsonObject> {
    checkIssuer(message, this.context.requireIssuer(), this.context.allow.issuer_mismatch === true, 'check ID response');
    checkAudience(message, this.context.requireClientId(), this.context.trustedAudiences, 'check ID response');
    checkExpiry(message, this.context.now(), this.context.clockSkew, 'check ID response');
    if (options.state) checkSameSubject((await sessionIdToken(this.context.stateDb, options.state)).claims, message, 'check ID response');
    return message;
  }
}
