/**
 * Delivering an authorization response (success or error) to the client's redirect URI in a
 * response mode: `query`, `fragment` (OAuth 2.0 Multiple Response Types) or `form_post`
 * (OAuth 2.0 Form Post Response Mode).
 *
 * @module
 */
import type { ResponseMode } from './capabilities.js';
import { NO_STORE, escapeHtml, htmlResponse, noteError, redirectResponse } from './responses.js';

/** The default response mode of a (normalized) response type: `query` for `code`, else `fragment`. */
export function defaultResponseMode(responseType: string): ResponseMode {
  return responseType === 'code' ? 'query' : 'fragment';
}

/**
 * Answers with `params` delivered to `redirectUri`: a 303 redirect with the parameters added to
 * the query (keeping the redirect URI's own query) or put in the fragment, or, for `form_post`,
 * a 200 HTML page with a form of hidden inputs that submits itself to the redirect URI.
 */
export function deliverAuthorizationResponse(
  redirectUri: string,
  mode: ResponseMode,
  params: Readonly<Record<string, string>>,
): Response {
  const response = deliver(redirectUri, mode, params);
  return params.error === undefined ? response : noteError(response, params.error);
}

function deliver(redirectUri: string, mode: ResponseMode, params: Readonly<Record<string, string>>): Response {
  if (mode === 'form_post') return formPostPage(redirectUri, params);
  const url = new URL(redirectUri);
  if (mode === 'query') {
    for (const [name, value] of Object.entries(params)) url.searchParams.append(name, value);
  } else {
    url.hash = new URLSearchParams(params).toString();
  }
  return redirectResponse(url.href);
}

/** The auto-submitting form of the `form_post` response mode. */
export function formPostPage(redirectUri: string, params: Readonly<Record<string, string>>): Response {
  const inputs = Object.entries(params)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}"/>`)
    .join('\n');
  const body =
    `<form method="post" action="${escapeHtml(redirectUri)}">\n${inputs}\n` +
    `<noscript><button type="submit">Continue</button></noscript>\n</form>\n` +
    `<script>document.forms[0].submit();</script>`;
  return htmlResponse('Submit This Form', body, 200, { ...NO_STORE });
}
