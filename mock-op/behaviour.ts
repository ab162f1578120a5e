/**
 * The OP's behaviour: the hook points through which a test makes the OP misbehave.
 *
 * Every endpoint does the well-behaved thing and then passes what it is about to send through a
 * hook of {@link OpBehaviour}. The default hooks return their input unchanged; a misbehaviour is
 * a `Partial<OpBehaviour>` that replaces some of them (for instance `idTokenClaims` deleting
 * `nonce`), merged over the defaults with {@link mergeBehaviour}. Hooks may be async.
 *
 * @module
 */
import type { JSONWebKeySet } from 'jose';
import type { ResponseMode } from './capabilities.js';
import type { Client } from './client-metadata.js';
import type { EndpointName } from './endpoint-paths.js';
import type { Provider } from './provider.js';

/** A value or a promise of it. */
export type Awaitable<T> = T | Promise<T>;

/** A JSON object. */
export type JsonObject = Record<string, unknown>;

/** What every hook is told about the request being answered. */
export interface HookContext {
  /** The OP (its state, keys, clients, clock). */
  readonly op: Provider;
  /** The request being answered. Its body may already have been read: use `clone()` before reading. */
  readonly request: Request;
  /** The endpoint answering it. */
  readonly endpoint: EndpointName;
  /** The client concerned, once the endpoint knows it. */
  readonly client?: Client;
  /** At the token endpoint: the `grant_type` being served (`authorization_code`, `refresh_token`). */
  readonly grantType?: string;
}

/** Context of the JWT hooks: which kind of JWT is being produced, and for which client. */
export interface JwtHookContext extends HookContext {
  /** `id_token` for ID tokens (authorization and token endpoints), `userinfo` for signed UserInfo. */
  readonly purpose: 'id_token' | 'userinfo';
  readonly client: Client;
}

/** Context of the {@link OpBehaviour.clientMetadata} hook (registration has no other context: it may be an API call). */
export interface ClientMetadataContext {
  /** The OP registering the client. */
  readonly op: Provider;
  /** True for a registration at the registration endpoint, false for a static client. */
  readonly dynamic: boolean;
}

/** What the OP knows about an authorization request once its client and redirect URI are valid. */
export interface AuthorizationRequestInfo {
  /** The effective parameters: the query (or form) with the request object's claims applied. */
  readonly params: ReadonlyMap<string, string>;
  /** The parameters as sent, before the request object was applied. */
  readonly sent: ReadonlyMap<string, string>;
  /** The request object, if one was used. */
  readonly requestObject?: {
    /** True when it came by reference (`request_uri`), false by value (`request`). */
    readonly byReference: boolean;
    /** True when it was a JWE (encrypted to the OP's key). */
    readonly encrypted: boolean;
    /** The JWS `alg` of the (inner) request object, `none` when unsigned. */
    readonly alg: string;
  };
  /** The normalized response type. */
  readonly responseType: string;
  /** The response mode the response will be delivered with (before the `responseMode` hook). */
  readonly responseMode: ResponseMode;
}

/** An authorization request refused by the {@link OpBehaviour.authorizationRequest} hook. */
export interface AuthorizationRefusal {
  /** The OAuth error code sent back (e.g. `invalid_request`, `login_required`). */
  readonly error: string;
  /** The `error_description` sent back. */
  readonly error_description: string;
}

/** Context of the logout token hooks. */
export interface LogoutTokenContext {
  /** The OP sending the logout token. */
  readonly op: Provider;
  /** The client it is sent to. */
  readonly client: Client;
  /** `end-session` when the end_session endpoint ended the session, `api` for `Provider.backchannelLogout`. */
  readonly trigger: 'end-session' | 'api';
}

/** The JOSE header of a JWT the OP is about to sign. The signer picks its key from `alg`. */
export interface JwtHeader {
  alg: string;
  typ?: string;
  kid?: string;
  [parameter: string]: unknown;
}

/**
 * The OP's hook points. All hooks receive the well-behaved value and return the value to use.
 */
export interface OpBehaviour {
  /**
   * Whether authorization responses carry `iss` (RFC 9207); also advertised in discovery as
   * `authorization_response_iss_parameter_supported`. Default `false`.
   */
  readonly authorizationResponseIss: boolean;
  /**
   * Whether discovery advertises `mtls_endpoint_aliases` (RFC 8705 5) for the token, UserInfo,
   * registration and end-session endpoints (`<issuer>/mtls/...`). The aliases are routed either way.
   * Default `false`.
   */
  readonly mtlsEndpointAliases: boolean;
  /** Called before any endpoint runs: return a response to answer with it instead. */
  intercept(ctx: HookContext): Awaitable<Response | undefined>;
  /** The WebFinger JRD. */
  webfinger(jrd: JsonObject, ctx: HookContext): Awaitable<JsonObject>;
  /** The discovery document. */
  discovery(doc: JsonObject, ctx: HookContext): Awaitable<JsonObject>;
  /** The JWKS published at `jwks_uri`. */
  jwks(jwks: JSONWebKeySet, ctx: HookContext): Awaitable<JSONWebKeySet>;
  /**
   * The metadata of a client about to be registered (dynamically or statically), before validation:
   * return changed metadata to register the client with, e.g. a forced `token_endpoint_auth_method`.
   * The registration response echoes what was registered. Synchronous.
   */
  clientMetadata(metadata: JsonObject, ctx: ClientMetadataContext): JsonObject;
  /**
   * Called for an authorization request once its client, redirect URI and response type are valid:
   * return a refusal to answer it with that error (sent to the redirect URI).
   */
  authorizationRequest(request: AuthorizationRequestInfo, ctx: HookContext): Awaitable<AuthorizationRefusal | undefined>;
  /** The response mode an authorization response (success or error) is delivered with. */
  responseMode(mode: ResponseMode, ctx: HookContext): Awaitable<ResponseMode>;
  /** The body of a successful registration (or registration read) response. */
  registrationResponse(body: JsonObject, ctx: HookContext): Awaitable<JsonObject>;
  /** The parameters of a successful authorization response, before they are encoded. */
  authorizationResponse(params: Record<string, string>, ctx: HookContext): Awaitable<Record<string, string>>;
  /** The claims of an ID token, before signing. */
  idTokenClaims(claims: JsonObject, ctx: JwtHookContext): Awaitable<JsonObject>;
  /** The claims of a UserInfo response (JSON or JWT), before encoding. */
  userinfoClaims(claims: JsonObject, ctx: HookContext): Awaitable<JsonObject>;
  /** The JOSE header of an ID token or signed UserInfo; changing `alg` changes the key used. */
  jwtHeader(header: JwtHeader, ctx: JwtHookContext): Awaitable<JwtHeader>;
  /** The finished compact JWT (ID token or signed UserInfo), e.g. to corrupt its signature. */
  jwt(token: string, ctx: JwtHookContext): Awaitable<string>;
  /** The body of a successful token response. */
  tokenResponse(body: JsonObject, ctx: HookContext): Awaitable<JsonObject>;
  /**
   * The `state` put in the post-logout redirect of RP-initiated logout (`undefined`: none), given
   * the one the RP sent (or `undefined`).
   */
  postLogoutState(state: string | undefined, ctx: HookContext): Awaitable<string | undefined>;
  /** The claims of a back-channel logout token, before signing. */
  logoutTokenClaims(claims: JsonObject, ctx: LogoutTokenContext): Awaitable<JsonObject>;
  /** The JOSE header of a back-channel logout token; changing `alg` changes the key (HS* = client secret, `none` = unsigned). */
  logoutTokenHeader(header: JwtHeader, ctx: LogoutTokenContext): Awaitable<JwtHeader>;
  /** The last word on any response the OP sends (errors included). */
  response(response: Response, ctx: HookContext): Awaitable<Response>;
}

/** The well-behaved OP: every hook is the identity. */
export const DEFAULT_BEHAVIOUR: OpBehaviour = Object.freeze({
  authorizationResponseIss: false,
  mtlsEndpointAliases: false,
  intercept: () => undefined,
  webfinger: (jrd: JsonObject) => jrd,
  discovery: (doc: JsonObject) => doc,
  jwks: (jwks: JSONWebKeySet) => jwks,
  clientMetadata: (metadata: JsonObject) => metadata,
  authorizationRequest: () => undefined,
  responseMode: (mode: ResponseMode) => mode,
  registrationResponse: (body: JsonObject) => body,
  authorizationResponse: (params: Record<string, string>) => params,
  idTokenClaims: (claims: JsonObject) => claims,
  userinfoClaims: (claims: JsonObject) => claims,
  jwtHeader: (header: JwtHeader) => header,
  jwt: (token: string) => token,
  tokenResponse: (body: JsonObject) => body,
  postLogoutState: (state: string | undefined) => state,
  logoutTokenClaims: (claims: JsonObject) => claims,
  logoutTokenHeader: (header: JwtHeader) => header,
  response: (response: Response) => response,
});

/**
 * Merges partial behaviours over the default, later ones winning hook by hook (a later hook
 * replaces an earlier one; it does not wrap it). Members set to `undefined` are ignored.
 */
export function mergeBehaviour(...parts: ReadonlyArray<Partial<OpBehaviour> | undefined>): OpBehaviour {
  const merged: Record<string, unknown> = { ...DEFAULT_BEHAVIOUR };
  for (const part of parts) {
    if (part === undefined) continue;
    for (const [name, hook] of Object.entries(part)) if (hook !== undefined) merged[name] = hook;
  }
  // Every member of OpBehaviour comes from DEFAULT_BEHAVIOUR or from a Partial<OpBehaviour>.
  return merged as unknown as OpBehaviour;
}
