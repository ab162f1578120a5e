import { createHash } from 'node:crypto';
import { matchPreferences } from './behaviour.js';
import { validateConfig, type AllowOptions, type CallbackUris, type RPConfig } from './config.js';
import { ConfigurationError } from './errors.js';
import { KeyJar, type JwksFetcher } from './key-jar.js';
import type { ClientMetadata, ProviderInfo, RegistrationResponse } from './messages.js';
import { MemoryStore } from './state/memory-store.js';
import { StateDatabase } from './state/state-database.js';
import type { KeyValueStore } from './state/key-value-store.js';

/** Options of {@link ServiceContext.create}. */
export interface ServiceContextOptions {
  /** Where sessions (and the context's own learnt state) are kept. Default: a new {@link MemoryStore}. */
  store?: KeyValueStore;
  /** How the key jar fetches an OP's `jwks_uri`. */
  jwksFetcher?: JwksFetcher;
  /** The clock, in seconds since the epoch. */
  now?: () => number;
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

  private constructor(config: RPConfig, keyJar: KeyJar, stateDb: StateDatabase, now: () => number) {
    this.config = config;
    this.baseUrl = config.base_url.replace(/\/+$/, '');
    this.requestsDir = (config.requests_dir ?? 'requests').replace(/^\/+|\/+$/g, '');
    this.allow = { ...config.allow };
    this.keyJar = keyJar;
    this.stateDb = stateDb;
    this.callback = { ...config.callback };
    this.redirectUris = config.redirect_uris ?? [...new Set(Object.values(this.callback).filter((u): u is string => typeof u === 'string'))];
    this.postLogoutRedirectUris = config.post_logout_redirect_uris ?? [];
    this.jwksUri = config.jwks_uri;
    this.clockSkew = config.clock_skew ?? 60;
    this.clientPreferences = config.client_preferences;
    this.pkce = config.pkce ?? true;
    this.trustedAudiences = config.trusted_audiences ?? [];
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
   * Validates `config`, sets up the key jar (importing or generating the RP's own keys) and the
   * state database, and restores what an earlier run with the same configuration saved in the store.
   * @throws {ConfigurationError} naming the setting at fault.
   */
  static async create(config: RPConfig, options: ServiceContextOptions = {}): Promise<ServiceContext> {
    validateConfig(config);
    const keyJar = new KeyJar({
      ...(options.jwksFetcher === undefined ? {} : { fetcher: options.jwksFetcher }),
      ...(config.jwks_refetch_cooldown === undefined ? {} : { refetchCooldown: config.jwks_refetch_cooldown }),
    });
    const stateDb = new StateDatabase(options.store ?? new MemoryStore());
    const context = new ServiceContext(config, keyJar, stateDb, options.now ?? (() => Math.floor(Date.now() / 1000)));
    if (!(await context.#restore())) {
      for (const jwk of config.keys?.import ?? []) await keyJar.addOwnKey(jwk);
      if (config.keys?.generate?.length) await keyJar.generateOwnKeys(config.keys.generate);
      if (context.providerInfo) context.#loadIssuerKeys(context.providerInfo);
    }
    return context;
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
