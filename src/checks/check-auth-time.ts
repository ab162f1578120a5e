import { VerificationError } from '../errors.js';

/**
 * When `max_age` was asked for (or `require_auth_time` registered), `auth_time` must be present;
 * with `max_age`, the authentication must not be older than it, give or take the clock skew
 * (OpenID Connect Core 3.1.3.7 step 13).
 * @throws {VerificationError} `checkAuthTime`.
 */
export function checkAuthTime(claims: Record<string, unknown>, maxAge: number | undefined, requireAuthTime: boolean, now: number, skew: number): void {
  const authTime = claims['auth_time'];
  if (authTime === undefined) {
    if (maxAge !== undefined || requireAuthTime) {
      throw new VerificationError('checkAuthTime', 'the ID token has no auth_time, though max_age or require_auth_time asked for it');
    }
    return;
  }
  if (typeof authTime !== 'number' || !Number.isFinite(authTime)) {
    throw new VerificationError('checkAuthTime', 'the ID token\'s auth_time is not a number');
  }
  if (maxAge !== undefined && now - skew > authTime + maxAge) {
    throw new VerificationError('checkAuthTime', `the end-user authenticated ${Math.round(now - authTime)} s ago, more than max_age ${maxAge} s`, {
      detail: { auth_time: authTime, max_age: maxAge, now },
    });
  }
}
