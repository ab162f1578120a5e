/**
 * Encrypting responses to a client (OIDC Core 10.2): ID tokens and UserInfo as compact JWEs.
 *
 * - RSA-OAEP, RSA-OAEP-256 and ECDH-ES(+A*KW) encrypt to a public key of the client's `jwks` (or
 *   its `jwks_uri`, fetched with the global `fetch`): the first key of the right type whose `use` is
 *   `enc` or absent and whose `alg` is the algorithm or absent. Its `kid`, if any, goes in the header.
 * - A128KW, A192KW, A256KW, A*GCMKW and `dir` use a symmetric key derived from the client secret:
 *   the left-most bits of the SHA-256 hash of its UTF-8 octets (SHA-384 / SHA-512 for keys of more
 *   than 256 / 384 bits, which only `dir` with A192CBC-HS384 / A256CBC-HS512 needs).
 *
 * @module
 */
import { CompactEncrypt, importJWK } from 'jose';
import type { CryptoKey, JWK } from 'jose';
import { createHash } from 'node:crypto';
import type { ResponseEncryptionAlg, ResponseEncryptionEnc } from './capabilities.js';
import { clientJwks } from './client-jwt.js';
import type { Client } from './client-metadata.js';

/** How to encrypt one response. */
export interface ResponseEncryption {
  /** Key management algorithm. */
  readonly alg: ResponseEncryptionAlg | string;
  /** Content encryption algorithm. */
  readonly enc: ResponseEncryptionEnc | string;
  /** `cty` header: `JWT` when the plaintext is a signed JWT (a nested JWT). */
  readonly cty?: string;
}

/** Key sizes in bits of the symmetric key management algorithms. */
const KEY_WRAP_BITS: Readonly<Record<string, number>> = {
  A128KW: 128,
  A192KW: 192,
  A256KW: 256,
  A128GCMKW: 128,
  A192GCMKW: 192,
  A256GCMKW: 256,
};

/** Content encryption key sizes in bits (what `dir` needs). */
const CEK_BITS: Readonly<Record<string, number>> = {
  'A128CBC-HS256': 256,
  'A192CBC-HS384': 384,
  'A256CBC-HS512': 512,
  A128GCM: 128,
  A192GCM: 192,
  A256GCM: 256,
};

/**
 * The symmetric key derived from a client secret for a key of `bits` bits (OIDC Core 10.2): the
 * left-most bits of SHA-256 (up to 256 bits), SHA-384 (up to 384) or SHA-512 of the secret's UTF-8
 * octets.
 */
export function clientSecretKey(secret: string, bits: number): Uint8Array {
  const hash = bits <= 256 ? 'sha256' : bits <= 384 ? 'sha384' : 'sha512';
  const digest = createHash(hash).update(secret, 'utf8').digest();
  return new Uint8Array(digest.subarray(0, bits / 8));
}

/** Whether `alg` uses a key derived from the client secret rather than a client public key. */
export function isSymmetricEncryptionAlg(alg: string): boolean {
  return alg === 'dir' || KEY_WRAP_BITS[alg] !== undefined;
}

/** The symmetric key of `alg` / `enc` for a client secret (`alg` symmetric, see {@link isSymmetricEncryptionAlg}). */
export function symmetricEncryptionKey(alg: string, enc: string, secret: string): Uint8Array {
  const bits = alg === 'dir' ? CEK_BITS[enc] : KEY_WRAP_BITS[alg];
  if (bits === undefined) throw new Error(`no symmetric key size for ${alg} / ${enc}`);
  return clientSecretKey(secret, bits);
}

/** The JWK types that can receive `alg`. */
function keyTypesFor(alg: string): readonly string[] {
  if (alg.startsWith('RSA-OAEP')) return ['RSA'];
  if (alg.startsWith('ECDH-ES')) return ['EC', 'OKP'];
  return [];
}

/**
 * The client public key to encrypt to with `alg`: from its `jwks` or `jwks_uri`. Throws when the
 * client has no suitable key.
 */
export async function clientEncryptionKey(client: Client, alg: string): Promise<{ key: CryptoKey | Uint8Array; kid?: string }> {
  const types = keyTypesFor(alg);
  const jwks = await clientJwks(client);
  const jwk = jwks.keys.find(
    (k: JWK) =>
      types.includes(String(k.kty)) &&
      (k.use === undefined || k.use === 'enc') &&
      (k.alg === undefined || k.alg === alg) &&
      (k.key_ops === undefined || k.key_ops.includes('encrypt') || k.key_ops.includes('wrapKey') || k.key_ops.includes('deriveKey')),
  );
  if (jwk === undefined) throw new Error(`client ${client.client_id} has no ${types.join('/')} key for ${alg}`);
  const { d: _private, ...publicPart } = jwk;
  const key = await importJWK({ ...publicPart, alg, ext: true }, alg);
  return jwk.kid === undefined ? { key } : { key, kid: jwk.kid };
}

/** Encrypts `plaintext` to `client` as a compact JWE with the given `alg`, `enc` and optional `cty`. */
export async function encryptResponse(plaintext: Uint8Array, client: Client, encryption: ResponseEncryption): Promise<string> {
  const { alg, enc } = encryption;
  let key: CryptoKey | Uint8Array;
  let kid: string | undefined;
  if (isSymmetricEncryptionAlg(alg)) key = symmetricEncryptionKey(alg, enc, client.client_secret);
  else ({ key, kid } = await clientEncryptionKey(client, alg));
  return new CompactEncrypt(plaintext)
    .setProtectedHeader({
      alg,
      enc,
      ...(encryption.cty === undefined ? {} : { cty: encryption.cty }),
      ...(kid === undefined ? {} : { kid }),
    })
    .encrypt(key);
}
