/**
 * Building Fetch API responses: JSON, OAuth errors, HTML pages, redirects; and reading form bodies.
 *
 * @module
 */

/** The OAuth error code each error response answers with (see {@link noteError}). */
const ERRORS = new WeakMap<Response, string>();

/**
 * Notes that `response` carries the OAuth error `error` (in a JSON body, an error page, or the
 * parameters of an authorization response), so that the request log can say so without reading
 * the body again. Returns `response`.
 */
export function noteError(response: Response, error: string): Response {
  ERRORS.set(response, error);
  return response;
}

/** The OAuth error code `response` answers with, when it is an error response of this OP. */
export function errorOf(response: Response): string | undefined {
  return ERRORS.get(response);
}

/** Headers that keep token-bearing responses out of caches. */
export const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' } as const;

/** A JSON response. */
export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers },
  });
}

/** An OAuth 2.0 error response body (RFC 6749 5.2). */
export interface OAuthErrorBody {
  error: string;
  error_description?: string;
}

/** An OAuth 2.0 error as JSON with `Cache-Control: no-store`. */
export function oauthErrorResponse(
  status: number,
  error: string,
  description?: string,
  headers: Record<string, string> = {},
): Response {
  const body: OAuthErrorBody = description === undefined ? { error } : { error, error_description: description };
  return noteError(jsonResponse(body, status, { ...NO_STORE, ...headers }), error);
}

/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** A small HTML page; `bodyHtml` must already be escaped. */
export function htmlResponse(title: string, bodyHtml: string, status = 200, headers: Record<string, string> = {}): Response {
  const html =
    `<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>` +
    `<body>${bodyHtml}</body></html>\n`;
  return new Response(html, { status, headers: { 'Content-Type': 'text/html; charset=utf-8', ...headers } });
}

/**
 * The error page shown when the OP cannot redirect an error back to the client (unknown client,
 * unregistered redirect URI...). It carries the error code and description as text and in
 * `data-` attributes so a harness can read it.
 */
export function errorPage(status: number, error: string, description: string): Response {
  const body =
    `<h1>${escapeHtml(error)}</h1>` +
    `<p id="error" data-error="${escapeHtml(error)}" data-error-description="${escapeHtml(description)}">` +
    `${escapeHtml(description)}</p>`;
  return noteError(htmlResponse(`Error: ${error}`, body, status, { ...NO_STORE }), error);
}

/** A 303 See Other redirect. */
export function redirectResponse(location: string, headers: Record<string, string> = {}): Response {
  return new Response(null, { status: 303, headers: { Location: location, ...NO_STORE, ...headers } });
}

/** A 405 Method Not Allowed naming the allowed methods. */
export function methodNotAllowed(allowed: readonly string[]): Response {
  return oauthErrorResponse(405, 'invalid_request', `method not allowed; use ${allowed.join(' or ')}`, {
    Allow: allowed.join(', '),
  });
}

/** The media type of a request or response, lower-cased and without parameters. */
export function mediaType(headers: Headers): string {
  return (headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
}

/**
 * The parameters of a request: the query for GET, the form body (which must be
 * `application/x-www-form-urlencoded`) for POST. Returns `undefined` for a POST with another
 * content type. A parameter repeated is an error in OAuth (RFC 6749 3.1): those names are returned
 * in `repeated`.
 */
export async function requestParameters(
  request: Request,
): Promise<{ params: Map<string, string>; repeated: string[] } | undefined> {
  let search: URLSearchParams;
  if (request.method === 'POST') {
    if (mediaType(request.headers) !== 'application/x-www-form-urlencoded') return undefined;
    search = new URLSearchParams(await request.text());
  } else {
    search = new URL(request.url).searchParams;
  }
  return paramsFrom(search);
}

/**
 * A parameter map from `URLSearchParams`, with the names of repeated parameters. Empty values are
 * treated as omitted (RFC 6749 3.1).
 */
export function paramsFrom(search: URLSearchParams): { params: Map<string, string>; repeated: string[] } {
  const params = new Map<string, string>();
  const repeated = new Set<string>();
  for (const [name, value] of search) {
    if (value === '') continue; // RFC 6749 3.1: parameters without a value are treated as omitted
    if (params.has(name)) repeated.add(name);
    else params.set(name, value);
  }
  return { params, repeated: [...repeated] };
}
