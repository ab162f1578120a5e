/**
 * The one registry of checks: every name an {@link OidcError} of the service layer can carry, the
 * specification clause that demands it, a line that says what it checks, and, where a
 * certification feature names it, the phrases the features use after "because" ("Then the RP
 * rejects the ID token because its issuer is not the OP's").
 *
 * Names are camelCase. Checks a specification demands of a response are `check<What>`
 * (`checkIssuer`); the RP's own limits and failures are named for their area (`transportTimeout`,
 * `storeCommand`, `configSetting`, `sessionCode`). The compiler keeps every throw site to these
 * names: {@link CheckName} is the union of the registry's keys.
 *
 * Entries whose clause is {@link RP_POLICY} are not demanded by a specification: they are limits
 * and failures of this RP (a timeout, a store that does not answer, a configuration mistake), named
 * so that a report tells them apart from a verdict about the OP.
 *
 * @module
 */

/** The clause of an entry no specification demands: a limit or failure of this RP itself. */
export const RP_POLICY = 'RP policy (no specification clause)';

/** One check of the registry. */
export interface CheckEntry {
  /** The specification clause that demands the check (`OIDC Core 1.0, 3.1.3.7 step 2`), or {@link RP_POLICY}. */
  readonly clause: string;
  /** What the check makes sure of, in one line. */
  readonly description: string;
  /** The phrases the certification features use after "because" for a refusal at this check. */
  readonly because?: readonly string[];
}

/** Every check the service layer can raise, by name. */
export const CHECKS = {
  // ---- ID tokens (and the tokens verified like them) ----
  checkIssuer: {
    clause: 'OIDC Core 1.0, 3.1.3.7 step 2',
    description: "the token's iss (or a logout request's iss) is the OP's issuer identifier exactly",
    because: ["its issuer is not the OP's"],
  },
  checkSubject: {
    clause: 'OIDC Core 1.0, 2 (sub)',
    description: 'the token names its subject: sub is a string of 1 to 255 characters',
    because: ['it names no subject'],
  },
  checkAudience: {
    clause: 'OIDC Core 1.0, 3.1.3.7 step 3',
    description: "aud contains the RP's client_id and no audience the RP does not trust",
    because: ['it is not meant for this client'],
  },
  checkAuthorizedParty: {
    clause: 'OIDC Core 1.0, 3.1.3.7 steps 4 and 5',
    description: "azp, when present, is the RP's client_id; it is present when there are several audiences",
  },
  checkExpiry: {
    clause: 'OIDC Core 1.0, 3.1.3.7 step 9',
    description: 'exp is a number and the token has not expired, give or take the clock skew',
  },
  checkIssuedAt: {
    clause: 'OIDC Core 1.0, 3.1.3.7 step 10',
    description: 'iat is a number and not in the future, give or take the clock skew',
    because: ['it has no issue time'],
  },
  checkNotBefore: {
    clause: 'RFC 7519, 4.1.5',
    description: 'nbf, when present, is a number and not in the future, give or take the clock skew',
  },
  checkNonce: {
    clause: 'OIDC Core 1.0, 3.1.3.7 step 11',
    description: 'the ID token carries the nonce of the authentication request that asked for it',
    because: ['its nonce is not the one the RP sent', 'it carries no nonce'],
  },
  checkAtHash: {
    clause: 'OIDC Core 1.0, 3.2.2.9 and 3.3.2.9',
    description: 'at_hash matches the access token issued with the ID token, and is present where the response type requires it',
    because: ['its at_hash does not match the access token', 'it has no at_hash'],
  },
  checkCHash: {
    clause: 'OIDC Core 1.0, 3.3.2.10',
    description: 'c_hash matches the code issued with the ID token, and is present in the hybrid flow',
    because: ['its c_hash does not match the code', 'it has no c_hash'],
  },
  checkSHash: {
    clause: 'FAPI 1.0 Advanced, 5.2.2.1',
    description: 's_hash, when present, matches the state of the response',
  },
  checkAuthTime: {
    clause: 'OIDC Core 1.0, 3.1.3.7 step 13',
    description: 'auth_time is present when max_age or require_auth_time asked for it, and not older than max_age',
  },
  checkSameSubject: {
    clause: 'OIDC Core 1.0, 3.3.3.6 and 12.2',
    description: "a later ID token of a session (the token endpoint's in the hybrid flow, a refreshed one) names the first one's issuer and subject",
    because: ["its subject is not the first ID token's"],
  },

  // ---- JOSE ----
  checkJwtFormat: {
    clause: 'RFC 7519, 7.2; RFC 7515, 7.1',
    description: 'a JWT is a compact JWS or JWE whose header and payload are base64url-encoded JSON objects',
  },
  checkAlgorithm: {
    clause: 'OIDC Core 1.0, 3.1.3.7 step 7',
    description: 'the JWS is signed with an algorithm the RP registered or accepts (none only where registered and allowed)',
    because: ['its signing algorithm is not allowed'],
  },
  checkCritical: {
    clause: 'RFC 7515, 4.1.11',
    description: 'the JWS header marks nothing as critical that the RP does not understand',
  },
  selectKey: {
    clause: 'OIDC Core 1.0, 10.1',
    description: "exactly one of the OP's keys fits the JWS: the one its kid names, or the only key of the right type",
    because: ['it names no key and the OP has several'],
  },
  checkSignature: {
    clause: 'OIDC Core 1.0, 3.1.3.7 step 6',
    description: "the JWS signature verifies with the OP's key (or the client secret for HS algorithms)",
    because: ['its signature does not verify'],
  },
  checkEncrypted: {
    clause: 'OIDC Core 1.0, 3.1.3.7 step 1; OIDC Registration 1.0, 2 (id_token_encrypted_response_alg, userinfo_encrypted_response_alg)',
    description: 'an ID token or userinfo response the client registered as encrypted arrives encrypted',
    because: ['it arrived unencrypted, though the RP registered encryption'],
  },
  checkEncryptionAlgorithm: {
    clause: 'OIDC Core 1.0, 3.1.3.7 step 1; OIDC Registration 1.0, 2 (*_encrypted_response_alg, *_encrypted_response_enc)',
    description: 'the JWE uses the alg and enc the client registered',
  },
  checkDecryption: {
    clause: 'OIDC Core 1.0, 3.1.3.7 step 1 and 10.2',
    description: "a key of the RP (or its client secret, for symmetric algorithms) decrypts the JWE",
  },
  checkJwks: {
    clause: 'RFC 7517, 5',
    description: "the document at the OP's jwks_uri is a JWK Set",
  },
  checkJwksResponse: {
    clause: 'OIDC Discovery 1.0, 3 (jwks_uri); RFC 7517, 8.5',
    description: "the OP's jwks_uri answers HTTP 200 with a JSON JWK Set",
  },

  // ---- the authorization response and the RP's login state ----
  parseAuthorizationResponse: {
    clause: 'RFC 6749, 3.1 and 4.1.2',
    description: 'the authorization response is a redirect to the RP whose parameters occur at most once each',
  },
  checkState: {
    clause: 'RFC 6749, 10.12; OIDC Core 1.0, 3.1.2.7',
    description: 'the response carries a state that belongs to a session this RP started',
  },
  checkBrowserBinding: {
    clause: 'RFC 6749, 10.12; RFC 9700, 4.7.1',
    description: 'the authorization response comes back to the browser that started its login: the login cookie is there and matches',
    because: ['this browser did not start that login'],
  },
  checkStateReplay: {
    clause: 'RFC 9700, 4.7.1; RFC 6749, 4.1.2',
    description: 'a login completes once: a second authorization response for its state is refused before any request to the OP',
    because: ['that login was already completed'],
  },
  checkStateExpiry: {
    clause: 'RFC 6749, 4.1.2; RFC 9700, 4.7.1',
    description: 'the pending login (10 minutes by default) or the established session (1 day by default) has not expired',
    because: ['that login has expired'],
  },
  checkResponseIssuer: {
    clause: 'RFC 9207, 2.4',
    description: "the authorization response's iss is the issuer the login's request went to, and present when the OP advertises it",
  },
  checkResponseType: {
    clause: 'OIDC Core 1.0, 3.1.2.5, 3.2.2.5 and 3.3.2.5',
    description: 'the authorization response carries what its response type promises (code, access_token with token_type, id_token), as strings',
  },
  checkErrorResponse: {
    clause: 'RFC 6749, 4.1.2.1 and 5.2',
    description: 'the OP answered with an OAuth 2.0 error response (error, error_description, error_uri)',
  },

  // ---- responses of the OP's endpoints ----
  checkHttpStatus: {
    clause: 'RFC 6749, 5.1 and 5.2',
    description: 'the endpoint answered with the HTTP status of success',
  },
  checkContentType: {
    clause: 'RFC 6749, 5.1; OIDC Core 1.0, 5.3.2',
    description: 'the answer has the media type the endpoint defines (JSON, or a JWT where registered)',
  },
  parseJson: {
    clause: 'RFC 8259; RFC 6749, 5.1',
    description: 'the answer is a JSON object, nested at most 64 levels',
  },
  checkTokenResponse: {
    clause: 'RFC 6749, 5.1',
    description: 'the token response has a string access_token and token_type, and expires_in is a number of seconds',
  },
  checkIdTokenPresent: {
    clause: 'OIDC Core 1.0, 3.1.3.3',
    description: 'an OpenID Connect code exchange returns an ID token',
  },
  checkUserInfoSubject: {
    clause: 'OIDC Core 1.0, 5.3.2',
    description: "the userinfo response's sub is the ID token's",
    because: ["its subject is not the ID token's"],
  },
  checkUserInfoFormat: {
    clause: 'OIDC Core 1.0, 5.3.2; OIDC Registration 1.0, 2 (userinfo_signed_response_alg)',
    description: 'a userinfo response the client registered as signed is a JWS',
  },
  checkClaimSource: {
    clause: 'OIDC Core 1.0, 5.6.2',
    description: 'aggregated and distributed claims are JWTs signed by an issuer whose keys the RP holds',
  },
  checkRegistrationResponse: {
    clause: 'OIDC Registration 1.0, 3.2',
    description: 'the registration response has a client_id, and its members have the types the specification gives',
  },

  // ---- discovery ----
  webFingerResource: {
    clause: 'OIDC Discovery 1.0, 2.1',
    description: 'the user identifier normalises to an acct: URI or an https URL that names a host',
  },
  checkWebFingerLinks: {
    clause: 'OIDC Discovery 1.0, 2',
    description: 'the WebFinger answer has an OpenID Connect issuer link',
  },
  checkWebFingerLink: {
    clause: 'OIDC Discovery 1.0, 2',
    description: 'the issuer the WebFinger answer names is an https URL',
    because: ['the issuer it names is not an https URL'],
  },
  checkIssuerUrl: {
    clause: 'OIDC Discovery 1.0, 2 and 3',
    description: 'the issuer to discover is an https URL',
  },
  checkDiscoveryIssuer: {
    clause: 'OIDC Discovery 1.0, 4.3',
    description: 'the discovered issuer is the issuer the document was fetched for',
    because: ['its issuer is not the one it was fetched from'],
  },
  checkProviderMetadata: {
    clause: 'OIDC Discovery 1.0, 3',
    description: 'the discovery document has the required metadata, each of the type the specification gives',
  },
  checkHttps: {
    clause: 'OIDC Discovery 1.0, 3; OIDC Core 1.0, 16.17',
    description: 'every URL the OP supplies uses https: the issuer, every endpoint and mTLS alias, jwks_uri, registration_client_uri, distributed-claims endpoints',
    because: ['its endpoint is not an https URL'],
  },
  checkPublicAddress: {
    clause: 'RP policy (no specification clause): server-side request forgery, OIDC Core 1.0, 16 and RFC 9700, 4 leave it to the RP',
    description: 'a URL the OP supplies resolves to public addresses only (no loopback, link-local, private, unspecified or IPv4-mapped forms of them), unless the configuration allows it',
    because: ['it points into the private network'],
  },

  // ---- third-party-initiated login ----
  checkInitiateLogin: {
    clause: 'OIDC Core 1.0, 4',
    description: 'a login initiation names, as iss, an https issuer: the OP this RP is bound to, or, for an RP bound to none, one of third_party_login_issuers',
    because: ['it names an issuer the RP is not configured for'],
  },
  checkTargetLinkUri: {
    clause: 'OIDC Core 1.0, 4 (target_link_uri)',
    description: "a login initiation's target_link_uri is an URL of this RP's origin, at most 2,048 characters: the RP is no open redirector",
  },

  // ---- logout and session management ----
  checkLogoutToken: {
    clause: 'OIDC Back-Channel Logout 1.0, 2.5',
    description: 'a back-channel logout request is a form post carrying one logout_token',
  },
  checkLogoutEvent: {
    clause: 'OIDC Back-Channel Logout 1.0, 2.4 and 2.6',
    description: 'the logout token carries the back-channel logout event, as a JSON object',
    because: ['it carries no logout event', 'its event is not a logout event'],
  },
  checkLogoutSubject: {
    clause: 'OIDC Back-Channel Logout 1.0, 2.4 and 2.6',
    description: 'the logout token names sub, sid or both, as strings',
  },
  checkLogoutNonce: {
    clause: 'OIDC Back-Channel Logout 1.0, 2.4 and 2.6',
    description: 'the logout token carries no nonce',
    because: ['it carries a nonce'],
  },
  checkJwtId: {
    clause: 'OIDC Back-Channel Logout 1.0, 2.4 and 2.6',
    description: 'the logout token has a jti not seen before',
  },
  checkFrontChannelLogout: {
    clause: 'OIDC Front-Channel Logout 1.0, 2',
    description: 'a front-channel logout request carries iss and sid when the RP registered them as required',
  },
  checkLogoutState: {
    clause: 'OIDC RP-Initiated Logout 1.0, 2 and 3',
    description: 'the post-logout redirect carries a state this RP sent with its logout request, or none',
    because: ['its state is not one the RP sent'],
  },
  checkSessionState: {
    clause: 'OIDC Session Management 1.0, 3',
    description: 'the authorization response carried a session_state to ask the OP iframe about',
  },
  checkSessionStatus: {
    clause: 'OIDC Session Management 1.0, 4.1',
    description: 'the check-session iframe answers changed, unchanged or error',
  },

  // ---- what a session holds ----
  sessionCode: {
    clause: 'RFC 6749, 4.1.3',
    description: 'the session has an authorization code to exchange',
  },
  sessionAccessToken: {
    clause: 'OIDC Core 1.0, 5.3.1',
    description: 'the session has an access token to present at the userinfo endpoint',
  },
  sessionRefreshToken: {
    clause: 'OIDC Core 1.0, 12.1',
    description: 'the session has a refresh token to refresh with',
  },
  sessionIdToken: {
    clause: RP_POLICY,
    description: 'the session has an ID token to ask the check ID endpoint about (the oidcservice documentation, CheckID)',
  },
  sessionClaimSource: {
    clause: 'OIDC Core 1.0, 5.6.2',
    description: "the session's user info names the distributed claims source asked for",
  },

  // ---- the RP's own keys, credentials and configuration ----
  configSetting: {
    clause: RP_POLICY,
    description: 'the configuration is checked at start; the error names every setting at fault',
  },
  contextIssuer: {
    clause: RP_POLICY,
    description: 'the OP is known (configured, or found with WebFinger) before a step that needs its issuer',
  },
  contextClientId: {
    clause: RP_POLICY,
    description: 'the RP has a client_id (configured, or registered) before a step that needs it',
  },
  contextEndpoint: {
    clause: 'OIDC Discovery 1.0, 3',
    description: "the OP's provider info has the endpoint a step needs",
  },
  buildServices: {
    clause: RP_POLICY,
    description: 'a service specification names only known services (the oidcservice documentation)',
  },
  matchPreferences: {
    clause: 'OIDC Registration 1.0, 2; OIDC Discovery 1.0, 3',
    description: "each client preference has something in common with what the OP supports",
  },
  clientAuth: {
    clause: 'OIDC Core 1.0, 9',
    description: 'the client authentication method is known and the RP has the credentials it needs',
  },
  ownSigningKey: {
    clause: 'OIDC Core 1.0, 6.1 and 9',
    description: 'the RP has a private key for the algorithm it signs with (request objects, private_key_jwt)',
  },
  signJwt: {
    clause: 'RFC 7515, 5.1',
    description: 'the RP can sign with the algorithm asked for',
  },
  encryptJwt: {
    clause: 'RFC 7516, 5.1',
    description: 'the OP publishes a key the RP can encrypt to with the algorithm asked for',
  },
  registrationRead: {
    clause: 'OIDC Registration 1.0, 4',
    description: 'the RP has a registration_client_uri and registration access token to read its registration with',
  },

  // ---- the RP's bounds ----
  pendingLoginCap: {
    clause: RP_POLICY,
    description: 'no more logins are pending at once than the configured cap (10,000 by default)',
  },
  storedValueSize: {
    clause: RP_POLICY,
    description: 'a session, or another value the RP stores, stays within the configured size limit (256 KiB by default)',
  },

  // ---- transport ----
  transportConnect: {
    clause: RP_POLICY,
    description: 'the connection to the server can be made (refused, unknown host, unreachable)',
  },
  transportReset: {
    clause: RP_POLICY,
    description: 'the connection stays open until the answer is complete',
  },
  transportTimeout: {
    clause: RP_POLICY,
    description: 'the whole answer arrives within the RP\'s deadlines (connect, headers, body, overall)',
  },
  transportSize: {
    clause: RP_POLICY,
    description: 'the answer stays within the RP\'s size limit (1 MiB by default)',
  },
  transportRedirect: {
    clause: RP_POLICY,
    description: 'redirects are followed only as the policy says: never in a loop, never from https to http',
  },
  transportNetwork: {
    clause: RP_POLICY,
    description: 'the request did not fail in the network for another reason',
  },

  // ---- state stores ----
  storeOpen: {
    clause: RP_POLICY,
    description: 'the persistent store opens (no other process holds it)',
  },
  storeConnect: {
    clause: RP_POLICY,
    description: 'the shared store can be reached with the URL and credentials given, in time',
  },
  storeOptions: {
    clause: RP_POLICY,
    description: "the store's options are in range",
  },
  storeCommand: {
    clause: RP_POLICY,
    description: 'the shared store answers each command in time',
  },
  storeContention: {
    clause: RP_POLICY,
    description: 'an atomic update of a key succeeds within a bounded number of attempts',
  },
} as const satisfies Record<string, CheckEntry>;

/** The name of a check: one of the registry's keys. */
export type CheckName = keyof typeof CHECKS;

/** Every check name, in the registry's order. */
export const CHECK_NAMES: readonly CheckName[] = Object.keys(CHECKS) as CheckName[];

/** True when `name` is a check of the registry. */
export function isCheckName(name: unknown): name is CheckName {
  return typeof name === 'string' && Object.hasOwn(CHECKS, name);
}

/** The registry's entry for a check. */
export function checkEntry(name: CheckName): CheckEntry {
  return CHECKS[name];
}

/** The clause that demands a check. */
export function clauseOf(name: CheckName): string {
  return CHECKS[name].clause;
}

/** Every phrase the features use after "because", with the check it stands for. */
export function reasonPhrases(): ReadonlyMap<string, CheckName> {
  const phrases = new Map<string, CheckName>();
  for (const name of CHECK_NAMES) {
    const entry: CheckEntry = CHECKS[name];
    for (const phrase of entry.because ?? []) phrases.set(phrase, name);
  }
  return phrases;
}
