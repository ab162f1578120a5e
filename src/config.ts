/**
 * The RP's configuration: its shape ({@link RPConfig}), its defaults, and its validation at start
 * against one zod schema, with every problem reported at once, each naming its setting.
 *
 * @module
 */
import { z } from 'zod';
import { ConfigurationError, describeValue } from './errors.js';
import type { JsonWebKeyWithKid, ClientMetadata, ProviderInfo, RegistrationResponse } from './messages.js';
import type { OwnKeyAlgorithm } from './key-jar.js';
import { CLIENT_AUTH_METHODS } from './client-auth/client-auth.js';
import { isJwks, OWN_KEY_ALGORITHMS } from './key-jar.js';
import { MAX_JSON_DEPTH, valueDepth } from './services/service.js';
import { STATE_DEFAULTS } from './state/state-database.js';
import { formatProblems, validateSettings, type SettingProblem } from './validation.js';

/** Divergences from the standards the RP may be told to tolerate (`allow` in the oidcservice documentation). */
export interface AllowOptions {
  /** Accept an `iss` (in discovery or an ID token) that is not the OP's issuer identifier. */
  issuer_mismatch?: boolean;
  /** Try every fitting key when a JWS names no `kid` and the OP has several keys. */
  missing_kid?: boolean;
  /** Accept `http:` issuers, endpoints and WebFinger links. */
  http_links?: boolean;
  /**
   * Accept OP-supplied URLs (the issuer, every endpoint, `jwks_uri`, distributed-claims
   * endpoints, WebFinger hosts) that resolve to loopback, link-local, private or unspecified
   * addresses: an OP on the RP's own machine or network. Default `false`: such URLs are refused
   * (`checkPublicAddress`), so an OP, or whoever sends the RP an issuer, cannot make it reach
   * inside its network.
   */
  private_addresses?: boolean;
  /**
   * Host names (lower case, without port) whose URLs the address guard neither resolves nor
   * checks: an in-process test OP whose name is in no DNS, say. Default none.
   */
  unchecked_hosts?: string[];
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
 * The RP's configuration, in the vocabulary of the oidcservice documentation. Either static
 * (`provider_info` and `client_id` or `registration_response`, with `behaviour`) or dynamic
 * (`client_preferences`, and `issuer` or WebFinger to find the OP).
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
  /**
   * The RP's own URL where a browser starts a login: the RP handler answers it with the login
   * cookie and a redirect to the OP. Default `{base_url}/login`.
   */
  login_uri?: string;
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
  /** Seconds a started login waits for its authorization response before it expires. Default 600 (10 minutes). */
  pending_login_lifetime?: number;
  /** Seconds an established session lives, from its login. Default 86,400 (1 day). */
  session_lifetime?: number;
  /** How many logins may be pending at once; more are refused (`pendingLoginCap`). Default 10,000. */
  max_pending_logins?: number;
  /** The largest session the RP stores, in bytes of JSON; a larger one is refused (`storedValueSize`). Default 262,144 (256 KiB). */
  max_session_bytes?: number;
  /**
   * The issuers a third party may start a login with at the RP's `initiate_login_uri`
   * (OpenID Connect Core 4), besides the configured `issuer`. An RP bound to an OP accepts only
   * that OP; an RP without one accepts only these. Default none.
   */
  third_party_login_issuers?: string[];
}

/** The defaults of the settings that have one. */
export const CONFIG_DEFAULTS = {
  requests_dir: 'requests',
  clock_skew: 60,
  pkce: true,
  jwks_refetch_cooldown: 60_000,
  pending_login_lifetime: STATE_DEFAULTS.pendingLoginLifetime,
  session_lifetime: STATE_DEFAULTS.sessionLifetime,
  max_pending_logins: STATE_DEFAULTS.maxPendingLogins,
  max_session_bytes: STATE_DEFAULTS.maxValueBytes,
} as const;

function isAbsoluteUrl(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    return new URL(value).protocol.length > 0;
  } catch {
    return false;
  }
}

const absoluteUrl = z.string().refine(isAbsoluteUrl, { message: 'must be an absolute URL' });
const redirectUri = z.string().refine((value) => isAbsoluteUrl(value) && new URL(value).hash === '', { error: (issue) => `the redirect URI ${describeValue(issue.input)} must be an absolute URL without a fragment` });
/** A whole number of seconds within `min` and `max`. */
const seconds = (min: number, max: number) => z.number().int({ message: 'must be a whole number of seconds' }).min(min, { message: `must be at least ${min} s` }).max(max, { message: `must be at most ${max} s` });
const authMethod = z.string().refine((method) => CLIENT_AUTH_METHODS.includes(method), { error: (issue) => `the client authentication method ${describeValue(issue.input)} is not one of ${CLIENT_AUTH_METHODS.join(', ')}` });
const metadata = z.looseObject({ token_endpoint_auth_method: z.union([authMethod, z.array(authMethod)]).optional() });
const hostName = z.string().regex(/^[a-z0-9.-]+$|^\[[0-9a-f:.]+\]$/, { message: 'must be a host name in lower case, without scheme or port' });

/** The schema of {@link RPConfig}: shapes and ranges; the rules between settings are in {@link crossChecks}. */
const RP_CONFIG_SCHEMA = z.strictObject({
  base_url: absoluteUrl,
  requests_dir: z.string().optional(),
  allow: z.strictObject({
    issuer_mismatch: z.boolean().optional(),
    missing_kid: z.boolean().optional(),
    http_links: z.boolean().optional(),
    private_addresses: z.boolean().optional(),
    unchecked_hosts: z.array(hostName).optional(),
  }).optional(),
  client_id: z.string().optional(),
  client_secret: z.string().optional(),
  redirect_uris: z.array(redirectUri).optional(),
  callback: z.strictObject({ code: redirectUri.optional(), implicit: redirectUri.optional(), form_post: redirectUri.optional() }).optional(),
  post_logout_redirect_uris: z.array(absoluteUrl).optional(),
  jwks_uri: absoluteUrl.optional(),
  login_uri: absoluteUrl.optional(),
  behaviour: metadata.optional(),
  client_preferences: metadata.optional(),
  issuer: z.string().optional(),
  provider_info: z.looseObject({ issuer: z.string({ message: 'must be the OP\'s issuer URL' }), jwks: z.unknown().refine((jwks) => jwks === undefined || isJwks(jwks), { message: 'must be a JWK Set: { "keys": [ { "kty": ... } ] }' }).optional(), jwks_uri: z.string().optional() }).optional(),
  registration_response: z.looseObject({ client_id: z.string({ message: 'must carry a client_id' }) }).optional(),
  keys: z.strictObject({
    import: z.array(z.looseObject({ kty: z.string() }), { message: 'must be a list of JWKs' }).optional(),
    generate: z.array(z.enum(OWN_KEY_ALGORITHMS as [OwnKeyAlgorithm, ...OwnKeyAlgorithm[]], { message: `must be one of ${OWN_KEY_ALGORITHMS.join(', ')}` })).optional(),
  }).optional(),
  clock_skew: z.number().finite().min(0, { message: 'must be a non-negative number of seconds' }).optional(),
  pkce: z.boolean().optional(),
  jwks_refetch_cooldown: z.number().finite().min(0).optional(),
  trusted_audiences: z.array(z.string()).optional(),
  use_mtls_endpoint_aliases: z.boolean().optional(),
  pending_login_lifetime: seconds(1, 86_400).optional(),
  session_lifetime: seconds(1, 366 * 86_400).optional(),
  max_pending_logins: z.number().int().min(1, { message: 'must be a positive whole number' }).optional(),
  max_session_bytes: z.number().int().min(4096, { message: 'must be a whole number of bytes, at least 4,096' }).optional(),
  third_party_login_issuers: z.array(z.string()).optional(),
});

/** The rules between settings. They read the configuration defensively: a wrong shape is the schema's to report. */
function crossChecks(config: Record<string, unknown>): SettingProblem[] {
  const problems: SettingProblem[] = [];
  const allow = config['allow'];
  const allowHttp = allow !== null && typeof allow === 'object' && (allow as AllowOptions).http_links === true;
  const httpsUrl = (value: unknown, setting: string): void => {
    if (typeof value !== 'string') return;
    if (!isAbsoluteUrl(value)) problems.push({ setting, message: 'must be an absolute URL' });
    else if (new URL(value).protocol !== 'https:' && !(new URL(value).protocol === 'http:' && allowHttp)) problems.push({ setting, message: 'must be an https URL (set allow.http_links to accept http)' });
  };
  const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
  const members = (value: unknown): Record<string, unknown> => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {});
  const redirects = config['redirect_uris'];
  if ((redirects === undefined || Array.isArray(redirects)) && list(redirects).length + Object.values(members(config['callback'])).length === 0) {
    problems.push({ setting: 'redirect_uris', message: 'is missing or empty (and so is callback): the OP needs somewhere to send the user back' });
  }
  httpsUrl(config['issuer'], 'issuer');
  const providerInfo = members(config['provider_info']);
  httpsUrl(providerInfo['issuer'], 'provider_info.issuer');
  httpsUrl(providerInfo['jwks_uri'], 'provider_info.jwks_uri');
  for (const [i, issuer] of list(config['third_party_login_issuers']).entries()) httpsUrl(issuer, `third_party_login_issuers[${i}]`);
  if ((config['client_id'] !== undefined || config['registration_response'] !== undefined) && config['behaviour'] === undefined) {
    problems.push({ setting: 'behaviour', message: 'is required with a statically registered client' });
  }
  return problems;
}

/**
 * Checks a configuration before anything runs, so that a mistake fails at start, not later in the
 * middle of a conversation. Every problem is found at once.
 * @throws {ConfigurationError} `configSetting`: the message lists every problem, each naming its
 *   setting; `setting` is the first, `detail.problems` the whole list.
 */
export function validateConfig(config: RPConfig): void {
  const problems = configProblems(config);
  if (problems.length === 0) return;
  const summary = problems.length === 1 ? 'the configuration has a problem' : `the configuration has ${problems.length} problems`;
  throw new ConfigurationError('configSetting', `${summary}:\n${formatProblems(problems)}`, {
    setting: problems[0]!.setting,
    detail: { problems: problems.map((p) => ({ ...p })) },
  });
}

/** Every problem of a configuration (an empty list when it is good), each naming its setting. */
export function configProblems(config: unknown): SettingProblem[] {
  if (config === null || typeof config !== 'object' || Array.isArray(config)) return [{ setting: '(root)', message: `must be an object, got ${describeValue(config)}` }];
  if (valueDepth(config) > MAX_JSON_DEPTH) return [{ setting: '(root)', message: `nests deeper than ${MAX_JSON_DEPTH} levels` }];
  const result = validateSettings(RP_CONFIG_SCHEMA, config);
  const problems = result.ok ? [] : [...result.problems];
  const reported = new Set(problems.map((p) => p.setting));
  // A rule between settings adds a problem only about a setting the schema found no fault with.
  for (const problem of crossChecks(config as Record<string, unknown>)) if (!reported.has(problem.setting)) problems.push(problem);
  return problems;
}
