/**
 * A well-behaved OpenID Connect Provider served in-process (through MSW, or any code that turns
 * a Fetch API `Request` into a `Response`), for testing Relying Parties.
 *
 * ```ts
 * const keys = await generateOpKeys();                 // once per run: RSA generation is slow
 * const op = await createMockOp({ issuer: 'https://op.example/oicrp/rp-test', keys });
 * const server = setupServer(...op.handlers);          // msw/node
 * server.listen();
 * ```
 *
 * Misbehaviour is a `Partial<OpBehaviour>` passed as `behaviour` or later through `setBehaviour`.
 *
 * The conformance OP (`createConformanceOp`, `startMockOpServer`) serves every test of the RP
 * conformance catalogue at `<base>/<rp_id>/<test_id>`, each with its misbehaviour.
 *
 * @module
 */
import type { JSONWebKeySet } from 'jose';
import type { RequestHandler } from 'msw';
import type { OpBehaviour } from './behaviour.js';
import { mergeBehaviour } from './behaviour.js';
import type { Client } from './client-metadata.js';
import { mswHandlers } from './handlers.js';
import type { OpKeys } from './keys.js';
import { generateOpKeys, publicJwks } from './keys.js';
import type { BehaviourFactory, StaticClient } from './provider.js';
import { Provider } from './provider.js';
import type { RequestLog } from './request-log.js';
import { handleRequest } from './router.js';
import type { User } from './users.js';

export type {
  AuthorizationRefusal,
  AuthorizationRequestInfo,
  Awaitable,
  ClientMetadataContext,
  HookContext,
  JsonObject,
  JwtHeader,
  JwtHookContext,
  LogoutTokenContext,
  OpBehaviour,
} from './behaviour.js';
export { DEFAULT_BEHAVIOUR, mergeBehaviour } from './behaviour.js';
export * from './capabilities.js';
export type { Client, ValidatedClientMetadata } from './client-metadata.js';
export { ClientMetadataError, defaultGrantTypes, validateClientMetadata } from './client-metadata.js';
export type { ClaimSources } from './claims-sources.js';
export {
  AGGREGATED_EXAMPLE_CLAIMS,
  DISTRIBUTED_EXAMPLE_CLAIMS,
  aggregatedClaims,
  distributedClaims,
  signClaimsJwt,
  withClaimSources,
} from './claims-sources.js';
export { decodeBasicCredentials, JWT_BEARER_ASSERTION_TYPE } from './client-authentication.js';
export type { Endpoint } from './endpoint.js';
export type { EndpointName, IssuerEndpointName } from './endpoint-paths.js';
export { ENDPOINT_PATHS, MTLS_ALIAS_PREFIX, MTLS_ALIASED_ENDPOINTS, WEBFINGER_PATH } from './endpoint-paths.js';
export { frontchannelLogoutPage, verifyIdTokenHint } from './endpoints/end-session.js';
export { discoveryDocument } from './endpoints/discovery.js';
export { ISSUER_REL } from './endpoints/webfinger.js';
export { idTokenClaims } from './id-token.js';
export type { IdTokenInput } from './id-token.js';
export { defaultJwtHeader, signAndEncryptIdToken, signingKeyFor, signJwtAs } from './jwt-signing.js';
export { nextRotationKey } from './key-rotation.js';
export type { GenerateOpKeysOptions, OpKey, OpKeyAlg, OpKeys, SpareKeys } from './keys.js';
export { generateOpKey, generateOpKeys, publicJwks, signingKeys } from './keys.js';
export type { BackchannelLogoutDelivery, LogoutRecord } from './logout.js';
export {
  BACKCHANNEL_LOGOUT_EVENT,
  LOGOUT_TOKEN_TYPE,
  endSession,
  frontchannelLogoutUris,
  issueLogoutToken,
  logoutTokenClaims,
  sendBackchannelLogout,
} from './logout.js';
export type {
  AccessTokenGrant,
  AuthorizationCodeGrant,
  BehaviourFactory,
  ClaimsSourceGrant,
  ProviderOptions,
  RefreshTokenGrant,
  Session,
  StaticClient,
} from './provider.js';
export { Provider } from './provider.js';
export type { LoggedRequest } from './request-log.js';
export { RequestLog } from './request-log.js';
export type { Route, RouteOptions } from './router.js';
export { handleRequest, route } from './router.js';
export type { ResponseEncryption } from './response-encryption.js';
export {
  clientEncryptionKey,
  clientSecretKey,
  encryptResponse,
  isSymmetricEncryptionAlg,
  symmetricEncryptionKey,
} from './response-encryption.js';
export type { CheckSessionAnswer } from './session-management.js';
export { checkSession, checkSessionIframeHtml, sessionState } from './session-management.js';
export type { InitiateLoginOptions } from './third-party-login.js';
export { initiateLoginUrl } from './third-party-login.js';
export type { MockOpServer, MockOpServerOptions } from './server.js';
export { startMockOpServer } from './server.js';
export type { PacedStreamOptions } from './paced-stream.js';
export { pacedStream } from './paced-stream.js';
export { isStreamedResponse, streamedResponse } from './streamed-response.js';
export * from './conformance/index.js';
export type { ClaimsRequest } from './scope-claims.js';
export { SCOPE_CLAIMS, releasedClaims } from './scope-claims.js';
export { leftHalfHash, s256CodeChallenge } from './token-hash.js';
export type { AddressClaim, User, UserClaims } from './users.js';
export { DEFAULT_USER, subjectFor } from './users.js';

/** Options of {@link createMockOp}. */
export interface MockOpOptions {
  /**
   * The issuer identifier, e.g. `https://op.example` or `https://localhost:8080/oicrp/rp-test`.
   * It is normalized by URL parsing (lower-case host, default port dropped) and a trailing slash
   * is removed.
   */
  readonly issuer: string;
  /** The OP's keys. Generated when absent, which takes a few hundred milliseconds: share them. */
  readonly keys?: OpKeys;
  /** Clients registered up front (validated like dynamic registrations; `redirect_uris` required). */
  readonly clients?: readonly StaticClient[];
  /** The users; the first one is logged in (unless a `login_hint` names another). Default: `foobar`. */
  readonly users?: readonly User[];
  /** Behaviour overrides merged over the well-behaved default (or a factory of them, called with the provider). */
  readonly behaviour?: Partial<OpBehaviour> | BehaviourFactory;
  /** The clock, in milliseconds since the epoch (default `Date.now`). */
  readonly clock?: () => number;
  /** Whether to answer WebFinger at the root of the issuer's host (default true). */
  readonly webfinger?: boolean;
  /** Draws the `client_id` of each new client (the oidcservice documentation's conversation registers `zls2qhN1jO6A`). */
  readonly clientIds?: () => string;
}

/** A running mock OP. */
export interface MockOp {
  /** The issuer identifier (normalized, no trailing slash). */
  readonly issuer: string;
  /** The OP's state: clients, codes, tokens, session, keys, behaviour. */
  readonly provider: Provider;
  /** The OP's current keys (they change when the provider rotates a key). */
  readonly keys: OpKeys;
  /** The OP's current public JWKS as served at `jwks_uri` by the well-behaved OP. */
  readonly jwks: JSONWebKeySet;
  /** MSW handlers for `setupServer(...op.handlers)` or `server.use(...op.handlers)`. */
  readonly handlers: RequestHandler[];
  /** Answers a request addressed to this OP; `undefined` when the URL is not this OP's. */
  handle(request: Request): Promise<Response | undefined>;
  /** Every request this OP received. */
  readonly requests: RequestLog;
  /** Empties the request log. */
  clearRequests(): void;
  /**
   * Forgets the request log, codes, tokens, used assertion ids, issued ID tokens, logout records
   * and the login session (without notifying anyone); keeps the clients, the keys and the behaviour.
   */
  reset(): void;
  /** Registered clients by `client_id` (static and dynamic). */
  readonly clients: ReadonlyMap<string, Client>;
  /** Registers a client directly (throws `ClientMetadataError` on invalid metadata). */
  registerClient(client: StaticClient): Client;
  /** Replaces the behaviour with the default overridden by `parts` (no argument: well-behaved). */
  setBehaviour(...parts: Array<Partial<OpBehaviour> | undefined>): void;
  /** The absolute URL of the discovery document. */
  readonly discoveryUrl: string;
}

/** Creates a mock OP. Generates keys when `options.keys` is absent. */
export async function createMockOp(options: MockOpOptions): Promise<MockOp> {
  const keys = options.keys ?? (await generateOpKeys());
  const provider = new Provider({
    issuer: options.issuer,
    keys,
    ...(options.users === undefined ? {} : { users: options.users }),
    ...(options.behaviour === undefined ? {} : { behaviour: options.behaviour }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    ...(options.clientIds === undefined ? {} : { clientIds: options.clientIds }),
  });
  for (const client of options.clients ?? []) provider.registerClient(client, { dynamic: false });
  const routeOptions = { webfinger: options.webfinger ?? true };
  const handle = (request: Request): Promise<Response | undefined> => handleRequest(provider, request, routeOptions);
  return {
    issuer: provider.issuer,
    provider,
    get keys() {
      return provider.keys;
    },
    get jwks() {
      return publicJwks(provider.keys);
    },
    handlers: mswHandlers(provider.issuerUrl.origin, handle),
    handle,
    requests: provider.requests,
    clearRequests: () => provider.requests.clear(),
    reset: () => {
      provider.requests.clear();
      provider.codes.clear();
      provider.accessTokens.clear();
      provider.refreshTokens.clear();
      provider.usedAssertionIds.clear();
      provider.issuedIdTokens.clear();
      provider.claimsSourceTokens.clear();
      provider.logouts.length = 0;
      provider.backchannelDeliveries.length = 0;
      provider.logout();
      provider.lastEndedSession = undefined;
    },
    clients: provider.clients,
    registerClient: (client) => provider.registerClient(client, { dynamic: false }),
    setBehaviour: (...parts) => {
      provider.behaviour = mergeBehaviour(...parts);
    },
    discoveryUrl: provider.endpointUrl('discovery'),
  };
}
