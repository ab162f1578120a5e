/**
 * The MSW request handlers of a mock OP: one catch-all handler for the issuer's origin that
 * delegates to the OP's Fetch API handler and passes on (returns nothing) when the URL is not the
 * OP's, so several OPs on one origin can share a server.
 *
 * @module
 */
// msw's HTTP handlers by their own entry point: the package's main one also loads GraphQL's
// parser (130 modules) for the GraphQL handlers, which the mock OP never uses.
import { http } from 'msw/core/http';
import type { RequestHandler } from 'msw';

/**
 * MSW handlers that send every request to `origin` through `handle`. When `handle` returns
 * `undefined` MSW tries the next handler (or applies its unhandled-request policy).
 */
export function mswHandlers(origin: string, handle: (request: Request) => Promise<Response | undefined>): RequestHandler[] {
  const below = `${origin}/`;
  // A predicate rather than a pattern: MSW matches a pattern through path-to-regexp, request by
  // request.
  return [http.all(({ request }) => request.url === origin || request.url.startsWith(below), async ({ request }) => handle(request))];
}
