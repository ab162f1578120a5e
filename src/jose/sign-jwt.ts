import { CompactEncrypt, SignJWT, base64url } from 'jose';
import { ConfigurationError } from '../errors.js';
import type { KeyJar } from '../key-jar.js';
import type { JsonObject } from '../messages.js';

/** How {@link signJwt} signs. */
export interface SignJwtOptions {
  /** The JWS algorithm; `none` makes an unsecured JWT. */
  alg: string;
  /** The RP's key jar (for asymmetric algorithms). */
  keyJar: KeyJar;
  /** The client secret (for HS*). */
  clientSecret?: string | undefined;
  /** The `typ` header, when one is wanted (`oauth-authz-req+jwt`, say). */
  typ?: string;
}

/**
 * Signs `payload` as a compact JWS from the RP: with its own private key (`kid` in the header),
 * with the client secret for HS*, or unsigned for `none`.
 * @throws {ConfigurationError} `signJwt` when the RP has no key for `alg`.
 */
export async function signJwt(payload: JsonObject, options: SignJwtOptions): Promise<string> {
  const { alg } = options;
  if (alg === 'none') {
    const header = base64url.encode(JSON.stringify({ alg: 'none', ...(options.typ ? { typ: options.typ } : {}) }));
    return `${header}.${base64url.encode(JSON.stringify(payload))}.`;
  }
  const jwt = new SignJWT(payload);
  if (alg.startsWith('HS')) {
    if (!options.clientSecret) throw new ConfigurationError('signJwt', `signing with ${alg} needs a client secret`);
    return jwt.setProtectedHeader({ alg, ...(options.typ ? { typ: options.typ } : {}) }).sign(new TextEncoder().encode(options.clientSecret));
  }
  let selected;
  try {
    selected = await options.keyJar.ownSigningKey(alg);
  } catch (cause) {
    throw new ConfigurationError('signJwt', `the RP has no private key for ${alg}`, { cause });
  }
  return jwt
    .setProtectedHeader({ alg, ...(selected.jwk.kid ? { kid: selected.jwk.kid } : {}), ...(options.typ ? { typ: options.typ } : {}) })
    .sign(selected.key);
}

/** How {@link encryptJwt} encrypts. */
export interface EncryptJwtOptions {
  /** The key management algorithm (`RSA-OAEP`, `ECDH-ES+A128KW`, `A128KW`, ...). */
  alg: string;
  /** The content encryption algorithm (default `A128CBC-HS256`). */
  enc?: string;
  /** The issuer whose public key the JWE is for. */
  issuer: string;
  /** The key jar holding that issuer's keys. */
  keyJar: KeyJar;
  /** The client secret, for symmetric key wrapping. */
  clientSecret?: string | undefined;
}

/**
 * Encrypts a compact JWS (or any text) to the OP as a nested JWT (`cty: JWT`).
 * @throws {ConfigurationError} `encryptJwt` when no key of the OP fits `alg`.
 */
export async function encryptJwt(jws: string, options: EncryptJwtOptions): Promise<string> {
  const enc = options.enc ?? 'A128CBC-HS256';
  const { alg } = options;
  const jwe = new CompactEncrypt(new TextEncoder().encode(jws));
  if (/^A(128|192|256)KW$/.test(alg)) {
    if (!options.clientSecret) throw new ConfigurationError('encryptJwt', `encrypting with ${alg} needs a client secret`);
    const bits = Number(alg.slice(1, 4));
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(options.clientSecret)));
    return jwe.setProtectedHeader({ alg, enc, cty: 'JWT' }).encrypt(digest.subarray(0, bits / 8));
  }
  let selected;
  try {
    selected = await options.keyJar.encryptionKey(options.issuer, alg);
  } catch (cause) {
    throw new ConfigurationError('encryptJwt', `the OP publishes no key for ${alg}`, { cause });
  }
  return jwe
    .setProtectedHeader({ alg, enc, cty: 'JWT', ...(selected.jwk.kid ? { kid: selected.jwk.kid } : {}) })
    .encrypt(selected.key);
}
