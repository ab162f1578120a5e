import { VerificationError } from '../errors.js';

/** The event a back-channel logout token must carry (OpenID Connect Back-Channel Logout 1.0, 2.4). */
export const BACKCHANNEL_LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';

/**
 * The logout token's `events` claim must be a JSON object with the back-channel logout member,
 * whose value is a JSON object (Back-Channel Logout 1.0, 2.6 step 4).
 * @throws {VerificationError} `checkLogoutEvent`.
 */
export function checkLogoutEvent(claims: Record<string, unknown>): void {
  const events = claims['events'];
  if (events === null || typeof events !== 'object' || Array.isArray(events)) {
    throw new VerificationError('checkLogoutEvent', 'the logout token has no events claim');
  }
  const event = (events as Record<string, unknown>)[BACKCHANNEL_LOGOUT_EVENT];
  if (event === null || typeof event !== 'object' || Array.isArray(event)) {
    throw new VerificationError('checkLogoutEvent', `the logout token's events claim has no ${BACKCHANNEL_LOGOUT_EVENT} member`);
  }
}

/**
 * A logout token must not carry a `nonce` (Back-Channel Logout 1.0, 2.6 step 6): that keeps an
 * ID token from being replayed as a logout token.
 * @throws {VerificationError} `checkLogoutNonce`.
 */
export function checkLogoutNonce(claims: Record<string, unknown>): void {
  if (claims['nonce'] !== undefined) {
    throw new VerificationError('checkLogoutNonce', 'the logout token carries a nonce, which a logout token must not');
  }
}

/**
 * A logout token names whom to log out: `sub`, `sid` or both, as strings (2.6 step 5).
 * @throws {VerificationError} `checkLogoutSubject`.
 */
export function checkLogoutSubject(claims: Record<string, unknown>): void {
  const { sub, sid } = claims;
  if (sub === undefined && sid === undefined) {
    throw new VerificationError('checkLogoutSubject', 'the logout token has neither sub nor sid');
  }
  if ((sub !== undefined && typeof sub !== 'string') || (sid !== undefined && typeof sid !== 'string')) {
    throw new VerificationError('checkLogoutSubject', 'the logout token\'s sub or sid is not a string');
  }
}

/**
 * A logout token must have a `jti` (2.4), the key of replay detection.
 * @throws {VerificationError} `checkJwtId`.
 */
export function checkJwtId(claims: Record<string, unknown>): string {
  const jti = claims['jti'];
  if (typeof jti !== 'string' || jti.length === 0) {
    throw new VerificationError('checkJwtId', 'the logout token has no jti');
  }
  return jti;
}
