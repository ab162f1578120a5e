import { checkResponseIssuer } from '../checks/check-response-issuer.js';
import { checkState } from '../checks/check-state.js';
import { describeValue, ResponseError, VerificationError } from '../errors.js';
import { verifyIdToken } from '../id-token/verify-id-token.js';
import type { JsonObject } from '../messages.js';
import { createPkcePair } from '../pkce.js';
import { randomToken } from '../random.js';
import { makeRequestObject, publishRequestObject, type RequestObjectMethod } from '../request-object.js';
import type { RequestParameters } from '../transport/http.js';
import { isHttpResponse, Service, type ResponseInput, type StateOptions } from './service.js';

/** Arguments of an authorization request; any other member is sent as a parameter too. */
export interface AuthorizationArgs {
  /** Default: the first of the behaviour's `response_types`, else `code`. */
  response_type?: string;
  /** Default: the behaviour's `scope`, else `openid`. `openid` is always included. */
  scope?: string | string[];
  /** Default: the redirect URI configured for the response type and mode. */
  redirect_uri?: string;
  /** `query`, `fragment` or `form_post`; default the response type's own. */
  response_mode?: string;
  /** Use this state value instead of a fresh one. */
  state?: string;
  /** Use this nonce instead of a fresh one. */
  nonce?: string;
  prompt?: string;
  max_age?: number;
  login_hint?: string;
  acr_values?: string;
  claims?: JsonObject | string;
  /** Send the parameters in a request object, by value or by reference (`request_uri`). */
  request_method?: RequestObjectMethod;
  /** Whether to use PKCE; default the context's setting (on) for response types with a code. */
  pkce?: boolean;
  /**
   * The browser binding the login is tied to: a secret the user agent keeps (in the login
   * cookie) and brings back with the authorization response. Never sent to the OP.
   */
  browser_binding?: string;
  [parameter: string]: unknown;
}

/** What `getRequestParameters` of {@link Authorization} returns: the URL and the new session's `state`. */
export interface AuthorizationRequestParameters extends RequestParameters {
  state: string;
}

/** A verified authorization response. */
export interface AuthorizationResponse extends JsonObject {
  state: string;
  code?: string;
  access_token?: string;
  token_type?: string;
  expires_in?: number;
  id_token?: string;
  iss?: string;
  /** The ID token's claims, once verified. */
  verified_id_token?: JsonObject;
}

const CONTROL = new Set(['request_method', 'pkce', 'browser_binding']);

/** The parameters of a redirect: the fragment when there is one, else the query. */
function redirectParams(text: string): URLSearchParams {
  const trimmed = text.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) {
    let url: URL;
    try {
      url = new URL(trimmed);
    } catch (cause) {
      throw new ResponseError('parseAuthorizationResponse', 'the redirect is not a valid URL', { cause });
    }
    return new URLSearchParams(url.hash.length > 1 ? url.hash.slice(1) : url.search.slice(1));
  }
  return new URLSearchParams(trimmed.replace(/^[?#]/, ''));
}

/**
 * Turns URL parameters into an object, refusing repeated parameters (RFC 6749 3.1: parameters
 * must not be included more than once).
 * @throws {ResponseError} `parseAuthorizationResponse`.
 */
export function paramsToObject(params: URLSearchParams): JsonObject {
  // No prototype: a parameter named __proto__ or hasOwnProperty is a member like any other.
  const out = Object.create(null) as JsonObject;
  for (const [name, value] of params) {
    if (Object.hasOwn(out, name)) throw new ResponseError('parseAuthorizationResponse', `the authorization response repeats the parameter ${describeValue(name)}`);
    out[name] = value;
  }
  return out;
}

/**
 * The authorization request and response (OpenID Connect Core 3.1.2, 3.2.2, 3.3.2): builds the URL
 * the user agent is sent to, with a fresh `state` (a new session in the state database), `nonce`
 * and PKCE challenge; parses and verifies what comes back in the query, the fragment or a form post.
 */
export class Authorization extends Service<AuthorizationArgs, AuthorizationResponse> {
  readonly serviceName = 'authorization' as const;
  protected readonly what = 'authorization response';

  /** @inheritDoc */
  async getRequestParameters(args: AuthorizationArgs = {}): Promise<AuthorizationRequestParameters> {
    const context = this.context;
    const issuer = context.requireIssuer();
    const clientId = context.requireClientId();
    const responseTypes = context.behaviour.response_types;
    const responseType = args.response_type ?? (Array.isArray(responseTypes) ? responseTypes[0] : undefined) ?? 'code';
    const scopeSource = args.scope ?? context.behaviour.scope ?? 'openid';
    const scopes = typeof scopeSource === 'string' ? scopeSource.split(' ').filter(Boolean) : [...scopeSource];
    if (!scopes.includes('openid')) scopes.unshift('openid');
    const redirectUri = args.redirect_uri ?? context.redirectUriFor(responseType, args.response_mode);
    const state = args.state ?? randomToken(24);
    const nonce = args.nonce ?? randomToken(24);

    // The order of the oidcservice documentation: state, nonce, response_type, client_id, scope, redirect_uri.
    const params: JsonObject = { state, nonce, response_type: responseType, client_id: clientId, scope: scopes.join(' '), redirect_uri: redirectUri };
    const defaultMaxAge = context.behaviour.default_max_age;
    if (args.max_age === undefined && typeof defaultMaxAge === 'number') params['max_age'] = defaultMaxAge;
    const usePkce = (args.pkce ?? context.pkce) && responseType.split(' ').includes('code') && this.#opAcceptsS256();
    let pkce: { code_verifier: string } | undefined;
    if (usePkce) {
      const pair = createPkcePair();
      params['code_challenge'] = pair.code_challenge;
      params['code_challenge_method'] = pair.code_challenge_method;
      pkce = { code_verifier: pair.code_verifier };
    }
    for (const [name, value] of Object.entries(args)) {
      if (value === undefined || CONTROL.has(name) || name in params) continue;
      params[name] = value;
    }
    // OpenID Connect Core 11: asking for offline access, the request must ask for consent too
    // (prompt=none excepted, where the OP ignores offline_access).
    const prompt = typeof params['prompt'] === 'string' ? params['prompt'].split(' ') : [];
    if (scopes.includes('offline_access') && !prompt.includes('consent') && !prompt.includes('none')) {
      params['prompt'] = [...prompt, 'consent'].join(' ');
    }

    // The pending login, its request, its PKCE verifier and its nonce's index entry, written at once.
    await context.stateDb.createState(issuer, state, {
      browserBinding: typeof args.browser_binding === 'string' ? args.browser_binding : undefined,
      items: { auth_request: params, pkce },
      nonce,
    });

    let query: Record<string, string> = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
    if (args.request_method) {
      const jwt = await makeRequestObject(context, params);
      // OpenID Connect Core 6.1: response_type, client_id and scope stay outside the request object too.
      query = { response_type: responseType, client_id: clientId, scope: scopes.join(' ') };
      if (args.request_method === 'value') query['request'] = jwt;
      else query['request_uri'] = await publishRequestObject(context, jwt);
    }
    const endpoint = new URL(context.endpoint('authorization_endpoint'));
    for (const [name, value] of Object.entries(query)) endpoint.searchParams.append(name, value);
    return { method: 'GET', url: endpoint.toString(), state };
  }

  /**
   * Verifies an authorization response: the `state` belongs to a live pending login of this RP
   * (the one `options.state` names, with the browser binding `options.browserBinding` when given),
   * which it consumes, once, before anything else; the RFC 9207 `iss` is the issuer the login's
   * request went to; what the response type promises is there, and an ID token in it passes
   * every ID token check (with `c_hash` and `at_hash` where the response type requires them).
   * @throws {OPError} `checkErrorResponse` for an error response (after its `state` is checked
   *   and its login consumed).
   * @throws {VerificationError} `checkState`, `checkStateExpiry`, `checkBrowserBinding`,
   *   `checkStateReplay`, `checkResponseIssuer` and the ID token checks.
   * @throws {ResponseError} `parseAuthorizationResponse`, `checkResponseType`.
   */
  override async parseResponse(input: ResponseInput | URLSearchParams, options: StateOptions = {}): Promise<AuthorizationResponse> {
    return super.parseResponse(this.#toObject(input), options);
  }

  #toObject(input: ResponseInput | URLSearchParams): JsonObject {
    if (input instanceof URLSearchParams) return paramsToObject(input);
    if (typeof input === 'string') return paramsToObject(redirectParams(input));
    if (isHttpResponse(input)) {
      const location = input.headers['location'];
      if (input.status >= 300 && input.status < 400 && typeof location === 'string' && location) {
        let target: string;
        try {
          target = new URL(location, input.url).toString();
        } catch (cause) {
          throw new ResponseError('parseAuthorizationResponse', 'the redirect Location is not a valid URL', { cause });
        }
        return paramsToObject(redirectParams(target));
      }
      throw new ResponseError('parseAuthorizationResponse', `the authorization endpoint answered HTTP ${input.status} instead of redirecting back to the RP`, { detail: { status: input.status } });
    }
    return input;
  }

  /**
   * Before anything else, error responses included: the state is this user agent's live login,
   * which is consumed (atomically: a second response for it is refused, on every instance sharing
   * the store), and the RFC 9207 issuer is the one the login's request went to.
   */
  protected override async checkFirst(message: JsonObject, options: StateOptions): Promise<void> {
    const state = await checkState(message, this.context.stateDb);
    if (options.state !== undefined && options.state !== state) {
      throw new VerificationError('checkBrowserBinding', 'the response\'s state is not the one this user agent\'s login started with');
    }
    const session = await this.context.stateDb.consumePendingLogin(state, { browserBinding: options.browserBinding });
    checkResponseIssuer(message, session.iss, this.context.providerInfo?.authorization_response_iss_parameter_supported === true);
  }

  protected async verify(message: JsonObject): Promise<AuthorizationResponse> {
    const context = this.context;
    const state = message['state'] as string;
    for (const member of ['code', 'access_token', 'token_type', 'id_token', 'iss', 'session_state', 'scope'] as const) {
      if (message[member] !== undefined && typeof message[member] !== 'string') {
        throw new ResponseError('checkResponseType', `the authorization response's ${member} is not a string`, { detail: { member } });
      }
    }
    const session = await context.stateDb.getState(state);
    const request = session.auth_request ?? {};
    const responseType = String(request['response_type'] ?? 'code').split(' ');
    for (const [part, member] of [['code', 'code'], ['token', 'access_token'], ['id_token', 'id_token']] as const) {
      if (responseType.includes(part) && typeof message[member] !== 'string') {
        throw new ResponseError('checkResponseType', `the response type "${responseType.join(' ')}" promises ${member}, which the response lacks`, { detail: { member } });
      }
    }
    if (responseType.includes('token') && typeof message['token_type'] !== 'string') {
      throw new ResponseError('checkResponseType', 'the authorization response carries an access token without token_type');
    }
    const response = { ...message, state } as AuthorizationResponse;
    if (typeof message['expires_in'] === 'string' && /^\d+$/.test(message['expires_in'])) response.expires_in = Number(message['expires_in']);
    if (typeof message['id_token'] === 'string') {
      const { claims } = await verifyIdToken(message['id_token'], context, {
        source: 'authorization',
        issuer: session.iss,
        nonce: typeof request['nonce'] === 'string' ? request['nonce'] : undefined,
        maxAge: typeof request['max_age'] === 'number' ? request['max_age'] : request['max_age'] !== undefined ? Number(request['max_age']) : undefined,
        accessToken: response.access_token,
        atHashRequired: typeof response.access_token === 'string',
        code: response.code,
        cHashRequired: typeof response.code === 'string',
        state,
      });
      response.verified_id_token = claims;
    }
    return response;
  }

  /** Stores the response in the session; with an ID token, maps its `sub` and `sid` to the session. */
  override async updateServiceContext(response: AuthorizationResponse, options: StateOptions = {}): Promise<void> {
    const state = options.state ?? response.state;
    await this.context.stateDb.storeItem(response, 'auth_response', state, { idTokenClaims: response.verified_id_token });
  }

  #opAcceptsS256(): boolean {
    const methods = this.context.providerInfo?.code_challenge_methods_supported;
    return !Array.isArray(methods) || methods.includes('S256');
  }
}
