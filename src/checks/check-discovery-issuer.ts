import { VerificationError } from '../errors.js';
import { sameIssuer } from './check-issuer.js';

/**
 * The discovered `issuer` must be the issuer the document was fetched for (OpenID Connect
 * Discovery 1.0, 4.3), a trailing slash aside, unless `allow.issuer_mismatch`.
 * @throws {VerificationError} `checkDiscoveryIssuer`.
 */
export function checkDiscoveryIssuer(providerInfo: Record<string, unknown>, expected: string, allowMismatch = false): void {
  const issuer = providerInfo['issuer'];
  if (typeof issuer !== 'string') {
    throw new VerificationError('checkDiscoveryIssuer', 'the discovery document has no issuer');
  }
  if (!sameIssuer(issuer, expected) && !allowMismatch) {
    throw new VerificationError('checkDiscoveryIssuer', `the discovered issuer "${issuer}" is not the issuer "${expected}" it was fetched from`, {
      detail: { expected, actual: issuer },
    });
  }
}
