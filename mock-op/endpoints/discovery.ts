/**
 * OpenID Provider configuration (OIDC Discovery 4) at `<issuer>/.well-known/openid-configuration`.
 *
 * @module
 */
import type { JsonObject } from '../behaviour.js';
import {
  ACR_VALUES_SUPPORTED,
  CLAIMS_SUPPORTED,
  GRANT_TYPES_SUPPORTED,
  REQUEST_OBJECT_ENCRYPTION_ALGS_SUPPORTED,
  REQUEST_OBJECT_ENCRYPTION_ENCS_SUPPORTED,
  RESPONSE_ENCRYPTION_ALGS_SUPPORTED,
  RESPONSE_ENCRYPTION_ENCS_SUPPORTED,
  RESPONSE_MODES_SUPPORTED,
  RESPONSE_TYPES_SUPPORTED,
  SCOPES_SUPPORTED,
  SIGNING_ALGS_SUPPORTED,
  TOKEN_ENDPOINT_AUTH_METHODS_SUPPORTED,
  VERIFICATION_ALGS_SUPPORTED,
} from '../capabilities.js';
import { hookContext } from '../endpoint.js';
import { MTLS_ALIAS_PREFIX, MTLS_ALIASED_ENDPOINTS } from '../endpoint-paths.js';
import type { Endpoint } from '../endpoint.js';
import type { Provider } from '../provider.js';
import { jsonResponse, methodNotAllowed } from '../responses.js';

/**
 * The well-behaved discovery document of `op`. `mtls_endpoint_aliases` is present when the
 * behaviour's `mtlsEndpointAliases` is set.
 */
export function discoveryDocument(op: Provider): JsonObject {
  const doc: JsonObject = {
    issuer: op.issuer,
    authorization_endpoint: op.endpointUrl('authorization'),
    token_endpoint: op.endpointUrl('token'),
    userinfo_endpoint: op.endpointUrl('userinfo'),
    registration_endpoint: op.endpointUrl('registration'),
    jwks_uri: op.endpointUrl('jwks'),
    end_session_endpoint: op.endpointUrl('end-session'),
    check_session_iframe: op.endpointUrl('check-session'),
    scopes_supported: [...SCOPES_SUPPORTED],
    response_types_supported: [...RESPONSE_TYPES_SUPPORTED],
    response_modes_supported: [...RESPONSE_MODES_SUPPORTED],
    grant_types_supported: [...GRANT_TYPES_SUPPORTED],
    acr_values_supported: [...ACR_VALUES_SUPPORTED],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: [...SIGNING_ALGS_SUPPORTED],
    userinfo_signing_alg_values_supported: [...SIGNING_ALGS_SUPPORTED],
    id_token_encryption_alg_values_supported: [...RESPONSE_ENCRYPTION_ALGS_SUPPORTED],
    id_token_encryption_enc_values_supported: [...RESPONSE_ENCRYPTION_ENCS_SUPPORTED],
    userinfo_encryption_alg_values_supported: [...RESPONSE_ENCRYPTION_ALGS_SUPPORTED],
    userinfo_encryption_enc_values_supported: [...RESPONSE_ENCRYPTION_ENCS_SUPPORTED],
    request_object_signing_alg_values_supported: [...VERIFICATION_ALGS_SUPPORTED, 'none'],
    request_object_encryption_alg_values_supported: [...REQUEST_OBJECT_ENCRYPTION_ALGS_SUPPORTED],
    request_object_encryption_enc_values_supported: [...REQUEST_OBJECT_ENCRYPTION_ENCS_SUPPORTED],
    token_endpoint_auth_methods_supported: [...TOKEN_ENDPOINT_AUTH_METHODS_SUPPORTED],
    token_endpoint_auth_signing_alg_values_supported: [...VERIFICATION_ALGS_SUPPORTED],
    claim_types_supported: ['normal', 'aggregated', 'distributed'],
    claims_supported: [...CLAIMS_SUPPORTED],
    claims_parameter_supported: true,
    request_parameter_supported: true,
    request_uri_parameter_supported: true,
    require_request_uri_registration: false,
    code_challenge_methods_supported: ['S256'],
    authorization_response_iss_parameter_supported: op.behaviour.authorizationResponseIss,
    frontchannel_logout_supported: true,
    frontchannel_logout_session_supported: true,
    backchannel_logout_supported: true,
    backchannel_logout_session_supported: true,
  };
  if (op.behaviour.mtlsEndpointAliases) {
    doc.mtls_endpoint_aliases = Object.fromEntries(
      Object.entries(MTLS_ALIASED_ENDPOINTS).map(([name, member]) => [
        member,
        op.issuer + MTLS_ALIAS_PREFIX + op.endpointPaths[name as keyof typeof MTLS_ALIASED_ENDPOINTS],
      ]),
    );
  }
  return doc;
}

/** Answers the discovery document as `application/json` (through the `discovery` hook). */
export const discoveryEndpoint: Endpoint = async (request, op) => {
  if (request.method !== 'GET') return methodNotAllowed(['GET']);
  const doc = await op.behaviour.discovery(discoveryDocument(op), hookContext(op, request, 'discovery'));
  return jsonResponse(doc);
};
