/**
 * The shape of one row of the RP conformance catalogue (RP-TESTS.md): which test it is under
 * either naming scheme, where it applies, what a conforming RP does, and the OP behaviour that
 * makes the test.
 *
 * @module
 */
import type { OpBehaviour } from '../behaviour.js';
import type { BehaviourFactory } from '../provider.js';

/**
 * Certification profiles: B Basic, I Implicit, H Hybrid, FP Form Post, CNF Config, DYN Dynamic,
 * BCL back-channel logout, FCL front-channel logout, RPI RP-initiated logout, SES session
 * management, 3PI third-party-initiated login, RT refresh token plan, X older tool or
 * comprehensive plan only.
 */
export type Profile = 'B' | 'I' | 'H' | 'FP' | 'CNF' | 'DYN' | 'BCL' | 'FCL' | 'RPI' | 'SES' | '3PI' | 'RT' | 'X';

/** Every profile, in the table's order. */
export const PROFILES: readonly Profile[] = ['B', 'I', 'H', 'FP', 'CNF', 'DYN', 'BCL', 'FCL', 'RPI', 'SES', '3PI', 'RT', 'X'];

/** A response type, spelled as the OP advertises it. */
export type ResponseType = 'code' | 'id_token' | 'id_token token' | 'code id_token' | 'code token' | 'code id_token token';

/** What a conforming RP does: completes and accepts, rejects, or either (both pass). */
export type Expected = 'accept' | 'reject' | 'either';

/** The RP library's check at which a conforming RP rejects. */
export type CheckName =
  | 'checkIssuer'
  | 'checkSubject'
  | 'checkAudience'
  | 'checkIssuedAt'
  | 'selectKey'
  | 'checkSignature'
  | 'checkAlgorithm'
  | 'checkAtHash'
  | 'checkCHash'
  | 'checkUserInfoSubject'
  | 'checkNonce'
  | 'checkDiscoveryIssuer'
  | 'checkWebFingerLink'
  | 'checkSameSubject'
  | 'checkLogoutEvent'
  | 'checkLogoutNonce'
  | 'checkLogoutState';

/**
 * What the RP rejects, which tells what it must not do afterwards (see `verdict.ts`):
 * `id-token` (an ID token from the authorization or token endpoint), `userinfo`, `discovery`,
 * `webfinger`, `refreshed-id-token` (from a refresh), `logout-token` (answered 400 by the RP's
 * back-channel endpoint), `post-logout-redirect`, `authorization-error` (the OP's error response).
 */
export type RejectionPoint =
  | 'id-token'
  | 'userinfo'
  | 'discovery'
  | 'webfinger'
  | 'refreshed-id-token'
  | 'logout-token'
  | 'post-logout-redirect'
  | 'authorization-error';

/** The OP behaviour of a test: hooks, or a function of the new provider returning hooks. */
export type ConformanceBehaviour = Partial<OpBehaviour> | BehaviourFactory;

/** One test of the catalogue. */
export interface ConformanceTest {
  /**
   * A stable, unique name: the suffix when the current suite has one (`invalid-iss`), `none` for
   * the plain row, otherwise a name of this project's (`idtoken-sig-hs256`, `client-secret-post`...).
   */
  readonly name: string;
  /**
   * The current suite's suffix (`oidcc-client-test-<suffix>`); `''` for the plain row, whose id is
   * `oidcc-client-test`; `null` when only the older tool has the test.
   */
  readonly suffix: string | null;
  /** The older test tool's ids (`rp-...`), several when the tool had one per variant. */
  readonly legacy: readonly string[];
  /** The profiles of the table's last column (FP is listed only where the table lists it; see `testsForProfile`). */
  readonly profiles: readonly Profile[];
  /** The response types the test runs with. */
  readonly responseTypes: readonly ResponseType[];
  /** What a conforming RP does. */
  readonly expected: Expected;
  /** True when an RP that rejects is skipped rather than failed (only `idtoken-sig-none`). */
  readonly skipAllowed: boolean;
  /** The RP check at which a conforming RP rejects (rows that expect or allow a rejection). */
  readonly check?: CheckName;
  /** What the RP rejects (rows that expect or allow a rejection). */
  readonly rejectedAt?: RejectionPoint;
  /** One line: what the OP does. */
  readonly description: string;
  /** The OP's behaviour in this test, on top of the well-behaved OP. */
  readonly behaviour: ConformanceBehaviour;
}
