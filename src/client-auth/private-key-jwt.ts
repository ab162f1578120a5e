import type { AuthenticatedRequest, ClientCredentials } from './client-auth.js';
import { addClientAssertion } from './client-assertion.js';

/**
 * `private_key_jwt`: a client assertion signed with the RP's own private key (RS256 unless
 * another asymmetric algorithm is registered).
 */
export async function privateKeyJwt(request: AuthenticatedRequest, client: ClientCredentials): Promise<void> {
  const alg = client.signingAlg && !client.signingAlg.startsWith('HS') ? client.signingAlg : 'RS256';
  await addClientAssertion(request, client, alg);
}
