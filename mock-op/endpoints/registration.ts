/**
 * Dynamic Client Registration (OIDC Dynamic Client Registration 1.0, RFC 7591) at
 * `<issuer>/registration`, and registration read (RFC 7592 style) at the registration client URI
 * `<issuer>/registration/<client_id>` with the registration access token as Bearer.
 *
 * @module
 */
import type { JsonObject } from '../behaviour.js';
import type { Client } from '../client-metadata.js';
import { ClientMetadataError } from '../client-metadata.js';
import { hookContext } from '../endpoint.js';
import type { Endpoint } from '../endpoint.js';
import { ENDPOINT_PATHS } from '../endpoint-paths.js';
import { NO_STORE, jsonResponse, mediaType, methodNotAllowed, oauthErrorResponse } from '../responses.js';

/** The body of a registration response: the credentials followed by the registered metadata. */
export function registrationResponseBody(client: Client): JsonObject {
  return {
    client_id: client.client_id,
    client_secret: client.client_secret,
    client_id_issued_at: client.client_id_issued_at,
    client_secret_expires_at: client.client_secret_expires_at,
    ...(client.registration_access_token === undefined
      ? {}
      : { registration_access_token: client.registration_access_token }),
    ...(client.registration_client_uri === undefined ? {} : { registration_client_uri: client.registration_client_uri }),
    ...structuredClone(client.metadata),
  };
}

/**
 * Registers a client: `POST` with an `application/json` object. Answers 201 with the client's
 * credentials and metadata, or 400 `invalid_redirect_uri` / `invalid_client_metadata`.
 */
export const registrationEndpoint: Endpoint = async (request, op) => {
  if (request.method !== 'POST') return methodNotAllowed(['POST']);
  if (mediaType(request.headers) !== 'application/json') {
    return oauthErrorResponse(400, 'invalid_client_metadata', 'the registration request must be application/json');
  }
  let input: unknown;
  try {
    input = JSON.parse(await request.text());
  } catch {
    return oauthErrorResponse(400, 'invalid_client_metadata', 'the registration request is not valid JSON');
  }
  let client: Client;
  try {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      throw new ClientMetadataError('invalid_client_metadata', 'the registration request must be a JSON object');
    }
    const { client_id: _ignoredId, client_secret: _ignoredSecret, ...metadata } = input as Record<string, unknown>;
    client = op.registerClient(metadata, { dynamic: true });
  } catch (error) {
    if (error instanceof ClientMetadataError) return oauthErrorResponse(400, error.error, error.description);
    throw error;
  }
  const body = await op.behaviour.registrationResponse(
    registrationResponseBody(client),
    hookContext(op, request, 'registration', client),
  );
  return jsonResponse(body, 201, { ...NO_STORE });
};

/**
 * Registration read: `GET <issuer>/registration/<client_id>` with
 * `Authorization: Bearer <registration_access_token>`. 401 `invalid_token` otherwise.
 */
export const registrationReadEndpoint: Endpoint = async (request, op) => {
  if (request.method !== 'GET') return methodNotAllowed(['GET']);
  const prefix = op.issuer + ENDPOINT_PATHS.registration + '/';
  const url = new URL(request.url);
  const clientId = decodeURIComponent((url.origin + url.pathname).slice(prefix.length));
  const client = op.clients.get(clientId);
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get('authorization') ?? '');
  if (client === undefined || match === null || client.registration_access_token !== match[1]) {
    return oauthErrorResponse(401, 'invalid_token', 'unknown client or wrong registration access token', {
      'WWW-Authenticate': `Bearer realm="${op.issuer}", error="invalid_token"`,
    });
  }
  const body = await op.behaviour.registrationResponse(
    registrationResponseBody(client),
    hookContext(op, request, 'registration-read', client),
  );
  return jsonResponse(body, 200, { ...NO_STORE });
};
