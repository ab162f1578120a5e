import { pendingDistributedSources } from '../claims/claim-sources.js';
import { OidcError, VerificationError } from '../errors.js';
import type { RelyingParty } from '../relying-party.js';
import { serviceRequest } from '../service-request.js';
import type { RpEvent } from './events.js';
import { clearLoginCookie, loginCookieName, requestCookie } from './login-cookie.js';
import { failure, html, json, type ExtraHeaders } from './responses.js';

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
 * Completes a login at the redirect URI: the response's state must be that of a login this
 * browser started (its login cookie is there, checked against the login's binding), which is then
 * consumed; the authorization response is verified (query, form post, or the fragment the repost
 * page sends), the code exchanged when there is one, and the user's claims read (distributed
 * ones included) when there is an access token. The login cookie is cleared, whatever the outcome.
 * @param request the browser's request, whose `Cookie` header carries the login cookie.
 */
export async function completeLogin(rp: RelyingParty, params: URLSearchParams, emit: (event: RpEvent) => void, request: Request): Promise<Response> {
  const returned = params.get('state') ?? undefined;
  const secure = new URL(rp.context.baseUrl).protocol === 'https:';
  const binding = returned === undefined ? undefined : requestCookie(request, loginCookieName(returned, secure));
  // Whatever happens, the browser's cookie for this login has served: it goes.
  const clear: ExtraHeaders = returned !== undefined && binding !== undefined ? [['Set-Cookie', clearLoginCookie(returned, secure)]] : [];
  let state: string | undefined;
  try {
    if (returned === undefined || returned === '') throw new VerificationError('checkState', 'the response has no state parameter');
    // Before anything else, and before any request to the OP: without this browser's login cookie
    // the response is someone else's (login CSRF).
    if (binding === undefined) throw new VerificationError('checkBrowserBinding', 'this browser did not start the login this response belongs to: it brought no login cookie for its state');
    const { authorization, token } = await rp.finishLogin(params, { state: returned, browserBinding: binding });
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
    return json({ state, sub: idToken?.['sub'], userinfo: userinfo ?? null }, 200, clear);
  } catch (error) {
    if (error instanceof OidcError) emit({ type: 'login-failed', error, state: state ?? returned });
    return failure(error, 400, clear);
  }
}

/** Handles a request to a redirect URI. */
export async function redirectEndpoint(rp: RelyingParty, request: Request, emit: (event: RpEvent) => void): Promise<Response> {
  const url = new URL(request.url);
  if (request.method === 'GET') {
    if (url.search.length > 1) return completeLogin(rp, url.searchParams, emit, request);
    return html(fragmentRepostPage(url.pathname));
  }
  if (request.method === 'POST') {
    const form = new URLSearchParams(await request.text());
    const fragment = form.get(FRAGMENT_FIELD);
    return completeLogin(rp, fragment === null ? form : new URLSearchParams(fragment), emit, request);
  }
  return json({ error: 'method_not_allowed' }, 405);
}
