/**
 * The report's categories, by kind of verdict, as allure-commandline (Allure 2) reads them from
 * `categories.json` in the results: it can only match a test's status and message. Allure 3
 * takes its categories from `allurerc.mjs`, where the same categories also match the `verdict`
 * label and group their tests by the `check` label; the names are the same in both.
 *
 * @module
 */
import type { Category } from 'allure-js-commons/sdk';
import { Status } from 'allure-js-commons';

/** The category of the interop findings of a real OP (see steps/support/targets/interop-findings.ts). */
export const FINDINGS_CATEGORY = 'Interop findings';
/** The category of failed verdicts and failed scenarios. */
export const FAILED_CATEGORY = 'Failed';
/** The category of inconclusive verdicts. */
export const INCONCLUSIVE_CATEGORY = 'Inconclusive: the RP never met the test';
/** The category of tests the harness itself could not run. */
export const BROKEN_CATEGORY = 'Broken: the harness failed';

/** The categories in `categories.json`, each test in the first that matches (Allure 2 matches whole messages). */
export const CATEGORIES: readonly Category[] = [
  { name: FINDINGS_CATEGORY, matchedStatuses: [Status.BROKEN], messageRegex: '^Interop finding.*' },
  { name: FAILED_CATEGORY, matchedStatuses: [Status.FAILED] },
  { name: INCONCLUSIVE_CATEGORY, matchedStatuses: [Status.BROKEN], messageRegex: '(?s).*\\binconclusive\\b.*' },
  { name: BROKEN_CATEGORY, matchedStatuses: [Status.BROKEN], messageRegex: '(?s)(?!Interop finding)(?!.*\\binconclusive\\b).*' },
];
