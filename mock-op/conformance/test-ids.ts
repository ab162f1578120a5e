/**
 * Resolving a test id from an issuer path to its catalogue row. Accepted ids: the current suite's
 * `oidcc-client-test-<suffix>` (and `oidcc-client-test` for the plain row), every older-tool id of
 * the row (`rp-...`), and the row's own `name`. All select the same row.
 *
 * @module
 */
import { CONFORMANCE_TESTS } from './catalogue.js';
import type { ConformanceTest, Profile, ResponseType } from './conformance-test.js';

/** The current suite's prefix of RP test names. */
export const CONFORMANCE_PREFIX = 'oidcc-client-test';

/** The current suite's id of a test (`null` when only the older tool has it). */
export function suiteId(test: ConformanceTest): string | null {
  if (test.suffix === null) return null;
  return test.suffix === '' ? CONFORMANCE_PREFIX : `${CONFORMANCE_PREFIX}-${test.suffix}`;
}

/** The id reports name a test by: the current suite's, else the older tool's first, else its name. */
export function displayId(test: ConformanceTest): string {
  return suiteId(test) ?? test.legacy[0] ?? test.name;
}

/** Every id that selects `test`: its suite id, its older ids and its name. */
export function testIds(test: ConformanceTest): string[] {
  const id = suiteId(test);
  return [...new Set([...(id === null ? [] : [id]), ...test.legacy, test.name])];
}

/** Builds the id index; throws when two rows claim the same id. */
function buildIndex(tests: readonly ConformanceTest[]): ReadonlyMap<string, ConformanceTest> {
  const index = new Map<string, ConformanceTest>();
  for (const test of tests) {
    for (const id of testIds(test)) {
      const other = index.get(id);
      if (other !== undefined && other !== test) throw new Error(`test id ${id} names both ${other.name} and ${test.name}`);
      index.set(id, test);
    }
  }
  return index;
}

const INDEX = buildIndex(CONFORMANCE_TESTS);

/** The row a test id selects, or `undefined`. */
export function findConformanceTest(testId: string): ConformanceTest | undefined {
  return INDEX.get(testId);
}

/** Every accepted test id, sorted. */
export function allTestIds(): string[] {
  return [...INDEX.keys()].sort();
}

/**
 * The rows of a profile, optionally only those that run with `responseType`. `FP` (Form Post) is
 * Basic, Implicit and Hybrid again with `response_mode=form_post`: it selects the B, I and H rows
 * besides those the table marks FP.
 */
export function testsForProfile(profile: Profile, responseType?: ResponseType): ConformanceTest[] {
  const inProfile = (test: ConformanceTest): boolean =>
    test.profiles.includes(profile) || (profile === 'FP' && test.profiles.some((p) => p === 'B' || p === 'I' || p === 'H'));
  return CONFORMANCE_TESTS.filter((test) => inProfile(test) && (responseType === undefined || test.responseTypes.includes(responseType)));
}
