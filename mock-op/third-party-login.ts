/**
 * Third-party initiated login (OIDC Core 4): the OP (standing in for the third party) sends the
 * user to the client's `initiate_login_uri` with `iss`, and optionally `login_hint` and
 * `target_link_uri`; the RP is then expected to start an authorization request at that issuer.
 *
 * @module
 */
import type { Provider } from './provider.js';

/** Optional parameters of a third-party initiated login. */
export interface InitiateLoginOptions {
  /** A hint about the user to log in (`login_hint`). */
  readonly login_hint?: string;
  /** Where the RP should send the user after login (`target_link_uri`). */
  readonly target_link_uri?: string;
}

/**
 * The URL the user is sent to: the client's `initiate_login_uri` with `iss` (the issuer) and the
 * given options appended to its query. Throws when the client is unknown or registered none.
 */
export function initiateLoginUrl(op: Provider, clientId: string, options: InitiateLoginOptions = {}): string {
  const client = op.clients.get(clientId);
  if (client === undefined) throw new Error(`unknown client ${clientId}`);
  if (client.initiate_login_uri === undefined) throw new Error(`client ${clientId} registered no initiate_login_uri`);
  const url = new URL(client.initiate_login_uri);
  url.searchParams.append('iss', op.issuer);
  if (options.login_hint !== undefined) url.searchParams.append('login_hint', options.login_hint);
  if (options.target_link_uri !== undefined) url.searchParams.append('target_link_uri', options.target_link_uri);
  return url.href;
}
