import { VerificationError } from '../errors.js';

/**
 * A later ID token in the same session must name the same issuer and subject as the first one:
 * the token endpoint's in the hybrid flow (OpenID Connect Core 3.3.3.6), a refreshed one
 * (OpenID Connect Core 12.2), where `auth_time` must also be unchanged when present.
 * @throws {VerificationError} `checkSameSubject`.
 */
export function checkSameSubject(earlier: Record<string, unknown> | undefined, later: Record<string, unknown>, what: string): void {
  if (!earlier) return;
  for (const claim of ['iss', 'sub'] as const) {
    if (earlier[claim] !== later[claim]) {
      throw new VerificationError('checkSameSubject', `the ${what}'s ${claim} differs from the session's first ID token`, {
        detail: { claim, expected: earlier[claim], actual: later[claim] },
      });
    }
  }
  if (what === 'refreshed ID token' && earlier['auth_time'] !== undefined && later['auth_time'] !== undefined && earlier['auth_time'] !== later['auth_time']) {
    throw new VerificationError('checkSameSubject', 'the refreshed ID token\'s auth_time differs from the session\'s first ID token', { detail: { claim: 'auth_time' } });
  }
}
