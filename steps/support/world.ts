import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setWorldConstructor, World, type IWorldOptions } from '@cucumber/cucumber';
import { ALL_SERVICES, buildServices, jwksFetcher, LevelStore, MemoryStore, ServiceContext, Transport, type Exchange, type HttpResponse, type KeyValueStore, type RequestParameters, type RPConfig, type Services } from '../../src/index.js';
import type { MockOp } from '../../mock-op/index.js';
import { attachmentMessage, sendToAllure } from '../../report/allure-messages.js';
import { fromRecorded, inStartOrder, nest, type ConversationExchange, type RecordedExchange } from '../../report/conversation.js';
import { exchangeAttachment } from '../../report/exchange-attachment.js';
import { defaultSettings } from './certification.js';

/** Which store keeps the RP's sessions in a scenario. */
export type StoreKind = 'in-memory' | 'persistent';

/** The RP as the steps drive it: its context, every service and the transport. */
export interface RpUnderTest {
  context: ServiceContext;
  services: Services;
  transport: Transport;
}

/**
 * One World per scenario: the OP it talks to, the RP's configuration and store, and what the
 * last step sent and got. The RP can be rebuilt from its store at any point, as a restarted
 * process would be.
 */
export class HarnessWorld extends World {
  /** The mock OP of this scenario. */
  op: MockOp | undefined;
  /** The RP's configuration. */
  config: RPConfig | undefined;
  /** Which store keeps the sessions. */
  storeKind: StoreKind = 'in-memory';
  /** Whether the RP process "restarts" before every action step. */
  restartsBetweenSteps = false;
  /** How many times the RP process was started (built from its configuration and store). */
  starts = 0;
  /** What the user typed. */
  userIdentifier: string | undefined;
  /** The last request the RP built. */
  lastRequest: RequestParameters | undefined;
  /** The last response it got. */
  lastResponse: HttpResponse | undefined;
  /** The session of the conversation. */
  state: string | undefined;
  /** The certification scenario, when the scenario runs a catalogue test. */
  cert: import('./certification.js').CertificationScenario | undefined;
  /** How the certification scenario sets its RP up. */
  readonly certSettings: import('./certification.js').CertificationSettings = defaultSettings();
  /** When the scenario started (for its verdict's duration). */
  startedAt = Date.now();

  /** The recorded (redacted) exchanges of the scenario. */
  readonly exchanges: Exchange[] = [];
  /** The same exchanges with who recorded each (`RP to OP`, `browser`, `to the RP`...), for the report. */
  readonly recorded: RecordedExchange[] = [];
  /** How many of `recorded` the report has been given. */
  #attached = 0;

  #rp: RpUnderTest | undefined;
  #store: KeyValueStore | undefined;
  #levelDir: string | undefined;
  #userAgent: Transport | undefined;

  /**
   * The certification plan this run of the scenario belongs to, when the run says (`form-post`:
   * the Basic, Implicit and Hybrid features again with `response_mode=form_post`); else the
   * feature's own profile.
   */
  readonly plan: string | undefined;

  constructor(options: IWorldOptions) {
    super(options);
    const parameters = (options.parameters ?? {}) as { plan?: unknown; responseMode?: unknown };
    this.plan = typeof parameters.plan === 'string' ? parameters.plan : undefined;
    if (typeof parameters.responseMode === 'string') this.certSettings.responseMode = parameters.responseMode;
  }

  /** The RP, built on first use. */
  async rp(): Promise<RpUnderTest> {
    this.#rp ??= await this.#build();
    return this.#rp;
  }

  /** Rebuilds the RP from its store, as after a process restart: nothing survives but what the store holds. */
  async restart(): Promise<void> {
    await this.#teardownRp();
    if (this.storeKind === 'persistent' && this.#store) {
      await this.#store.close?.();
      this.#store = undefined;
    }
    this.#rp = await this.#build();
  }

  /** The requests the RP built, by service name, the newest last. */
  readonly requests = new Map<string, RequestParameters>();

  /**
   * One step of the conversation through a service: build the request, send it, parse and
   * verify the answer, record it. Returns the verified response.
   */
  async converse<K extends keyof Services>(
    name: K,
    args?: Parameters<Services[K]['getRequestParameters']>[0],
    options: { state?: string } = {},
  ): Promise<Awaited<ReturnType<Services[K]['parseResponse']>>> {
    // The union of services makes the three calls' types too wide for the compiler to follow.
    const service = (await this.rp()).services[name] as unknown as {
      getRequestParameters(a?: unknown): Promise<RequestParameters>;
      parseResponse(r: HttpResponse, o: { state?: string }): Promise<Awaited<ReturnType<Services[K]['parseResponse']>>>;
      updateServiceContext(r: unknown, o: { state?: string }): Promise<void>;
    };
    const request = await service.getRequestParameters(args);
    this.requests.set(name, request);
    const response = await this.send(request);
    const parsed = await service.parseResponse(response, options);
    await service.updateServiceContext(parsed, options);
    return parsed;
  }

  /** Sends a request through the RP's transport. */
  async send(request: RequestParameters): Promise<HttpResponse> {
    this.lastRequest = request;
    this.lastResponse = await (await this.rp()).transport.send(request);
    return this.lastResponse;
  }

  /** The user's browser: follows nothing, records its exchanges like the RP's. */
  userAgent(): Transport {
    if (!this.#userAgent) {
      this.#userAgent = new Transport({ redirect: 'manual', timeout: 10_000 });
      this.#userAgent.onExchange((exchange) => this.#record('user agent', exchange));
    }
    return this.#userAgent;
  }

  readonly #disposers: Array<() => Promise<void>> = [];

  /** Registers something to release at the end of the scenario. */
  onDispose(release: () => Promise<void>): void {
    this.#disposers.push(release);
  }

  /** Releases the scenario's resources: transports, the store, its directory. */
  async dispose(): Promise<void> {
    for (const release of this.#disposers.splice(0)) await release();
    await this.#teardownRp();
    await this.#userAgent?.close();
    await this.#store?.close?.();
    this.#store = undefined;
    if (this.#levelDir) await rm(this.#levelDir, { recursive: true, force: true });
  }

  async #teardownRp(): Promise<void> {
    await this.#rp?.transport.close();
    this.#rp = undefined;
  }

  async #openStore(): Promise<KeyValueStore> {
    if (this.#store) return this.#store;
    if (this.storeKind === 'persistent') {
      this.#levelDir ??= await mkdtemp(join(tmpdir(), 'oidc-harness-store-'));
      this.#store = await LevelStore.open(this.#levelDir);
    } else {
      this.#store = new MemoryStore();
    }
    return this.#store;
  }

  async #build(): Promise<RpUnderTest> {
    if (!this.config) throw new Error('the scenario has not configured the RP');
    this.starts += 1;
    let context: ServiceContext | undefined;
    const transport = new Transport({ timeout: 10_000, secrets: () => context?.secrets() ?? [] });
    transport.onExchange((exchange) => this.#record('RP', exchange));
    // The address guard refuses OP-supplied URLs that do not resolve: the in-process mock OP's
    // host name is in no DNS (MSW answers it), so it, and only it, is allowed here, explicitly.
    const opHost = this.op ? new URL(this.op.issuer).hostname : undefined;
    const config: RPConfig = opHost === undefined ? this.config : { ...this.config, allow: { ...this.config.allow, unchecked_hosts: [...(this.config.allow?.unchecked_hosts ?? []), opHost] } };
    context = await ServiceContext.create(config, { store: await this.#openStore(), jwksFetcher: jwksFetcher(transport) });
    return { context, services: buildServices(ALL_SERVICES, context), transport };
  }

  /** Records an exchange; the report gets it at the end of the step (see {@link attachExchanges}). */
  recordExchange(who: string, exchange: Exchange): void {
    this.#record(who, exchange);
  }

  #record(who: string, exchange: Exchange): void {
    this.exchanges.push(exchange);
    this.recorded.push({ who, exchange });
  }

  /** The scenario's conversation so far: who sent each exchange to whom, in the order they completed. */
  conversation(): ConversationExchange[] {
    return fromRecorded(this.recorded, {
      issuer: this.cert?.issuer ?? this.config?.issuer,
      rpBase: this.cert?.rpBase ?? this.config?.base_url,
      rpSender: (url) => {
        const endpoint = this.cert?.handler?.endpointFor(url);
        if (endpoint === undefined) return undefined;
        return endpoint === 'jwks' || endpoint === 'request_object' || endpoint === 'backchannel_logout' ? 'OP' : 'browser';
      },
    });
  }

  /**
   * Attaches to the running step the exchanges recorded since the last call, in the order they
   * started: one attachment each, named by who sent it to whom, method, path and status
   * (`RP to OP: POST /token -> 200`), holding the redacted exchange and its JWTs decoded. A
   * request the browser sent to the RP, which both recorded, is attached once.
   */
  async attachExchanges(): Promise<void> {
    if (this.#attached === this.recorded.length) return;
    const fresh = this.conversation().filter((exchange) => exchange.position >= this.#attached);
    this.#attached = this.recorded.length;
    const secrets = [...(this.cert?.rp?.context.secrets() ?? []), ...(this.#rp?.context.secrets() ?? [])];
    const messages = inStartOrder(nest(fresh)).map((exchange) => attachmentMessage(exchangeAttachment(exchange, secrets)));
    await sendToAllure((data, mediaType) => this.attach(data, mediaType), messages);
  }
}

setWorldConstructor(HarnessWorld);
