import { createHash } from 'node:crypto';

/**
 * The hash for `at_hash`, `c_hash` and `s_hash` (OpenID Connect Core 3.1.3.6, 3.3.2.11): the
 * left-most half of the hash of the ASCII value, with the hash function of the JWS `alg`
 * (SHA-512 for EdDSA with Ed25519), base64url-encoded.
 * @returns `undefined` when `alg` has no defined hash (`none`, say).
 */
export function leftHalfHash(value: string, alg: string): string | undefined {
  const bits = /^(?:RS|PS|ES|HS)(256|384|512)$/.exec(alg)?.[1] ?? (alg === 'EdDSA' || alg === 'Ed25519' ? '512' : undefined);
  if (bits === undefined) return undefined;
  const digest = createHash(`sha${bits}`).update(value, 'ascii').digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}
