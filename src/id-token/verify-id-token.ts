import { checkAudience } from '../checks/check-audience.js';
import { checkAuthTime } from '../checks/check-auth-time.js';
import { checkAuthorizedParty } from '../checks/check-authorized-party.js';
import { checkExpiry } from '../checks/check-expiry.js';
import { checkIssuedAt } from '../checks/check-issued-at.js';
import { checkIssuer } from '../checks/check-issuer.js';
import { checkNonce } from '../checks/check-nonce.js';
import { checkNotBefore } from '../checks/check-not-before.js';
import { checkSubject } from '../checks/check-subject.js';
import { checkAtHash, checkCHash, checkSHash } from '../checks/check-token-hash.js';
import { ResponseError, VerificationError } from '../errors.js';
import { decryptJwe } from '../jose/decrypt-jwe.js';
import { isCompactJwe } from '../jose/jwt-parts.js';
import { verifyJws } from '../jose/verify-jws.js';
import type { IdTokenClaims } from '../messages.js';
import type { ServiceContext } from '../service-context.js';

/** Where an ID token came from: the rules differ (`none` only from the token endpoint, hashes only in front-channel responses). */
export type IdTokenSource = 'authorization' | 'token' | 'refresh';

/** What the RP expects of an ID token. */
export interface IdTokenExpectations {
  /** Where the token came from. */
  source: IdTokenSource;
  /**
   * The issuer the session's authorization request went to; the ID token must be that issuer's.
   * Default the context's issuer.
   */
  issuer?: string | undefined;
  /** The nonce sent in the authentication request, if any. */
  nonce?: string | undefined;
  /** The `max_age` asked for, if any. */
  maxAge?: number | undefined;
  /** The access token issued beside the ID token (for `at_hash`). */
  accessToken?: string | undefined;
  /** Whether `at_hash` must be present. */
  atHashRequired?: boolean;
  /** The code issued beside the ID token (for `c_hash`). */
  code?: string | undefined;
  /** Whether `c_hash` must be present. */
  cHashRequired?: boolean;
  /** The `state` of the response (for `s_hash`). */
  state?: string | undefined;
}

/**
 * The encryption a client registered for a response: `alg`, and `enc`, which defaults to
 * `A128CBC-HS256` when `alg` is registered without it (OpenID Connect Registration 1.0, 2).
 * Both `undefined` when no encryption is registered.
 */
export function registeredEncryption(alg: unknown, enc: unknown): { alg: string | undefined; enc: string | undefined } {
  if (typeof alg !== 'string') return { alg: undefined, enc: undefined };
  return { alg, enc: typeof enc === 'string' ? enc : 'A128CBC-HS256' };
}

/** A verified ID token: its claims and the algorithm it was signed with. */
export interface VerifiedIdToken {
  claims: IdTokenClaims;
  alg: string;
}

/**
 * The signing algorithms acceptable for an ID token: the registered
 * `id_token_signed_response_alg` when there is one, else RS256 (OpenID Connect Registration 2
 * default) and what the OP advertises. `none` is acceptable only when registered, and only for
 * ID tokens from the token endpoint.
 */
export function allowedIdTokenAlgs(context: ServiceContext, source: IdTokenSource): string[] {
  const registered = context.behaviour.id_token_signed_response_alg;
  const algs = typeof registered === 'string'
    ? [registered]
    : Array.isArray(registered)
      ? registered
      : ['RS256', ...(context.providerInfo?.id_token_signing_alg_values_supported ?? []).filter((a) => a !== 'none')];
  return source === 'authorization' ? algs.filter((a) => a !== 'none') : algs;
}

/**
 * Verifies an ID token as OpenID Connect Core 3.1.3.7 (and 3.2.2.11, 3.3.2.12 for the implicit and
 * hybrid flows) requires: decryption when it is a JWE, the signature with an allowed algorithm and
 * the right key, then `iss`, `sub`, `aud`, `azp`, `exp`, `iat`, `nbf`, `nonce`, the hashes and
 * `auth_time`. Each step is a named check whose name a failure carries.
 * @throws {ResponseError} `checkJwtFormat` for a token that does not parse.
 * @throws {VerificationError} with the name of the failed check.
 */
export async function verifyIdToken(token: unknown, context: ServiceContext, expect: IdTokenExpectations): Promise<VerifiedIdToken> {
  if (typeof token !== 'string' || token.length === 0) {
    throw new ResponseError('checkJwtFormat', 'the ID token is missing or not a string');
  }
  const issuer = expect.issuer ?? context.requireIssuer();
  const clientId = context.requireClientId();
  let jws = token;
  const { alg: encryptionAlg, enc: encryptionEnc } = registeredEncryption(context.behaviour.id_token_encrypted_response_alg, context.behaviour.id_token_encrypted_response_enc);
  if (isCompactJwe(token)) {
    jws = await decryptJwe(token, {
      keyJar: context.keyJar,
      clientSecret: context.clientSecret,
      expectedAlg: encryptionAlg,
      expectedEnc: encryptionEnc,
      what: 'ID token',
    });
  } else if (encryptionAlg !== undefined) {
    // OpenID Connect Core 3.1.3.7 step 1: a client that registered encryption gets encrypted ID tokens only.
    throw new VerificationError('checkEncrypted', `the ID token is not encrypted, though the client registered id_token_encrypted_response_alg ${encryptionAlg}`, {
      detail: { registered: { alg: encryptionAlg, enc: encryptionEnc } },
    });
  }
  const verified = await verifyJws(jws, {
    issuer,
    keyJar: context.keyJar,
    allowedAlgs: allowedIdTokenAlgs(context, expect.source),
    clientSecret: context.clientSecret,
    allowNone: expect.source !== 'authorization',
    allowMissingKid: context.allow.missing_kid === true,
    what: 'ID token',
  });
  const claims = verified.payload;
  const now = context.now();
  const skew = context.clockSkew;
  checkIssuer(claims, issuer, context.allow.issuer_mismatch === true);
  checkSubject(claims);
  checkAudience(claims, clientId, context.trustedAudiences);
  checkAuthorizedParty(claims, clientId);
  checkExpiry(claims, now, skew);
  checkIssuedAt(claims, now, skew);
  checkNotBefore(claims, now, skew);
  if (expect.source !== 'refresh') checkNonce(claims, expect.nonce);
  checkAtHash(claims, expect.accessToken, verified.alg, expect.atHashRequired ?? false);
  checkCHash(claims, expect.code, verified.alg, expect.cHashRequired ?? false);
  checkSHash(claims, expect.state, verified.alg, false);
  checkAuthTime(claims, expect.maxAge, context.behaviour.require_auth_time === true, now, skew);
  return { claims: claims as IdTokenClaims, alg: verified.alg };
}
