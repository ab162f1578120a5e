import { ConfigurationError } from './errors.js';
import type { ClientMetadata, ProviderInfo } from './messages.js';

/**
 * For each client preference that the OP constrains: the provider metadata that lists what the
 * OP supports, whether the registered value is a single value, and the specifications' default
 * when the OP says nothing.
 */
export const PREFERENCE_SUPPORT: Readonly<Record<string, { supported: string; single: boolean; default?: readonly string[] }>> = {
  response_types: { supported: 'response_types_supported', single: false },
  response_modes: { supported: 'response_modes_supported', single: false, default: ['query', 'fragment'] },
  grant_types: { supported: 'grant_types_supported', single: false, default: ['authorization_code', 'implicit'] },
  scope: { supported: 'scopes_supported', single: false },
  subject_type: { supported: 'subject_types_supported', single: true },
  default_acr_values: { supported: 'acr_values_supported', single: false },
  token_endpoint_auth_method: { supported: 'token_endpoint_auth_methods_supported', single: true, default: ['client_secret_basic'] },
  token_endpoint_auth_signing_alg: { supported: 'token_endpoint_auth_signing_alg_values_supported', single: true },
  id_token_signed_response_alg: { supported: 'id_token_signing_alg_values_supported', single: true },
  id_token_encrypted_response_alg: { supported: 'id_token_encryption_alg_values_supported', single: true },
  id_token_encrypted_response_enc: { supported: 'id_token_encryption_enc_values_supported', single: true },
  userinfo_signed_response_alg: { supported: 'userinfo_signing_alg_values_supported', single: true },
  userinfo_encrypted_response_alg: { supported: 'userinfo_encryption_alg_values_supported', single: true },
  userinfo_encrypted_response_enc: { supported: 'userinfo_encryption_enc_values_supported', single: true },
  request_object_signing_alg: { supported: 'request_object_signing_alg_values_supported', single: true },
  request_object_encryption_alg: { supported: 'request_object_encryption_alg_values_supported', single: true },
  request_object_encryption_enc: { supported: 'request_object_encryption_enc_values_supported', single: true },
  code_challenge_method: { supported: 'code_challenge_methods_supported', single: true },
};

/**
 * Turns `client_preferences` into `behaviour` by matching them against what the OP supports:
 * a string preference is kept if supported; a list becomes the intersection, or its first
 * supported value where the registered parameter takes a single value. Preferences the OP does
 * not constrain are kept as they are.
 * @throws {ConfigurationError} `matchPreferences` naming the parameter when the RP and the OP
 *   have nothing in common for it.
 */
export function matchPreferences(preferences: ClientMetadata, providerInfo: ProviderInfo): ClientMetadata {
  const behaviour: ClientMetadata = {};
  for (const [name, preferred] of Object.entries(preferences)) {
    const rule = PREFERENCE_SUPPORT[name];
    if (rule === undefined || preferred === undefined) {
      behaviour[name] = preferred;
      continue;
    }
    const advertised = providerInfo[rule.supported];
    const supported = Array.isArray(advertised) ? advertised.filter((v): v is string => typeof v === 'string') : rule.default;
    if (supported === undefined) {
      behaviour[name] = preferred;
      continue;
    }
    if (typeof preferred !== 'string' && !(Array.isArray(preferred) && preferred.every((v) => typeof v === 'string'))) {
      throw new ConfigurationError('matchPreferences', `client preference ${name} must be a string or a list of strings`, { detail: { parameter: name } });
    }
    const wanted = typeof preferred === 'string' ? (name === 'scope' ? preferred.split(' ') : [preferred]) : preferred;
    const common = wanted.filter((v) => supported.includes(v) || (name === 'scope' && v === 'openid'));
    if (common.length === 0) {
      throw new ConfigurationError('matchPreferences', `client preference ${name} (${wanted.join(', ')}) has nothing in common with the OP's ${rule.supported} (${supported.join(', ')})`, {
        detail: { parameter: name, preferred: wanted, supported },
      });
    }
    if (typeof preferred === 'string' && name !== 'scope') behaviour[name] = common[0];
    else behaviour[name] = rule.single ? common[0] : common;
  }
  return behaviour;
}

/** Client metadata that a registration request may carry (OpenID Connect Registration 2, RFC 7591, logout and session specifications). */
export const REGISTRATION_METADATA: ReadonlySet<string> = new Set([
  'redirect_uris', 'response_types', 'grant_types', 'application_type', 'contacts', 'client_name', 'logo_uri', 'client_uri',
  'policy_uri', 'tos_uri', 'jwks_uri', 'jwks', 'sector_identifier_uri', 'subject_type', 'id_token_signed_response_alg',
  'id_token_encrypted_response_alg', 'id_token_encrypted_response_enc', 'userinfo_signed_response_alg',
  'userinfo_encrypted_response_alg', 'userinfo_encrypted_response_enc', 'request_object_signing_alg',
  'request_object_encryption_alg', 'request_object_encryption_enc', 'token_endpoint_auth_method',
  'token_endpoint_auth_signing_alg', 'default_max_age', 'require_auth_time', 'default_acr_values', 'initiate_login_uri',
  'request_uris', 'post_logout_redirect_uris', 'frontchannel_logout_uri', 'frontchannel_logout_session_required',
  'backchannel_logout_uri', 'backchannel_logout_session_required', 'software_id', 'software_version',
]);
