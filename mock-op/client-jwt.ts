/**
 * Verifying JWTs a client signed: request objects and client assertions. HS* algorithms use the
 * client secret; asymmetric ones the client's registered `jwks`, or its `jwks_uri` fetched with
 * the global `fetch` (so MSW intercepts it) on every verification, with no cache.
 *
 * @module
 */
import { createLocalJWKSet, jwtVerify } from 'jose';
import type { CryptoKey, FlattenedJWSInput, JSONWebKeySet, JWSHeaderParameters, JWTPayload, JWTVerifyOptions } from 'jose';
import { VERIFICATION_ALGS_SUPPORTED } from './capabilities.js';
import type { Client } from './client-metadata.js';

/** Fetches a JWK Set with the global `fetch`. Throws when the answer is not a 200 JWK Set. */
export async function fetchJwks(uri: string): Promise<JSONWebKeySet> {
  const response = await fetch(uri, { headers: { Accept: 'application/json' } });
  if (response.status !== 200) throw new Error(`jwks_uri ${uri} answered ${response.status}`);
  const body: unknown = await response.json();
  if (typeof body !== 'object' || body === null || !Array.isArray((body as { keys?: unknown }).keys)) {
    throw new Error(`jwks_uri ${uri} did not return a JWK Set`);
  }
  return body as JSONWebKeySet;
}

/** The client's public keys: its `jwks`, or its `jwks_uri` fetched now. Throws when it has neither. */
export async function clientJwks(client: Client): Promise<JSONWebKeySet> {
  if (client.jwks !== undefined) return client.jwks;
  if (client.jwks_uri !== undefined) return fetchJwks(client.jwks_uri);
  throw new Error(`client ${client.client_id} has registered neither jwks nor jwks_uri`);
}

/**
 * Verifies a compact JWS signed by `client` and returns its payload and header. `options` are
 * jose's claim checks (issuer, audience, currentDate...); `algorithms` defaults to every algorithm
 * the OP verifies. `alg: none` is never accepted here.
 */
export async function verifyClientJwt(
  jwt: string,
  client: Client,
  options: JWTVerifyOptions = {},
): Promise<{ payload: JWTPayload; header: JWSHeaderParameters }> {
  const getKey = async (header: JWSHeaderParameters, token: FlattenedJWSInput): Promise<CryptoKey | Uint8Array> => {
    if (header.alg?.startsWith('HS') === true) return new TextEncoder().encode(client.client_secret);
    const jwks = await clientJwks(client);
    return createLocalJWKSet(jwks)(header, token);
  };
  const { payload, protectedHeader } = await jwtVerify(jwt, getKey, {
    algorithms: [...VERIFICATION_ALGS_SUPPORTED],
    ...options,
  });
  return { payload, header: protectedHeader };
}
