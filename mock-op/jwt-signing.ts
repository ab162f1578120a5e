/**
 * Producing the JWTs the OP signs (ID tokens, signed UserInfo, logout tokens, claims-source JWTs),
 * with the key chosen by the header's `alg`, and the `jwtHeader` / `jwt` behaviour hooks applied
 * where they belong.
 *
 * @module
 */
import { CompactSign, base64url } from 'jose';
import type { CryptoKey } from 'jose';
import type { JwtHeader, JwtHookContext } from './behaviour.js';
import type { Client } from './client-metadata.js';
import type { OpKey, OpKeys } from './keys.js';
import { encryptResponse } from './response-encryption.js';

/** The OP key that signs with `alg` (RS256, PS256, ES256, EdDSA), `undefined` for other algorithms. */
export function signingKeyFor(alg: string, keys: OpKeys): OpKey | undefined {
  switch (alg) {
    case 'RS256':
      return keys.rs256;
    case 'PS256':
      return keys.ps256;
    case 'ES256':
      return keys.es256;
    case 'EdDSA':
    case 'Ed25519':
      return keys.eddsa;
    default:
      return undefined;
  }
}

/** The well-behaved header for `alg`: `typ` (default `JWT`) and the `kid` of the OP key for asymmetric algorithms. */
export function defaultJwtHeader(alg: string, keys: OpKeys, typ = 'JWT'): JwtHeader {
  const key = signingKeyFor(alg, keys);
  return key === undefined ? { alg, typ } : { alg, typ, kid: key.kid };
}

/**
 * Signs `claims` as a compact JWT exactly as given (no claim is added). The key follows
 * `header.alg`: RS256, PS256, ES256 and EdDSA use the OP keys, HS256/384/512 the client secret,
 * `none` produces an unsecured JWT (empty signature). Throws for any other `alg`.
 */
export async function signJwtAs(header: JwtHeader, claims: Record<string, unknown>, keys: OpKeys, client: Client): Promise<string> {
  const payload = new TextEncoder().encode(JSON.stringify(claims));
  if (header.alg === 'none') {
    return `${base64url.encode(JSON.stringify(header))}.${base64url.encode(payload)}.`;
  }
  let key: CryptoKey | Uint8Array;
  const own = signingKeyFor(header.alg, keys);
  if (own !== undefined) key = own.privateKey;
  else if (/^HS(256|384|512)$/.test(header.alg)) key = new TextEncoder().encode(client.client_secret);
  else throw new Error(`the OP cannot sign with alg ${header.alg}`);
  return new CompactSign(payload).setProtectedHeader(header).sign(key);
}

/**
 * Signs `claims` with `alg` the well-behaved way, passing the header through the `jwtHeader`
 * hook before signing and the result through the `jwt` hook. Does not encrypt.
 */
export async function signJwt(alg: string, claims: Record<string, unknown>, ctx: JwtHookContext): Promise<string> {
  const { op, client } = ctx;
  const header = await op.behaviour.jwtHeader(defaultJwtHeader(alg, op.keys), ctx);
  const token = await signJwtAs(header, claims, op.keys, client);
  return op.behaviour.jwt(token, ctx);
}

/**
 * An ID token as the client registered it: signed with `id_token_signed_response_alg` (through
 * the hooks), then, when `id_token_encrypted_response_alg` is registered, encrypted to the client
 * as a nested JWT (`cty: JWT`).
 */
export async function signAndEncryptIdToken(claims: Record<string, unknown>, ctx: JwtHookContext): Promise<string> {
  const { client } = ctx;
  const signed = await signJwt(client.id_token_signed_response_alg, claims, ctx);
  const alg = client.id_token_encrypted_response_alg;
  if (alg === undefined) return signed;
  return encryptResponse(new TextEncoder().encode(signed), client, {
    alg,
    enc: client.id_token_encrypted_response_enc ?? 'A128CBC-HS256',
    cty: 'JWT',
  });
}
