/**
 * The OP's end users and the claims it can release about them.
 *
 * There is no login page: the OP considers its first user (by default `foobar`) logged in and
 * consenting. A `login_hint` naming another user's `id` selects that user instead.
 *
 * @module
 */
import { createHash } from 'node:crypto';

/** A postal address (OIDC Core 5.1.1). */
export interface AddressClaim {
  formatted?: string;
  street_address?: string;
  locality?: string;
  region?: string;
  postal_code?: string;
  country?: string;
}

/** The standard claims an OP may hold about a user (OIDC Core 5.1), `sub` excepted. */
export interface UserClaims {
  name?: string;
  given_name?: string;
  family_name?: string;
  middle_name?: string;
  nickname?: string;
  preferred_username?: string;
  profile?: string;
  picture?: string;
  website?: string;
  email?: string;
  email_verified?: boolean;
  gender?: string;
  birthdate?: string;
  zoneinfo?: string;
  locale?: string;
  phone_number?: string;
  phone_number_verified?: boolean;
  address?: AddressClaim;
  updated_at?: number;
  /** Any non-standard claim. */
  [claim: string]: unknown;
}

/** An end user of the OP. */
export interface User {
  /** Login name, e.g. `foobar`; matched against `login_hint`. */
  readonly id: string;
  /**
   * The subject identifier. Defaults to {@link subjectFor}: an opaque hex string derived from
   * `id`, the same for every client (public subject type) and every run.
   */
  readonly sub?: string;
  /** The user's claims, released according to the scopes and `claims` request. */
  readonly claims: UserClaims;
}

/** The default user, `foobar`, with a value for every standard claim. */
export const DEFAULT_USER: User = {
  id: 'foobar',
  claims: {
    name: 'Foo Bar',
    given_name: 'Foo',
    family_name: 'Bar',
    middle_name: 'Baz',
    nickname: 'foo',
    preferred_username: 'foobar',
    profile: 'https://example.com/foobar',
    picture: 'https://example.com/foobar.png',
    website: 'https://example.com',
    email: 'foobar@example.com',
    email_verified: true,
    gender: 'unspecified',
    birthdate: '1970-01-01',
    zoneinfo: 'Europe/Stockholm',
    locale: 'en-US',
    phone_number: '+46 (0) 70 000 00 00',
    phone_number_verified: false,
    address: {
      formatted: 'Example Street 1\n123 45 Exampletown\nSweden',
      street_address: 'Example Street 1',
      locality: 'Exampletown',
      region: 'Example County',
      postal_code: '123 45',
      country: 'Sweden',
    },
    updated_at: 1_700_000_000,
  },
};

/**
 * The subject identifier of a user: `user.sub` if set, else the first 32 hex digits of
 * SHA-256(`"sub:" + id`). Public subject type: the same for every client.
 */
export function subjectFor(user: User): string {
  return user.sub ?? createHash('sha256').update(`sub:${user.id}`).digest('hex').slice(0, 32);
}
