import { VerificationError } from '../errors.js';
import { decodeJws } from '../jose/jwt-parts.js';
import { verifyJws } from '../jose/verify-jws.js';
import type { JsonObject } from '../messages.js';
import type { ServiceContext } from '../service-context.js';

/** A distributed claims source (OpenID Connect Core 5.6.2): where to fetch some of the user's claims. */
export interface DistributedSource {
  /** The source's name in `_claim_sources`. */
  name: string;
  /** The claims provider's endpoint. */
  endpoint: string;
  /** The access token to present there, when the OP gave one. */
  access_token?: string;
  /** The claims the source holds, from `_claim_names`. */
  claims: string[];
}

function claimNamesBySource(userinfo: JsonObject): Map<string, string[]> {
  const names = userinfo['_claim_names'];
  const bySource = new Map<string, string[]>();
  if (names === null || typeof names !== 'object' || Array.isArray(names)) return bySource;
  for (const [claim, source] of Object.entries(names)) {
    if (typeof source !== 'string') continue;
    bySource.set(source, [...(bySource.get(source) ?? []), claim]);
  }
  return bySource;
}

/**
 * Verifies a JWT of claims from a claims provider. The OP's own keys verify a JWT its issuer signed;
 * a JWT from another issuer needs that issuer's keys in the key jar.
 * @throws {VerificationError} `checkClaimSource` when the JWT cannot be verified, with the cause.
 */
export async function verifyClaimsJwt(jwt: string, context: ServiceContext, source: string): Promise<JsonObject> {
  try {
    const { payload } = decodeJws(jwt);
    const issuer = typeof payload['iss'] === 'string' ? payload['iss'] : context.requireIssuer();
    const known = issuer === context.issuer || context.keyJar.issuerKeys(issuer).length > 0;
    if (!known) throw new VerificationError('checkClaimSource', `the claims of source "${source}" come from ${issuer}, whose keys the RP does not have`);
    const header = decodeJws(jwt).header;
    const alg = typeof header.alg === 'string' ? header.alg : 'none';
    const verified = await verifyJws(jwt, { issuer, keyJar: context.keyJar, allowedAlgs: alg === 'none' ? [] : [alg], allowNone: false, what: `claims of source "${source}"` });
    return verified.payload;
  } catch (cause) {
    if (cause instanceof VerificationError && cause.check === 'checkClaimSource') throw cause;
    throw new VerificationError('checkClaimSource', `the claims of source "${source}" do not verify`, { cause });
  }
}

/**
 * Resolves aggregated claims in a userinfo response: each `_claim_sources` member with a `JWT` is
 * verified and the claims `_claim_names` assigns to it are merged in. Distributed sources are
 * returned to be fetched (see the `distributed_claims` service); the merged response keeps only
 * them in `_claim_names` / `_claim_sources`.
 * @throws {VerificationError} `checkClaimSource`.
 */
export async function resolveAggregatedClaims(userinfo: JsonObject, context: ServiceContext): Promise<{ claims: JsonObject; distributed: DistributedSource[] }> {
  const sources = userinfo['_claim_sources'];
  if (sources === null || typeof sources !== 'object' || Array.isArray(sources)) return { claims: userinfo, distributed: [] };
  const bySource = claimNamesBySource(userinfo);
  const { _claim_names: _names, _claim_sources: _sources, ...claims } = userinfo;
  const distributed: DistributedSource[] = [];
  for (const [name, source] of Object.entries(sources as Record<string, unknown>)) {
    const wanted = bySource.get(name) ?? [];
    if (source === null || typeof source !== 'object') continue;
    const spec = source as JsonObject;
    if (typeof spec['JWT'] === 'string') {
      const payload = await verifyClaimsJwt(spec['JWT'], context, name);
      for (const claim of wanted) if (payload[claim] !== undefined) claims[claim] = payload[claim];
    } else if (typeof spec['endpoint'] === 'string') {
      distributed.push({ name, endpoint: spec['endpoint'], claims: wanted, ...(typeof spec['access_token'] === 'string' ? { access_token: spec['access_token'] } : {}) });
    }
  }
  if (distributed.length > 0) {
    claims['_claim_names'] = Object.fromEntries(distributed.flatMap((d) => d.claims.map((c) => [c, d.name])));
    claims['_claim_sources'] = Object.fromEntries(distributed.map((d) => [d.name, { endpoint: d.endpoint, ...(d.access_token ? { access_token: d.access_token } : {}) }]));
  }
  return { claims, distributed };
}

/** The distributed sources still to fetch in a stored userinfo response. */
export function pendingDistributedSources(userinfo: JsonObject | undefined): DistributedSource[] {
  if (!userinfo) return [];
  const sources = userinfo['_claim_sources'];
  if (sources === null || typeof sources !== 'object' || Array.isArray(sources)) return [];
  const bySource = claimNamesBySource(userinfo);
  return Object.entries(sources as Record<string, JsonObject>)
    .filter(([, spec]) => typeof spec?.['endpoint'] === 'string')
    .map(([name, spec]) => ({
      name,
      endpoint: spec['endpoint'] as string,
      claims: bySource.get(name) ?? [],
      ...(typeof spec['access_token'] === 'string' ? { access_token: spec['access_token'] } : {}),
    }));
}
