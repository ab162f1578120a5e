/**
 * Which message of a conversation carried what the RP is to refuse in a certification test, by
 * the test's rejection point: the ID token in the token endpoint's answer (code flow) or in the
 * browser's callback to the RP (or, as the OP's log sees it, in the authorization answer), the
 * userinfo answer, the discovery document, the OP's back-channel logout request... For the
 * sequence diagram, which draws that message red.
 *
 * @module
 */
import type { ConversationExchange } from './conversation.js';

/** Of an exchange, the message that carried the refused thing: its request, its answer, or neither. */
export type Carrier = (exchange: ConversationExchange) => 'request' | 'answer' | false;

/** Whether the exchange's path ends with `name` (`/token`, `/rp3/userinfo`). */
function endsWith(exchange: ConversationExchange, name: string): boolean {
  return exchange.path === name || exchange.path.endsWith(name);
}

/** The front channel's answer: the browser's callback to the RP, or the OP's answer at `endpoint` to the browser. */
function frontChannel(endpoint: string): Carrier {
  return (e) => (e.from === 'browser' && e.to === 'RP' ? 'request' : e.from === 'browser' && e.to === 'OP' && endsWith(e, endpoint) ? 'answer' : false);
}

/**
 * The carrier of what a test's RP refuses (`rejectedAt`, the catalogue's rejection point), with the
 * response type of the run; `undefined` when the test names none.
 */
export function refusedCarrier(rejectedAt: string | undefined, responseType: string): Carrier | undefined {
  switch (rejectedAt) {
    case 'id-token':
      return responseType.split(' ').includes('id_token') ? frontChannel('/authorization') : (e) => (e.from === 'RP' && e.method === 'POST' && endsWith(e, '/token') ? 'answer' : false);
    case 'refreshed-id-token':
      return (e) => (e.from === 'RP' && e.method === 'POST' && endsWith(e, '/token') ? 'answer' : false);
    case 'userinfo':
      return (e) => (e.from === 'RP' && endsWith(e, '/userinfo') ? 'answer' : false);
    case 'discovery':
      return (e) => (e.from === 'RP' && endsWith(e, '/.well-known/openid-configuration') ? 'answer' : false);
    case 'webfinger':
      return (e) => (e.from === 'RP' && endsWith(e, '/.well-known/webfinger') ? 'answer' : false);
    case 'logout-token':
      return (e) => (e.from === 'OP' && e.to === 'RP' ? 'request' : false);
    case 'post-logout-redirect':
      return frontChannel('/end_session');
    case 'authorization-error':
      return frontChannel('/authorization');
    default:
      return undefined;
  }
}
