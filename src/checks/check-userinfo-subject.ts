import { VerificationError } from '../errors.js';

/**
 * The userinfo response's `sub` must equal the ID token's (OpenID Connect Core 5.3.2): otherwise
 * the response is about someone else and must not be used.
 * @throws {VerificationError} `checkUserInfoSubject`.
 */
export function checkUserInfoSubject(userinfo: Record<string, unknown>, idTokenSub: string | undefined): void {
  const sub = userinfo['sub'];
  if (typeof sub !== 'string') {
    throw new VerificationError('checkUserInfoSubject', 'the userinfo response has no sub claim');
  }
  if (idTokenSub !== undefined && sub !== idTokenSub) {
    throw new VerificationError('checkUserInfoSubject', 'the userinfo response\'s sub does not match the ID token\'s sub', {
      detail: { expected: idTokenSub, actual: sub },
    });
  }
}
