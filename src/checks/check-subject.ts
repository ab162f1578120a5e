import { VerificationError } from '../errors.js';

/**
 * `sub` must be present, a string, and at most 255 ASCII characters (OpenID Connect Core 2).
 * @throws {VerificationError} `checkSubject`.
 */
export function checkSubject(claims: Record<string, unknown>, what = 'ID token'): void {
  const sub = claims['sub'];
  if (typeof sub !== 'string' || sub.length === 0) {
    throw new VerificationError('checkSubject', `the ${what} has no sub claim`);
  }
  if (sub.length > 255) {
    throw new VerificationError('checkSubject', `the ${what}'s sub claim is longer than 255 characters`);
  }
}
