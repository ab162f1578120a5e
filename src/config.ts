import { ConfigurationError, describeValue } from './errors.js';
import type { JsonWebKeyWithKid, ClientMetadata, ProviderInfo, RegistrationResponse } from './messages.js';
import type { OwnKeyAlgorithm } from './key-jar.js';
import { CLIENT_AUTH_METHODS } from './client-auth/client-auth.js';
import { isJwks, OWN_KEY_ALGORITHMS } from './key-jar.js';
import { MAX_JSON_DEPTH, valueDepth } from './services/service.js';

/** Divergences from the standards the RP may be told to tolerate (`allow` in the oidcservice documentation). */
export interface AllowOptions {
  /** Accept an `iss` (in discovery or an ID token) that is not the OP's issuer identifier. */
  issuer_mismatch?: boolean;
  /** Try every fitting key when a JWS names no `kid` and the OP has several keys. */
  missing_kid?: boolean;
  /** Accept `http:` issuers, endpoints and WebFinger links. */
  http_links?: boolean;
}

/** Redirect URIs by kind of response, as `callback` in the oidcservice documentation. */
export interface CallbackUris {
  /** For the code flow (query responses). */
  code?: string;
  /** For the implicit and hybrid flows (fragment responses). */
  implicit?: string;
  /** For `response_mode=form_post`. */
  form_post?: string;
}

/**
 * The RP's configuration, in the vocabulary of the oidcservice documentation. Either static (`provider_info` and
 * `client_id` or `registration_response`, with `behaviour`) or dynamic (`client_preferences`,
 * and `issuer` or WebFinger to find the OP).
 */
export interface RPConfig {
  /** The part of the RP's URLs that does not vary (`https://example.org`). */
  base_url: string;
  /** The path under `base_url` where request objects passed by reference are published. Default `requests`. */
  requests_dir?: string;
  /** Tolerated divergences. */
  allow?: AllowOptions;
  /** A statically registered client's identifier. */
  client_id?: string;
  /** A statically registered client's secret. */
  client_secret?: string;
  /** Where the OP may send the user agent back. Required unless `callback` gives them. */
  redirect_uris?: string[];
  /** Redirect URIs per kind of response. */
  callback?: CallbackUris;
  /** Where the OP may send the user agent after logout. */
  post_logout_redirect_uris?: string[];
  /** The RP's published key set URL (`{base_url}/static/jwks.json`, say). */
  jwks_uri?: string;
  /** How the RP behaves against this OP. Required with static registration. */
  behaviour?: ClientMetadata;
  /** What to ask for in dynamic registration, matched against the provider info. */
  client_preferences?: ClientMetadata;
  /** The OP's issuer identifier, when known without WebFinger. */
  issuer?: string;
  /** Static provider information. */
  provider_info?: ProviderInfo;
  /** A static registration response. */
  registration_response?: RegistrationResponse;
  /** The RP's own keys: private JWKs to import, and algorithms to generate keys for. */
  keys?: { import?: JsonWebKeyWithKid[]; generate?: OwnKeyAlgorithm[] };
  /** Tolerated clock difference with the OP, in seconds. Default 60. */
  clock_skew?: number;
  /** Use PKCE (S256) in the code flow. Default true. */
  pkce?: boolean;
  /** Milliseconds during which an unknown `kid` does not refetch the OP's JWKS again. Default 60,000. */
  jwks_refetch_cooldown?: number;
  /** Audiences besides the client itself that may appear in an ID token's `aud`. */
  trusted_audiences?: string[];
  /**
   * The RP holds a TLS client certificate: use the OP's `mtls_endpoint_aliases` (RFC 8705, 5)
   * where it offers them. The certificate itself belongs to the transport's dispatcher.
   */
  use_mtls_endpoint_aliases?: boolean;
}

function isAbsoluteUrl(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    return new URL(value).protocol.length > 0;
  } catch {
    return false;
  }
}

function requireUrl(value: unknown, setting: string, allowHttp: boolean): void {
  if (!isAbsoluteUrl(value)) throw new ConfigurationError('configSetting', `the setting ${setting} must be an absolute URL`, { setting });
  const protocol = new URL(value).protocol;
  if (protocol !== 'https:' && !(protocol === 'http:' && allowHttp)) {
    throw new ConfigurationError('configSetting', `the setting ${setting} must be an https URL (set allow.http_links to accept http)`, { setting });
  }
}

/**
 * Checks a configuration before anything runs, so that a mistake fails at start with a message
 * naming the setting, not later in the middle of a conversation.
 * @throws {ConfigurationError} `configSetting`, whose `setting` names the setting at fault.
 */
export function validateConfig(config: RPConfig): void {
  if (config === null || typeof config !== 'object') throw new ConfigurationError('configSetting', 'the configuration must be an object', { setting: '(root)' });
  if (valueDepth(config) > MAX_JSON_DEPTH) throw new ConfigurationError('configSetting', `the configuration nests deeper than ${MAX_JSON_DEPTH} levels`, { setting: '(root)' });
  const allowHttp = config.allow?.http_links === true;
  if (!isAbsoluteUrl(config.base_url)) throw new ConfigurationError('configSetting', 'the setting base_url must be an absolute URL', { setting: 'base_url' });
  if (config.redirect_uris !== undefined && !Array.isArray(config.redirect_uris)) {
    throw new ConfigurationError('configSetting', 'the setting redirect_uris must be a list of URLs', { setting: 'redirect_uris' });
  }
  if (config.callback !== undefined && (config.callback === null || typeof config.callback !== 'object' || Array.isArray(config.callback))) {
    throw new ConfigurationError('configSetting', 'the setting callback must map code, implicit and form_post to URLs', { setting: 'callback' });
  }
  const redirects: unknown[] = [...(config.redirect_uris ?? []), ...Object.values(config.callback ?? {})];
  if (redirects.length === 0) {
    throw new ConfigurationError('configSetting', 'the setting redirect_uris (or callback) is missing: the OP needs somewhere to send the user back', { setting: 'redirect_uris' });
  }
  for (const uri of redirects) {
    if (!isAbsoluteUrl(uri) || new URL(uri).hash !== '') {
      throw new ConfigurationError('configSetting', `the redirect URI ${describeValue(uri)} must be an absolute URL without a fragment`, { setting: 'redirect_uris' });
    }
  }
  if (config.issuer !== undefined) requireUrl(config.issuer, 'issuer', allowHttp);
  if (config.provider_info !== undefined) {
    if (typeof config.provider_info !== 'object' || config.provider_info === null) {
      throw new ConfigurationError('configSetting', 'the setting provider_info must be an object', { setting: 'provider_info' });
    }
    requireUrl(config.provider_info.issuer, 'provider_info.issuer', allowHttp);
    if (config.provider_info.jwks !== undefined && !isJwks(config.provider_info.jwks)) {
      throw new ConfigurationError('configSetting', 'the setting provider_info.jwks must be a JWK Set: { "keys": [ { "kty": ... } ] }', { setting: 'provider_info.jwks' });
    }
    if (config.provider_info.jwks_uri !== undefined) requireUrl(config.provider_info.jwks_uri, 'provider_info.jwks_uri', allowHttp);
  }
  for (const setting of ['behaviour', 'client_preferences', 'allow', 'registration_response', 'keys'] as const) {
    const value = config[setting];
    if (value !== undefined && (value === null || typeof value !== 'object' || Array.isArray(value))) {
      throw new ConfigurationError('configSetting', `the setting ${setting} must be an object`, { setting });
    }
  }
  for (const setting of ['client_id', 'client_secret', 'jwks_uri', 'requests_dir'] as const) {
    if (config[setting] !== undefined && typeof config[setting] !== 'string') {
      throw new ConfigurationError('configSetting', `the setting ${setting} must be a string`, { setting });
    }
  }
  if (config.jwks_uri !== undefined) requireUrl(config.jwks_uri, 'jwks_uri', true);
  if (config.keys?.import !== undefined && !isJwks({ keys: config.keys.import })) {
    throw new ConfigurationError('configSetting', 'the setting keys.import must be a list of JWKs', { setting: 'keys.import' });
  }
  const staticClient = config.client_id !== undefined || config.registration_response !== undefined;
  if (staticClient && config.behaviour === undefined) {
    throw new ConfigurationError('configSetting', 'with a statically registered client the setting behaviour is required', { setting: 'behaviour' });
  }
  if (config.registration_response !== undefined && typeof config.registration_response.client_id !== 'string') {
    throw new ConfigurationError('configSetting', 'the setting registration_response must carry a client_id', { setting: 'registration_response' });
  }
  for (const [where, metadata] of [['behaviour', config.behaviour], ['client_preferences', config.client_preferences]] as const) {
    const methods = metadata?.token_endpoint_auth_method;
    if (methods === undefined) continue;
    for (const method of Array.isArray(methods) ? methods : [methods]) {
      if (typeof method !== 'string' || !CLIENT_AUTH_METHODS.includes(method)) {
        throw new ConfigurationError('configSetting', `the client authentication method ${describeValue(method)} in ${where}.token_endpoint_auth_method is not one of ${CLIENT_AUTH_METHODS.join(', ')}`, { setting: `${where}.token_endpoint_auth_method` });
      }
    }
  }
  const generate = config.keys?.generate;
  if (generate !== undefined && (!Array.isArray(generate) || generate.some((alg) => !OWN_KEY_ALGORITHMS.includes(alg)))) {
    throw new ConfigurationError('configSetting', `the setting keys.generate must be a list of ${OWN_KEY_ALGORITHMS.join(', ')}`, { setting: 'keys.generate' });
  }
  if (config.clock_skew !== undefined && (typeof config.clock_skew !== 'number' || !Number.isFinite(config.clock_skew) || config.clock_skew < 0)) {
    throw new ConfigurationError('configSetting', 'the setting clock_skew must be a non-negative number of seconds', { setting: 'clock_skew' });
  }
}
