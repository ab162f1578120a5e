import { getPublishedRequestObject } from '../request-object.js';
import type { RelyingParty } from '../relying-party.js';
import type { Exchange } from '../transport/http.js';
import { redactExchange } from '../transport/redact.js';
import type { RpEvent, RpEventListener } from './events.js';
import { initiateLoginEndpoint } from './initiate-login-endpoint.js';
import { loginEndpoint, type LoginArguments } from './login-endpoint.js';
import { backChannelLogoutEndpoint, frontChannelLogoutEndpoint, postLogoutEndpoint } from './logout-endpoints.js';
import { redirectEndpoint } from './redirect-endpoint.js';
import { json } from './responses.js';

export type { LoginArguments } from './login-endpoint.js';

type Endpoint = (rp: RelyingParty, request: Request, emit: (event: RpEvent) => void) => Promise<Response>;

/** The RP endpoint a URL belongs to. */
export type RpEndpointName = 'login' | 'redirect' | 'jwks' | 'request_object' | 'backchannel_logout' | 'frontchannel_logout' | 'post_logout' | 'initiate_login';

/** Options of an {@link RpHandler}. */
export interface RpHandlerOptions {
  /**
   * The authorization request of a login a browser starts at the login URI; default
   * {@link defaultLoginArguments} (only `login_hint`, `prompt` and `ui_locales` from the query).
   */
  loginArguments?: LoginArguments;
}

const withoutQuery = (url: string): string => {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
};

/**
 * The endpoints where an RP receives requests, on top of the service layer, in the spirit of the
 * `rphandler` of the oidcservice documentation: the login URI where a browser starts a login
 * (the login cookie is set there), the redirect URIs (query, fragment repost and form post; they
 * take a response only from the browser holding its login's cookie), the RP's `jwks_uri`,
 * published request objects, the back- and front-channel logout URIs, the post-logout redirect
 * URIs and the `initiate_login_uri`. It speaks the Fetch API (`Request` in, `Response` out), so an
 * HTTP server or an in-process mock network can serve it.
 */
export class RpHandler {
  /** The RP behind the endpoints. */
  readonly rp: RelyingParty;
  readonly #listeners = new Set<RpEventListener>();
  readonly #exchangeListeners = new Set<(exchange: Exchange) => void>();

  readonly #loginArguments: LoginArguments | undefined;

  constructor(rp: RelyingParty, options: RpHandlerOptions = {}) {
    this.rp = rp;
    this.#loginArguments = options.loginArguments;
  }

  /** Listens to what the endpoints do (logins, logouts, failures). Returns a function that stops listening. */
  onEvent(listener: RpEventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Listens to the requests the endpoints receive and their answers, redacted. */
  onExchange(listener: (exchange: Exchange) => void): () => void {
    this.#exchangeListeners.add(listener);
    return () => this.#exchangeListeners.delete(listener);
  }

  /** Which endpoint a URL is, or `undefined` when it is none of this RP's. */
  endpointFor(url: string): RpEndpointName | undefined {
    const context = this.rp.context;
    const target = withoutQuery(url);
    const behaviour = { ...context.clientPreferences, ...context.behaviour };
    const named = (value: unknown): boolean => typeof value === 'string' && withoutQuery(value) === target;
    if (context.redirectUris.some(named) || Object.values(context.callback).some(named)) return 'redirect';
    if (named(context.loginUri)) return 'login';
    if (named(context.jwksUri)) return 'jwks';
    if (target.startsWith(`${context.baseUrl}/${context.requestsDir}/`)) return 'request_object';
    if (named(behaviour['backchannel_logout_uri'])) return 'backchannel_logout';
    if (named(behaviour['frontchannel_logout_uri'])) return 'frontchannel_logout';
    if (context.postLogoutRedirectUris.some(named)) return 'post_logout';
    if (named(behaviour['initiate_login_uri'])) return 'initiate_login';
    return undefined;
  }

  /** Answers a request to one of the RP's endpoints; `undefined` when the URL is none of them. */
  async handle(request: Request): Promise<Response | undefined> {
    const name = this.endpointFor(request.url);
    if (name === undefined) return undefined;
    const started = Date.now();
    const requestBody = request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.clone().text();
    const response = await this.#endpoint(name)(this.rp, request, (event) => this.#emit(event));
    if (this.#exchangeListeners.size > 0) {
      const responseBody = await response.clone().text();
      const exchange = redactExchange(
        {
          request: { method: request.method as Exchange['request']['method'], url: request.url, headers: Object.fromEntries(request.headers), ...(requestBody === undefined ? {} : { body: requestBody }) },
          response: { status: response.status, headers: Object.fromEntries(response.headers), body: responseBody },
          startedAt: new Date(started).toISOString(),
          ms: Date.now() - started,
        },
        this.rp.context.secrets(),
      );
      for (const listener of this.#exchangeListeners) listener(exchange);
    }
    return response;
  }

  #endpoint(name: RpEndpointName): Endpoint {
    switch (name) {
      case 'login':
        return (rp, request, emit) => loginEndpoint(rp, request, emit, this.#loginArguments);
      case 'redirect':
        return redirectEndpoint;
      case 'jwks':
        return async (rp) => json(rp.context.keyJar.ownPublicJwks());
      case 'request_object':
        return async (rp, request) => {
          const jwt = await getPublishedRequestObject(rp.context, withoutQuery(request.url));
          if (jwt === undefined) return json({ error: 'not_found' }, 404);
          return new Response(jwt, { status: 200, headers: { 'Content-Type': 'application/oauth-authz-req+jwt', 'Cache-Control': 'no-store' } });
        };
      case 'backchannel_logout':
        return backChannelLogoutEndpoint;
      case 'frontchannel_logout':
        return frontChannelLogoutEndpoint;
      case 'post_logout':
        return postLogoutEndpoint;
      case 'initiate_login':
        return initiateLoginEndpoint;
    }
  }

  #emit(event: RpEvent): void {
    for (const listener of this.#listeners) listener(event);
  }
}
