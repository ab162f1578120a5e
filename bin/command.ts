/**
 * What the commands share: where the project and its reports live, the exit codes, argument
 * parsing with `node:util` `parseArgs` (usage errors as exit 2 with the command's help), running
 * the features through Cucumber's API, and rendering the Allure report.
 *
 * @module
 */
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { HARNESS_ROOT, harnessVersion } from '../report/harness-package.js';
import { announcementsOf, listenForAnnouncements, stopAnnouncements } from '../report/results-folder.js';
import { hasRunInfo, runInfoFromResults, writeRunInfo, type RunInfo } from '../report/run-info.js';

/** The harness's own folder (where its package.json, features/ and cucumber.mjs are). */
export const ROOT = HARNESS_ROOT;

/**
 * Where a run's reports go: `reports/` in the current folder (the project using the harness), or
 * `$OIDC_HARNESS_REPORTS`. Cucumber's configuration reads the same variable.
 */
export const REPORTS = resolve(process.env.OIDC_HARNESS_REPORTS || 'reports');
process.env.OIDC_HARNESS_REPORTS = REPORTS;
/** Where the certification's Allure results go. */
export const RESULTS = join(REPORTS, 'allure-results');
/** Where the certification's rendered report goes. */
export const REPORT = join(REPORTS, 'allure-report');

/** Exit codes: every test passed, a test failed, a usage or configuration error. */
export const EXIT = { passed: 0, failed: 1, usage: 2 } as const;

/** The harness's version, from package.json. */
export const version = harnessVersion;

/** A mistake in how a command was called: printed with the command's help, exit 2. */
export class UsageError extends Error {}

/** One command of the command line. */
export interface Command {
  /** The command's name (`certify`). */
  readonly name: string;
  /** One line for the overview. */
  readonly summary: string;
  /** The full help text of the command. */
  readonly help: string;
  /** Runs the command with the arguments after its name; resolves to the exit code. */
  run(args: string[]): Promise<number>;
}

/** Options every command takes. */
const COMMON = { help: { type: 'boolean', short: 'h' } } as const;

/** What {@link parseCommandArgs} gives for a command's options: their values and the positionals. */
export type CommandArgs<O extends NonNullable<ParseArgsConfig['options']>> = ReturnType<
  typeof parseArgs<{ args: string[]; options: typeof COMMON & O; allowPositionals: boolean; allowNegative: true; strict: true }>
>;

/**
 * Parses a command's arguments (`--x=y`, `--x y`, short flags, `--no-x` for booleans); throws a
 * {@link UsageError} naming what is wrong.
 */
export function parseCommandArgs<O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O, positionals = false): CommandArgs<O> {
  try {
    return parseArgs({ args, options: { ...COMMON, ...options }, allowPositionals: positionals, allowNegative: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\. To specify a positional argument.*$/s, ''));
  }
}

/**
 * The value of a `--jobs` option: how many at once, a whole number from 1 to 8, or `undefined`
 * when the option was not given; throws a {@link UsageError} naming the option otherwise.
 */
export function parseJobs(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const jobs = Number(value);
  if (!/^\d+$/.test(value) || jobs < 1 || jobs > 8) throw new UsageError(`--jobs must be a whole number from 1 to 8, not ${JSON.stringify(value)}`);
  return jobs;
}

/** Says that there are no results to render in `results`. */
function noResults(results: string): number {
  console.error(`no results to render in ${results}: run "oidc-harness certify" first`);
  return EXIT.usage;
}

/** A report being rendered: Allure loaded in a process of its own, waiting for the results. */
export interface PendingReport {
  /**
   * Writes the run's description into the results (see {@link renderReport}), tells the renderer
   * to read them and resolves once the report is written: {@link EXIT}.passed, or `usage` when
   * there were no results or the renderer failed.
   */
  finish(about?: RunInfo): Promise<number>;
  /** Stops the renderer without a report (the run ended before its results were written). */
  abandon(): void;
}

/**
 * Starts rendering Allure results into `report` (see {@link renderReport}): the renderer loads
 * Allure now, reads each test's files while the run writes them (as its writers announce them, see
 * report/results-folder.ts; unless `listen` is false), and the rest when told to by
 * {@link PendingReport.finish}. The report folder is emptied first.
 */
export async function startReport(results = RESULTS, report = REPORT, options: { listen?: boolean } = {}): Promise<PendingReport> {
  await rm(report, { recursive: true, force: true });
  const listen = options.listen ?? true;
  // The renderer reads each test's files as the run's writers announce them.
  if (listen) listenForAnnouncements(results);
  const args = [join(ROOT, 'report', 'render.mjs'), results, report, '--when-told', ...(listen ? [announcementsOf(results)] : [])];
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['pipe', 'inherit', 'inherit'] });
  const ended = new Promise<number>((resolve) => {
    const end = (code: number): void => {
      if (listen) stopAnnouncements(results);
      resolve(code);
    };
    child.on('error', () => end(EXIT.usage));
    child.on('close', (code) => end(code ?? EXIT.usage));
  });
  // A renderer that dies early must not take this process with it (EPIPE on its input).
  child.stdin.on('error', () => {});
  return {
    async finish(about?: RunInfo): Promise<number> {
      if (!existsSync(results)) {
        child.stdin.end();
        await ended;
        return noResults(results);
      }
      if (about !== undefined) await writeRunInfo(results, about, version());
      else if (!(await hasRunInfo(results))) await writeRunInfo(results, await runInfoFromResults(results, { harness: version(), node: process.version }), version());
      child.stdin.end('render\n');
      if ((await ended) !== 0) return EXIT.usage;
      console.log(`report: ${join(report, 'index.html')}`);
      return EXIT.passed;
    },
    abandon(): void {
      child.stdin.end();
    },
  };
}

/**
 * Renders Allure results into one self-contained report, `<report>/index.html`, that opens from
 * disk with no request beyond itself, with Allure 3 (no Java needed, report/render.mjs), as
 * `allurerc.mjs` configures it (as `npx allure generate` would): titled by the run and stating its
 * environment (the harness's version, Node's, the OP and the RP). `about` says what the run was;
 * without it, the results' own `executor.json` does (certify-rp writes one), else their labels do
 * (see report/run-info.ts). Either way it is written into the results as `executor.json` and
 * `environment.properties`, which allure-commandline reads too.
 *
 * The folder is emptied first: Allure 3 writes into a subfolder of a folder that is not empty and
 * leaves the old `index.html` in place, so the path printed would show the previous run.
 */
export async function renderReport(results = RESULTS, report = REPORT, about?: RunInfo): Promise<number> {
  // Checked before the renderer starts, so that the last report stays when there is nothing new.
  if (!existsSync(results)) return noResults(results);
  return (await startReport(results, report, { listen: false })).finish(about);
}

/** What a run of the features selected and how it went. */
export interface FeatureRun {
  /** The number of scenarios the selection matched, over every pass. */
  readonly selected: number;
  /** Whether every scenario of every pass passed (false when none ran). */
  readonly success: boolean;
  /** Per pass, the scenarios it selected (`uri:line`, as Cucumber selects them), in the order it runs them. */
  readonly plans: readonly (readonly string[])[];
}

/** One pass over the features: a selection and the world parameters and format options it runs with. */
export interface FeaturePass {
  /** A Cucumber tag expression (default: every scenario of the profile's paths). */
  readonly tags?: string | undefined;
  /** Feature paths (or `path:line`) instead of the profile's. */
  readonly paths?: string[] | undefined;
  /** World parameters (`plan`, `responseMode`, `target`...). */
  readonly worldParameters?: Record<string, string | number | boolean> | undefined;
  /** Formatters added to the profile's (`[name, output file]`, or a name for the console). */
  readonly format?: Array<string | [string, string]> | undefined;
  /** Format options merged over the profile's (labels, `deferReport`, where a formatter writes...). */
  readonly formatOptions?: Record<string, unknown> | undefined;
}

/** A share of every pass: the scenarios whose place in the pass's plan is `index` modulo `count`. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** How {@link runFeatures} runs its passes. */
export interface FeatureRunOptions {
  /** Run only this share of each pass (certify's workers); the plans and `selected` still count every scenario. */
  readonly shard?: Shard | undefined;
  /** Called after each pass, run or not (nothing of it selected, or nothing in this share). */
  readonly afterPass?: ((pass: number) => void) | undefined;
}

/** `uri:line` of a planned scenario. */
const planKey = (item: { uri: string; location: { line: number } }): string => `${item.uri}:${item.location.line}`;

/** The scenarios of a plan as Cucumber paths: `uri:line:line...`, one per feature file. */
function asPaths(keys: readonly string[]): string[] {
  const lines = new Map<string, string[]>();
  for (const key of keys) {
    const at = key.lastIndexOf(':');
    const uri = key.slice(0, at);
    lines.set(uri, [...(lines.get(uri) ?? []), key.slice(at + 1)]);
  }
  return [...lines].map(([uri, of]) => `${uri}:${of.join(':')}`);
}

/**
 * Runs passes over the features of a Cucumber profile (`cucumber.mjs`) through Cucumber's API,
 * one after the other in this process, loading the support code once. A pass whose selection
 * matches no scenario is not run; a run in which no pass selects anything says so (`selected: 0`).
 */
export async function runFeatures(profile: string, passes: readonly FeaturePass[], options: FeatureRunOptions = {}): Promise<FeatureRun> {
  const { loadConfiguration, loadSources, runCucumber } = await import('@cucumber/cucumber/api');
  let selected = 0;
  let success = true;
  let support: Awaited<ReturnType<typeof runCucumber>>['support'] | undefined;
  const plans: string[][] = [];
  for (const [index, pass] of passes.entries()) {
    const provided = {
      ...(pass.tags ? { tags: pass.tags } : {}),
      ...(pass.paths ? { paths: pass.paths } : {}),
      ...(pass.worldParameters ? { worldParameters: pass.worldParameters } : {}),
      ...(pass.format ? { format: pass.format } : {}),
    };
    const { runConfiguration } = await loadConfiguration({ file: 'cucumber.mjs', profiles: [profile], provided }, { cwd: ROOT });
    const { plan } = await loadSources(runConfiguration.sources, { cwd: ROOT });
    const keys = plan.map(planKey);
    plans.push(keys);
    selected += plan.length;
    const { shard } = options;
    const mine = shard === undefined ? keys : keys.filter((_, at) => at % shard.count === shard.index);
    if (mine.length > 0) {
      // A share runs its scenarios by their lines, instead of the profile's paths (not beside them).
      const sources = shard === undefined ? runConfiguration.sources : { ...runConfiguration.sources, paths: asPaths(mine) };
      // Format options are typed as JSON, but allure-cucumberjs's label patterns are regular expressions
      // (as in cucumber.mjs itself): they reach the formatters in this process as they are.
      const formatOptions = { ...runConfiguration.formats.options, ...pass.formatOptions } as typeof runConfiguration.formats.options;
      const run = { ...runConfiguration, sources, formats: { ...runConfiguration.formats, options: formatOptions } };
      const result = await runCucumber(support === undefined ? run : { ...run, support }, { cwd: ROOT });
      // The Allure writer writes what no test referred to, and reports a failed write, at flush.
      await (formatOptions as { writer?: { flush?: () => Promise<void> } }).writer?.flush?.();
      support = result.support;
      success &&= result.success;
    }
    options.afterPass?.(index);
  }
  return { selected, success: selected > 0 && success, plans };
}
