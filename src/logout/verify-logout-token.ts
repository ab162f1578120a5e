import { checkAudience } from '../checks/check-audience.js';
import { checkExpiry } from '../checks/check-expiry.js';
import { checkIssuedAt } from '../checks/check-issued-at.js';
import { checkIssuer } from '../checks/check-issuer.js';
import { checkJwtId, checkLogoutEvent, checkLogoutNonce, checkLogoutSubject } from '../checks/check-logout-token-claims.js';
import { VerificationError } from '../errors.js';
import { allowedIdTokenAlgs } from '../id-token/verify-id-token.js';
import { verifyJws } from '../jose/verify-jws.js';
import type { JsonObject } from '../messages.js';
import type { ServiceContext } from '../service-context.js';

/** The verified claims of a logout token. */
export interface LogoutTokenClaims extends JsonObject {
  iss: string;
  aud: string | string[];
  iat: number;
  jti: string;
  events: JsonObject;
  sub?: string;
  sid?: string;
}

const JTI_PREFIX = '__logout_jti__';

/**
 * Verifies a back-channel logout token as OpenID Connect Back-Channel Logout 1.0, 2.6 says: the
 * signature as for an ID token (never `none`), `iss`, `aud`, `iat`, `exp` (required by the final
 * specification), the
 * logout event, `sub` or `sid`, no `nonce`, and a `jti` not seen before.
 * @throws {VerificationError} `checkAlgorithm`, `selectKey`, `checkSignature`, `checkIssuer`,
 *   `checkAudience`, `checkIssuedAt`, `checkExpiry`, `checkLogoutEvent`, `checkLogoutSubject`,
 *   `checkLogoutNonce`, `checkJwtId` (missing or replayed).
 */
export async function verifyLogoutToken(token: string, context: ServiceContext): Promise<LogoutTokenClaims> {
  const issuer = context.requireIssuer();
  const clientId = context.requireClientId();
  const { payload } = await verifyJws(token, {
    issuer,
    keyJar: context.keyJar,
    allowedAlgs: allowedIdTokenAlgs(context, 'authorization'),
    clientSecret: context.clientSecret,
    allowNone: false,
    allowMissingKid: context.allow.missing_kid === true,
    what: 'logout token',
  });
  const now = context.now();
  checkIssuer(payload, issuer, context.allow.issuer_mismatch === true, 'logout token');
  checkAudience(payload, clientId, context.trustedAudiences, 'logout token');
  checkIssuedAt(payload, now, context.clockSkew, 'logout token');
  checkExpiry(payload, now, context.clockSkew, 'logout token');
  checkLogoutEvent(payload);
  checkLogoutSubject(payload);
  checkLogoutNonce(payload);
  const jti = checkJwtId(payload);
  const store = context.stateDb.store;
  if ((await store.get(`${JTI_PREFIX}${jti}`)) !== undefined) {
    throw new VerificationError('checkJwtId', 'the logout token was already used (its jti was seen before)');
  }
  // Remembered until the token expires (checkExpiry passed, so exp is a finite number), clock skew
  // included: a replay after that fails checkExpiry anyway. At most a session lifetime, whatever
  // exp says (1e308, say), so that the store stays bounded: an OP gives its logout tokens minutes.
  const exp = payload['exp'] as number;
  const keepSeconds = Math.min(Math.max(1, exp - now + 2 * context.clockSkew), context.stateDb.sessionLifetime);
  await store.set(`${JTI_PREFIX}${jti}`, String(now), { ttlMs: keepSeconds * 1000 });
  return payload as LogoutTokenClaims;
}
