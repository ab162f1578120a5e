import type { AuthenticatedRequest, ClientCredentials } from './client-auth.js';

/** `none`: a public client names itself with `client_id` and proves nothing. */
export async function noClientAuth(request: AuthenticatedRequest, client: ClientCredentials): Promise<void> {
  request.body.set('client_id', client.clientId);
}
