/**
 * RP-Initiated Logout (OpenID Connect RP-Initiated Logout 1.0) at `<issuer>/end_session`, GET or
 * POST (form), with the logout notifications of Back-Channel Logout 1.0 (POSTed before answering)
 * and Front-Channel Logout 1.0 (an HTML page of iframes).
 *
 * @module
 */
import { compactVerify, decodeJwt, decodeProtectedHeader } from 'jose';
import type { CryptoKey, JWTPayload } from 'jose';
import type { Client } from '../client-metadata.js';
import { hookContext } from '../endpoint.js';
import type { Endpoint } from '../endpoint.js';
import { signingKeyFor } from '../jwt-signing.js';
import { endSession } from '../logout.js';
import type { Provider } from '../provider.js';
import { errorPage, escapeHtml, htmlResponse, methodNotAllowed, NO_STORE, redirectResponse, requestParameters } from '../responses.js';

/**
 * Verifies an ID token this OP issued and returns its claims (empty for an encrypted one) with the
 * client it was issued to. An ID token the OP remembers issuing (`op.issuedIdTokens`) is accepted
 * as it is, even encrypted or signed with a key rotated out since; any other must be a JWS signed
 * with a current or retired OP key (or the client secret, for HS*) with this issuer. An expired
 * token is still accepted as a hint. Throws when it is not one.
 */
export async function verifyIdTokenHint(token: string, op: Provider): Promise<{ claims: JWTPayload; client: Client }> {
  const issuedTo = op.issuedIdTokens.get(token);
  if (issuedTo !== undefined) {
    const client = op.clients.get(issuedTo);
    if (client === undefined) throw new Error('the ID token was issued to a client that no longer exists');
    return { claims: token.split('.').length === 3 ? decodeJwt(token) : {}, client };
  }
  const header = decodeProtectedHeader(token);
  const claims = decodeJwt(token);
  const aud = Array.isArray(claims.aud) ? claims.aud[0] : claims.aud;
  const client = aud === undefined ? undefined : op.clients.get(aud);
  if (client === undefined) throw new Error('the ID token audience is not a client of this OP');
  if (header.alg === 'none') {
    if (client.id_token_signed_response_alg !== 'none') throw new Error('unsigned ID token');
  } else {
    let key: CryptoKey | Uint8Array;
    const alg = header.alg ?? '';
    const retired = op.retiredKeys.find((k) => k.kid === header.kid && k.alg === alg);
    const current = signingKeyFor(alg, op.keys);
    if (retired !== undefined) key = retired.publicKey;
    else if (current !== undefined) key = current.publicKey;
    else if (/^HS(256|384|512)$/.test(alg)) key = new TextEncoder().encode(client.client_secret);
    else throw new Error(`unexpected alg ${alg}`);
    await compactVerify(token, key);
  }
  if (claims.iss !== op.issuer) throw new Error('the ID token was not issued by this OP');
  return { claims, client };
}

/**
 * The page that loads each front-channel logout URI in an iframe, then (when a post-logout
 * redirect is due) sends the browser on once every iframe has loaded (or after 5 s). The URIs are
 * also in `data-frontchannel-logout-uri` attributes for harnesses that read the page.
 */
export function frontchannelLogoutPage(uris: readonly string[], redirectTo: string | undefined): Response {
  const frames = uris
    .map(
      (uri) =>
        `<iframe class="frontchannel-logout" data-frontchannel-logout-uri="${escapeHtml(uri)}" src="${escapeHtml(uri)}" ` +
        `width="0" height="0" style="border:0"></iframe>`,
    )
    .join('\n');
  const onward =
    redirectTo === undefined
      ? ''
      : `<p><a id="continue" href="${escapeHtml(redirectTo)}">Continue</a></p>\n<script>\n(function () {\n` +
        `  var target = ${JSON.stringify(redirectTo).replaceAll('<', '\\u003c')};\n` +
        `  var frames = document.querySelectorAll('iframe.frontchannel-logout');\n` +
        `  var pending = frames.length; var gone = false;\n` +
        `  function go() { if (!gone) { gone = true; window.location.href = target; } }\n` +
        `  frames.forEach(function (f) { f.addEventListener('load', function () { if (--pending <= 0) go(); }); });\n` +
        `  if (pending === 0) go();\n  setTimeout(go, 5000);\n})();\n</script>`;
  return htmlResponse('Logged out', `<h1>You have been logged out.</h1>\n<div id="frontchannel-logout">\n${frames}\n</div>\n${onward}`, 200, {
    ...NO_STORE,
  });
}

/**
 * Validates `id_token_hint` (if any), `client_id` (if any, must match the hint's audience) and
 * `post_logout_redirect_uri` (must be registered in the client's `post_logout_redirect_uris`),
 * ends the session (notifying the session's clients: back-channel POSTs awaited, front-channel
 * URIs rendered as iframes), and redirects to the post-logout URI with `state` (through the
 * `postLogoutState` hook): a 303, or a 200 page of iframes that redirects once they have loaded
 * when there are front-channel URIs. Without a redirect URI it answers a 200 page. Invalid
 * requests get a 400 page and end nothing.
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

  const record = await endSession(op, { trigger: 'end-session', ...(client === undefined ? {} : { clientId: client.client_id }) });
  let target: string | undefined;
  if (postLogoutRedirectUri !== undefined) {
    const url = new URL(postLogoutRedirectUri);
    const state = await op.behaviour.postLogoutState(params.get('state'), hookContext(op, request, 'end-session', client));
    if (state !== undefined) url.searchParams.append('state', state);
    target = url.href;
  }
  if (record.frontchannelUris.length > 0) return frontchannelLogoutPage(record.frontchannelUris, target);
  if (target === undefined) return htmlResponse('Logged out', '<h1>You have been logged out.</h1>');
  return redirectResponse(target);
};
