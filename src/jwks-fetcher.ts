import { ResponseError } from './errors.js';
import type { JwksFetcher } from './key-jar.js';
import { mediaType, parseJsonObject } from './services/service.js';
import type { HttpClient } from './transport/transport.js';

/**
 * A {@link JwksFetcher} over a transport: GET the `jwks_uri`, expect HTTP 200 and a JSON content
 * type (`application/json` or `application/jwk-set+json`).
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
    return parseJsonObject(response.body, 'JWK Set');
  };
}
