import { VerificationError } from '../errors.js';

/**
 * When `nbf` is present, the current time must not be before it, give or take the clock skew.
 * @throws {VerificationError} `checkNotBefore`.
 */
export function checkNotBefore(claims: Record<string, unknown>, now: number, skew: number, what = 'ID token'): void {
  const nbf = claims['nbf'];
  if (nbf === undefined) return;
  if (typeof nbf !== 'number' || !Number.isFinite(nbf)) {
    throw new VerificationError('checkNotBefore', `the ${what}'s nbf claim is not a number`);
  }
  if (nbf > now + skew) {
    throw new VerificationError('checkNotBefore', `the ${what} is not valid for another ${Math.round(nbf - now)} s`, { detail: { nbf, now, skew } });
  }
}
