import { decodeJwt } from 'jose';
import { REQUIRED_PROVIDER_METADATA } from '../services/provider-info-discovery.js';
import { mediaType } from '../services/service.js';
import type { Exchange } from '../transport/http.js';
import type { Finding } from './finding.js';
import { bearerChallenge, jsonObject, registrationAnswer, tokenErrorStatus } from './rules.js';

type Check = (exchange: Exchange, context: FindingContext) => Finding[];

/** What the checks need besides the exchange. */
export interface FindingContext {
  /** The RP's clock, seconds since the epoch, when the exchange ended. */
  now: number;
  /** Seconds of clock difference that count as skew worth reporting. Default 5. */
  skewThreshold?: number;
  /** The provider's discovery document, when known: it tells which exchange went to which endpoint. */
  metadata?: Record<string, unknown>;
}

const json = jsonObject;
const withoutQuery = (url: string): string => url.split('?')[0]!.split('#')[0]!;
const isDiscovery = (e: Exchange): boolean => withoutQuery(e.request.url).endsWith('/.well-known/openid-configuration');
const isTokenRequest = (e: Exchange): boolean => e.request.method === 'POST' && /grant_type=/.test(e.request.body ?? '');
const isEndpoint = (e: Exchange, context: FindingContext, member: string): boolean => {
  const url = context.metadata?.[member];
  return typeof url === 'string' && withoutQuery(e.request.url) === withoutQuery(url);
};

/**
 * Whether an exchange went to the provider: to its issuer's origin, or to any endpoint its
 * discovery document names (the token endpoint may live on another origin than the issuer).
 */
export function isProviderExchange(exchange: Exchange, issuer: string, metadata?: Record<string, unknown>): boolean {
  const url = withoutQuery(exchange.request.url);
  if (URL.canParse(issuer) && URL.canParse(url) && new URL(url).origin === new URL(issuer).origin) return true;
  if (metadata === undefined) return false;
  const named = (value: unknown): boolean => typeof value === 'string' && withoutQuery(value) === url;
  return Object.values(metadata).some((value) => named(value)
    || (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.values(value).some(named)));
}

/** Discovery documents missing metadata OpenID Connect Discovery 1.0, 3 requires. */
export const findMissingMetadata: Check = (e) => {
  if (!isDiscovery(e) || e.response?.status !== 200) return [];
  const doc = json(e.response.body);
  if (!doc) return [];
  const missing = REQUIRED_PROVIDER_METADATA.filter((m) => doc[m] === undefined);
  if (doc['token_endpoint'] === undefined && Array.isArray(doc['response_types_supported']) && doc['response_types_supported'].some((t) => String(t).includes('code'))) missing.push('token_endpoint' as never);
  return missing.length === 0 ? [] : [{ id: 'discovery.missing-metadata', title: `the discovery document lacks required metadata: ${missing.join(', ')}`, clause: 'OpenID Connect Discovery 1.0, 3', url: e.request.url, detail: { missing } }];
};

/** A discovery document whose issuer is not the URL it was fetched from. */
export const findIssuerMismatch: Check = (e) => {
  if (!isDiscovery(e) || e.response?.status !== 200) return [];
  const issuer = json(e.response.body)?.['issuer'];
  const expected = e.request.url.split('/.well-known/openid-configuration')[0];
  if (typeof issuer !== 'string' || issuer.replace(/\/+$/, '') === expected?.replace(/\/+$/, '')) return [];
  return [{ id: 'discovery.issuer-mismatch', title: `the discovered issuer "${issuer}" is not the URL the document was fetched from`, clause: 'OpenID Connect Discovery 1.0, 4.3', url: e.request.url, detail: { issuer, expected } }];
};

/** Keys in a JWKS without `kid` when there are several. */
export const findKeysWithoutKid: Check = (e) => {
  const doc = json(e.response?.body);
  const keys = doc?.['keys'];
  if (!Array.isArray(keys) || e.response?.status !== 200) return [];
  const withoutKid = keys.filter((k) => k !== null && typeof k === 'object' && (k as Record<string, unknown>)['kid'] === undefined).length;
  if (withoutKid === 0 || keys.length < 2) return [];
  return [{ id: 'jwks.missing-kid', title: `${withoutKid} of the ${keys.length} keys in the JWKS have no kid`, clause: 'OpenID Connect Core 1.0, 10.1 (kid required when a JWKS has several keys)', url: e.request.url }];
};

/** A token response whose `expires_in` is a string, or whose status is not 200. */
export const findTokenResponseShape: Check = (e) => {
  if (!isTokenRequest(e) || !e.response) return [];
  const out: Finding[] = [];
  const { status } = e.response;
  if (status >= 300 && status < 400) out.push({ id: 'token.redirect', title: `the token endpoint answered with a redirect (HTTP ${status})`, clause: 'RFC 6749, 5.1', url: e.request.url, detail: { status } });
  else if (status !== 200 && status < 400) out.push({ id: 'token.status', title: `the token endpoint answered a successful request with HTTP ${status}, not 200`, clause: 'RFC 6749, 5.1', url: e.request.url, detail: { status } });
  const body = json(e.response.body);
  const success = status >= 200 && status < 300;
  if (success && typeof body?.['expires_in'] === 'string') out.push({ id: 'token.expires-in-string', title: 'the token response sends expires_in as a string', clause: 'RFC 6749, 5.1 (expires_in is a number of seconds)', url: e.request.url });
  const cache = e.response.headers['cache-control'] ?? '';
  if (success && !/no-store/i.test(cache)) out.push({ id: 'token.cache-control', title: 'the token response does not say Cache-Control: no-store', clause: 'RFC 6749, 5.1', url: e.request.url });
  out.push(...tokenErrorStatus(e.response, e.request.url));
  return out;
};

/**
 * A dynamic registration's answer: 201 Created, members of the right types, and
 * `client_secret_expires_at` when a secret is issued. The exchange is a registration when it went
 * to the discovered registration_endpoint, or (without a discovery document) when it POSTs JSON
 * with `redirect_uris`.
 */
export const findRegistrationAnswer: Check = (e, context) => {
  if (e.request.method !== 'POST' || !e.response) return [];
  const isRegistration = context.metadata !== undefined
    ? isEndpoint(e, context, 'registration_endpoint')
    : Array.isArray(json(e.request.body)?.['redirect_uris']);
  return isRegistration ? registrationAnswer(e.response, e.request.url) : [];
};

/** A userinfo endpoint that refuses a token without the `WWW-Authenticate: Bearer` challenge. */
export const findUserInfoChallenge: Check = (e, context) => {
  if (!e.response || e.response.status !== 401 || !isEndpoint(e, context, 'userinfo_endpoint')) return [];
  return bearerChallenge(e.response, e.request.url).filter((f) => f.id === 'userinfo.missing-www-authenticate');
};

/** JSON endpoints that answer with another content type. */
export const findContentType: Check = (e) => {
  if (e.response?.status !== 200 || !json(e.response.body)) return [];
  const type = mediaType(e.response.headers['content-type']);
  if (type === 'application/json' || type.endsWith('+json')) return [];
  return [{ id: 'http.content-type', title: `a JSON answer came with content type "${type || 'none'}"`, clause: 'RFC 8259, 11 and the endpoint\'s specification (application/json)', url: e.request.url, detail: { contentType: type } }];
};

/** ID tokens whose `iat` is off the RP's clock by more than the threshold. */
export const findClockSkew: Check = (e, context) => {
  const body = json(e.response?.body);
  const idToken = body?.['id_token'];
  if (typeof idToken !== 'string') return [];
  let iat: unknown;
  try {
    iat = decodeJwt(`${idToken.split('.').slice(0, 2).join('.')}.x`)['iat'];
  } catch {
    return [];
  }
  if (typeof iat !== 'number') return [];
  const skew = iat - context.now;
  if (Math.abs(skew) <= (context.skewThreshold ?? 5)) return [];
  return [{ id: 'clock.skew', title: `the ID token was issued ${Math.round(Math.abs(skew))} s ${skew > 0 ? 'ahead of' : 'behind'} the RP's clock`, clause: 'OpenID Connect Core 1.0, 3.1.3.7 step 10 (iat near the current time)', url: e.request.url, detail: { skew } }];
};

/** Every check, in the order reports list them. */
export const INTEROP_CHECKS: readonly Check[] = [findMissingMetadata, findIssuerMismatch, findKeysWithoutKid, findTokenResponseShape, findRegistrationAnswer, findUserInfoChallenge, findContentType, findClockSkew];

/**
 * Looks through recorded (redacted) exchanges for departures from the specifications that a
 * provider gets away with: each finding names the clause. The same exchange is never reported
 * twice for the same finding. With the provider's discovery document (`options.metadata`), the
 * checks know which exchange went to which endpoint.
 */
export function findInteropIssues(
  exchanges: readonly Exchange[],
  now: () => number = () => Math.floor(Date.now() / 1000),
  options: { metadata?: Record<string, unknown> } = {},
): Finding[] {
  const seen = new Set<string>();
  const out: Finding[] = [];
  for (const exchange of exchanges) {
    const ended = Math.floor((Date.parse(exchange.startedAt) + exchange.ms) / 1000);
    for (const check of INTEROP_CHECKS) {
      const context: FindingContext = { now: Number.isFinite(ended) ? ended : now(), ...(options.metadata === undefined ? {} : { metadata: options.metadata }) };
      for (const finding of check(exchange, context)) {
        const key = `${finding.id} ${finding.url}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push(finding);
      }
    }
  }
  return out;
}
