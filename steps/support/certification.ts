import { setTimeout as sleep } from 'node:timers/promises';
import {
  OidcError,
  RelyingParty,
  RpHandler,
  Transport,
  type ClientMetadata,
  type JsonObject,
  type RpEvent,
  type RPConfig,
} from '../../src/index.js';
import type { ConformanceOp, ConformanceTest, LoggedRequest, Provider } from '../../mock-op/index.js';
import { SimulatedBrowser } from './browser.js';
import { certificationOp, registerStaticClient } from './certification-op.js';
import { sharedRpKeys } from './rp-keys.js';
import type { HarnessWorld } from './world.js';

/** Where the scenarios' RPs live; each scenario's RP has its own path below it. */
export const RP_ORIGIN = 'https://rp.example';

let scenarios = 0;

/** How the RP finds the OP. */
export type Discovery = 'issuer' | 'webfinger-acct' | 'webfinger-url';

/** How a scenario sets its RP up; a Background may fill it in before the test is named. */
export interface CertificationSettings {
  responseType: string;
  responseMode?: string | undefined;
  discovery: Discovery;
  registration: 'dynamic' | 'static';
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
}

/** The settings of a scenario that says nothing: the code flow, discovery by issuer, dynamic registration. */
export function defaultSettings(): CertificationSettings {
  return { responseType: 'code', discovery: 'issuer', registration: 'dynamic', preferences: {}, authorizationArgs: {}, userinfoPlacement: 'bearer_header', mtls: false, backchannelLogout: false, frontchannelLogout: false };
}

/** What the RP did with what the OP sent. */
export type Outcome = 'accepted' | 'rejected' | 'error' | 'not run';

/**
 * One certification scenario: a catalogue test of the certification OP, and a fresh RP (its own
 * rp_id, so its own OP instance) with its endpoints served in-process, a browser, and what happened.
 */
export class CertificationScenario {
  readonly world: HarnessWorld;
  /** The test id as the feature names it. */
  readonly testId: string;
  /** The catalogue row. */
  readonly test: ConformanceTest;
  /** The rp_id path segment, unique to the scenario. */
  readonly rpId: string;
  /** The certification OP. */
  readonly op: ConformanceOp;
  /** The test's issuer. */
  readonly issuer: string;
  /** The RP's base URL. */
  readonly rpBase: string;

  /** How the scenario sets the RP up (steps may set it before or after naming the test). */
  readonly settings: CertificationSettings;

  rp: RelyingParty | undefined;
  handler: RpHandler | undefined;
  browser: SimulatedBrowser | undefined;
  /** What the RP's endpoints did, oldest first. */
  readonly events: RpEvent[] = [];
  /** The first thing the RP refused, and how many requests the OP had seen by then. */
  rejection: { error: OidcError; opRequests: number } | undefined;
  /** The session of the last login. */
  state: string | undefined;
  /** Every session started, oldest first. */
  readonly states: string[] = [];
  /** The check-session iframe's answers, oldest first. */
  readonly sessionChecks: string[] = [];

  private constructor(world: HarnessWorld, testId: string, op: ConformanceOp) {
    this.world = world;
    this.settings = world.certSettings;
    this.testId = testId;
    this.op = op;
    this.test = op.testFor(testId);
    scenarios += 1;
    this.rpId = `rp${scenarios}`;
    this.issuer = op.issuerFor(this.rpId, testId);
    this.rpBase = `${RP_ORIGIN}/${this.rpId}`;
  }

  /** Starts a scenario for the test `testId`. */
  static async start(world: HarnessWorld, testId: string): Promise<CertificationScenario> {
    return new CertificationScenario(world, testId, await certificationOp());
  }

  /** The test's OP instance. */
  provider(): Provider {
    return this.op.opFor(this.rpId, this.testId);
  }

  /** Every request the test's OP received. */
  opRequests(): LoggedRequest[] {
    return this.op.requestsFor(this.rpId, this.testId).all();
  }

  /** The requests the OP received after the RP's first rejection, to endpoints other than key sets and WebFinger. */
  requestsAfterRejection(): LoggedRequest[] {
    if (!this.rejection) return [];
    return this.opRequests().slice(this.rejection.opRequests).filter((r) => r.endpoint !== 'jwks' && r.endpoint !== 'webfinger');
  }

  /** The RP's configuration for this scenario. */
  async config(): Promise<RPConfig> {
    const base = this.rpBase;
    const preferences: ClientMetadata = {
      application_type: 'web',
      contacts: ['ops@rp.example'],
      response_types: [this.settings.responseType],
      scope: ['openid', 'profile', 'email', 'address', 'phone', 'offline_access'],
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['authorization_code', 'implicit', 'refresh_token'],
      initiate_login_uri: `${base}/initiate_login`,
      ...(this.settings.backchannelLogout ? { backchannel_logout_uri: `${base}/backchannel_logout`, backchannel_logout_session_required: true } : {}),
      ...(this.settings.frontchannelLogout ? { frontchannel_logout_uri: `${base}/frontchannel_logout`, frontchannel_logout_session_required: true } : {}),
      ...this.settings.preferences,
    };
    const config: RPConfig = {
      base_url: base,
      callback: { code: `${base}/callback`, implicit: `${base}/implicit_callback`, form_post: `${base}/form_post_callback` },
      post_logout_redirect_uris: [`${base}/logged_out`],
      jwks_uri: `${base}/jwks.json`,
      keys: { import: await sharedRpKeys() },
      jwks_refetch_cooldown: 60_000,
      ...(this.settings.mtls ? { use_mtls_endpoint_aliases: true } : {}),
    };
    if (this.settings.registration === 'static') {
      const clientId = `${this.rpId}-static`;
      const clientSecret = `${this.rpId}-secret-${'x'.repeat(32)}`;
      const behaviour: ClientMetadata = { ...preferences, response_types: [this.settings.responseType] };
      registerStaticClient(this.rpId, { client_id: clientId, client_secret: clientSecret, redirect_uris: Object.values(config.callback ?? {}), jwks_uri: config.jwks_uri, ...behaviour, post_logout_redirect_uris: config.post_logout_redirect_uris });
      return { ...config, client_id: clientId, client_secret: clientSecret, behaviour, issuer: this.issuer };
    }
    return { ...config, client_preferences: preferences };
  }

  /** Builds the RP and serves its endpoints (in-process, through MSW). */
  async prepare(): Promise<RelyingParty> {
    if (this.rp) return this.rp;
    const transport = new Transport({ timeout: 10_000, secrets: () => rp?.context.secrets() ?? [] });
    transport.onExchange((exchange) => this.world.recordExchange('RP to OP', exchange));
    let rp: RelyingParty | undefined;
    rp = await RelyingParty.create(await this.config(), { transport, services: { UserInfo: { default_authn_method: this.settings.userinfoPlacement } } });
    const handler = new RpHandler(rp);
    handler.onEvent((event) => this.#onEvent(event));
    handler.onExchange((exchange) => this.world.recordExchange('to the RP', exchange));
    const browserHttp = new Transport({ timeout: 10_000, secrets: () => rp?.context.secrets() ?? [] });
    browserHttp.onExchange((exchange) => this.world.recordExchange('browser', exchange));
    this.rp = rp;
    this.handler = handler;
    this.browser = new SimulatedBrowser(browserHttp);
    this.world.onDispose(async () => {
      await transport.close();
      await browserHttp.close();
    });
    const { http } = await import('msw');
    const { serve } = await import('./msw-server.js');
    await serve([...this.op.handlers, http.all(new RegExp(`^${this.rpBase.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}/`), async ({ request }) => handler.handle(request))]);
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
    const host = new URL(this.issuer).host;
    await this.attempt(async () => {
      if (this.settings.discovery === 'issuer') {
        rp.context.issuer = this.issuer;
        await rp.discover();
      } else {
        await rp.discover(this.settings.discovery === 'webfinger-acct' ? `acct:${this.rpId}.${this.testId}@${host}` : this.issuer);
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
    const rp = this.rp!;
    const started = await this.attempt(() => rp.beginLogin({ response_type: this.settings.responseType, ...(this.settings.responseMode ? { response_mode: this.settings.responseMode } : {}), ...this.settings.authorizationArgs, ...extra }));
    if (!started) return;
    this.state = started.state;
    this.states.push(started.state);
    await this.browser!.open(started.url);
  }

  /** The user logs out at the RP: the RP sends the browser to the OP's end_session endpoint, and on. */
  async logout(): Promise<void> {
    if (!this.state) throw new Error('no session to log out of');
    const rp = this.rp!;
    const url = await this.attempt(() => rp.logoutUrl(this.state!));
    if (url) await this.browser!.open(url);
  }

  /** Whether the RP still holds the session of the last login. */
  async sessionAlive(): Promise<boolean> {
    return this.state !== undefined && (await this.rp!.context.stateDb.hasState(this.state));
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

  /** Lets in-flight work on the RP's side (a back-channel POST) finish. */
  async settle(): Promise<void> {
    await sleep(0);
  }

  /** Whether the session was still alive right after each back-channel logout request was handled. */
  readonly aliveAfterBackchannel: Array<Promise<boolean>> = [];

  #onEvent(event: RpEvent): void {
    this.events.push(event);
    if (event.type === 'initiate-login' && event.state) {
      this.state = event.state;
      this.states.push(event.state);
    }
    if (event.type === 'backchannel-logout') this.aliveAfterBackchannel.push(this.sessionAlive());
    const error = 'error' in event ? event.error : undefined;
    if (error) this.#reject(error);
  }

  #reject(error: OidcError): void {
    this.rejection ??= { error, opRequests: this.opRequests().length };
  }
}

/** The verdict record of a scenario, attached to its report and gathered into reports/summary.json. */
export interface VerdictRecord extends JsonObject {
  test: string;
  legacy: string[];
  profile: string;
  responseType: string;
  responseMode: string | null;
  expected: string;
  outcome: Outcome;
  check: string | null;
}
