/**
 * RP-Initiated Logout (OpenID Connect RP-Initiated Logout 1.0) at `<issuer>/end_session`, GET or
 * POST (form).
 *
 * @module
 */
import { compactVerify, decodeJwt, decodeProtectedHeader } from 'jose';
import type { CryptoKey, JWTPayload } from 'jose';
import type { Client } from '../client-metadata.js';
import type { Endpoint } from '../endpoint.js';
import type { Provider } from '../provider.js';
import { errorPage, htmlResponse, methodNotAllowed, redirectResponse, requestParameters } from '../responses.js';

/**
 * Verifies an ID token this OP issued (signature and `iss`; an expired token is still accepted as a
 * hint) and returns its claims with the client it was issued to. Throws when it is not one.
 */
export async function verifyIdTokenHint(token: string, op: Provider): Promise<{ claims: JWTPayload; client: Client }> {
  const header = decodeProtectedHeader(token);
  const claims = decodeJwt(token);
  const aud = Array.isArray(claims.aud) ? claims.aud[0] : claims.aud;
  const client = aud === undefined ? undefined : op.clients.get(aud);
  if (client === undefined) throw new Error('the ID token audience is not a client of this OP');
  if (header.alg === 'none') {
    if (client.id_token_signed_response_alg !== 'none') throw new Error('unsigned ID token');
  } else {
    let key: CryptoKey | Uint8Array;
    if (header.alg === 'RS256') key = op.keys.rs256.publicKey;
    else if (header.alg === 'ES256') key = op.keys.es256.publicKey;
    else if (/^HS(256|384|512)$/.test(header.alg ?? '')) key = new TextEncoder().encode(client.client_secret);
    else throw new Error(`unexpected alg ${String(header.alg)}`);
    await compactVerify(token, key);
  }
  if (claims.iss !== op.issuer) throw new Error('the ID token was not issued by this OP');
  return { claims, client };
}

/**
 * Validates `id_token_hint` (if any), `client_id` (if any, must match the hint's audience) and
 * `post_logout_redirect_uri` (must be registered in the client's `post_logout_redirect_uris`),
 * ends the session and redirects there with `state`; without a redirect URI answers a 200 page.
 * Invalid requests get a 400 page.
 */
export const endSessionEndpoint: Endpoint = async (request, op) => {
  if (request.method !== 'GET' && request.method !== 'POST') return methodNotAllowed(['GET', 'POST']);
  const parsed = await requestParameters(request);
  if (parsed === undefined) return errorPage(400, 'invalid_request', 'a POST logout request must be a form');
  const { params } = parsed;

  let client: Client | undefined;
  const hint = params.get('id_token_hint');
  if (hint !== undefined) {
    try {
      ({ client } = await verifyIdTokenHint(hint, op));
    } catch (error) {
      return errorPage(400, 'invalid_request', `invalid id_token_hint: ${(error as Error).message}`);
    }
  }
  const clientId = params.get('client_id');
  if (clientId !== undefined) {
    if (client !== undefined && client.client_id !== clientId) {
      return errorPage(400, 'invalid_request', 'client_id does not match the id_token_hint audience');
    }
    client = op.clients.get(clientId);
    if (client === undefined) return errorPage(400, 'invalid_request', 'unknown client_id');
  }

  const postLogoutRedirectUri = params.get('post_logout_redirect_uri');
  if (postLogoutRedirectUri !== undefined) {
    if (client === undefined) {
      return errorPage(400, 'invalid_request', 'post_logout_redirect_uri needs id_token_hint or client_id');
    }
    if (!client.post_logout_redirect_uris.includes(postLogoutRedirectUri)) {
      return errorPage(400, 'invalid_request', 'post_logout_redirect_uri is not registered for this client');
    }
  }

  op.logout();
  if (postLogoutRedirectUri === undefined) return htmlResponse('Logged out', '<h1>You have been logged out.</h1>');
  const target = new URL(postLogoutRedirectUri);
  const state = params.get('state');
  if (state !== undefined) target.searchParams.append('state', state);
  return redirectResponse(target.href);
};
