import { VerificationError, type CheckName } from '../errors.js';
import { leftHalfHash } from '../jose/hash-claim.js';

/** Which hash claim: `at_hash` (access token), `c_hash` (code), `s_hash` (state). */
export type HashClaim = 'at_hash' | 'c_hash' | 's_hash';

const CHECK_NAMES: Record<HashClaim, CheckName> = { at_hash: 'checkAtHash', c_hash: 'checkCHash', s_hash: 'checkSHash' };

function checkHash(claim: HashClaim, claims: Record<string, unknown>, value: string | undefined, alg: string, required: boolean): void {
  const check = CHECK_NAMES[claim];
  const hash = claims[claim];
  if (hash === undefined) {
    if (required) throw new VerificationError(check, `the ID token has no ${claim}, which this response type requires`);
    return;
  }
  if (value === undefined) return;
  const expected = leftHalfHash(value, alg);
  if (expected === undefined) {
    throw new VerificationError(check, `the ID token carries ${claim} but its algorithm ${alg} defines no hash`);
  }
  if (hash !== expected) {
    throw new VerificationError(check, `the ID token's ${claim} does not match the value it covers`);
  }
}

/**
 * `at_hash` must match the access token issued with the ID token; it is required when the ID
 * token comes from the authorization endpoint with an access token (OpenID Connect Core 3.2.2.9, 3.3.2.9).
 * @throws {VerificationError} `checkAtHash`.
 */
export function checkAtHash(claims: Record<string, unknown>, accessToken: string | undefined, alg: string, required: boolean): void {
  checkHash('at_hash', claims, accessToken, alg, required);
}

/**
 * `c_hash` must match the code issued with the ID token; it is required in the hybrid flow's
 * authorization response (OpenID Connect Core 3.3.2.10).
 * @throws {VerificationError} `checkCHash`.
 */
export function checkCHash(claims: Record<string, unknown>, code: string | undefined, alg: string, required: boolean): void {
  checkHash('c_hash', claims, code, alg, required);
}

/**
 * `s_hash` must match the `state` when present (Financial-grade API, OpenID Connect Core errata).
 * @throws {VerificationError} `checkSHash`.
 */
export function checkSHash(claims: Record<string, unknown>, state: string | undefined, alg: string, required: boolean): void {
  checkHash('s_hash', claims, state, alg, required);
}
