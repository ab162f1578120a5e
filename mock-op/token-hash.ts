/**
 * The hashes the OP computes over token values: `at_hash` / `c_hash` (OIDC Core 3.3.2.11) and the
 * PKCE S256 code challenge (RFC 7636 4.2).
 *
 * @module
 */
import { createHash } from 'node:crypto';

/**
 * The hash function that goes with a JWS algorithm: SHA-256 for *256 (and for `none`, which has
 * no hash of its own), SHA-384 for *384, SHA-512 for *512 and EdDSA (Ed25519).
 */
export function hashAlgorithmFor(alg: string): 'sha256' | 'sha384' | 'sha512' {
  if (alg.endsWith('384')) return 'sha384';
  if (alg.endsWith('512') || alg === 'EdDSA' || alg === 'Ed25519') return 'sha512';
  return 'sha256';
}

/**
 * `at_hash` / `c_hash`: base64url of the left half of the hash of the ASCII value, the hash being
 * the one of the ID token's `alg`.
 */
export function leftHalfHash(value: string, alg: string): string {
  const digest = createHash(hashAlgorithmFor(alg)).update(value, 'ascii').digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

/** The PKCE S256 code challenge of a verifier: base64url(SHA-256(ASCII(verifier))). */
export function s256CodeChallenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** Whether `value` is a syntactically valid PKCE verifier or challenge (43 to 128 unreserved characters). */
export function isPkceValue(value: string): boolean {
  return /^[A-Za-z0-9\-._~]{43,128}$/.test(value);
}
