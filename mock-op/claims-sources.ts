/**
 * Aggregated and distributed claims (OIDC Core 5.6.2): UserInfo members `_claim_names` and
 * `_claim_sources` pointing at claims held by a claims provider. Here the claims provider is the
 * OP itself: aggregated claims are a JWT signed RS256 with the OP's current signing key (`kid` in
 * the header, `iss` = the issuer), so the RP verifies them with the OP's JWKS; distributed claims
 * are fetched from `<issuer>/claims_source` with the access token given in the source, which
 * answers the same kind of signed JWT as `application/jwt`.
 *
 * @module
 */
import type { JsonObject } from './behaviour.js';
import { LIFETIMES } from './capabilities.js';
import { defaultJwtHeader } from './jwt-signing.js';
import type { Provider } from './provider.js';
import { randomToken } from './random.js';
import { CompactSign } from 'jose';

/** The claims the aggregated-claims test puts in its aggregated source. */
export const AGGREGATED_EXAMPLE_CLAIMS: Readonly<JsonObject> = Object.freeze({ eye_color: 'blue', shoe_size: 8 });

/** The claims the distributed-claims test puts in its distributed source. */
export const DISTRIBUTED_EXAMPLE_CLAIMS: Readonly<JsonObject> = Object.freeze({ payment_info: 'Some_Card', credit_score: 650 });

/** The `_claim_names` / `_claim_sources` members of a UserInfo response. */
export interface ClaimSources {
  _claim_names: Record<string, string>;
  _claim_sources: Record<string, { JWT: string } | { endpoint: string; access_token?: string }>;
}

/** Signs claims as the claims provider: RS256 with the OP's current key, `iss` the issuer, `iat` now. */
export async function signClaimsJwt(op: Provider, claims: JsonObject): Promise<string> {
  const payload = { iss: op.issuer, iat: op.now(), ...claims };
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader(defaultJwtHeader('RS256', op.keys))
    .sign(op.keys.rs256.privateKey);
}

/** An aggregated source named `source` holding `claims` as a signed JWT. */
export async function aggregatedClaims(op: Provider, claims: JsonObject, source = 'src1'): Promise<ClaimSources> {
  return {
    _claim_names: Object.fromEntries(Object.keys(claims).map((name) => [name, source])),
    _claim_sources: { [source]: { JWT: await signClaimsJwt(op, claims) } },
  };
}

/**
 * A distributed source named `source`: the claims source endpoint and a fresh access token for it,
 * which the endpoint answers with `claims` as a signed JWT (for as long as an access token lives).
 */
export function distributedClaims(op: Provider, claims: JsonObject, source = 'src2'): ClaimSources {
  const accessToken = randomToken();
  op.claimsSourceTokens.set(accessToken, { claims: structuredClone(claims), expiresAt: op.now() + LIFETIMES.accessToken });
  return {
    _claim_names: Object.fromEntries(Object.keys(claims).map((name) => [name, source])),
    _claim_sources: { [source]: { endpoint: op.endpointUrl('claims-source'), access_token: accessToken } },
  };
}

/** `claims` with the sources added (merging any `_claim_names` / `_claim_sources` already there). */
export function withClaimSources(claims: JsonObject, ...sources: readonly ClaimSources[]): JsonObject {
  const names = { ...((claims._claim_names as Record<string, string> | undefined) ?? {}) };
  const all = { ...((claims._claim_sources as ClaimSources['_claim_sources'] | undefined) ?? {}) };
  for (const source of sources) {
    Object.assign(names, source._claim_names);
    Object.assign(all, source._claim_sources);
  }
  return { ...claims, _claim_names: names, _claim_sources: all };
}
