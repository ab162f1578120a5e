import { ConfigurationError } from '../errors.js';
import type { AuthenticatedRequest, ClientCredentials } from './client-auth.js';

/** RFC 6749 2.3.1 (and appendix B): each credential is form-urlencoded before joining and base64. */
const formEncode = (value: string): string => encodeURIComponent(value).replace(/%20/g, '+').replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * `client_secret_basic`: HTTP Basic authentication with the client id and secret.
 * @throws {ConfigurationError} `clientAuth` without a client secret.
 */
export async function clientSecretBasic(request: AuthenticatedRequest, client: ClientCredentials): Promise<void> {
  if (!client.clientSecret) throw new ConfigurationError('clientAuth', 'client_secret_basic needs a client secret');
  const credentials = Buffer.from(`${formEncode(client.clientId)}:${formEncode(client.clientSecret)}`).toString('base64');
  request.headers['Authorization'] = `Basic ${credentials}`;
}
