import type { OidcError } from '../errors.js';
import type { JsonObject } from '../messages.js';

/** What an RP endpoint did with a request, for whoever watches the RP (a harness, a log). */
export type RpEvent =
  | { type: 'login-start'; state?: string | undefined; error?: OidcError | undefined }
  | { type: 'login'; state: string; userinfo?: JsonObject; idToken?: JsonObject }
  | { type: 'login-failed'; error: OidcError; state?: string | undefined }
  | { type: 'backchannel-logout'; status: 200 | 400; endedSessions: string[]; error?: OidcError | undefined }
  | { type: 'frontchannel-logout'; status: 200 | 400; endedSessions: string[]; error?: OidcError | undefined }
  | { type: 'post-logout'; session?: string | undefined; error?: OidcError | undefined }
  | { type: 'initiate-login'; iss: string; state?: string | undefined; error?: OidcError | undefined };

/** A listener for {@link RpEvent}s. */
export type RpEventListener = (event: RpEvent) => void;
