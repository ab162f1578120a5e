import { pendingDistributedSources } from '../claims/claim-sources.js';
import { OidcError, VerificationError } from '../errors.js';
import type { RelyingParty } from '../relying-party.js';
import { serviceRequest } from '../service-request.js';
import type { RpEvent } from './events.js';
import { failure, html, json } from './responses.js';

/** The field in which the fragment page posts the fragment back. */
export const FRAGMENT_FIELD = 'url_fragment';

/**
 * A page for the implicit and hybrid flows: the fragment never reaches the server, so the page posts
 * it back to the same URL (as the rphandler of the oidcservice documentation does).
 */
export function fragmentRepostPage(action: string): string {
  return `<!doctype html><html><head><title>Completing sign-in</title></head><body>
<form id="f" method="post" action="${action.replace(/"/g, '&quot;')}"><input type="hidden" name="${FRAGMENT_FIELD}" id="v"></form>
<script>document.getElementById('v').value = location.hash.slice(1); document.getElementById('f').submit();</script>
<noscript>JavaScript is needed to complete the sign-in.</noscript></body></html>`;
}

/**
 * Completes a login at the redirect URI: verifies the authorization response (query, form post, or
 * the fragment the repost page sends), exchanges the code when there is one, and reads the user's
 * claims (distributed ones included) when there is an access token.
 */
export async function completeLogin(rp: RelyingParty, params: URLSearchParams, emit: (event: RpEvent) => void): Promise<Response> {
  let state: string | undefined;
  try {
    const returned = params.get('state');
    if (!returned) throw new VerificationError('checkState', 'the response has no state parameter');
    const { authorization, token } = await rp.finishLogin(params, returned);
    state = authorization.state;
    const accessToken = token?.access_token ?? authorization.access_token;
    let userinfo;
    if (accessToken && rp.context.providerInfo?.userinfo_endpoint) {
      userinfo = await rp.userInfo(state);
      for (const source of pendingDistributedSources(userinfo)) {
        await serviceRequest(rp.services.distributed_claims, rp.transport, { state, source: source.name }, { state });
      }
      userinfo = (await rp.context.stateDb.getItem('user_info', state)) ?? userinfo;
    }
    const idToken = token?.verified_id_token ?? authorization.verified_id_token;
    emit({ type: 'login', state, ...(userinfo ? { userinfo } : {}), ...(idToken ? { idToken } : {}) });
    return json({ state, sub: idToken?.['sub'], userinfo: userinfo ?? null });
  } catch (error) {
    if (error instanceof OidcError) emit({ type: 'login-failed', error, state: state ?? params.get('state') ?? undefined });
    return failure(error);
  }
}

/** Handles a request to a redirect URI. */
export async function redirectEndpoint(rp: RelyingParty, request: Request, emit: (event: RpEvent) => void): Promise<Response> {
  const url = new URL(request.url);
  if (request.method === 'GET') {
    if (url.search.length > 1) return completeLogin(rp, url.searchParams, emit);
    return html(fragmentRepostPage(url.pathname));
  }
  if (request.method === 'POST') {
    const form = new URLSearchParams(await request.text());
    const fragment = form.get(FRAGMENT_FIELD);
    return completeLogin(rp, fragment === null ? form : new URLSearchParams(fragment), emit);
  }
  return json({ error: 'method_not_allowed' }, 405);
}
