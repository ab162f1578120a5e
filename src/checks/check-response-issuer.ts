import { describeValue, VerificationError } from '../errors.js';

/**
 * RFC 9207: an authorization response's `iss` parameter must equal the OP's issuer when present,
 * and must be present when the OP advertises `authorization_response_iss_parameter_supported`.
 * @throws {VerificationError} `checkResponseIssuer`.
 */
export function checkResponseIssuer(response: Record<string, unknown>, expected: string, advertised: boolean): void {
  const iss = response['iss'];
  if (iss === undefined) {
    if (advertised) {
      throw new VerificationError('checkResponseIssuer', 'the authorization response has no iss parameter, though the OP advertises it');
    }
    return;
  }
  if (iss !== expected) {
    throw new VerificationError('checkResponseIssuer', `the authorization response's iss ${describeValue(iss)} is not the OP's issuer "${expected}"`, {
      detail: { expected, actual: iss },
    });
  }
}
