/**
 * Third-party initiated login for browsers: `<issuer>/initiate_login?client_id=...` (optionally
 * `login_hint`, `target_link_uri`) redirects to the client's `initiate_login_uri` with `iss`
 * (see `third-party-login.ts`; `Provider.initiateLoginUrl` gives the same URL without a request).
 *
 * @module
 */
import type { Endpoint } from '../endpoint.js';
import { errorPage, methodNotAllowed, redirectResponse } from '../responses.js';
import { initiateLoginUrl } from '../third-party-login.js';

/** Redirects (303) to the client's login initiation URI; 400 page for an unknown client or one without it. */
export const initiateLoginEndpoint: Endpoint = async (request, op) => {
  if (request.method !== 'GET') return methodNotAllowed(['GET']);
  const query = new URL(request.url).searchParams;
  const clientId = query.get('client_id');
  if (clientId === null) return errorPage(400, 'invalid_request', 'client_id is required');
  const loginHint = query.get('login_hint');
  const target = query.get('target_link_uri');
  try {
    return redirectResponse(
      initiateLoginUrl(op, clientId, {
        ...(loginHint === null ? {} : { login_hint: loginHint }),
        ...(target === null ? {} : { target_link_uri: target }),
      }),
    );
  } catch (error) {
    return errorPage(400, 'invalid_request', (error as Error).message);
  }
};
