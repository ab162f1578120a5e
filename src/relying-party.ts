import { ALL_SERVICES, buildServices, type Services, type ServiceSpec } from './services/build-services.js';
import type { RPConfig } from './config.js';
import { jwksFetcher } from './jwks-fetcher.js';
import { randomToken } from './random.js';
import { missingStateError } from './errors.js';
import type { JsonObject } from './messages.js';
import { ServiceContext } from './service-context.js';
import { serviceRequest } from './service-request.js';
import type { AuthorizationArgs, AuthorizationResponse } from './services/authorization.js';
import type { ResponseInput } from './services/service.js';
import type { TokenResponse } from './services/token-response.js';
import type { KeyValueStore } from './state/key-value-store.js';
import { Transport, type HttpClient, type TransportOptions } from './transport/transport.js';

/** Options of {@link RelyingParty.create}. */
export interface RelyingPartyOptions {
  /** The session store; default in memory. */
  store?: KeyValueStore;
  /** A transport of one's own; default a new {@link Transport} with `transportOptions`. */
  transport?: HttpClient;
  /** Options for the default transport. */
  transportOptions?: TransportOptions;
  /** Per-service configuration, as in the oidcservice documentation's service specification (every service is built). */
  services?: ServiceSpec;
  /** The clock, in seconds since the epoch (a test's fixed or moving clock). Default the system clock. */
  now?: () => number;
}

/** What a started login gives the caller. */
export interface BegunLogin {
  /** The OP's authorization URL to send the user agent to. */
  url: string;
  /** The login's `state`. */
  state: string;
  /**
   * The browser binding: a secret the user agent must keep (the RP handler sets it as the login
   * cookie) and bring back; the login is taken only with it. Never log it.
   */
  browserBinding: string;
}

/** What {@link RelyingParty.finishLogin} expects of the response: the login this user agent started. */
export interface LoginExpectation {
  /** The state of the login this user agent started. */
  state: string;
  /** The browser binding the user agent brought back (the login cookie's value); checked when given. */
  browserBinding?: string | undefined;
}

/**
 * A ready RP: a {@link ServiceContext}, every service, and a transport, with the conversation's
 * steps as methods. Each step is the service's three calls around one HTTP exchange; use the
 * services directly for finer control.
 */
export class RelyingParty {
  /** What the RP knows. */
  readonly context: ServiceContext;
  /** Every service, keyed as in the oidcservice documentation. */
  readonly services: Services;
  /** The HTTP client every step uses. */
  readonly transport: HttpClient;

  private constructor(context: ServiceContext, transport: HttpClient, spec: ServiceSpec = {}) {
    this.context = context;
    this.transport = transport;
    this.services = buildServices({ ...ALL_SERVICES, ...spec }, context);
  }

  /**
   * Validates the configuration and builds the RP; restores what an earlier run saved in the store.
   * @throws {import('./errors.js').ConfigurationError} naming the setting at fault.
   */
  static async create(config: RPConfig, options: RelyingPartyOptions = {}): Promise<RelyingParty> {
    let context: ServiceContext | undefined;
    const transport =
      options.transport ??
      new Transport({ ...options.transportOptions, secrets: () => [...(context?.secrets() ?? []), ...(options.transportOptions?.secrets?.() ?? [])] });
    context = await ServiceContext.create(config, {
      jwksFetcher: jwksFetcher(transport),
      ...(options.store === undefined ? {} : { store: options.store }),
      ...(options.now === undefined ? {} : { now: options.now }),
    });
    return new RelyingParty(context, transport, options.services);
  }

  /** Finds the OP: WebFinger for `resource` when given (else the configured issuer), then discovery. */
  async discover(resource?: string): Promise<JsonObject> {
    if (resource !== undefined) await serviceRequest(this.services.webfinger, this.transport, { resource });
    return serviceRequest(this.services.provider_info, this.transport, {});
  }

  /** Registers the RP dynamically. */
  async register(): Promise<JsonObject> {
    return serviceRequest(this.services.registration, this.transport, {});
  }

  /**
   * Starts a login: a pending login (expiring after `pending_login_lifetime`) bound to a fresh
   * browser binding; the URL to send the user agent to, the `state`, and the binding the user
   * agent must bring back. The RP handler's login URI does this and sets the login cookie.
   * @throws {CapacityError} `pendingLoginCap` when `max_pending_logins` logins are pending already.
   */
  async beginLogin(args: AuthorizationArgs = {}): Promise<BegunLogin> {
    // Another instance sharing the store may have discovered and registered since this one started.
    if (!this.context.clientId || !this.context.providerInfo) await this.context.reload();
    const browserBinding = randomToken(32);
    const { url, state } = await this.services.authorization.getRequestParameters({ ...args, browser_binding: browserBinding });
    return { url, state, browserBinding };
  }

  /**
   * Completes a login from the redirect (URL, query, fragment or form-post parameters): verifies
   * the authorization response and, when it carries a code, exchanges it.
   * The login is consumed once, before any request to the OP: a second response for it is
   * refused (`checkStateReplay`), and its code is never sent twice.
   * @param expected the login this user agent started: its state (as the caller kept it in the
   *   user agent's own session), or its state and the browser binding the user agent brought back.
   *   Required: without it any state the RP ever created would complete a login in any browser.
   * @throws {TypeError} when `expected` names no state (a programming error, not a verdict).
   */
  async finishLogin(input: ResponseInput | URLSearchParams, expected: string | LoginExpectation): Promise<{ state: string; authorization: AuthorizationResponse; token?: TokenResponse }> {
    const expectedState = typeof expected === 'string' ? expected : expected?.state;
    if (typeof expectedState !== 'string' || expectedState === '') throw missingStateError('finishLogin', expectedState);
    const browserBinding = typeof expected === 'object' ? expected.browserBinding : undefined;
    if (browserBinding !== undefined && (typeof browserBinding !== 'string' || browserBinding === '')) throw new TypeError('finishLogin: the browser binding must be a non-empty string');
    if (!this.context.clientId || !this.context.providerInfo) await this.context.reload();
    return this.#operation(expectedState, async () => {
      const authorization = await this.services.authorization.parseResponse(input, { state: expectedState, browserBinding });
      await this.services.authorization.updateServiceContext(authorization);
      const state = authorization.state;
      if (typeof authorization.code !== 'string') return { state, authorization };
      const token = await serviceRequest(this.services.accesstoken, this.transport, { state }, { state });
      return { state, authorization, token };
    });
  }

  /** Fetches the user's claims for a session. */
  async userInfo(state: string): Promise<JsonObject> {
    return this.#operation(state, () => serviceRequest(this.services.userinfo, this.transport, { state }, { state }));
  }

  /** Refreshes a session's tokens. */
  async refresh(state: string): Promise<TokenResponse> {
    return this.#operation(state, () => serviceRequest(this.services.refresh_token, this.transport, { state }, { state }));
  }

  /** The URL that starts an RP-initiated logout of a session. */
  async logoutUrl(state: string): Promise<string> {
    return this.#operation(state, async () => (await this.services.end_session.getRequestParameters({ state })).url);
  }

  /** Runs one call of the RP on the session `state` as one operation on the store (see `StateDatabase.operation`). */
  #operation<T>(state: string, fn: () => Promise<T>): Promise<T> {
    return this.context.stateDb.operation(state, fn);
  }
}
