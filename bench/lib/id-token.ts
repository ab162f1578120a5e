/**
 * ID token verification: this layer's `verifyIdToken` (decryption check, signature with an allowed
 * algorithm and the key chosen from the key jar, then iss, sub, aud, azp, exp, iat, nbf, nonce,
 * at_hash / c_hash / s_hash and auth_time) against `jose.jwtVerify` alone (signature, and exp/nbf
 * when present) with the OP's RS256 public key already imported: the floor that any checking adds to.
 */
import { decodeJwt, decodeProtectedHeader, importJWK, jwtVerify, type CryptoKey, type JWK } from 'jose';
import { type ServiceContext } from '../../src/index.js';
import { verifyIdToken } from '../../src/id-token/verify-id-token.js';
import { corruptSignature } from './conversation.js';

/** What both contestants verify. */
export interface IdTokenFixture {
  token: string;
  accessToken: string | undefined;
  context: ServiceContext;
  key: CryptoKey;
  alg: string;
}

/** The fixture from a finished login: the ID token the token endpoint issued and the RP's context. */
export async function idTokenFixture(token: string, accessToken: string | undefined, context: ServiceContext, jwks: { keys: JWK[] }): Promise<IdTokenFixture> {
  const header = decodeProtectedHeader(token);
  if (header.alg !== 'RS256') throw new Error(`expected an RS256 ID token, got ${String(header.alg)}`);
  const jwk = jwks.keys.find((k) => k.kid === header.kid);
  if (!jwk) throw new Error(`no OP key with kid ${String(header.kid)}`);
  const key = (await importJWK(jwk, 'RS256')) as CryptoKey;
  return { token, accessToken, context, key, alg: 'RS256' };
}

/** This layer, all checks (as the token endpoint's response is verified). */
export function oursVerify(f: IdTokenFixture, token = f.token): () => Promise<unknown> {
  const nonce = decodeJwt(f.token)['nonce'];
  return () => verifyIdToken(token, f.context, { source: 'token', nonce: typeof nonce === 'string' ? nonce : undefined, accessToken: f.accessToken });
}

/** jose alone: signature (and exp / nbf, which jwtVerify always checks). */
export function joseVerify(f: IdTokenFixture, token = f.token): () => Promise<unknown> {
  return () => jwtVerify(token, f.key, { algorithms: [f.alg] });
}

/** Both must accept the token and refuse it with a corrupted signature. */
export async function idTokenSanity(f: IdTokenFixture): Promise<{ oursAccepts: boolean; oursRejectsBad: boolean; joseAccepts: boolean; joseRejectsBad: boolean }> {
  const bad = corruptSignature(f.token);
  const settles = async (run: () => Promise<unknown>): Promise<boolean> => run().then(() => true, () => false);
  return {
    oursAccepts: await settles(oursVerify(f)),
    oursRejectsBad: !(await settles(oursVerify(f, bad))),
    joseAccepts: await settles(joseVerify(f)),
    joseRejectsBad: !(await settles(joseVerify(f, bad))),
  };
}
