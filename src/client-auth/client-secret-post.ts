import { ConfigurationError } from '../errors.js';
import type { AuthenticatedRequest, ClientCredentials } from './client-auth.js';

/**
 * `client_secret_post`: the client id and secret in the form body.
 * @throws {ConfigurationError} `clientAuth` without a client secret.
 */
export async function clientSecretPost(request: AuthenticatedRequest, client: ClientCredentials): Promise<void> {
  if (!client.clientSecret) throw new ConfigurationError('clientAuth', 'client_secret_post needs a client secret');
  request.body.set('client_id', client.clientId);
  request.body.set('client_secret', client.clientSecret);
}
