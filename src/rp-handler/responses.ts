import { CapacityError, OidcError } from '../errors.js';

/** Headers every RP endpoint answer carries: nothing is cached. */
const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

/** Headers one answer adds: `Set-Cookie` values, each its own header. */
export type ExtraHeaders = ReadonlyArray<readonly [string, string]>;

function headersOf(base: Record<string, string>, extra: ExtraHeaders): Headers {
  const headers = new Headers(base);
  for (const [name, value] of extra) headers.append(name, value);
  return headers;
}

/** A JSON answer. */
export function json(body: unknown, status = 200, extra: ExtraHeaders = []): Response {
  return new Response(JSON.stringify(body), { status, headers: headersOf({ ...NO_STORE, 'Content-Type': 'application/json' }, extra) });
}

/** An HTML answer. */
export function html(body: string, status = 200): Response {
  return new Response(body, { status, headers: { ...NO_STORE, 'Content-Type': 'text/html; charset=utf-8' } });
}

/** A redirect of the user agent. */
export function redirect(location: string, status = 302, extra: ExtraHeaders = []): Response {
  return new Response(null, { status, headers: headersOf({ ...NO_STORE, Location: location }, extra) });
}

/**
 * An error answer naming the failed check; the message never carries a secret (see
 * {@link OidcError}). A {@link CapacityError} (the RP at one of its bounds) is a 503.
 */
export function failure(error: unknown, status = 400, extra: ExtraHeaders = []): Response {
  if (error instanceof OidcError) return json({ error: error.name, check: error.check, message: error.message }, error instanceof CapacityError ? 503 : status, extra);
  return json({ error: 'internal_error', message: 'the RP failed unexpectedly' }, 500, extra);
}

/** Escapes text for HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}
