/**
 * How an RP login starts in the real-provider scenarios: the one place that says where the
 * browser goes first. The browser opens the RP's login URI, where the RP handler binds the login
 * to the browser with its login cookie and sends it on to the provider's authorization endpoint;
 * Chromium keeps the cookie by itself, and the RP's redirect endpoint then requires it.
 */
import type { AuthorizationArgs, LoginArguments, RelyingParty } from '../../../src/index.js';

/** The arguments of the next login, handed to the RP handler when the browser reaches its login URI. */
export class LoginStart {
  #args: AuthorizationArgs = {};

  /** The RP handler's `loginArguments`: the arguments of the login the browser starts next. */
  readonly loginArguments: LoginArguments = () => this.#args;

  /** Where the browser goes to start a login with `args`: the RP's login URI. */
  url(rp: RelyingParty, args: AuthorizationArgs): string {
    this.#args = args;
    return rp.context.loginUri;
  }
}
