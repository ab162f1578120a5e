/**
 * Choosing the `acr` of an ID token from what the RP asked for: `acr_values` (OIDC Core 3.1.2.1)
 * and a `claims` request for `acr` with `value` / `values` (OIDC Core 5.5.1.1).
 *
 * @module
 */
import { ACR, ACR_VALUES_SUPPORTED } from './capabilities.js';
import type { ClaimsRequest } from './scope-claims.js';

/**
 * The first requested ACR value the OP supports (the `claims` request's `acr.value` / `acr.values`
 * first, then `acr_values`, a space-separated list in order of preference); the default ACR when
 * nothing supported was asked for.
 */
export function chooseAcr(acrValues: string | undefined, claims: ClaimsRequest | undefined): string {
  const requested: string[] = [];
  const acrClaim = claims?.id_token?.acr;
  if (typeof acrClaim === 'object' && acrClaim !== null) {
    const { value, values } = acrClaim as { value?: unknown; values?: unknown };
    if (typeof value === 'string') requested.push(value);
    if (Array.isArray(values)) requested.push(...values.filter((v): v is string => typeof v === 'string'));
  }
  if (acrValues !== undefined) requested.push(...acrValues.split(' ').filter((v) => v !== ''));
  return requested.find((v) => (ACR_VALUES_SUPPORTED as readonly string[]).includes(v)) ?? ACR;
}
