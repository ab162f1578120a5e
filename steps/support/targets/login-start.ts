/**
 * How an RP login starts in the real-provider scenarios: the one place that says where the
 * browser goes first. Every sign-in of `features/real-op` goes through {@link loginStartUrl}.
 *
 * Today the RP builds the authorization request (`RelyingParty.beginLogin`) and the browser opens
 * it. When the RP handler serves a login endpoint of its own (which binds the login to the
 * browser with a cookie, and after which `finishLogin` requires the expected state), this is the
 * function to change: return that endpoint's URL with the same arguments. Chromium keeps the
 * cookie by itself, and the scenarios take the session's `state` from the RP's `login` event, not
 * from here, so nothing else changes.
 */
import type { AuthorizationArgs, RelyingParty, RpHandler } from '../../../src/index.js';

/** Where the browser goes to start a login with `args`. */
export async function loginStartUrl(rp: RelyingParty, _handler: RpHandler, args: AuthorizationArgs): Promise<string> {
  const { url } = await rp.beginLogin(args);
  return url;
}
