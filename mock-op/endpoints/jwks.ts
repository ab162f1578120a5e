/**
 * The OP's JWK Set at `<issuer>/jwks` (the advertised `jwks_uri`).
 *
 * @module
 */
import { hookContext } from '../endpoint.js';
import type { Endpoint } from '../endpoint.js';
import { publicJwks } from '../keys.js';
import { jsonResponse, methodNotAllowed } from '../responses.js';

/** Answers the public keys (signing and encryption, never private parameters) through the `jwks` hook. */
export const jwksEndpoint: Endpoint = async (request, op) => {
  if (request.method !== 'GET') return methodNotAllowed(['GET']);
  const jwks = await op.behaviour.jwks(publicJwks(op.keys), hookContext(op, request, 'jwks'));
  return jsonResponse(jwks);
};
