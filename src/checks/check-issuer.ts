import { VerificationError } from '../errors.js';

/** Issuer identifiers compare equal when they are the same string, a trailing slash aside. */
export function sameIssuer(a: string, b: string): boolean {
  return a.replace(/\/+$/, '') === b.replace(/\/+$/, '');
}

/**
 * `iss` must be the OP's issuer identifier exactly (OpenID Connect Core 3.1.3.7 step 2),
 * unless the configuration says `allow.issuer_mismatch`.
 * @throws {VerificationError} `checkIssuer`.
 */
export function checkIssuer(claims: Record<string, unknown>, expected: string, allowMismatch = false, what = 'ID token'): void {
  const iss = claims['iss'];
  if (typeof iss !== 'string') {
    throw new VerificationError('checkIssuer', `the ${what} has no iss claim`);
  }
  if (iss !== expected && !allowMismatch) {
    throw new VerificationError('checkIssuer', `the ${what}'s issuer "${iss}" does not match the OP's issuer "${expected}"`, {
      detail: { expected, actual: iss },
    });
  }
}
