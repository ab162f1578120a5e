import { VerificationError } from '../errors.js';

/**
 * `aud` must contain the RP's `client_id` (OpenID Connect Core 3.1.3.7 step 3); when it names
 * other audiences as well, they must be trusted ones.
 * @throws {VerificationError} `checkAudience`.
 */
export function checkAudience(claims: Record<string, unknown>, clientId: string, trustedAudiences: readonly string[] = [], what = 'ID token'): void {
  const aud = claims['aud'];
  const audiences = typeof aud === 'string' ? [aud] : Array.isArray(aud) && aud.every((a) => typeof a === 'string') ? (aud as string[]) : undefined;
  if (audiences === undefined || audiences.length === 0) {
    throw new VerificationError('checkAudience', `the ${what} has no valid aud claim`);
  }
  if (!audiences.includes(clientId)) {
    throw new VerificationError('checkAudience', `the ${what}'s audience does not include the client_id "${clientId}"`, {
      detail: { expected: clientId, actual: audiences },
    });
  }
  const untrusted = audiences.filter((a) => a !== clientId && !trustedAudiences.includes(a));
  if (untrusted.length > 0) {
    throw new VerificationError('checkAudience', `the ${what}'s audience includes parties this RP does not trust`, {
      detail: { untrusted },
    });
  }
}
