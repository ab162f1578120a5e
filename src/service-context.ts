import { createHash } from 'node:crypto';
import { matchPreferences } from './behaviour.js';
import { CONFIG_DEFAULTS, validateConfig, type AllowOptions, type CallbackUris, type RPConfig } from './config.js';
import { ConfigurationError, describeValue } from './errors.js';
import { KeyJar, needsOwnKey, type JwksFetcher } from './key-jar.js';
import type { ClientMetadata, ProviderInfo, RegistrationResponse } from './messages.js';
import { MemoryStore } from './state/memory-store.js';
import { StateDatabase } from './state/state-database.js';
import type { KeyValueStore } from './state/key-value-store.js';
import { checkPublicAddress, type AddressLookup, type AddressPolicy } from './transport/address-guard.js';
import { formatProblems } from './validation.js';

/** Options of {@link ServiceContext.create}. */
export interface ServiceContextOptions {
  /** Where sessions (and the context's own learnt state) are kept. Default: a new {@link MemoryStore}. */
  store?: KeyValueStore;
  /** How the key jar fetches an OP's `jwks_uri`. */
  jwksFetcher?: JwksFetcher;
  /** The clock, in seconds since the epoch. */
  now?: () => number;
  /** How the address guard resolves host names (a test's fake DNS). Default `node:dns`. */
  lookup?: AddressLookup;
}

/** The metadata that names an algorithm for which the RP needs a private key of its own. */
const OWN_KEY_METADATA = ['id_token_encrypted_response_alg', 'userinfo_encrypted_response_alg', 'request_object_signing_alg', 'token_endpoint_auth_signing_alg'] as const;

/**
 * Checks the options of {@link ServiceContext.create}: a wrong one is a configuration mistake,
 * reported as such (not a crash later).
 * @throws {ConfigurationError} `configSetting` naming the option.
 */
function checkOptions(options: unknown): asserts options is ServiceContextOptions {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ConfigurationError('configSetting', `the options of ServiceContext.create must be an object, got ${describeValue(options)}`, { setting: '(options)' });
  }
  const { store, jwksFetcher, now, lookup } = options as Record<string, unknown>;
  if (store !== undefined) {
    const missing = ['get', 'set', 'delete', 'compareAndSet'].filter((method) => typeof (store as Record<string, unknown> | null)?.[method] !== 'function');
    if (store === null || typeof store !== 'object' || missing.length > 0) {
      throw new ConfigurationError('configSetting', `the store is no KeyValueStore: it lacks ${missing.join(', ') || 'everything'}`, { setting: '(options).store' });
    }
  }
  for (const [name, value] of [['jwksFetcher', jwksFetcher], ['now', now], ['lookup', lookup]] as const) {
    if (value !== undefined && typeof value !== 'function') throw new ConfigurationError('configSetting', `the option ${name} must be a function, got ${describeValue(value)}`, { setting: `(options).${name}` });
  }
}

/** What a {@link ServiceContext} learns during a conversation, as saved in its store. */
interface Snapshot {
  configDigest: string;
  issuer?: string;
  providerInfo?: ProviderInfo;
  registrationResponse?: RegistrationResponse;
  clientId?: string;
  clientSecret?: string;
  clientSecretExpiresAt?: number;
  registrationAccessToken?: string;
  behaviour: ClientMetadata;
  keyJar: ReturnType<KeyJar['toJSON']>;
}

/** The key under which a context saves what it learnt. */
export const CONTEXT_KEY = '__service_context__';

/**
 * What the RP knows about itself and about the OP, as `ServiceContext` in the oidcservice documentation: read by every
 * service to build requests and updated by every service with what it learns. It also holds the
 * key jar and the state database.
 *
 * Create it with {@link ServiceContext.create}, which validates the configuration and, when the
 * store holds what an earlier process with the same configuration learnt (discovery, registration,
 * keys), restores it: an RP that restarts on a persistent store picks up where it was.
 */
export class ServiceContext {
  /** The configuration the context was created from. */
  readonly config: RPConfig;
  /** The part of the RP's URLs that does not vary. */
  readonly baseUrl: string;
  /** The path under {@link baseUrl} where request objects are published. */
  readonly requestsDir: string;
  /** Tolerated divergences from the standards. */
  readonly allow: Readonly<AllowOptions>;
  /** The RP's keys and the OPs' keys. */
  readonly keyJar: KeyJar;
  /** The session database, keyed on `state`. */
  readonly stateDb: StateDatabase;
  /** Where the OP may send the user agent back. */
  readonly redirectUris: readonly string[];
  /** Redirect URIs per kind of response. */
  readonly callback: Readonly<CallbackUris>;
  /** Where the OP may send the user agent after logout. */
  readonly postLogoutRedirectUris: readonly string[];
  /** The RP's published key set URL. */
  readonly jwksUri: string | undefined;
  /** Tolerated clock difference, in seconds. */
  readonly clockSkew: number;
  /** What dynamic registration asks for. */
  readonly clientPreferences: ClientMetadata | undefined;
  /** Whether the code flow uses PKCE. */
  readonly pkce: boolean;
  /** Audiences besides the client that an ID token may name. */
  readonly trustedAudiences: readonly string[];
  /** What the address guard lets the RP fetch (from `allow.private_addresses` and `allow.unchecked_hosts`). */
  readonly addressPolicy: AddressPolicy;
  /** The RP's own URL where a browser starts a login (`login_uri`, default `{base_url}/login`). */
  readonly loginUri: string;
  /** The issuers a third party may start a login with, besides the configured one. */
  readonly thirdPartyLoginIssuers: readonly string[];

  /** The client identifier, once registered (statically or dynamically). */
  clientId: string | undefined;
  /** The client secret, if any. */
  clientSecret: string | undefined;
  /** When the client secret expires (0: never), from registration. */
  clientSecretExpiresAt: number | undefined;
  /** The token for reading the registration, from registration. */
  registrationAccessToken: string | undefined;
  /** How the RP behaves against this OP: configured, or matched from the preferences. */
  behaviour: ClientMetadata;
  /** The OP's issuer identifier. */
  issuer: string | undefined;
  /** The OP's metadata. */
  providerInfo: ProviderInfo | undefined;
  /** The OP's answer to registration. */
  registrationResponse: RegistrationResponse | undefined;

  readonly #now: () => number;
  readonly #configDigest: string;

  private constructor(config: RPConfig, keyJar: KeyJar, stateDb: StateDatabase, now: () => number, addressPolicy: AddressPolicy) {
    this.config = config;
    this.baseUrl = config.base_url.replace(/\/+$/, '');
    this.requestsDir = (config.requests_dir ?? CONFIG_DEFAULTS.requests_dir).replace(/^\/+|\/+$/g, '');
    this.allow = { ...config.allow };
    this.keyJar = keyJar;
    this.stateDb = stateDb;
    this.callback = { ...config.callback };
    this.redirectUris = config.redirect_uris ?? [...new Set(Object.values(this.callback).filter((u): u is string => typeof u === 'string'))];
    this.postLogoutRedirectUris = config.post_logout_redirect_uris ?? [];
    this.jwksUri = config.jwks_uri;
    this.clockSkew = config.clock_skew ?? CONFIG_DEFAULTS.clock_skew;
    this.clientPreferences = config.client_preferences;
    this.pkce = config.pkce ?? CONFIG_DEFAULTS.pkce;
    this.trustedAudiences = config.trusted_audiences ?? [];
    this.addressPolicy = addressPolicy;
    this.loginUri = config.login_uri ?? `${this.baseUrl}/login`;
    this.thirdPartyLoginIssuers = config.third_party_login_issuers ?? [];
    this.#now = now;
    this.#configDigest = createHash('sha256').update(JSON.stringify(config)).digest('base64url');

    this.behaviour = { ...config.behaviour };
    this.providerInfo = config.provider_info;
    this.issuer = config.provider_info?.issuer ?? config.issuer;
    this.registrationResponse = config.registration_response;
    this.clientId = config.client_id ?? config.registration_response?.client_id;
    this.clientSecret = config.client_secret ?? config.registration_response?.client_secret;
    this.clientSecretExpiresAt = config.registration_response?.client_secret_expires_at;
    this.registrationAccessToken = config.registration_response?.registration_access_token;
  }

  /**
   * Validates `config` and `options`, sets up the key jar (importing or generating the RP's own
   * keys) and the state database (with the configured lifetimes and bounds), and restores what an
   * earlier run with the same configuration saved in the store.
   * @throws {ConfigurationError} `configSetting` naming every setting at fault: a bad
   *   configuration, a bad option, or an algorithm the RP would register without a key for it.
   */
  static async create(config: RPConfig, options: ServiceContextOptions = {}): Promise<ServiceContext> {
    validateConfig(config);
    checkOptions(options);
    const now = options.now ?? (() => Math.floor(Date.now() / 1000));
    const allow = config.allow ?? {};
    const addressPolicy: AddressPolicy = {
      allowPrivate: allow.private_addresses === true,
      uncheckedHosts: (allow.unchecked_hosts ?? []).map((h) => h.toLowerCase()),
      ...(options.lookup === undefined ? {} : { lookup: options.lookup }),
    };
    const fetcher = options.jwksFetcher;
    const keyJar = new KeyJar({
      // Every jwks_uri is an OP-supplied URL: the address guard checks it before the fetch.
      ...(fetcher === undefined ? {} : { fetcher: async (uri: string) => {
        await checkPublicAddress(uri, addressPolicy, 'jwks_uri');
        return fetcher(uri);
      } }),
      ...(config.jwks_refetch_cooldown === undefined ? {} : { refetchCooldown: config.jwks_refetch_cooldown }),
    });
    const stateDb = new StateDatabase(options.store ?? new MemoryStore(), {
      now,
      pendingLoginLifetime: config.pending_login_lifetime ?? CONFIG_DEFAULTS.pending_login_lifetime,
      sessionLifetime: config.session_lifetime ?? CONFIG_DEFAULTS.session_lifetime,
      maxPendingLogins: config.max_pending_logins ?? CONFIG_DEFAULTS.max_pending_logins,
      maxValueBytes: config.max_session_bytes ?? CONFIG_DEFAULTS.max_session_bytes,
    });
    const context = new ServiceContext(config, keyJar, stateDb, now, addressPolicy);
    if (!(await context.#restore())) {
      for (const jwk of config.keys?.import ?? []) await keyJar.addOwnKey(jwk);
      if (config.keys?.generate?.length) await keyJar.generateOwnKeys(config.keys.generate);
      if (context.providerInfo) context.#loadIssuerKeys(context.providerInfo);
    }
    context.#checkOwnKeys();
    return context;
  }

  /**
   * Every algorithm the RP registers (or would register) that needs a private key of its own must
   * have one: otherwise registration would fail at the OP, or the first encrypted ID token would,
   * rather than the configuration at start.
   * @throws {ConfigurationError} `configSetting` naming every such setting.
   */
  #checkOwnKeys(): void {
    const problems: Array<{ setting: string; message: string }> = [];
    for (const [where, metadata] of [['behaviour', this.config.behaviour], ['client_preferences', this.config.client_preferences]] as const) {
      if (!metadata) continue;
      const methods = [metadata['token_endpoint_auth_method']].flat();
      for (const name of OWN_KEY_METADATA) {
        if (name === 'token_endpoint_auth_signing_alg' && !methods.includes('private_key_jwt')) continue;
        for (const alg of [metadata[name]].flat()) {
          if (typeof alg !== 'string' || !needsOwnKey(alg) || this.keyJar.hasOwnKeyFor(alg)) continue;
          problems.push({ setting: `${where}.${name}`, message: `the RP has no private key for ${alg}: add ${alg} to keys.generate, or a key to keys.import` });
        }
      }
    }
    if (problems.length === 0) return;
    throw new ConfigurationError('configSetting', `the configuration has ${problems.length === 1 ? 'a problem' : `${problems.length} problems`}:\n${formatProblems(problems)}`, {
      setting: problems[0]!.setting,
      detail: { problems },
    });
  }

  /** The current time in seconds since the epoch, as the context's clock has it. */
  now(): number {
    return this.#now();
  }

  /**
   * The issuer identifier, or a clear error when the OP is not known yet.
   * @throws {ConfigurationError} `contextIssuer`.
   */
  requireIssuer(): string {
    if (!this.issuer) throw new ConfigurationError('contextIssuer', 'the OP is not known yet: configure issuer or run WebFinger first');
    return this.issuer;
  }

  /**
   * The client identifier, or a clear error when the RP is not registered yet.
   * @throws {ConfigurationError} `contextClientId`.
   */
  requireClientId(): string {
    if (!this.clientId) throw new ConfigurationError('contextClientId', 'the RP has no client_id: configure one or register first');
    return this.clientId;
  }

  /**
   * An endpoint from the provider info; its mTLS alias when the RP uses them and the OP offers one.
   * @throws {ConfigurationError} `contextEndpoint` naming the endpoint when the OP has none.
   */
  endpoint(name: string): string {
    if (this.config.use_mtls_endpoint_aliases) {
      const aliases = this.providerInfo?.['mtls_endpoint_aliases'];
      const alias = aliases !== null && typeof aliases === 'object' ? (aliases as Record<string, unknown>)[name] : undefined;
      if (typeof alias === 'string') return alias;
    }
    const url = this.providerInfo?.[name];
    if (typeof url !== 'string') {
      throw new ConfigurationError('contextEndpoint', `the OP's provider info has no ${name}${this.providerInfo ? '' : ' (run discovery first, or configure provider_info)'}`);
    }
    return url;
  }

  /** Records provider info (from discovery or configuration) and, with preferences, derives behaviour. */
  setProviderInfo(info: ProviderInfo): void {
    this.providerInfo = info;
    this.issuer = info.issuer;
    this.#loadIssuerKeys(info);
    if (this.clientPreferences) this.behaviour = { ...matchPreferences(this.clientPreferences, info), ...this.config.behaviour };
  }

  /**
   * The redirect URI for a response type and mode: the `callback` entry for it (as in the oidcservice documentation) when
   * configured, else the first of `redirect_uris`.
   */
  redirectUriFor(responseType: string, responseMode?: string): string {
    const kind = responseMode === 'form_post' ? 'form_post' : responseType === 'code' ? 'code' : 'implicit';
    const uri = this.callback[kind] ?? this.redirectUris[0];
    if (!uri) throw new ConfigurationError('configSetting', 'the setting redirect_uris (or callback) gives no redirect URI', { setting: 'redirect_uris' });
    return uri;
  }

  /** The secrets the context holds, for redaction of recorded exchanges. */
  secrets(): string[] {
    return [this.clientSecret, this.registrationAccessToken].filter((s): s is string => typeof s === 'string' && s.length > 0);
  }

  /** Saves what the context learnt (discovery, registration, keys) in its store. */
  async save(): Promise<void> {
    const snapshot: Snapshot = {
      configDigest: this.#configDigest,
      ...(this.issuer === undefined ? {} : { issuer: this.issuer }),
      ...(this.providerInfo === undefined ? {} : { providerInfo: this.providerInfo }),
      ...(this.registrationResponse === undefined ? {} : { registrationResponse: this.registrationResponse }),
      ...(this.clientId === undefined ? {} : { clientId: this.clientId }),
      ...(this.clientSecret === undefined ? {} : { clientSecret: this.clientSecret }),
      ...(this.clientSecretExpiresAt === undefined ? {} : { clientSecretExpiresAt: this.clientSecretExpiresAt }),
      ...(this.registrationAccessToken === undefined ? {} : { registrationAccessToken: this.registrationAccessToken }),
      behaviour: this.behaviour,
      keyJar: this.keyJar.toJSON(),
    };
    await this.stateDb.store.set(CONTEXT_KEY, JSON.stringify(snapshot));
  }

  /**
   * Reads again what another instance of the same RP saved in the shared store (discovery,
   * registration, keys), for an instance that started before they were learnt.
   * @returns whether a saved record was found and taken.
   */
  async reload(): Promise<boolean> {
    return this.#restore();
  }

  async #restore(): Promise<boolean> {
    const raw = await this.stateDb.store.get(CONTEXT_KEY);
    if (raw === undefined) return false;
    const saved = JSON.parse(raw) as Snapshot;
    if (saved.configDigest !== this.#configDigest) return false;
    this.issuer = saved.issuer;
    this.providerInfo = saved.providerInfo;
    this.registrationResponse = saved.registrationResponse;
    this.clientId = saved.clientId;
    this.clientSecret = saved.clientSecret;
    this.clientSecretExpiresAt = saved.clientSecretExpiresAt;
    this.registrationAccessToken = saved.registrationAccessToken;
    this.behaviour = saved.behaviour;
    this.keyJar.restore(saved.keyJar);
    return true;
  }

  #loadIssuerKeys(info: ProviderInfo): void {
    if (info.jwks) this.keyJar.addIssuerJwks(info.issuer, info.jwks);
    if (typeof info.jwks_uri === 'string') this.keyJar.setIssuerJwksUri(info.issuer, info.jwks_uri);
  }
}
