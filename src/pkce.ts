import { createHash } from 'node:crypto';
import { randomToken } from './random.js';

/** A PKCE pair (RFC 7636): the verifier kept by the RP and the challenge sent. */
export interface PkcePair {
  code_verifier: string;
  code_challenge: string;
  code_challenge_method: 'S256';
}

/** The S256 challenge of a verifier: base64url(SHA-256(verifier)). */
export function s256(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** A fresh verifier (43 characters, 256 bits) and its S256 challenge. */
export function createPkcePair(): PkcePair {
  const code_verifier = randomToken(32);
  return { code_verifier, code_challenge: s256(code_verifier), code_challenge_method: 'S256' };
}
