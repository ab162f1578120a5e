/**
 * Which user claims a request releases: by scope value (OIDC Core 5.4) and by the `claims`
 * request parameter (OIDC Core 5.5).
 *
 * @module
 */
import type { User } from './users.js';
import { subjectFor } from './users.js';

/** The claims each scope value releases (OIDC Core 5.4). */
export const SCOPE_CLAIMS: Readonly<Record<string, readonly string[]>> = {
  profile: [
    'name',
    'family_name',
    'given_name',
    'middle_name',
    'nickname',
    'preferred_username',
    'profile',
    'picture',
    'website',
    'gender',
    'birthdate',
    'zoneinfo',
    'locale',
    'updated_at',
  ],
  email: ['email', 'email_verified'],
  address: ['address'],
  phone: ['phone_number', 'phone_number_verified'],
};

/** A parsed `claims` request parameter: which claims go to the ID token and to UserInfo. */
export interface ClaimsRequest {
  /** Claims requested in the ID token (names only; values and `essential` are not enforced). */
  readonly id_token?: Readonly<Record<string, unknown>>;
  /** Claims requested from UserInfo. */
  readonly userinfo?: Readonly<Record<string, unknown>>;
}

/** Splits a scope string into its values. */
export function scopeValues(scope: string): string[] {
  return scope.split(' ').filter((s) => s !== '');
}

/**
 * The user's claims released for `scope` plus those named in `requested` (a member of the
 * `claims` parameter), always with `sub`. Claims the user has no value for are left out.
 */
export function releasedClaims(
  user: User,
  scope: string,
  requested?: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const names = new Set<string>();
  for (const value of scopeValues(scope)) for (const name of SCOPE_CLAIMS[value] ?? []) names.add(name);
  for (const name of Object.keys(requested ?? {})) names.add(name);
  const claims: Record<string, unknown> = { sub: subjectFor(user) };
  for (const name of names) {
    if (name === 'sub') continue;
    const value = user.claims[name];
    if (value !== undefined) claims[name] = structuredClone(value);
  }
  return claims;
}

/**
 * Parses a `claims` request parameter. Returns `undefined` when absent, throws a `TypeError` when
 * it is not a JSON object whose `id_token` / `userinfo` members (if any) are objects.
 */
export function parseClaimsRequest(value: string | undefined): ClaimsRequest | undefined {
  if (value === undefined || value === '') return undefined;
  const parsed: unknown = JSON.parse(value);
  return claimsRequestFrom(parsed);
}

/** Checks an already-parsed `claims` value (e.g. from a request object). */
export function claimsRequestFrom(parsed: unknown): ClaimsRequest {
  if (!isObject(parsed)) throw new TypeError('claims must be a JSON object');
  const result: { id_token?: Record<string, unknown>; userinfo?: Record<string, unknown> } = {};
  for (const member of ['id_token', 'userinfo'] as const) {
    const m = parsed[member];
    if (m === undefined || m === null) continue;
    if (!isObject(m)) throw new TypeError(`claims.${member} must be an object`);
    result[member] = m;
  }
  return result;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
