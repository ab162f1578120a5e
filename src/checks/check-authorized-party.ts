import { describeValue, VerificationError } from '../errors.js';

/**
 * When `azp` is present it must be the RP's `client_id`; with several audiences it should be
 * present (OpenID Connect Core 3.1.3.7 steps 4 and 5).
 * @throws {VerificationError} `checkAuthorizedParty`.
 */
export function checkAuthorizedParty(claims: Record<string, unknown>, clientId: string, what = 'ID token'): void {
  const azp = claims['azp'];
  const aud = claims['aud'];
  if (azp === undefined) {
    if (Array.isArray(aud) && aud.length > 1) {
      throw new VerificationError('checkAuthorizedParty', `the ${what} has several audiences and no azp claim`);
    }
    return;
  }
  if (azp !== clientId) {
    throw new VerificationError('checkAuthorizedParty', `the ${what}'s azp ${describeValue(azp)} is not the client_id "${clientId}"`, {
      detail: { expected: clientId, actual: azp },
    });
  }
}
