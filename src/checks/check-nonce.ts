import { VerificationError } from '../errors.js';

/**
 * When the authentication request carried a nonce, the ID token's `nonce` must be present and
 * equal to it (OpenID Connect Core 3.1.3.7 step 11).
 * @throws {VerificationError} `checkNonce`.
 */
export function checkNonce(claims: Record<string, unknown>, expected: string | undefined): void {
  if (expected === undefined) return;
  const nonce = claims['nonce'];
  if (nonce === undefined) {
    throw new VerificationError('checkNonce', 'the ID token has no nonce, but the request sent one');
  }
  if (nonce !== expected) {
    throw new VerificationError('checkNonce', 'the ID token\'s nonce is not the one sent in the request');
  }
}
