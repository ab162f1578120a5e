import { OidcError } from '../errors.js';

/** Headers every RP endpoint answer carries: nothing is cached. */
const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

/** A JSON answer. */
export function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...NO_STORE, 'Content-Type': 'application/json' } });
}

/** An HTML answer. */
export function html(body: string, status = 200): Response {
  return new Response(body, { status, headers: { ...NO_STORE, 'Content-Type': 'text/html; charset=utf-8' } });
}

/** A redirect of the user agent. */
export function redirect(location: string, status = 302): Response {
  return new Response(null, { status, headers: { ...NO_STORE, Location: location } });
}

/** An error answer naming the failed check; the message never carries a secret (see {@link OidcError}). */
export function failure(error: unknown, status = 400): Response {
  if (error instanceof OidcError) return json({ error: error.name, check: error.check, message: error.message }, status);
  return json({ error: 'internal_error', message: 'the RP failed unexpectedly' }, 500);
}

/** Escapes text for HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}
