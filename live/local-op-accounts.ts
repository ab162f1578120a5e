/**
 * The end-users of the local OP: whatever login id is typed on its development login page
 * becomes an account, with a predictable set of standard claims derived from that id.
 */

/** The standard claims the local OP knows for an account. */
export interface LocalAccountClaims {
  sub: string;
  name: string;
  given_name: string;
  family_name: string;
  email: string;
  email_verified: boolean;
}

/** Maps a login id to the claims of its account. */
export type LocalAccountDirectory = (loginId: string) => LocalAccountClaims;

/**
 * The default directory: `sub` is the login id; `alice` becomes "Alice Tester",
 * `alice@example.test` (email verified). A login id that is an e-mail address keeps it as email.
 */
export const defaultLocalAccount: LocalAccountDirectory = (loginId) => {
  const local = loginId.includes('@') ? loginId.slice(0, loginId.indexOf('@')) : loginId;
  const given = local.length > 0 ? local[0]!.toUpperCase() + local.slice(1) : 'User';
  return {
    sub: loginId,
    name: `${given} Tester`,
    given_name: given,
    family_name: 'Tester',
    email: loginId.includes('@') ? loginId : `${local || 'user'}@example.test`,
    email_verified: true,
  };
};
