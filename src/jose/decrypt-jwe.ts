import { compactDecrypt, decodeProtectedHeader, type CryptoKey } from 'jose';
import { ResponseError, VerificationError } from '../errors.js';
import type { KeyJar } from '../key-jar.js';

/** What {@link decryptJwe} needs to know. */
export interface DecryptJweOptions {
  /** The RP's key jar, holding its decryption keys. */
  keyJar: KeyJar;
  /** The client secret, for symmetric key wrapping (`A128KW`, ...) and `dir`. */
  clientSecret?: string | undefined;
  /** The registered `*_encrypted_response_alg`, if any: the JWE must use it. */
  expectedAlg?: string | undefined;
  /** The registered `*_encrypted_response_enc`, if any. */
  expectedEnc?: string | undefined;
  /** A word for messages. */
  what?: string;
}

async function symmetricKey(secret: string, alg: string, enc: string): Promise<Uint8Array> {
  // OpenID Connect Core 10.2: the key is the left-most bits of the SHA-256 (or larger) hash of the secret.
  const bits = alg === 'dir' ? ({ 'A128CBC-HS256': 256, 'A192CBC-HS384': 384, 'A256CBC-HS512': 512, A128GCM: 128, A192GCM: 192, A256GCM: 256 }[enc] ?? 256) : Number(alg.slice(1, 4));
  const hash = bits <= 256 ? 'SHA-256' : bits <= 384 ? 'SHA-384' : 'SHA-512';
  const digest = new Uint8Array(await crypto.subtle.digest(hash, new TextEncoder().encode(secret)));
  return digest.subarray(0, bits / 8);
}

/**
 * Decrypts a compact JWE addressed to the RP (an encrypted ID token or userinfo response).
 * @throws {VerificationError} `checkEncryptionAlgorithm` when the JWE uses another alg or enc than
 *   registered; `checkDecryption` when no key of the RP opens it.
 */
export async function decryptJwe(token: string, options: DecryptJweOptions): Promise<string> {
  const what = options.what ?? 'token';
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(token);
  } catch (cause) {
    throw new ResponseError('checkJwtFormat', `the encrypted ${what} does not parse`, { cause });
  }
  const { alg, enc, kid } = header;
  if (typeof alg !== 'string' || typeof enc !== 'string') {
    throw new ResponseError('checkJwtFormat', `the encrypted ${what} has no alg or enc`);
  }
  if ((options.expectedAlg && alg !== options.expectedAlg) || (options.expectedEnc && enc !== options.expectedEnc)) {
    throw new VerificationError('checkEncryptionAlgorithm', `the ${what} is encrypted with ${alg}/${enc}, registered ${options.expectedAlg ?? 'any'}/${options.expectedEnc ?? 'any'}`, {
      detail: { alg, enc },
    });
  }
  let keys: Array<CryptoKey | Uint8Array>;
  if (alg === 'dir' || /^A(128|192|256)(GCM)?KW$/.test(alg)) {
    if (!options.clientSecret) throw new VerificationError('checkDecryption', `the ${what} uses ${alg}, which needs a client secret the RP does not have`);
    keys = [await symmetricKey(options.clientSecret, alg.replace('GCMKW', 'KW'), enc)];
  } else {
    keys = (await options.keyJar.ownDecryptionKeys(alg, typeof kid === 'string' ? kid : undefined)).map((k) => k.key);
    if (keys.length === 0 && typeof kid === 'string') {
      keys = (await options.keyJar.ownDecryptionKeys(alg)).map((k) => k.key);
    }
  }
  for (const key of keys) {
    try {
      const { plaintext } = await compactDecrypt(token, key, { keyManagementAlgorithms: [alg], contentEncryptionAlgorithms: [enc] });
      return new TextDecoder().decode(plaintext);
    } catch {
      // try the next key
    }
  }
  throw new VerificationError('checkDecryption', `no key of the RP decrypts the ${what} (${alg}/${enc})`, { detail: { alg, enc } });
}
