/**
 * `oidc-harness certify`: the certification of the built-in service layer against the built-in
 * mock OP, in-process through MSW. The features run once; the Form Post plan runs the Basic,
 * Implicit and Hybrid features a second time with `response_mode=form_post`. The verdict lines
 * come as the scenarios finish; the table per profile, reports/summary.json and reports/junit.xml
 * are written once, from both passes. With `--jobs N` the passes run on N worker processes, each
 * taking its share of every pass (certify-workers.ts); the results keep the plan's order.
 *
 * @module
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { clearResults } from '../../report/results-folder.js';
import { cucumberRunInfo } from '../../report/run-info.js';
import { PROFILE_NAMES, profileTable, runPassed, writeJunit, writeSummary } from '../../mock-op/index.js';
import type { TestResult } from '../../mock-op/index.js';
import { EXIT, parseCommandArgs, parseJobs, REPORTS, RESULTS, runFeatures, startReport, UsageError, version, type Command, type FeaturePass, type FeatureRun } from '../command.js';
import { runInWorkers } from './certify-workers.js';

/**
 * The certification profiles, as the features tag them (@profile:NAME): the catalogue's, and
 * `security`, this project's own (attacks on the RP's sessions that no certification suite tests).
 */
export const PROFILES: readonly string[] = [...Object.values(PROFILE_NAMES), 'security'];

/** The most processes the whole certification runs on by default. */
const MAX_AUTO_JOBS = 4;

/** The processes the whole certification runs on by default: one per two cores, at most {@link MAX_AUTO_JOBS}. */
function autoJobs(): number {
  return Math.max(1, Math.min(MAX_AUTO_JOBS, Math.floor(availableParallelism() / 2)));
}

/** The profiles whose features the Form Post plan runs again with response_mode=form_post. */
const FORM_POST_RERUNS = ['basic', 'implicit', 'hybrid'] as const;

const HELP = `Usage: oidc-harness certify [--profile NAME]... [--tags EXPR] [--jobs N] [--no-report]

Runs the RP certification (features/certification) of the built-in service layer against the
built-in mock OP, in-process: a verdict line per scenario as it runs, a table per profile, then
reports/summary.json, reports/junit.xml, reports/allure-results and the rendered report.

Options:
  -p, --profile NAME   only this profile (repeat for several): ${PROFILES.join(', ')}
  -t, --tags EXPR      only the scenarios a Cucumber tag expression selects (e.g. "@oidcc-client-test-invalid-iss")
  -j, --jobs N         run on N processes at once (1 to 8). Default: the whole certification on one
                       per two cores (at most ${MAX_AUTO_JOBS}), a selection (--profile, --tags) on one
      --no-report      do not render the Allure report
  -h, --help           this text

Exit codes: 0 every verdict passed, 1 a verdict failed, 2 a usage error or a selection that matches nothing.`;

/** `a and b`, either side left out when absent. */
function both(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return `(${a}) and (${b})`;
}

/** The tag expression selecting the features of some profiles. */
function ofProfiles(profiles: readonly string[]): string {
  return profiles.map((p) => `@profile:${p}`).join(' or ');
}

/** The passes of a certification run for the profiles asked for (all when none) and a tag expression. */
export function certificationPasses(profiles: readonly string[], tags: string | undefined): FeaturePass[] {
  const all = profiles.length === 0;
  const deferred = { deferReport: true };
  const passes: FeaturePass[] = [{ tags: both(tags, all ? undefined : ofProfiles(profiles)), formatOptions: deferred }];
  const reruns = all || profiles.includes('form-post') ? FORM_POST_RERUNS : [];
  if (reruns.length > 0) {
    passes.push({
      tags: both(tags, ofProfiles(reruns)),
      worldParameters: { plan: 'form-post', responseMode: 'form_post' },
      formatOptions: deferred,
    });
  }
  return passes;
}

/** Runs the passes in this process; resolves to the run and its results, in the plan's order. */
async function runHere(passes: readonly FeaturePass[]): Promise<{ run: Pick<FeatureRun, 'selected' | 'success'>; results: readonly TestResult[] }> {
  const { clearCollectedResults, collectedResults } = await import('../../steps/formatters/verdict-formatter.js');
  clearCollectedResults();
  const run = await runFeatures('certify', passes);
  return { run, results: collectedResults() };
}

async function certify(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(args, {
    profile: { type: 'string', short: 'p', multiple: true },
    tags: { type: 'string', short: 't' },
    report: { type: 'boolean', default: true },
    jobs: { type: 'string', short: 'j' },
  });
  if (values.help) {
    console.log(HELP);
    return EXIT.passed;
  }
  const profiles = values.profile ?? [];
  const unknown = profiles.filter((p) => !PROFILES.includes(p));
  if (unknown.length > 0) throw new UsageError(`unknown profile ${unknown.join(', ')}; the profiles are ${PROFILES.join(', ')}`);
  // A worker costs a start-up (loading the harness), and one keeps more than a core busy (the
  // collector, the signatures on libuv's pool): worth it for the whole run with cores to spare.
  const whole = profiles.length === 0 && values.tags === undefined;
  const jobs = parseJobs(values.jobs) ?? (whole ? autoJobs() : 1);
  clearResults(RESULTS);
  const started = new Date().toISOString();
  const passes = certificationPasses(profiles, values.tags);
  // Allure loads in its own process while the scenarios run.
  const report = values.report ? await startReport() : undefined;
  let outcome: Awaited<ReturnType<typeof runHere>>;
  try {
    outcome = jobs > 1 ? await runInWorkers(passes, jobs) : await runHere(passes);
  } catch (error) {
    report?.abandon();
    throw error;
  }
  const { run, results } = outcome;
  if (run.selected === 0) {
    report?.abandon();
    console.error(`no scenario matches the selection${values.tags ? ` ${values.tags}` : ''}${profiles.length > 0 ? ` in ${profiles.join(', ')}` : ''}: nothing was run`);
    return EXIT.usage;
  }
  process.stdout.write(profileTable(results));
  const info = { started, finished: new Date().toISOString(), node: process.version, op: 'mock-op (in-process, MSW)', rp: 'built-in service layer', harness: version() };
  writeSummary(join(REPORTS, 'summary.json'), info, results);
  writeJunit(join(REPORTS, 'junit.xml'), 'oidc-harness certify', results);
  // The report's title and environment, from what this run knows (not read back from its results).
  const rendered = report ? await report.finish(cucumberRunInfo('certify', info.rp, { harness: info.harness, node: info.node }, info.op, info.rp)) : EXIT.passed;
  if (rendered !== EXIT.passed) return rendered;
  return run.success && runPassed(results) ? EXIT.passed : EXIT.failed;
}

/** The `certify` command. */
export const certifyCommand: Command = { name: 'certify', summary: 'certify the built-in service layer against the built-in mock OP', help: HELP, run: certify };
