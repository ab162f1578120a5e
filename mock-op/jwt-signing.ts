/**
 * Producing the JWTs the OP signs (ID tokens, signed UserInfo), with the key chosen by the
 * header's `alg`, and the `jwtHeader` / `jwt` behaviour hooks applied.
 *
 * @module
 */
import { CompactSign, base64url } from 'jose';
import type { CryptoKey } from 'jose';
import type { JwtHeader, JwtHookContext } from './behaviour.js';
import type { Client } from './client-metadata.js';
import type { OpKeys } from './keys.js';

/** The well-behaved header for `alg`: `typ: JWT` and the `kid` of the OP key for RS256/ES256. */
export function defaultJwtHeader(alg: string, keys: OpKeys): JwtHeader {
  if (alg === 'RS256') return { alg, typ: 'JWT', kid: keys.rs256.kid };
  if (alg === 'ES256') return { alg, typ: 'JWT', kid: keys.es256.kid };
  return { alg, typ: 'JWT' };
}

/**
 * Signs `claims` as a compact JWT exactly as given (no claim is added). The key follows
 * `header.alg`: RS256 and ES256 use the OP keys, HS256/384/512 the client secret, `none` produces
 * an unsecured JWT (empty signature). Throws for any other `alg`.
 */
export async function signJwtAs(header: JwtHeader, claims: Record<string, unknown>, keys: OpKeys, client: Client): Promise<string> {
  const payload = new TextEncoder().encode(JSON.stringify(claims));
  if (header.alg === 'none') {
    return `${base64url.encode(JSON.stringify(header))}.${base64url.encode(payload)}.`;
  }
  let key: CryptoKey | Uint8Array;
  if (header.alg === 'RS256') key = keys.rs256.privateKey;
  else if (header.alg === 'ES256') key = keys.es256.privateKey;
  else if (/^HS(256|384|512)$/.test(header.alg)) key = new TextEncoder().encode(client.client_secret);
  else throw new Error(`the OP cannot sign with alg ${header.alg}`);
  return new CompactSign(payload).setProtectedHeader(header).sign(key);
}

/**
 * Signs `claims` with `alg` the well-behaved way, passing the header through the `jwtHeader`
 * hook before signing and the result through the `jwt` hook.
 */
export async function signJwt(alg: string, claims: Record<string, unknown>, ctx: JwtHookContext): Promise<string> {
  const { op, client } = ctx;
  const header = await op.behaviour.jwtHeader(defaultJwtHeader(alg, op.keys), ctx);
  const token = await signJwtAs(header, claims, op.keys, client);
  return op.behaviour.jwt(token, ctx);
}
