/**
 * OpenID Connect Session Management 1.0: the `session_state` of authorization responses, the OP
 * iframe served at `check_session_iframe`, and the same check as a TypeScript function for
 * harnesses without a browser.
 *
 * `session_state` is `hex(SHA-256(client_id + " " + origin + " " + opbs + " " + salt)) + "." + salt`
 * (the spec's example computation, hex digest), where `origin` is the origin of the redirect URI,
 * `opbs` the OP browser state (`Provider.browserState`, changed by every new session and every
 * logout) and `salt` 16 random hex digits.
 *
 * There is one browser in this mock, so the iframe does not read a cookie: it fetches the browser
 * state from `<issuer>/check_session/browser_state?client_id=...` (404 for an unknown client, which
 * the iframe reports as `error`) and computes the hash with WebCrypto.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import type { Provider } from './provider.js';
import { randomHex } from './random.js';

/** What the OP iframe answers to an RP iframe's `postMessage`. */
export type CheckSessionAnswer = 'changed' | 'unchanged' | 'error';

/** The SHA-256 hex digest of `clientId origin opbs salt`. */
function sessionHash(clientId: string, origin: string, browserState: string, salt: string): string {
  return createHash('sha256').update(`${clientId} ${origin} ${browserState} ${salt}`, 'utf8').digest('hex');
}

/** The `session_state` for `clientId` at `origin` with the OP's current browser state. */
export function sessionState(op: Provider, clientId: string, origin: string, salt: string = randomHex(8)): string {
  return `${sessionHash(clientId, origin, op.browserState, salt)}.${salt}`;
}

/**
 * What the OP iframe would answer to the message `clientId + " " + sessionState` from an RP page
 * at `origin`: `unchanged` when the session state still matches the OP browser state, `changed`
 * when it does not (the user logged out or in again), `error` when the client is unknown or the
 * session state is malformed.
 */
export function checkSession(op: Provider, clientId: string, origin: string, state: string): CheckSessionAnswer {
  if (!op.clients.has(clientId)) return 'error';
  const dot = state.lastIndexOf('.');
  if (dot <= 0 || dot === state.length - 1) return 'error';
  const salt = state.slice(dot + 1);
  return sessionHash(clientId, origin, op.browserState, salt) === state.slice(0, dot) ? 'unchanged' : 'changed';
}

/** The HTML and script of the OP iframe (`check_session_iframe`) of `op`. */
export function checkSessionIframeHtml(op: Provider): string {
  const browserStateUrl = JSON.stringify(op.endpointUrl('browser-state'));
  return `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>OP iframe</title></head><body>
<script>
(function () {
  var BROWSER_STATE_URL = ${browserStateUrl.replaceAll('<', '\\u003c')};
  function hex(buffer) {
    return Array.prototype.map.call(new Uint8Array(buffer), function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
  }
  window.addEventListener('message', function (e) {
    var reply = function (answer) { if (e.source) e.source.postMessage(answer, e.origin); };
    if (typeof e.data !== 'string') return;
    var space = e.data.lastIndexOf(' ');
    if (space <= 0) { reply('error'); return; }
    var clientId = e.data.slice(0, space);
    var state = e.data.slice(space + 1);
    var dot = state.lastIndexOf('.');
    if (dot <= 0 || dot === state.length - 1 || !window.crypto || !window.crypto.subtle) { reply('error'); return; }
    var salt = state.slice(dot + 1);
    fetch(BROWSER_STATE_URL + '?client_id=' + encodeURIComponent(clientId), { cache: 'no-store' })
      .then(function (r) { if (r.status !== 200) throw new Error('unknown client'); return r.text(); })
      .then(function (opbs) {
        var data = new TextEncoder().encode(clientId + ' ' + e.origin + ' ' + opbs + ' ' + salt);
        return window.crypto.subtle.digest('SHA-256', data);
      })
      .then(function (digest) { reply(hex(digest) + '.' + salt === state ? 'unchanged' : 'changed'); })
      .catch(function () { reply('error'); });
  }, false);
})();
</script>
</body></html>
`;
}
