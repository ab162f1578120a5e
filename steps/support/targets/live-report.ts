/**
 * What a live run reports, from the results the live formatter collected: the verdict table and
 * the totals, each failure's and skip's reason, the interop findings once per rule for the
 * console; `summary.json` with the results under the provider's name; a JUnit file whose skipped
 * test cases say why. Pure functions: the formatter (steps/formatters/live-formatter.mjs) does
 * the I/O.
 */
import type { Finding } from '../../../src/interop/finding.js';
import { describeFindings, gatherFindings, type GatheredFinding } from './interop-findings.js';

export { describeFindings, gatherFindings, type GatheredFinding };

/** The file name of a probe's record starts so (`probe code-reuse`); the live formatter reads it. */
export const PROBE_ATTACHMENT_PREFIX = 'probe ';

/** One scenario's or probe's result. */
export interface LiveResult {
  /** The scenario's name. */
  name: string;
  /** The feature file it comes from. */
  uri?: string;
  /** `probe` for the scenarios of the probes feature (tagged @probes). */
  kind: 'scenario' | 'probe';
  /** The probe's id (tag @probe:ID), for probes. */
  probe?: string;
  verdict: 'passed' | 'failed' | 'skipped';
  /** Why it failed or was skipped. */
  reason?: string;
  /** What the provider did, for probes ("refused the code a second time (HTTP 400, ...)"). */
  observed?: string;
  /** The probe's clause, for probes. */
  clause?: string;
  ms: number;
  /** The findings seen in it. */
  findings: Finding[];
}

/** The whole run. */
export interface LiveRun {
  provider: string;
  started: string;
  finished: string;
  results: LiveResult[];
}

/** Counts of each verdict. */
export interface Totals {
  passed: number;
  failed: number;
  skipped: number;
}

/** The totals of `results`. */
export function totalsOf(results: readonly LiveResult[]): Totals {
  const count = (verdict: LiveResult['verdict']): number => results.filter((r) => r.verdict === verdict).length;
  return { passed: count('passed'), failed: count('failed'), skipped: count('skipped') };
}

/** The findings of the run, once per rule, with the scenarios where each was seen. */
export function runFindings(run: LiveRun): GatheredFinding[] {
  return gatherFindings(run.results.flatMap((r) => r.findings.map((finding) => ({ provider: run.provider, scenario: r.name, finding }))));
}

/** The line the console prints when a scenario ends. */
export function verdictLine(result: LiveResult): string {
  const reason = result.reason === undefined ? '' : `: ${result.reason}`;
  return `${result.verdict.toUpperCase().padEnd(7)} ${result.name} (${result.ms} ms)${reason}`;
}

/** The console's closing text: the verdict table, totals, failures and skips with reasons, the interop findings. */
export function closingText(run: LiveRun): string {
  const lines: string[] = [];
  const seconds = ((Date.parse(run.finished) - Date.parse(run.started)) / 1000).toFixed(1);
  lines.push('', `${run.provider}: verdicts`, '');
  const width = Math.max(8, ...run.results.map((r) => r.name.length));
  lines.push(`  ${'verdict'.padEnd(8)} ${'kind'.padEnd(9)} ${'scenario'.padEnd(width)}`);
  for (const r of run.results) lines.push(`  ${r.verdict.toUpperCase().padEnd(8)} ${r.kind.padEnd(9)} ${r.name}`);
  const all = totalsOf(run.results);
  const part = (kind: LiveResult['kind']): string => {
    const of = run.results.filter((r) => r.kind === kind);
    const t = totalsOf(of);
    return `${of.length} ${kind}s (${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped)`;
  };
  lines.push('', `Totals: ${all.passed} passed, ${all.failed} failed, ${all.skipped} skipped: ${part('scenario')}, ${part('probe')}; ${seconds} s`);
  const failed = run.results.filter((r) => r.verdict === 'failed');
  if (failed.length > 0) {
    lines.push('', `Failures (${failed.length}):`);
    failed.forEach((r, i) => lines.push(`  ${i + 1}. ${r.name}: ${r.reason ?? 'no reason given'}`));
  }
  const skipped = run.results.filter((r) => r.verdict === 'skipped');
  if (skipped.length > 0) {
    lines.push('', `Skipped (${skipped.length}):`);
    skipped.forEach((r, i) => lines.push(`  ${i + 1}. ${r.name}: ${r.reason ?? 'no reason given'}`));
  }
  const findings = runFindings(run);
  lines.push('', `Interop findings (${findings.length})${findings.length === 0 ? ': none' : ':'}`);
  if (findings.length > 0) lines.push(describeFindings(findings).split('\n').map((l) => `  ${l}`).join('\n'));
  return `${lines.join('\n')}\n`;
}

/** `summary.json`: the run, and the results, totals and findings under the provider's name. */
export function summaryOf(run: LiveRun): Record<string, unknown> {
  return {
    run: { started: run.started, finished: run.finished, node: process.version, command: 'live' },
    providers: {
      [run.provider]: {
        totals: totalsOf(run.results),
        results: run.results.map((r) => ({
          name: r.name,
          kind: r.kind,
          ...(r.probe === undefined ? {} : { probe: r.probe }),
          verdict: r.verdict,
          ...(r.reason === undefined ? {} : { reason: r.reason }),
          ...(r.observed === undefined ? {} : { observed: r.observed }),
          ...(r.clause === undefined ? {} : { clause: r.clause }),
          ms: r.ms,
          findings: [...new Set(r.findings.map((f) => f.id))],
        })),
        findings: runFindings(run).map(({ provider: _provider, ...rest }) => rest),
      },
    },
  };
}

const escapeXml = (text: string): string => text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A JUnit XML file: one test suite per kind, a skipped test case says why, a failed one its cause. */
export function junitOf(run: LiveRun): string {
  const suite = (kind: LiveResult['kind']): string => {
    const results = run.results.filter((r) => r.kind === kind);
    const t = totalsOf(results);
    const seconds = (results.reduce((sum, r) => sum + r.ms, 0) / 1000).toFixed(3);
    const cases = results.map((r) => {
      const open = `    <testcase classname="${escapeXml(`${run.provider}.${kind}s`)}" name="${escapeXml(r.name)}" time="${(r.ms / 1000).toFixed(3)}"`;
      if (r.verdict === 'passed') return `${open}/>`;
      const reason = escapeXml(r.reason ?? '');
      return r.verdict === 'skipped'
        ? `${open}>\n      <skipped message="${reason}"/>\n    </testcase>`
        : `${open}>\n      <failure message="${reason}" type="failed">${reason}</failure>\n    </testcase>`;
    });
    return `  <testsuite name="${escapeXml(`${run.provider}: ${kind}s`)}" tests="${results.length}" failures="${t.failed}" errors="0" skipped="${t.skipped}" time="${seconds}" timestamp="${run.started}">\n${cases.join('\n')}\n  </testsuite>`;
  };
  const all = totalsOf(run.results);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="oidc-harness live: ${escapeXml(run.provider)}" tests="${run.results.length}" failures="${all.failed}" errors="0" skipped="${all.skipped}">\n${suite('scenario')}\n${suite('probe')}\n</testsuites>\n`;
}
