import { randomBytes } from 'node:crypto';

/**
 * A random, URL-safe string with `bytes` bytes of entropy (base64url, no padding).
 * Used for `state`, `nonce`, PKCE verifiers and request object names.
 */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
