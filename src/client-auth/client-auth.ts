import { ConfigurationError } from '../errors.js';
import type { KeyJar } from '../key-jar.js';
import { clientSecretBasic } from './client-secret-basic.js';
import { clientSecretJwt } from './client-secret-jwt.js';
import { clientSecretPost } from './client-secret-post.js';
import { noClientAuth } from './none.js';
import { privateKeyJwt } from './private-key-jwt.js';

/** The client authentication methods at the token endpoint (OpenID Connect Core 9). */
export const CLIENT_AUTH_METHODS: readonly string[] = ['client_secret_basic', 'client_secret_post', 'client_secret_jwt', 'private_key_jwt', 'none'];

/** A request under construction: the form body and the headers. */
export interface AuthenticatedRequest {
  body: URLSearchParams;
  headers: Record<string, string>;
}

/** What a client authentication method needs to know about the client. */
export interface ClientCredentials {
  clientId: string;
  clientSecret?: string | undefined;
  keyJar: KeyJar;
  /** The audience of a client assertion: the token endpoint URL. */
  audience: string;
  /** The algorithm for `client_secret_jwt` / `private_key_jwt` (registered `token_endpoint_auth_signing_alg`). */
  signingAlg?: string | undefined;
}

/** One client authentication method: adds what it needs to the request. */
export type ClientAuthMethod = (request: AuthenticatedRequest, client: ClientCredentials) => Promise<void>;

const METHODS: Record<string, ClientAuthMethod> = {
  client_secret_basic: clientSecretBasic,
  client_secret_post: clientSecretPost,
  client_secret_jwt: clientSecretJwt,
  private_key_jwt: privateKeyJwt,
  none: noClientAuth,
};

/**
 * Authenticates a token-endpoint request with `method`.
 * @throws {ConfigurationError} `clientAuth` for an unknown method or missing credentials.
 */
export async function applyClientAuth(method: string, request: AuthenticatedRequest, client: ClientCredentials): Promise<void> {
  const apply = METHODS[method];
  if (!apply) throw new ConfigurationError('clientAuth', `unknown client authentication method "${method}"`);
  await apply(request, client);
}
