import { ConfigurationError } from '../errors.js';
import type { AuthenticatedRequest, ClientCredentials } from './client-auth.js';
import { addClientAssertion } from './client-assertion.js';

/**
 * `client_secret_jwt`: a client assertion signed with HMAC over the client secret (HS256 unless
 * another HS algorithm is registered).
 * @throws {ConfigurationError} `clientAuth` without a client secret.
 */
export async function clientSecretJwt(request: AuthenticatedRequest, client: ClientCredentials): Promise<void> {
  if (!client.clientSecret) throw new ConfigurationError('clientAuth', 'client_secret_jwt needs a client secret');
  const alg = client.signingAlg?.startsWith('HS') ? client.signingAlg : 'HS256';
  await addClientAssertion(request, client, alg);
}
