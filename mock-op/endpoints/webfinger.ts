/**
 * WebFinger (RFC 7033) for OpenID Connect issuer discovery (OIDC Discovery 2), at the root of the
 * issuer's host: `/.well-known/webfinger?resource=...&rel=http://openid.net/specs/connect/1.0/issuer`.
 *
 * @module
 */
import { hookContext } from '../endpoint.js';
import type { Endpoint } from '../endpoint.js';
import { jsonResponse, methodNotAllowed } from '../responses.js';

/** The link relation of an OpenID Connect issuer. */
export const ISSUER_REL = 'http://openid.net/specs/connect/1.0/issuer';

/**
 * The host a WebFinger resource names: for `acct:user@host` the part after the last `@`, for a URL
 * its host. `undefined` when the resource is neither.
 */
export function resourceHost(resource: string): string | undefined {
  if (/^acct:/i.test(resource)) {
    const at = resource.lastIndexOf('@');
    if (at < 0 || at === resource.length - 1) return undefined;
    return resource.slice(at + 1).toLowerCase();
  }
  try {
    const url = new URL(resource);
    if (url.host === '') return undefined;
    return url.host.toLowerCase();
  } catch {
    return undefined;
  }
}

/**
 * Answers `application/jrd+json` with `subject` (the resource) and a link to the issuer, for
 * `acct:` and URL resources on the issuer's host (with or without the port). 400 without a
 * well-formed `resource`, 404 for another host. `rel` parameters filter the links (RFC 7033 4.3).
 */
export const webfingerEndpoint: Endpoint = async (request, op) => {
  if (request.method !== 'GET') return methodNotAllowed(['GET']);
  const url = new URL(request.url);
  const resources = url.searchParams.getAll('resource');
  if (resources.length !== 1 || resources[0] === '') {
    return jsonResponse({ error: 'invalid_request', error_description: 'exactly one resource parameter is required' }, 400);
  }
  const resource = resources[0]!;
  const host = resourceHost(resource);
  if (host === undefined) {
    return jsonResponse({ error: 'invalid_request', error_description: 'resource is not an acct: URI or a URL' }, 400);
  }
  const issuerHost = op.issuerUrl.host.toLowerCase();
  if (host !== issuerHost && host !== op.issuerUrl.hostname.toLowerCase()) {
    return jsonResponse({ error: 'not_found', error_description: `unknown host ${host}` }, 404);
  }
  const rels = url.searchParams.getAll('rel');
  const links = rels.length === 0 || rels.includes(ISSUER_REL) ? [{ rel: ISSUER_REL, href: op.issuer }] : [];
  const jrd = await op.behaviour.webfinger({ subject: resource, links }, hookContext(op, request, 'webfinger'));
  return new Response(JSON.stringify(jrd), {
    status: 200,
    headers: { 'Content-Type': 'application/jrd+json', 'Access-Control-Allow-Origin': '*' },
  });
};
