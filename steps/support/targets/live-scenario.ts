/**
 * One scenario against a real provider: a fresh RP (its endpoints on the run's loopback
 * listener), the user's browser for the scenario (one Chromium context, so the provider's session
 * cookie lives from the login to the logout), and what happened. Each operation either does what
 * it says or throws with its cause; an operation that needs an earlier one that failed says which.
 */
import type { World } from '@cucumber/cucumber';
import { OidcError, RelyingParty, RpHandler, Transport, type ClientMetadata, type JsonObject, type RPConfig, type RpEvent } from '../../../src/index.js';
import type { Finding } from '../../../src/interop/finding.js';
import type { BrowserSession, Visit } from '../../../live/browser-session.js';
import { sharedRpKeys } from '../rp-keys.js';
import type { HarnessWorld } from '../world.js';
import type { ConfiguredClient } from './live-config.js';
import { LoginStart } from './login-start.js';
import { realRun } from './real-run.js';
import { providerAllowance, providerMetadata, RealTarget, type ProviderMetadata } from './real-target.js';
import { CannotRun, scenarioError } from './skip-reason.js';

/** How the scenario sets its RP up; the Given steps fill it in. */
export interface LiveSettings {
  /** A client registered beforehand, dynamic registration, or what the target offers (`default`). */
  registration: 'default' | 'static' | 'dynamic';
  /** The token endpoint authentication method the client must use. */
  method?: string;
  /** The scope to ask for; the target's default when absent. */
  scope?: string;
  /** `form_post`, say. */
  responseMode?: string;
  /** Whether the RP finds the provider with WebFinger. */
  webfinger: boolean;
}

/** An earlier operation of the scenario that failed. */
interface Failure {
  what: string;
  message: string;
}

/** What a failed operation is called when a later one needs it. */
const OPERATIONS = {
  discover: 'discovery',
  register: 'the dynamic registration',
  signIn: 'the sign-in',
  refresh: 'the refresh',
  logout: 'the logout',
} as const;

const scenarios = new WeakMap<World, LiveScenario>();

/** The scenario's real-provider state. */
export class LiveScenario {
  readonly world: HarnessWorld;
  readonly target: RealTarget;
  readonly settings: LiveSettings = { registration: 'default', webfinger: false };
  /** What the RP's endpoints did, oldest first. */
  readonly events: RpEvent[] = [];
  /** Findings the steps made themselves (a post-logout redirect not honoured, say). */
  readonly findings: Finding[] = [];
  /** Every session the RP started, oldest first (for the secret ledger). */
  readonly states: string[] = [];
  /** Secret values the scenario's probes handled (codes, tokens, verifiers), for redaction and the secret ledger. */
  readonly noted: string[] = [];
  rp: RelyingParty | undefined;
  handler: RpHandler | undefined;
  /** The session of the last sign-in. */
  state: string | undefined;
  /** Where the last logout left the browser. */
  logoutVisit: Visit | undefined;
  /** The client the RP uses: registered beforehand, or dynamically. */
  client: { kind: 'static'; client: ConfiguredClient } | { kind: 'dynamic'; method: string } | undefined;
  #session: BrowserSession | undefined;
  readonly #others: BrowserSession[] = [];
  #transport: Transport | undefined;
  /** How the next login starts: its arguments, for the RP handler's login URI. */
  readonly #loginStart = new LoginStart();
  #failure: Failure | undefined;

  private constructor(world: HarnessWorld, target: RealTarget) {
    this.world = world;
    this.target = target;
  }

  /** The scenario's state, when the scenario runs against a real provider. */
  static of(world: World): LiveScenario | undefined {
    return scenarios.get(world);
  }

  /** The scenario's state; a step that needs it fails clearly without it. */
  static require(world: World): LiveScenario {
    const scenario = scenarios.get(world);
    if (!scenario) throw new Error('the scenario names the provider under test first ("Given the provider under test, with Chromium at its login")');
    return scenario;
  }

  /** Starts a scenario on `target`, released when the scenario ends. */
  static start(world: HarnessWorld, target: RealTarget): LiveScenario {
    const scenario = new LiveScenario(world, target);
    scenarios.set(world, scenario);
    world.onDispose(() => scenario.dispose());
    return scenario;
  }

  /** The provider's metadata as the run learnt it (for planning and skip reasons). */
  metadata(): Promise<ProviderMetadata> {
    return providerMetadata(this.target);
  }

  /** The scenario's browser, opened on first use: the user's, from the login to the logout. */
  async browser(): Promise<BrowserSession> {
    this.#session ??= await this.#openBrowser();
    return this.#session;
  }

  /** Another browser with no session at the provider (a probe's), closed when the scenario ends. */
  async freshBrowser(): Promise<BrowserSession> {
    const session = await this.#openBrowser();
    this.#others.push(session);
    return session;
  }

  async #openBrowser(): Promise<BrowserSession> {
    const run = await realRun();
    const { BrowserSession } = await import('../../../live/browser-session.js');
    return BrowserSession.open({
      browser: await run.browser(),
      login: this.target.login,
      logout: this.target.logout,
      values: this.target.values,
      returnUrlPrefix: this.target.rpBase,
      timeoutMs: this.target.timeoutMs,
      screenshot: async (name, png) => {
        await this.world.attach(png, { mediaType: 'image/png', fileName: name });
      },
    });
  }

  /**
   * Decides the client: the one registered beforehand when it fits, else dynamic registration when
   * the provider offers it for the method; anything else cannot run, and says why.
   */
  async plan(): Promise<void> {
    if (this.client) return;
    const { document } = await this.metadata();
    const method = this.settings.method;
    const fitting = this.target.staticClient(method);
    const registration = typeof document['registration_endpoint'] === 'string';
    const supported = Array.isArray(document['token_endpoint_auth_methods_supported'])
      ? (document['token_endpoint_auth_methods_supported'] as unknown[]).map(String)
      : ['client_secret_basic'];
    if (this.settings.registration !== 'dynamic' && fitting) {
      this.client = { kind: 'static', client: fitting };
      return;
    }
    const wanted = method ?? 'client_secret_basic';
    const why = this.settings.registration === 'dynamic' ? 'the scenario registers dynamically'
      : this.target.staticMethods().length === 0 ? 'no client is registered beforehand'
        : `the client registered beforehand authenticates with ${this.target.staticMethods().join(', ')}, not ${wanted}`;
    if (!registration) throw new CannotRun(`${why}, and the provider offers no dynamic registration (its discovery document has no registration_endpoint)`);
    if (!supported.includes(wanted)) throw new CannotRun(`${why}, and the provider does not support ${wanted} (token_endpoint_auth_methods_supported: ${supported.join(', ')})`);
    this.client = { kind: 'dynamic', method: wanted };
  }

  /** The scope the RP asks for. */
  get scope(): string {
    return this.settings.scope ?? this.target.scope;
  }

  /** The RP's configuration for the planned client. */
  async config(): Promise<RPConfig> {
    await this.plan();
    const target = this.target;
    const scope = this.scope.split(/\s+/).filter(Boolean);
    const base: RPConfig = {
      base_url: target.rpBase,
      callback: { code: target.redirectUri, implicit: target.redirectUri, form_post: target.redirectUri },
      ...(target.postLogoutRedirectUri === undefined ? {} : { post_logout_redirect_uris: [target.postLogoutRedirectUri] }),
      // No jwks_uri: a provider elsewhere cannot reach the harness's loopback listener, so a
      // dynamic registration sends the RP's public keys inline (jwks).
      keys: { import: await sharedRpKeys() },
      jwks_refetch_cooldown: 60_000,
      allow: providerAllowance(target),
    };
    const grantTypes = ['authorization_code', 'refresh_token'];
    if (this.client?.kind === 'static') {
      const { client } = this.client;
      const behaviour: ClientMetadata = { token_endpoint_auth_method: client.token_endpoint_auth_method, response_types: ['code'], grant_types: grantTypes, scope };
      return { ...base, client_id: client.client_id, ...(client.client_secret === undefined ? {} : { client_secret: client.client_secret }), behaviour };
    }
    const preferences: ClientMetadata = {
      application_type: 'web',
      contacts: ['ops@rp.example'],
      response_types: ['code'],
      grant_types: grantTypes,
      scope,
      token_endpoint_auth_method: this.client?.kind === 'dynamic' ? this.client.method : 'client_secret_basic',
    };
    return { ...base, client_preferences: preferences };
  }

  /** Builds the RP and serves its endpoints on the run's listener. */
  async prepare(): Promise<RelyingParty> {
    if (this.rp) return this.rp;
    const config = await this.config();
    let rp: RelyingParty | undefined;
    const transport = new Transport({ timeout: 10_000, secrets: () => [...(rp?.context.secrets() ?? []), ...this.target.secrets()] });
    transport.onExchange((exchange) => this.world.recordExchange('RP to provider', exchange));
    this.#transport = transport;
    rp = await RelyingParty.create(config, { transport });
    const handler = new RpHandler(rp, { loginArguments: this.#loginStart.loginArguments });
    handler.onEvent((event) => {
      this.events.push(event);
      if (event.type === 'login') this.states.push(event.state);
    });
    handler.onExchange((exchange) => this.world.recordExchange('browser to the RP', exchange));
    this.rp = rp;
    this.handler = handler;
    (await realRun()).route(handler);
    return rp;
  }

  /** Runs an operation; a failure is remembered, so that later operations can say what they depend on. */
  async #run<T>(what: keyof typeof OPERATIONS, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof CannotRun)) this.#failure ??= { what: OPERATIONS[what], message: messageOf(error) };
      throw error;
    }
  }

  /** Throws, naming the earlier failure, when `needed` is missing. */
  #need(needed: unknown, what: string, earlier: string): void {
    if (needed !== undefined && needed !== false) return;
    const cause = this.#failure ? `${this.#failure.what} failed earlier: ${this.#failure.message}` : `${earlier} has not happened in this scenario`;
    throw scenarioError(`cannot ${what}: ${cause}`);
  }

  /** The RP finds the provider: by its issuer, or with WebFinger from the configured identifier. */
  async discover(): Promise<JsonObject> {
    return this.#run('discover', async () => {
      const rp = await this.prepare();
      if (rp.context.providerInfo) return rp.context.providerInfo;
      const webfinger = this.settings.webfinger || this.target.issuer === undefined;
      if (webfinger && this.target.webfinger === undefined) throw new CannotRun('the configuration names no webfinger identifier');
      if (!webfinger) rp.context.issuer = this.target.issuer;
      try {
        return await rp.discover(webfinger ? this.target.webfinger : undefined);
      } catch (error) {
        throw describeRpError(error, webfinger ? 'WebFinger and discovery' : 'discovery');
      }
    });
  }

  /** The RP registers itself dynamically, unless it uses a client registered beforehand. */
  async register(): Promise<void> {
    await this.#run('register', async () => {
      const rp = await this.prepare();
      await this.discover();
      if (rp.context.clientId) return;
      try {
        await rp.register();
      } catch (error) {
        throw describeRpError(error, 'registration');
      }
    });
  }

  /**
   * The user signs in: the browser starts a login at the RP ({@link LoginStart}), does the
   * provider's login steps, and the RP's redirect endpoint completes the login (code exchange,
   * ID token verification, userinfo).
   */
  async signIn(extra: Record<string, unknown> = {}): Promise<Extract<RpEvent, { type: 'login' }>> {
    return this.#run('signIn', async () => {
      await this.register();
      const rp = this.rp!;
      const url = this.#loginStart.url(rp, {
        response_type: 'code',
        scope: this.scope,
        ...(this.settings.responseMode === undefined ? {} : { response_mode: this.settings.responseMode }),
        ...extra,
      });
      const seen = this.events.length;
      const session = await this.browser();
      await session.signIn(url);
      const outcome = this.events.slice(seen).find((e) => e.type === 'login' || e.type === 'login-failed');
      if (outcome?.type === 'login-failed') {
        throw scenarioError(`the RP refused the provider's answer at ${outcome.error.check}: ${outcome.error.message}`);
      }
      if (outcome?.type !== 'login') throw scenarioError('the browser came back to the RP, but its redirect endpoint completed no login');
      this.state = outcome.state;
      await this.#noteSessionSecrets(outcome.state);
      return outcome;
    });
  }

  /** Notes the session's codes, tokens and verifier now, since a logout later removes the session. */
  async #noteSessionSecrets(state: string): Promise<void> {
    const session = await this.rp!.context.stateDb.getState(state);
    for (const item of [session.auth_response, session.token_response, session.pkce]) {
      for (const member of ['code', 'access_token', 'refresh_token', 'code_verifier']) {
        const value = item?.[member];
        if (typeof value === 'string') this.noted.push(value);
      }
      const idToken = item?.['id_token'];
      if (typeof idToken === 'string' && idToken.split('.').length === 3) this.noted.push(idToken.split('.')[2]!);
    }
  }

  /** The last completed login. */
  lastLogin(): Extract<RpEvent, { type: 'login' }> | undefined {
    return this.events.filter((e): e is Extract<RpEvent, { type: 'login' }> => e.type === 'login').at(-1);
  }

  /** The RP refreshes the session's tokens; cannot run when the provider issued no refresh token. */
  async refresh(): Promise<void> {
    this.#need(this.state, 'refresh the tokens', 'a sign-in');
    await this.#run('refresh', async () => {
      const rp = this.rp!;
      const tokens = await rp.context.stateDb.getItem('token_response', this.state!);
      if (typeof tokens?.['refresh_token'] !== 'string') {
        throw new CannotRun(`the provider issued no refresh token for the scope "${this.scope}"`);
      }
      try {
        await rp.refresh(this.state!);
      } catch (error) {
        throw describeRpError(error, 'the refresh');
      }
      const refreshed = await rp.context.stateDb.getItem('refresh_token_response', this.state!);
      for (const member of ['access_token', 'refresh_token']) if (typeof refreshed?.[member] === 'string') this.noted.push(refreshed[member] as string);
      const idToken = refreshed?.['id_token'];
      if (typeof idToken === 'string' && idToken.split('.').length === 3) this.noted.push(idToken.split('.')[2]!);
    });
  }

  /**
   * The user logs out at the RP: the RP sends the browser, the one that logged in, to the
   * provider's end_session_endpoint, and the browser follows the provider's logout pages.
   */
  async logout(): Promise<Visit> {
    this.#need(this.state, 'log out', 'a sign-in');
    return this.#run('logout', async () => {
      const url = await this.rp!.logoutUrl(this.state!);
      this.logoutVisit = await (await this.browser()).followLogout(url);
      return this.logoutVisit;
    });
  }

  /**
   * Whether the provider still holds the user's session: a new authorization request in the same
   * browser. `ended` when the provider asks for credentials; `alive` when it sends the browser
   * straight back to the RP.
   */
  async providerSession(): Promise<{ state: 'ended' | 'alive' | 'unknown'; where: string }> {
    this.#need(this.logoutVisit, 'look at the provider\'s session', 'a logout');
    const url = this.#loginStart.url(this.rp!, { response_type: 'code', scope: this.scope });
    const visit = await (await this.browser()).visit(url);
    if (visit.at === 'rp') return { state: 'alive', where: visit.where };
    return { state: visit.askedForCredentials ? 'ended' : 'unknown', where: visit.where };
  }

  /** Whether the RP still holds the session of the last login. */
  async rpSessionAlive(): Promise<boolean> {
    return this.state !== undefined && this.rp !== undefined && (await this.rp.context.stateDb.hasState(this.state));
  }

  /** The requests the RP sent to one of the provider's endpoints, as recorded (redacted). */
  requestsTo(endpoint: string): Array<{ method: string; url: string; headers: Record<string, string>; body: string; status: number | undefined }> {
    const url = this.rp?.context.providerInfo?.[endpoint];
    if (typeof url !== 'string') return [];
    return this.world.exchanges
      .filter((e) => e.request.url.split('?')[0] === url)
      .map((e) => ({
        method: e.request.method,
        url: e.request.url,
        headers: Object.fromEntries(Object.entries(e.request.headers).map(([k, v]) => [k.toLowerCase(), v])),
        body: e.request.body ?? '',
        status: e.response?.status,
      }));
  }

  /** Releases the browser context and the RP's transport, and stops routing to the RP. */
  async dispose(): Promise<void> {
    await this.#session?.close();
    this.#session = undefined;
    for (const session of this.#others.splice(0)) await session.close();
    await this.#transport?.close();
    if (this.handler) (await realRun()).route(undefined);
  }
}

/** The message of an error, first line only. */
function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}

/** An RP error in words: which exchange, which check, what the provider said. */
function describeRpError(error: unknown, exchange: string): Error {
  if (!(error instanceof OidcError)) return error instanceof Error ? error : new Error(String(error));
  return scenarioError(`${exchange} failed at ${error.check}: ${error.message}`);
}
