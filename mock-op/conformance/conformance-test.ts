/**
 * The shape of one row of the RP conformance catalogue (docs/rp-tests.md): which test it is under
 * either naming scheme, where it applies, what a conforming RP does, and the OP behaviour that
 * makes the test.
 *
 * @module
 */
import type { OpBehaviour } from '../behaviour.js';
import type { BehaviourFactory } from '../provider.js';
import type { CheckName } from '../../src/checks/registry.js';
import type { Condition } from './conditions.js';

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

/** The check of the service layer at which a conforming RP rejects: a name of the one registry of checks. */
export type { CheckName } from '../../src/checks/registry.js';

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

/** How the RP finds the OP in a test: from its issuer, or with WebFinger from an `acct:` or a URL identifier. */
export type Discovery = 'issuer' | 'webfinger-acct' | 'webfinger-url';

/**
 * What a test has the RP do, beyond finding the OP and registering: log in (`login`), log in twice
 * (`login-twice`, key rotation), log in then refresh its tokens (`refresh`), log in then log out
 * at the OP (`rp-logout`), log in and then be told of a logout by the OP on the back channel
 * (`backchannel-logout`) or through the browser (`frontchannel-logout`), watch the OP's session
 * (`session-check`), or have a third party start its login (`third-party-login`).
 */
export type Task =
  | 'login'
  | 'login-twice'
  | 'refresh'
  | 'rp-logout'
  | 'backchannel-logout'
  | 'frontchannel-logout'
  | 'session-check'
  | 'third-party-login';

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
  /** One line: what a conforming RP does in this test (for the OP's index page and reports). */
  readonly rpDoes: string;
  /** What to set up in the RP for this test, when anything (registration metadata, a request object). */
  readonly configure?: string;
  /** How the RP finds the OP. */
  readonly discovery: Discovery;
  /** What the test has the RP do. */
  readonly task: Task;
  /**
   * What proves that the RP did what the test is about when it accepts (it read the userinfo, it
   * authenticated with the method the test forces...); every condition must hold.
   */
  readonly proof: readonly Condition[];
  /** What makes the test apply to what the RP did; when one does not hold, the test is skipped with its reason. */
  readonly applies: readonly Condition[];
}
