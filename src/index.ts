/**
 * oidc-harness: an OpenID Connect Relying Party service layer after the design of the Python
 * `oidcservice` library. A {@link ServiceContext} holds what the RP knows; services build requests,
 * parse and verify responses, and record them; a {@link Transport} performs the HTTP; a state store
 * keyed on `state` keeps each login and session. {@link RelyingParty} wraps the conversation's
 * steps, and {@link RpHandler} serves the RP's own endpoints (its login URI, redirect URIs, logout
 * URIs, `jwks_uri`) on the Fetch API.
 *
 * This is the public API, kept narrow on purpose; everything else is internal and may change.
 *
 * @example
 * ```ts
 * const rp = await RelyingParty.create({ base_url: 'https://rp.example', redirect_uris: ['https://rp.example/cb'], issuer: 'https://op.example', client_preferences: {} });
 * await rp.discover();
 * await rp.register();
 * const handler = new RpHandler(rp); // serve handler.handle(request) at https://rp.example
 * ```
 * @module
 */

// The RP: configuration, what it knows, and the conversation's steps.
export type { RPConfig, AllowOptions, CallbackUris } from './config.js';
export { validateConfig } from './config.js';
export { ServiceContext, type ServiceContextOptions } from './service-context.js';
export { RelyingParty, type RelyingPartyOptions, type BegunLogin, type LoginExpectation } from './relying-party.js';

// The services, one per step, for finer control than RelyingParty gives.
export { buildServices, ALL_SERVICES, type ServiceSpec, type Services } from './services/build-services.js';
export { serviceRequest } from './service-request.js';
export type { AuthorizationArgs, AuthorizationResponse } from './services/authorization.js';
export type { TokenResponse } from './services/token-response.js';

// The RP's own endpoints, and what they do.
export { RpHandler, type RpEndpointName, type RpHandlerOptions } from './rp-handler/rp-handler.js';
export type { LoginArguments } from './rp-handler/login-endpoint.js';
export type { RpEvent, RpEventListener } from './rp-handler/events.js';

// Where logins and sessions are kept.
export type { KeyValueStore, StoreEntry, WriteOptions } from './state/key-value-store.js';
export { MemoryStore, type MemoryStoreOptions } from './state/memory-store.js';
export { LevelStore, type LevelStoreOptions } from './state/level-store.js';
export { RedisStore, type RedisStoreOptions } from './state/redis-store.js';

// HTTP: the transport every step uses, and what it records (redacted).
export { Transport, type TransportOptions, type RedirectPolicy, type ExchangeListener, type HttpClient } from './transport/transport.js';
export type { HttpMethod, RequestParameters, HttpResponse, Exchange } from './transport/http.js';
export { jwksFetcher } from './jwks-fetcher.js';

// Errors, each naming its check in the one registry of checks, and the clause that demands it.
export { OidcError, ConfigurationError, TransportError, ResponseError, OPError, VerificationError, CapacityError, isOidcError } from './errors.js';
export type { OidcErrorOptions, ConfigurationErrorOptions, CheckName } from './errors.js';
export { CHECKS, RP_POLICY, clauseOf, isCheckName, type CheckEntry } from './checks/registry.js';

// The protocol's messages.
export type * from './messages.js';

// What a real provider does that departs from a specification.
export type { Finding } from './interop/finding.js';
export { findInteropIssues } from './interop/find-interop-issues.js';
