import { ResponseError } from './errors.js';
import type { JwksFetcher } from './key-jar.js';
import { mediaType, parseJsonObject } from './services/service.js';
import type { HttpClient } from './transport/transport.js';

/**
 * How long a response may be used, from its `Cache-Control` (RFC 9111): `no-cache` and `no-store`
 * give 0 (check again before each use), `max-age=N` gives N; nothing gives `undefined`.
 */
export function cacheMaxAge(cacheControl: string | undefined): number | undefined {
  if (!cacheControl) return undefined;
  const directives = cacheControl.toLowerCase().split(',').map((d) => d.trim());
  if (directives.some((d) => d === 'no-cache' || d === 'no-store')) return 0;
  const maxAge = directives.map((d) => /^max-age=(\d+)$/.exec(d)?.[1]).find((v) => v !== undefined);
  return maxAge === undefined ? undefined : Number(maxAge);
}

/**
 * A {@link JwksFetcher} over a transport: GET the `jwks_uri`, expect HTTP 200 and a JSON content
 * type (`application/json` or `application/jwk-set+json`); the keys stay fresh as `Cache-Control` says.
 * @throws {ResponseError} `checkJwksResponse` for another status or content type; `parseJson`.
 */
export function jwksFetcher(client: HttpClient): JwksFetcher {
  return async (uri) => {
    const response = await client.send({ method: 'GET', url: uri, headers: { Accept: 'application/jwk-set+json, application/json' } });
    if (response.status !== 200) {
      throw new ResponseError('checkJwksResponse', `the OP's jwks_uri answered HTTP ${response.status}`, { detail: { status: response.status } });
    }
    const type = mediaType(response.headers['content-type']);
    if (type !== 'application/json' && type !== 'application/jwk-set+json') {
      throw new ResponseError('checkJwksResponse', `the OP's jwks_uri answered with content type "${type || 'none'}"`, { detail: { contentType: type } });
    }
    return { document: parseJsonObject(response.body, 'JWK Set'), maxAge: cacheMaxAge(response.headers['cache-control']) };
  };
}
