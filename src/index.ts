/**
 * oidc-harness: an OpenID Connect Relying Party service layer after the design of the Python
 * `oidcservice` library. A {@link ServiceContext} holds what the RP knows; services build requests,
 * parse and verify responses, and record them; a {@link Transport} performs the HTTP; a
 * {@link StateDatabase} keyed on `state` keeps each session.
 *
 * @example
 * ```ts
 * const context = await ServiceContext.create(config);
 * const services = buildServices({ WebFinger: {}, ProviderInfoDiscovery: {} }, context);
 * const transport = new Transport();
 * await serviceRequest(services.webfinger, transport, { resource: 'foobar@example.com' });
 * ```
 * @module
 */

export * from './errors.js';
export { CHECKS, CHECK_NAMES, RP_POLICY, checkEntry, clauseOf, isCheckName, reasonPhrases, type CheckEntry } from './checks/registry.js';
export type * from './messages.js';
export { validateConfig, configProblems, CONFIG_DEFAULTS, type RPConfig, type AllowOptions, type CallbackUris } from './config.js';
export { validateSettings, settingProblems, formatProblems, type SettingProblem, type Validated } from './validation.js';
export { matchPreferences, PREFERENCE_SUPPORT, REGISTRATION_METADATA } from './behaviour.js';
export { ServiceContext, CONTEXT_KEY, type ServiceContextOptions } from './service-context.js';
export { KeyJar, keyTypeFor, publicJwk, isJwks, needsOwnKey, OWN_KEY_ALGORITHMS, OWN_SIGNING_ALGORITHMS, OWN_ENCRYPTION_ALGORITHMS, type KeyJarOptions, type JwksFetcher, type FetchedJwks, type OwnKeyAlgorithm, type SelectedKey } from './key-jar.js';
export { jwksFetcher, cacheMaxAge } from './jwks-fetcher.js';
export { randomToken } from './random.js';
export { createPkcePair, s256, type PkcePair } from './pkce.js';
export { makeRequestObject, publishRequestObject, getPublishedRequestObject, type RequestObjectMethod } from './request-object.js';
export { serviceRequest } from './service-request.js';
export { RelyingParty, type RelyingPartyOptions, type BegunLogin, type LoginExpectation } from './relying-party.js';

export { updateKey, MAX_UPDATE_ATTEMPTS, type KeyValueStore, type WriteOptions, type KeyUpdate } from './state/key-value-store.js';
export { MemoryStore, type MemoryStoreOptions } from './state/memory-store.js';
export { LevelStore, type LevelStoreOptions } from './state/level-store.js';
export { RedisStore, DEFAULT_REDIS_KEY_PREFIX, type RedisStoreOptions } from './state/redis-store.js';
export { StateDatabase, STATE_DEFAULTS, bindingDigest, type Session, type SessionHeader, type SessionItemType, type SessionStatus, type StateIndex, type StateDatabaseOptions, type ConsumeOptions } from './state/state-database.js';

export type { HttpMethod, RequestParameters, HttpResponse, Exchange } from './transport/http.js';
export { Transport, type TransportOptions, type RedirectPolicy, type ExchangeListener, type HttpClient } from './transport/transport.js';
export { checkPublicAddress, nonPublicReason, STRICT_ADDRESS_POLICY, type AddressPolicy, type AddressLookup } from './transport/address-guard.js';
export { REDACTED, SECRET_NAMES, redactBody, redactExchange, redactHeaders, redactJwts, redactUrl, redactValues } from './transport/redact.js';

export { decodeJws, isCompactJwe, type JwsParts } from './jose/jwt-parts.js';
export { leftHalfHash } from './jose/hash-claim.js';
export { verifyJws, checkAlgorithm, type VerifyJwsOptions, type VerifiedJws } from './jose/verify-jws.js';
export { decryptJwe, type DecryptJweOptions } from './jose/decrypt-jwe.js';
export { signJwt, encryptJwt, type SignJwtOptions, type EncryptJwtOptions } from './jose/sign-jwt.js';
export { verifyIdToken, allowedIdTokenAlgs, registeredEncryption, type IdTokenExpectations, type IdTokenSource, type VerifiedIdToken } from './id-token/verify-id-token.js';

export { CLIENT_AUTH_METHODS, applyClientAuth, type AuthenticatedRequest, type ClientCredentials, type ClientAuthMethod } from './client-auth/client-auth.js';
export { clientSecretBasic } from './client-auth/client-secret-basic.js';
export { clientSecretPost } from './client-auth/client-secret-post.js';
export { clientSecretJwt } from './client-auth/client-secret-jwt.js';
export { privateKeyJwt } from './client-auth/private-key-jwt.js';
export { noClientAuth } from './client-auth/none.js';
export { addClientAssertion, JWT_BEARER_ASSERTION_TYPE } from './client-auth/client-assertion.js';
export { applyBearer, type BearerPlacement } from './client-auth/bearer.js';

export { checkIssuer, sameIssuer } from './checks/check-issuer.js';
export { checkSubject } from './checks/check-subject.js';
export { checkAudience } from './checks/check-audience.js';
export { checkAuthorizedParty } from './checks/check-authorized-party.js';
export { checkExpiry } from './checks/check-expiry.js';
export { checkIssuedAt } from './checks/check-issued-at.js';
export { checkNotBefore } from './checks/check-not-before.js';
export { checkNonce } from './checks/check-nonce.js';
export { checkAtHash, checkCHash, checkSHash, type HashClaim } from './checks/check-token-hash.js';
export { checkAuthTime } from './checks/check-auth-time.js';
export { checkUserInfoSubject } from './checks/check-userinfo-subject.js';
export { checkDiscoveryIssuer } from './checks/check-discovery-issuer.js';
export { checkHttps } from './checks/check-https.js';
export { checkResponseIssuer } from './checks/check-response-issuer.js';
export { checkState } from './checks/check-state.js';
export { checkSameSubject } from './checks/check-same-subject.js';

export { Service, isHttpResponse, mediaType, parseJsonObject, throwIfErrorResponse, type ServiceName, type ServiceConfig, type StateOptions, type ResponseInput, type ResponseFormat } from './services/service.js';
export { buildServices, SERVICE_CLASSES, ALL_SERVICES, type ServiceSpec, type Services, type ServiceKeys, type BuiltServices } from './services/build-services.js';
export { WebFinger, OIDC_ISSUER_REL, normaliseResource, type WebFingerArgs, type WebFingerResponse } from './services/webfinger.js';
export { ProviderInfoDiscovery, checkProviderMetadata, REQUIRED_PROVIDER_METADATA, type ProviderInfoArgs } from './services/provider-info-discovery.js';
export { Registration, registrationRequestBody, checkRegistrationResponse, recordRegistration, type RegistrationArgs } from './services/registration.js';
export { RegistrationRead } from './services/registration-read.js';
export { Authorization, paramsToObject, indexIdToken, type AuthorizationArgs, type AuthorizationRequestParameters, type AuthorizationResponse } from './services/authorization.js';
export { AccessToken, tokenEndpointRequest, type AccessTokenArgs } from './services/access-token.js';
export { checkTokenResponse, type TokenResponse } from './services/token-response.js';
export { RefreshAccessToken, type RefreshArgs } from './services/refresh-access-token.js';
export { UserInfo, type UserInfoArgs } from './services/userinfo.js';
export { EndSession, type EndSessionArgs, type EndSessionResponse } from './services/end-session.js';
export { CheckSession, type CheckSessionArgs, type CheckSessionResponse } from './services/check-session.js';
export { CheckID, type CheckIdArgs } from './services/check-id.js';
export { currentAccessToken, currentRefreshToken, sessionIdToken, latestIdToken } from './services/session-tokens.js';

export { RpHandler, type RpEndpointName, type RpHandlerOptions } from './rp-handler/rp-handler.js';
export { loginEndpoint, startBrowserLogin, defaultLoginArguments, type LoginArguments } from './rp-handler/login-endpoint.js';
export { loginCookieName, setLoginCookie, clearLoginCookie, requestCookie, type LoginCookieOptions } from './rp-handler/login-cookie.js';
export { initiateLoginEndpoint, MAX_TARGET_LINK_URI } from './rp-handler/initiate-login-endpoint.js';
export type { RpEvent, RpEventListener } from './rp-handler/events.js';
export { completeLogin, fragmentRepostPage, FRAGMENT_FIELD } from './rp-handler/redirect-endpoint.js';
export { verifyLogoutToken, type LogoutTokenClaims } from './logout/verify-logout-token.js';
export { handleBackChannelLogout, type BackChannelLogoutResult } from './logout/backchannel-logout.js';
export { handleFrontChannelLogout, type FrontChannelLogoutResult } from './logout/frontchannel-logout.js';
export { sessionsOf } from './logout/sessions-of.js';
export { checkLogoutEvent, checkLogoutNonce, checkLogoutSubject, checkJwtId, BACKCHANNEL_LOGOUT_EVENT } from './checks/check-logout-token-claims.js';
export { resolveAggregatedClaims, pendingDistributedSources, verifyClaimsJwt, type DistributedSource } from './claims/claim-sources.js';
export { DistributedClaims, type DistributedClaimsArgs } from './services/distributed-claims.js';
export type { Finding } from './interop/finding.js';
export { findInteropIssues, INTEROP_CHECKS, findMissingMetadata, findIssuerMismatch, findKeysWithoutKid, findTokenResponseShape, findContentType, findClockSkew, type FindingContext } from './interop/find-interop-issues.js';
