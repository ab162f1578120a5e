/**
 * Protocol message shapes. Members keep the specifications' names (snake_case) so that a
 * message reads as it does on the wire; every message may carry members beyond those listed.
 * @module
 */

/** A JSON object as received: members not yet trusted. */
export type JsonObject = Record<string, unknown>;

/** A JSON Web Key Set. */
export interface Jwks {
  keys: JsonWebKeyWithKid[];
}

/** A JWK with the members the key jar reads. */
export interface JsonWebKeyWithKid extends JsonObject {
  kty: string;
  kid?: string;
  use?: string;
  alg?: string;
  key_ops?: string[];
  crv?: string;
}

/** OpenID Provider Metadata (OpenID Connect Discovery 1.0, section 3). */
export interface ProviderInfo extends JsonObject {
  issuer: string;
  authorization_endpoint?: string;
  token_endpoint?: string;
  userinfo_endpoint?: string;
  registration_endpoint?: string;
  end_session_endpoint?: string;
  check_session_iframe?: string;
  jwks_uri?: string;
  jwks?: Jwks;
  response_types_supported?: string[];
  response_modes_supported?: string[];
  grant_types_supported?: string[];
  scopes_supported?: string[];
  subject_types_supported?: string[];
  id_token_signing_alg_values_supported?: string[];
  token_endpoint_auth_methods_supported?: string[];
  code_challenge_methods_supported?: string[];
  request_uri_parameter_supported?: boolean;
  require_request_uri_registration?: boolean;
  authorization_response_iss_parameter_supported?: boolean;
}

/** A client registration response (OpenID Connect Dynamic Client Registration 1.0, section 3.2). */
export interface RegistrationResponse extends JsonObject {
  client_id: string;
  client_secret?: string;
  client_secret_expires_at?: number;
  client_id_issued_at?: number;
  registration_access_token?: string;
  registration_client_uri?: string;
}

/** The verified claims of an ID token. */
export interface IdTokenClaims extends JsonObject {
  iss: string;
  sub: string;
  aud: string | string[];
  exp: number;
  iat: number;
  auth_time?: number;
  nonce?: string;
  azp?: string;
  at_hash?: string;
  c_hash?: string;
  s_hash?: string;
  sid?: string;
  acr?: string;
}

/** The request metadata an RP presents about itself, and what it has agreed with the OP. */
export interface ClientMetadata extends JsonObject {
  redirect_uris?: string[];
  response_types?: string[];
  grant_types?: string[];
  scope?: string[] | string;
  token_endpoint_auth_method?: string | string[];
  id_token_signed_response_alg?: string | string[];
  id_token_encrypted_response_alg?: string | string[];
  id_token_encrypted_response_enc?: string | string[];
  userinfo_signed_response_alg?: string | string[];
  userinfo_encrypted_response_alg?: string | string[];
  userinfo_encrypted_response_enc?: string | string[];
  request_object_signing_alg?: string | string[];
  request_object_encryption_alg?: string | string[];
  request_object_encryption_enc?: string | string[];
  token_endpoint_auth_signing_alg?: string | string[];
  require_auth_time?: boolean;
  default_max_age?: number;
}
