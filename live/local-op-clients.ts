/**
 * Static client registrations for the local OP, in OAuth 2.0 Dynamic Client Registration
 * metadata names (which is what oidc-provider's `clients` setting takes).
 */
import { randomBytes } from 'node:crypto';
import type { JWK } from 'jose';

/** How a local OP client authenticates at the token endpoint. */
export type LocalClientAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt';

/** One statically registered client of the local OP. */
export interface LocalOpClient {
  client_id: string;
  /** Required for the client_secret_* methods. */
  client_secret?: string;
  token_endpoint_auth_method: LocalClientAuthMethod;
  /** The client's public keys; required for private_key_jwt. */
  jwks?: { keys: JWK[] };
  redirect_uris: string[];
  post_logout_redirect_uris?: string[];
  grant_types: Array<'authorization_code' | 'refresh_token'>;
  response_types: Array<'code'>;
}

/**
 * Three code-flow clients sharing the RP's redirect and post-logout URIs, one per token endpoint
 * authentication method: `local-basic` (client_secret_basic), `local-post` (client_secret_post)
 * and `local-jwt` (private_key_jwt with `rpPublicJwks`). Secrets are random per call; read them
 * from the returned objects.
 */
export function defaultLocalClients(
  redirectUri: string,
  postLogoutUri: string,
  rpPublicJwks: { keys: JWK[] },
): LocalOpClient[] {
  const common = {
    redirect_uris: [redirectUri],
    post_logout_redirect_uris: [postLogoutUri],
    grant_types: ['authorization_code', 'refresh_token'] as LocalOpClient['grant_types'],
    response_types: ['code'] as LocalOpClient['response_types'],
  };
  return [
    {
      ...common,
      client_id: 'local-basic',
      client_secret: randomBytes(32).toString('base64url'),
      token_endpoint_auth_method: 'client_secret_basic',
    },
    {
      ...common,
      client_id: 'local-post',
      client_secret: randomBytes(32).toString('base64url'),
      token_endpoint_auth_method: 'client_secret_post',
    },
    {
      ...common,
      client_id: 'local-jwt',
      token_endpoint_auth_method: 'private_key_jwt',
      jwks: rpPublicJwks,
    },
  ];
}
