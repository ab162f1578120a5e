import { ALL_SERVICES, buildServices, type Services, type ServiceSpec } from './services/build-services.js';
import type { RPConfig } from './config.js';
import { jwksFetcher } from './jwks-fetcher.js';
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
    context = await ServiceContext.create(config, { jwksFetcher: jwksFetcher(transport), ...(options.store === undefined ? {} : { store: options.store }) });
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

  /** Starts a login: the URL to send the user agent to, and the new session's `state`. */
  async beginLogin(args: AuthorizationArgs = {}): Promise<{ url: string; state: string }> {
    // Another instance sharing the store may have discovered and registered since this one started.
    if (!this.context.clientId || !this.context.providerInfo) await this.context.reload();
    const { url, state } = await this.services.authorization.getRequestParameters(args);
    return { url, state };
  }

  /**
   * Completes a login from the redirect (URL, query, fragment or form-post parameters): verifies
   * the authorization response and, when it carries a code, exchanges it.
   * @param expectedState the state of the login this user agent started, as the caller kept it
   *   (in the user agent's own session). Required: without it any state the RP ever created would
   *   complete a login in any browser.
   * @throws {TypeError} when `expectedState` is missing or not a non-empty string.
   */
  async finishLogin(input: ResponseInput | URLSearchParams, expectedState: string): Promise<{ state: string; authorization: AuthorizationResponse; token?: TokenResponse }> {
    if (typeof expectedState !== 'string' || expectedState === '') throw missingStateError('finishLogin', expectedState);
    if (!this.context.clientId || !this.context.providerInfo) await this.context.reload();
    const authorization = await this.services.authorization.parseResponse(input, { state: expectedState });
    await this.services.authorization.updateServiceContext(authorization);
    const state = authorization.state;
    if (typeof authorization.code !== 'string') return { state, authorization };
    const token = await serviceRequest(this.services.accesstoken, this.transport, { state }, { state });
    return { state, authorization, token };
  }

  /** Fetches the user's claims for a session. */
  async userInfo(state: string): Promise<JsonObject> {
    return serviceRequest(this.services.userinfo, this.transport, { state }, { state });
  }

  /** Refreshes a session's tokens. */
  async refresh(state: string): Promise<TokenResponse> {
    return serviceRequest(this.services.refresh_token, this.transport, { state }, { state });
  }

  /** The URL that starts an RP-initiated logout of a session. */
  async logoutUrl(state: string): Promise<string> {
    return (await this.services.end_session.getRequestParameters({ state })).url;
  }
}
