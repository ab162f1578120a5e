import { VerificationError, type CheckName } from '../errors.js';

/**
 * URLs that name an issuer or an endpoint must use https unless `allow.http_links`
 * (OpenID Connect Discovery 1.0, 2 and 3; RFC 7033 for WebFinger links).
 * @throws {VerificationError} `check` (default `checkHttps`).
 */
export function checkHttps(url: string, allowHttp: boolean, what: string, check: CheckName = 'checkHttps'): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new VerificationError(check, `the ${what} "${url}" is not a URL`);
  }
  if (parsed.protocol === 'https:') return;
  if (parsed.protocol === 'http:' && allowHttp) return;
  throw new VerificationError(check, `the ${what} "${url}" does not use https`, { detail: { url } });
}
