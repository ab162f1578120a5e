/**
 * Session Management 1.0 endpoints: the OP iframe at `<issuer>/check_session` (the advertised
 * `check_session_iframe`) and the OP browser state it reads at `<issuer>/check_session/browser_state`.
 *
 * @module
 */
import type { Endpoint } from '../endpoint.js';
import { methodNotAllowed, NO_STORE } from '../responses.js';
import { checkSessionIframeHtml } from '../session-management.js';

/** Serves the OP iframe (HTML and script, see `session-management.ts`). */
export const checkSessionEndpoint: Endpoint = async (request, op) => {
  if (request.method !== 'GET') return methodNotAllowed(['GET']);
  return new Response(checkSessionIframeHtml(op), {
    status: 200,
    headers: { 'Content-Type': 'text/html; charset=utf-8', ...NO_STORE },
  });
};

/**
 * Answers the current OP browser state as `text/plain` for `?client_id=` a registered client;
 * 404 for an unknown one (the iframe then answers `error`).
 */
export const browserStateEndpoint: Endpoint = async (request, op) => {
  if (request.method !== 'GET') return methodNotAllowed(['GET']);
  const clientId = new URL(request.url).searchParams.get('client_id');
  if (clientId === null || !op.clients.has(clientId)) {
    return new Response('unknown client', { status: 404, headers: { 'Content-Type': 'text/plain', ...NO_STORE } });
  }
  return new Response(op.browserState, { status: 200, headers: { 'Content-Type': 'text/plain', ...NO_STORE } });
};
