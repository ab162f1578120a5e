/**
 * The results of a certification run and how they are reported, the same for the built-in
 * service layer (`certify`) and for an RP nobody here wrote (`certify-rp`): a verdict line per
 * test as it finishes, a table per profile, `summary.json`, and JUnit XML whose test names start
 * with the test id and the response type.
 *
 * @module
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import junitModule from 'junit-report-builder';
import type { Builder } from 'junit-report-builder';
import type { VerdictName } from './verdict.js';

/** One test's result, as `summary.json` holds it. */
export interface TestResult {
  /** The test id (the current suite's, else the older tool's). */
  readonly test: string;
  /** The older tool's ids of the test. */
  readonly legacy: readonly string[];
  /** The plan's profile name (`basic`, `form-post`...). */
  readonly profile: string;
  readonly responseType: string;
  readonly responseMode: string | null;
  /** What a conforming RP does: `accept`, `reject` or `either`. */
  readonly expected: string;
  /** The RP under certification (`built-in service layer`, or the name its configuration gives). */
  readonly rp: string;
  /** What the RP said: it logged the user in, or it refused; `null` when it was never driven. */
  readonly outcome: 'accepted' | 'refused' | null;
  /** The named check at which the built-in service layer refused; `null` for other RPs and acceptances. */
  readonly check: string | null;
  readonly verdict: VerdictName;
  /** Why, in words. */
  readonly reason: string;
  /** How long the test took, in milliseconds. */
  readonly ms: number | null;
  /** The scenario or test title, for JUnit and reports. */
  readonly title?: string;
}

/** What a whole run was. */
export interface RunInfo {
  readonly started: string;
  readonly finished: string;
  readonly node: string;
  /** The OP target (`mock-op (in-process, MSW)`, `mock-op http://127.0.0.1:8080`...). */
  readonly op: string;
  /** The RP under certification. */
  readonly rp: string;
  /** The harness's version. */
  readonly harness?: string;
}

// The package is CommonJS whose module.exports is the builder, while its type declarations describe an
// ES default export: at run time the default import is the builder itself.
const junit = junitModule as unknown as Builder;

/** The words of a verdict on the console. */
const LABEL: Record<VerdictName, string> = { passed: 'PASSED', failed: 'FAILED', skipped: 'SKIPPED', inconclusive: 'INCONCL' };

/** One console line for a finished test: verdict, profile, test id, response type and the reason. */
export function verdictLine(result: TestResult): string {
  const mode = result.responseMode ? ` ${result.responseMode}` : '';
  const check = result.check ? ` [${result.check}]` : '';
  return `${LABEL[result.verdict].padEnd(8)} ${result.profile.padEnd(20)} ${result.test.padEnd(52)} ${result.responseType}${mode}: ${result.reason}${check}`;
}

/** The counts of each verdict. */
export function totals(results: readonly TestResult[]): Record<VerdictName, number> {
  const counts: Record<VerdictName, number> = { passed: 0, failed: 0, skipped: 0, inconclusive: 0 };
  for (const r of results) counts[r.verdict] += 1;
  return counts;
}

/** The table per profile and the totals, as printed at the end of a run. */
export function profileTable(results: readonly TestResult[]): string {
  if (results.length === 0) return '';
  const byProfile = new Map<string, Record<VerdictName, number>>();
  for (const r of results) {
    const row = byProfile.get(r.profile) ?? { passed: 0, failed: 0, skipped: 0, inconclusive: 0 };
    row[r.verdict] += 1;
    byProfile.set(r.profile, row);
  }
  const head = `${'profile'.padEnd(22)}${'passed'.padStart(8)}${'failed'.padStart(8)}${'skipped'.padStart(9)}${'inconclusive'.padStart(14)}`;
  const rows = [...byProfile].sort(([a], [b]) => a.localeCompare(b)).map(
    ([profile, row]) => `${profile.padEnd(22)}${String(row.passed).padStart(8)}${String(row.failed).padStart(8)}${String(row.skipped).padStart(9)}${String(row.inconclusive).padStart(14)}`,
  );
  const t = totals(results);
  return `\n${head}\n${rows.join('\n')}\n\n${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped, ${t.inconclusive} inconclusive\n`;
}

/** Whether a run's results let CI pass: nothing failed and nothing was inconclusive. */
export function runPassed(results: readonly TestResult[]): boolean {
  const t = totals(results);
  return t.failed === 0 && t.inconclusive === 0;
}

/** Writes `summary.json`: `{ run, results }`. */
export function writeSummary(path: string, run: RunInfo, results: readonly TestResult[]): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify({ run, results }, null, 2)}\n`);
}

/** A test's name in JUnit and Allure: the test id and the response type (and mode), short and unique in its plan. */
export function junitName(result: TestResult): string {
  const mode = result.responseMode ? ` ${result.responseMode}` : '';
  return `${result.test} ${result.responseType}${mode}`;
}

/**
 * Writes JUnit XML: a test suite per profile, a test case per result named by {@link junitName};
 * failed is a failure, inconclusive an error (the RP could not be judged), skipped is skipped;
 * the reason is the message.
 */
export function writeJunit(path: string, suiteName: string, results: readonly TestResult[]): void {
  const builder = junit.newBuilder();
  builder.name(suiteName);
  const suites = new Map<string, ReturnType<typeof builder.testSuite>>();
  for (const result of results) {
    let suite = suites.get(result.profile);
    if (suite === undefined) {
      suite = builder.testSuite().name(result.profile);
      suites.set(result.profile, suite);
    }
    const testCase = suite.testCase().className(`${suiteName}.${result.profile}`).name(junitName(result));
    if (result.ms !== null) testCase.time(result.ms / 1000);
    if (result.verdict === 'failed') testCase.failure(result.reason);
    else if (result.verdict === 'inconclusive') testCase.error(result.reason, 'inconclusive');
    else if (result.verdict === 'skipped') testCase.skipped();
    testCase.standardOutput(`${result.verdict}: ${result.reason}${result.title ? `\n${result.title}` : ''}`);
  }
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, builder.build());
}
