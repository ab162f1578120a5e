import { VerificationError } from '../errors.js';

/**
 * `iat` must be a number, and not in the future beyond the clock skew
 * (OpenID Connect Core 2 and 3.1.3.7 step 10).
 * @throws {VerificationError} `checkIssuedAt`.
 */
export function checkIssuedAt(claims: Record<string, unknown>, now: number, skew: number, what = 'ID token'): void {
  const iat = claims['iat'];
  if (typeof iat !== 'number' || !Number.isFinite(iat)) {
    throw new VerificationError('checkIssuedAt', `the ${what} has no numeric iat claim`);
  }
  if (iat > now + skew) {
    throw new VerificationError('checkIssuedAt', `the ${what} was issued ${Math.round(iat - now)} s in the future`, { detail: { iat, now, skew } });
  }
}
