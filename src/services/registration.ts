import { REGISTRATION_METADATA } from '../behaviour.js';
import { ResponseError } from '../errors.js';
import type { ClientMetadata, JsonObject, RegistrationResponse } from '../messages.js';
import type { ServiceContext } from '../service-context.js';
import type { RequestParameters } from '../transport/http.js';
import { Service } from './service.js';

/** Members of the registration request that a caller may set or override. */
export type RegistrationArgs = ClientMetadata;

/** Registration metadata that takes a single value though preferences may list several. */
const SINGLE_VALUED = new Set([
  'application_type', 'subject_type', 'token_endpoint_auth_method', 'token_endpoint_auth_signing_alg',
  'id_token_signed_response_alg', 'id_token_encrypted_response_alg', 'id_token_encrypted_response_enc',
  'userinfo_signed_response_alg', 'userinfo_encrypted_response_alg', 'userinfo_encrypted_response_enc',
  'request_object_signing_alg', 'request_object_encryption_alg', 'request_object_encryption_enc',
  'initiate_login_uri', 'frontchannel_logout_uri', 'backchannel_logout_uri', 'sector_identifier_uri',
]);

/**
 * The body of a registration request: the registration metadata among the behaviour (matched
 * from the preferences), with the redirect URIs, the RP's `jwks_uri`, post-logout redirect URIs
 * and, where the OP requires them registered, the request URIs.
 */
export function registrationRequestBody(context: ServiceContext, args: RegistrationArgs = {}): JsonObject {
  const body: JsonObject = {};
  const source: ClientMetadata = { ...(context.clientPreferences ?? {}), ...context.behaviour };
  for (const [name, value] of Object.entries(source)) {
    if (!REGISTRATION_METADATA.has(name) || value === undefined) continue;
    body[name] = SINGLE_VALUED.has(name) && Array.isArray(value) ? value[0] : value;
  }
  if (context.jwksUri) body['jwks_uri'] = context.jwksUri;
  else if (!body['jwks'] && context.keyJar.ownPublicJwks().keys.length > 0) body['jwks'] = context.keyJar.ownPublicJwks();
  body['redirect_uris'] = [...context.redirectUris];
  if (context.postLogoutRedirectUris.length > 0) body['post_logout_redirect_uris'] = [...context.postLogoutRedirectUris];
  if (context.providerInfo?.require_request_uri_registration) {
    body['request_uris'] = [`${context.baseUrl}/${context.requestsDir}/`];
  }
  for (const [name, value] of Object.entries(args)) if (value !== undefined) body[name] = value;
  return body;
}

/**
 * Checks a registration response: a `client_id` string, a `client_secret` string when present.
 * @throws {ResponseError} `checkRegistrationResponse`.
 */
export function checkRegistrationResponse(message: JsonObject): RegistrationResponse {
  if (typeof message['client_id'] !== 'string' || message['client_id'].length === 0) {
    throw new ResponseError('checkRegistrationResponse', 'the registration response has no client_id');
  }
  for (const name of ['client_secret', 'registration_access_token', 'registration_client_uri'] as const) {
    if (message[name] !== undefined && typeof message[name] !== 'string') {
      throw new ResponseError('checkRegistrationResponse', `the registration response's ${name} is not a string`);
    }
  }
  for (const name of ['client_secret_expires_at', 'client_id_issued_at'] as const) {
    if (message[name] !== undefined && typeof message[name] !== 'number') {
      throw new ResponseError('checkRegistrationResponse', `the registration response's ${name} is not a number`);
    }
  }
  return message as RegistrationResponse;
}

/**
 * Records a registration response: `client_id`, `client_secret`, its expiry and the registration
 * access token become directly reachable, and what the OP registered overrides the behaviour.
 */
export async function recordRegistration(context: ServiceContext, response: RegistrationResponse): Promise<void> {
  context.registrationResponse = response;
  context.clientId = response.client_id;
  if (response.client_secret !== undefined) context.clientSecret = response.client_secret;
  if (response.client_secret_expires_at !== undefined) context.clientSecretExpiresAt = response.client_secret_expires_at;
  if (response.registration_access_token !== undefined) context.registrationAccessToken = response.registration_access_token;
  const behaviour: ClientMetadata = { ...context.behaviour };
  for (const [name, value] of Object.entries(response)) {
    if (REGISTRATION_METADATA.has(name) && value !== undefined && name !== 'jwks') behaviour[name] = value;
  }
  context.behaviour = behaviour;
  await context.save();
}

/**
 * Dynamic client registration (OpenID Connect Dynamic Client Registration 1.0): POSTs the RP's
 * metadata as JSON to the OP's `registration_endpoint` and records the client it gets.
 */
export class Registration extends Service<RegistrationArgs, RegistrationResponse> {
  readonly serviceName = 'registration' as const;
  protected readonly what = 'registration response';
  protected override readonly successStatuses = [201, 200];

  /** @inheritDoc */
  async getRequestParameters(args: RegistrationArgs = {}): Promise<RequestParameters> {
    return {
      method: 'POST',
      url: this.context.endpoint('registration_endpoint'),
      body: JSON.stringify(registrationRequestBody(this.context, args)),
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    };
  }

  /** @throws {ResponseError} `checkRegistrationResponse`. */
  protected async verify(message: JsonObject): Promise<RegistrationResponse> {
    return checkRegistrationResponse(message);
  }

  /** @inheritDoc */
  override async updateServiceContext(response: RegistrationResponse): Promise<void> {
    await recordRegistration(this.context, response);
  }
}
