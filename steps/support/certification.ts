import { OidcError, RelyingParty, RpHandler, Transport, type ClientMetadata, type RpEvent, type RPConfig } from '../../src/index.js';
import type { ConformanceTest, Evidence, LoggedRequest, Provider, ResponseType } from '../../mock-op/index.js';
import { sharedRpKeys } from './rp-keys.js';
import { MockTarget } from './targets/mock-target.js';
import type { OpTarget } from './targets/op-target.js';
import type { HarnessWorld } from './world.js';

/** How the RP finds the OP. */
export type Discovery = 'issuer' | 'webfinger-acct' | 'webfinger-url';

/** How a scenario sets its RP up; a Background may fill it in before the test is named. */
export interface CertificationSettings {
  responseType: string;
  responseMode?: string | undefined;
  discovery: Discovery;
  /** Dynamic registration, a client registered beforehand, or what the target prefers (`default`). */
  registration: 'dynamic' | 'static' | 'default';
  /** Metadata the RP asks for beyond the defaults. */
  preferences: ClientMetadata;
  /** Extra authorization request arguments. */
  authorizationArgs: Record<string, unknown>;
  /** Where the RP puts the access token at the userinfo endpoint. */
  userinfoPlacement: 'bearer_header' | 'bearer_body';
  /** Whether the RP uses the OP's mTLS endpoint aliases. */
  mtls: boolean;
  /** Whether the RP registers a back-channel logout URI. */
  backchannelLogout: boolean;
  /** Whether the RP registers a front-channel logout URI. */
  frontchannelLogout: boolean;
  /** How long the RP waits for a whole answer, in milliseconds. */
  timeoutMs: number;
  /** The largest answer the RP accepts, in bytes. */
  maxResponseBytes?: number;
  /** The RP's clock, in seconds since the epoch, when a scenario moves time on; default the system clock. */
  rpClock?: () => number;
}

/** The settings of a scenario that says nothing: the code flow, discovery by issuer, dynamic registration. */
export function defaultSettings(): CertificationSettings {
  return { responseType: 'code', discovery: 'issuer', registration: 'default', preferences: {}, authorizationArgs: {}, userinfoPlacement: 'bearer_header', mtls: false, backchannelLogout: false, frontchannelLogout: false, timeoutMs: 10_000 };
}

/** What the RP did with what the OP sent. */
export type Outcome = 'accepted' | 'rejected' | 'error' | 'not run';

/**
 * One scenario of the harness: an OP target (the mock OP running a catalogue test, a local
 * oidc-provider, a live provider) and a fresh RP with its endpoints served where the OP and the
 * browser reach them, the browser, and what happened.
 */
export class CertificationScenario {
  readonly world: HarnessWorld;
  /** The OP the scenario talks to. */
  readonly target: OpTarget;
  /** The test id as the feature names it (catalogue scenarios). */
  readonly testId: string | undefined;
  /** How the scenario sets its RP up (steps may set it before or after naming the test). */
  readonly settings: CertificationSettings;

  rp: RelyingParty | undefined;
  handler: RpHandler | undefined;
  /** What the RP's endpoints did, oldest first. */
  readonly events: RpEvent[] = [];
  /** The first thing the RP refused, and how many requests the OP had seen by then. */
  rejection: { error: OidcError; opRequests: number; exchanges: number } | undefined;
  /** The session of the last login. */
  state: string | undefined;
  /** Every session started, oldest first. */
  readonly states: string[] = [];
  /** The check-session iframe's answers, oldest first. */
  readonly sessionChecks: string[] = [];
  /** The URLs the browser visited, oldest first. */
  readonly visited: string[] = [];

  private constructor(world: HarnessWorld, target: OpTarget, testId?: string) {
    this.world = world;
    this.settings = world.certSettings;
    this.target = target;
    this.testId = testId;
  }

  /** Starts a scenario for the catalogue test `testId` on the mock OP. */
  static async start(world: HarnessWorld, testId: string): Promise<CertificationScenario> {
    const browserHttp = new Transport({ timeout: 10_000, secrets: () => world.cert?.rp?.context.secrets() ?? [] });
    browserHttp.onExchange((exchange) => world.recordExchange('browser', exchange));
    world.onDispose(() => browserHttp.close());
    return new CertificationScenario(world, await MockTarget.create(testId, browserHttp), testId);
  }

  /** Starts a scenario on a real OP target. */
  static startOn(world: HarnessWorld, target: OpTarget): CertificationScenario {
    world.onDispose(() => target.release());
    return new CertificationScenario(world, target);
  }

  /** The catalogue row (mock OP scenarios only). */
  get test(): ConformanceTest {
    if (!this.target.test) throw new Error('this scenario runs no catalogue test');
    return this.target.test;
  }

  /** The issuer. */
  get issuer(): string {
    return this.target.issuer;
  }

  /** The RP's base URL. */
  get rpBase(): string {
    return this.target.rpBase;
  }

  /** The mock OP instance of the scenario's test. */
  provider(): Provider {
    if (!this.target.provider) throw new Error('only the mock OP can be looked into');
    return this.target.provider();
  }

  /** Every request the OP received (the mock OP); a real OP cannot tell, and gives none. */
  opRequests(): LoggedRequest[] {
    return this.target.opRequests() ?? [];
  }

  /**
   * The requests the RP sent to an OP endpoint (`token_endpoint`, `userinfo_endpoint`, ...), as the
   * OP logged them when it can tell, else as the RP recorded them (redacted).
   */
  requestsTo(endpoint: 'token_endpoint' | 'userinfo_endpoint' | 'authorization_endpoint' | 'registration_endpoint'): Array<{ method: string; url: string; headers: Record<string, string>; body: string }> {
    const logged = this.target.opRequests();
    if (logged) {
      const name = { token_endpoint: 'token', userinfo_endpoint: 'userinfo', authorization_endpoint: 'authorization', registration_endpoint: 'registration' }[endpoint];
      return logged.filter((r) => r.endpoint === name).map((r) => ({ method: r.method, url: r.url, headers: r.headers, body: r.body }));
    }
    const url = this.rp?.context.providerInfo?.[endpoint];
    if (typeof url !== 'string') return [];
    return this.world.exchanges
      .filter((e) => e.request.url.split('?')[0] === url)
      .map((e) => ({ method: e.request.method, url: e.request.url, headers: Object.fromEntries(Object.entries(e.request.headers).map(([k, v]) => [k.toLowerCase(), v])), body: e.request.body ?? '' }));
  }

  /** The requests the OP received after the RP's first rejection, to endpoints other than key sets and WebFinger. */
  requestsAfterRejection(): LoggedRequest[] {
    if (!this.rejection) return [];
    return this.opRequests().slice(this.rejection.opRequests).filter((r) => r.endpoint !== 'jwks' && r.endpoint !== 'webfinger');
  }

  /** The RP's configuration for this scenario. */
  async config(): Promise<RPConfig> {
    const base = this.rpBase;
    const responseType = this.settings.responseType.split(' ');
    const preferences: ClientMetadata = {
      application_type: 'web',
      contacts: ['ops@rp.example'],
      response_types: [this.settings.responseType],
      scope: ['openid', 'profile', 'email', 'address', 'phone', 'offline_access'],
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: [...(responseType.includes('code') ? ['authorization_code', 'refresh_token'] : []), ...(responseType.some((t) => t !== 'code') ? ['implicit'] : [])],
      ...(this.target.kind === 'mock' ? { initiate_login_uri: `${base}/initiate_login` } : {}),
      ...(this.settings.backchannelLogout ? { backchannel_logout_uri: `${base}/backchannel_logout`, backchannel_logout_session_required: true } : {}),
      ...(this.settings.frontchannelLogout ? { frontchannel_logout_uri: `${base}/frontchannel_logout`, frontchannel_logout_session_required: true } : {}),
      ...this.settings.preferences,
    };
    const config: RPConfig = {
      base_url: base,
      callback: this.target.redirectUri
        ? { code: this.target.redirectUri, implicit: this.target.redirectUri, form_post: this.target.redirectUri }
        : { code: `${base}/callback`, implicit: `${base}/implicit_callback`, form_post: `${base}/form_post_callback` },
      post_logout_redirect_uris: [`${base}/logged_out`],
      jwks_uri: `${base}/jwks.json`,
      keys: { import: await sharedRpKeys() },
      jwks_refetch_cooldown: 60_000,
      // The address guard refuses OP-supplied URLs that resolve to private addresses, or do not
      // resolve at all. The OP under test's own host is allowed here, explicitly, and nothing else:
      // the in-process mock OP's name is in no DNS (MSW answers it), the local oidc-provider listens
      // on loopback, a live provider may sit inside the network it is tested from.
      allow: {
        ...(this.target.allowHttp ? { http_links: true } : {}),
        ...(URL.canParse(this.issuer) ? { unchecked_hosts: [new URL(this.issuer).hostname] } : {}),
      },
      ...(this.settings.mtls ? { use_mtls_endpoint_aliases: true } : {}),
    };
    const registration = this.settings.registration === 'default' ? (this.target.prefersStaticClient ? 'static' : 'dynamic') : this.settings.registration;
    if (registration === 'static') {
      const client = await this.target.staticClient({ ...preferences, response_types: [this.settings.responseType] }, Object.values(config.callback ?? {}), base + '/jwks.json', config.post_logout_redirect_uris ?? []);
      return { ...config, client_id: client.client_id, ...(client.client_secret ? { client_secret: client.client_secret } : {}), behaviour: client.behaviour, issuer: this.issuer };
    }
    return { ...config, client_preferences: preferences };
  }

  /** Builds the RP and serves its endpoints where the OP and the browser reach them. */
  async prepare(): Promise<RelyingParty> {
    if (this.rp) return this.rp;
    const transport = new Transport({
      timeout: this.settings.timeoutMs,
      ...(this.settings.maxResponseBytes === undefined ? {} : { maxResponseBytes: this.settings.maxResponseBytes }),
      secrets: () => rp?.context.secrets() ?? [],
    });
    transport.onExchange((exchange) => this.world.recordExchange('RP to OP', exchange));
    let rp: RelyingParty | undefined;
    rp = await RelyingParty.create(await this.config(), { transport, services: { UserInfo: { default_authn_method: this.settings.userinfoPlacement } }, ...(this.settings.rpClock ? { now: this.settings.rpClock } : {}) });
    // Logins start at the RP's login URI, which sets the login cookie: the arguments are the scenario's.
    const handler = new RpHandler(rp, { loginArguments: () => this.#loginArguments });
    handler.onEvent((event) => this.#onEvent(event));
    handler.onExchange((exchange) => this.world.recordExchange('to the RP', exchange));
    this.rp = rp;
    this.handler = handler;
    this.world.onDispose(() => transport.close());
    await this.target.serve(handler);
    return rp;
  }

  /** Runs a step of the RP that may refuse something; a refusal is recorded, not thrown. */
  async attempt<T>(step: () => Promise<T>): Promise<T | undefined> {
    try {
      return await step();
    } catch (error) {
      if (!(error instanceof OidcError)) throw error;
      this.#reject(error);
      return undefined;
    }
  }

  /** Finds the OP: by its issuer, or by WebFinger with an `acct:` or URL identifier. */
  async findOp(): Promise<void> {
    const rp = await this.prepare();
    if (rp.context.providerInfo || this.rejection) return;
    await this.attempt(async () => {
      if (this.settings.discovery === 'issuer' || !this.target.webfingerIdentifier) {
        rp.context.issuer = this.issuer;
        await rp.discover();
      } else {
        await rp.discover(this.target.webfingerIdentifier(this.settings.discovery === 'webfinger-acct' ? 'acct:' : 'URL'));
      }
    });
  }

  /** Registers the RP (dynamically) unless it is statically configured or has stopped. */
  async register(): Promise<void> {
    const rp = await this.prepare();
    if (this.rejection || rp.context.clientId) return;
    await this.attempt(() => rp.register());
  }

  /** The user logs in: the RP sends the browser to the OP and completes whatever comes back. */
  async login(extra: Record<string, unknown> = {}): Promise<void> {
    await this.findOp();
    await this.register();
    if (this.rejection) return;
    // The browser starts the login at the RP's login URI: the RP sets its login cookie and sends
    // the browser on to the OP (the state comes with the RP's login-start event).
    this.#loginArguments = { response_type: this.settings.responseType, ...(this.settings.responseMode ? { response_mode: this.settings.responseMode } : {}), ...this.settings.authorizationArgs, ...extra };
    await this.browse(this.rp!.context.loginUri);
  }

  /** The arguments of the login the browser starts next. */
  #loginArguments: Record<string, unknown> = {};

  /** The user logs out at the RP: the RP sends the browser to the OP's end_session endpoint, and on. */
  async logout(): Promise<void> {
    if (!this.state) throw new Error('no session to log out of');
    const rp = this.rp!;
    const url = await this.attempt(() => rp.logoutUrl(this.state!));
    if (url) await this.browse(url, 'logout');
  }

  /** Whether the RP still holds the session of the last login. */
  async sessionAlive(): Promise<boolean> {
    return this.state !== undefined && (await this.rp!.context.stateDb.hasState(this.state));
  }

  /** The user opens `url` in the scenario's browser. */
  async browse(url: string, purpose: 'login' | 'logout' = 'login'): Promise<void> {
    this.visited.push(...(await this.target.browse(url, purpose)));
  }

  /** The RP refreshes its tokens. */
  async refresh(): Promise<void> {
    if (!this.state) throw new Error('no session to refresh');
    const rp = this.rp!;
    await this.attempt(() => rp.refresh(this.state!));
  }

  /** The last event of a type. */
  lastEvent<T extends RpEvent['type']>(type: T): Extract<RpEvent, { type: T }> | undefined {
    return this.events.filter((e): e is Extract<RpEvent, { type: T }> => e.type === type).at(-1);
  }

  /** What the RP did, for the verdict. */
  outcome(): { outcome: Outcome; check?: string } {
    if (this.rejection) return { outcome: 'rejected', check: this.rejection.error.check };
    if (this.events.length > 0 || this.rp?.context.providerInfo) return { outcome: 'accepted' };
    return { outcome: 'not run' };
  }

  /**
   * The evidence of the scenario for the one verdict (`judge`): the RP's outcome and everything the
   * mock OP saw and did. The built-in RP's refusal is named by its check.
   */
  evidence(): Evidence {
    const provider = this.target.provider?.();
    return {
      responseType: this.settings.responseType as ResponseType,
      responseMode: this.settings.responseMode,
      outcome: this.rejection ? 'refused' : 'accepted',
      requests: this.opRequests(),
      ...(provider ? { backchannel: [...provider.backchannelDeliveries], clients: [...provider.clients.values()] } : {}),
      registeredItself: this.opRequests().some((r) => r.endpoint === 'registration' && r.method === 'POST'),
      browserRequests: this.target.pages?.() ?? [],
      ...(this.rejection ? { rpSays: this.rejection.error.message } : {}),
    };
  }

  /** Whether the session was still alive right after each back-channel logout request was handled. */
  readonly aliveAfterBackchannel: Array<Promise<boolean>> = [];

  #onEvent(event: RpEvent): void {
    this.events.push(event);
    if ((event.type === 'initiate-login' || event.type === 'login-start') && event.state) {
      this.state = event.state;
      this.states.push(event.state);
    }
    if (event.type === 'backchannel-logout') this.aliveAfterBackchannel.push(this.sessionAlive());
    const error = 'error' in event ? event.error : undefined;
    if (error) this.#reject(error);
  }

  #reject(error: OidcError): void {
    this.rejection ??= { error, opRequests: this.opRequests().length, exchanges: this.world.exchanges.length };
  }
}


