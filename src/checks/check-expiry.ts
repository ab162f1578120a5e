import { VerificationError } from '../errors.js';

/**
 * `exp` must be a number and the current time before it, give or take the clock skew
 * (OpenID Connect Core 3.1.3.7 step 9).
 * @param now seconds since the epoch. @param skew seconds of tolerated clock difference.
 * @throws {VerificationError} `checkExpiry`.
 */
export function checkExpiry(claims: Record<string, unknown>, now: number, skew: number, what = 'ID token'): void {
  const exp = claims['exp'];
  if (typeof exp !== 'number' || !Number.isFinite(exp)) {
    throw new VerificationError('checkExpiry', `the ${what} has no numeric exp claim`);
  }
  if (now - skew >= exp) {
    throw new VerificationError('checkExpiry', `the ${what} expired ${Math.round(now - exp)} s ago`, { detail: { exp, now, skew } });
  }
}
