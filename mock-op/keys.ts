/**
 * The OP's own key material: an RS256 and an ES256 signing key and an RSA-OAEP encryption key.
 *
 * RSA key generation takes 120 to 370 ms, so {@link generateOpKeys} is meant to be called once per
 * run and its result handed to every mock OP created in that run.
 *
 * @module
 */
import { calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import type { CryptoKey, JSONWebKeySet, JWK } from 'jose';

/** One asymmetric key pair of the OP, with its public JWK as published in the JWKS. */
export interface OpKey {
  /** Key id: the RFC 7638 JWK thumbprint (SHA-256) of the public key. */
  readonly kid: string;
  /** The algorithm the key is for. */
  readonly alg: 'RS256' | 'ES256' | 'RSA-OAEP';
  /** `sig` for signing keys, `enc` for the encryption key. */
  readonly use: 'sig' | 'enc';
  /** The private key (extractable, so that a misbehaviour could re-export it). */
  readonly privateKey: CryptoKey;
  /** The public key. */
  readonly publicKey: CryptoKey;
  /** The public JWK with `kid`, `use` and `alg`; never holds private parameters. */
  readonly publicJwk: JWK;
}

/** The full key material of an OP. */
export interface OpKeys {
  /** RSA 2048 signing key, the default for ID tokens. */
  readonly rs256: OpKey;
  /** P-256 signing key. */
  readonly es256: OpKey;
  /** RSA 2048 encryption key (RSA-OAEP): clients may encrypt request objects to it. */
  readonly encryption: OpKey;
}

/** Members of a JWK that carry private key material; they must never be published. */
const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k', 'priv'] as const;

async function makeKey(alg: OpKey['alg'], use: OpKey['use']): Promise<OpKey> {
  const options = alg === 'ES256' ? { extractable: true } : { extractable: true, modulusLength: 2048 };
  const { privateKey, publicKey } = await generateKeyPair(alg, options);
  const exported = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(exported, 'sha256');
  return { kid, alg, use, privateKey, publicKey, publicJwk: { ...exported, kid, use, alg } };
}

/**
 * Generates a fresh set of OP keys. Slow (two RSA keys): call once per run and share the result
 * between OPs through the `keys` option of `createMockOp`.
 */
export async function generateOpKeys(): Promise<OpKeys> {
  const [rs256, es256, encryption] = await Promise.all([
    makeKey('RS256', 'sig'),
    makeKey('ES256', 'sig'),
    makeKey('RSA-OAEP', 'enc'),
  ]);
  return { rs256, es256, encryption };
}

/**
 * Removes every private member from a JWK. Defensive: the published JWKs come from public keys,
 * but a behaviour hook may build its own set.
 */
export function stripPrivateMembers(jwk: JWK): JWK {
  const copy: Record<string, unknown> = { ...jwk };
  for (const member of PRIVATE_JWK_MEMBERS) delete copy[member];
  return copy as JWK;
}

/** The OP's public JWKS: both signing keys and the encryption key, public parameters only. */
export function publicJwks(keys: OpKeys): JSONWebKeySet {
  return { keys: [keys.rs256, keys.es256, keys.encryption].map((k) => stripPrivateMembers(k.publicJwk)) };
}
