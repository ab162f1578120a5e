import { checkHttps } from '../checks/check-https.js';
import { ConfigurationError } from '../errors.js';
import type { JsonObject, RegistrationResponse } from '../messages.js';
import type { RequestParameters } from '../transport/http.js';
import { checkRegistrationResponse, recordRegistration } from './registration.js';
import { Service } from './service.js';

/**
 * Reads the client's registration back (OpenID Connect Dynamic Client Registration 1.0, 4):
 * GET `registration_client_uri` with the registration access token as a Bearer token.
 */
export class RegistrationRead extends Service<Record<string, never>, RegistrationResponse> {
  readonly serviceName = 'registration_read' as const;
  protected readonly what = 'registration read response';

  /**
   * @throws {ConfigurationError} `registrationRead` when the RP has no registration to read.
   * @throws {VerificationError} `checkHttps` when the `registration_client_uri` is not https.
   */
  async getRequestParameters(): Promise<RequestParameters> {
    const uri = this.context.registrationResponse?.registration_client_uri;
    const token = this.context.registrationAccessToken;
    if (!uri || !token) {
      throw new ConfigurationError('registrationRead', 'there is no registration_client_uri and registration_access_token to read the registration with');
    }
    // The registration access token goes there: an OP-supplied URL, https only.
    checkHttps(uri, this.context.allow.http_links === true, 'registration_client_uri');
    return { method: 'GET', url: uri, headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' } };
  }

  /** @throws {ResponseError} `checkRegistrationResponse`. */
  protected async verify(message: JsonObject): Promise<RegistrationResponse> {
    return checkRegistrationResponse(message);
  }

  /** @inheritDoc */
  override async updateServiceContext(response: RegistrationResponse): Promise<void> {
    await recordRegistration(this.context, response);
  }
}
