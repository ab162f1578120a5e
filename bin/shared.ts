/**
 * What the commands share: where the project and its reports live, the exit codes, argument
 * parsing with `node:util` `parseArgs` (usage errors as exit 2 with the command's help), running
 * the features through Cucumber's API, and rendering the Allure report.
 *
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** The project's root folder (where package.json, features/ and reports/ are). */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Where the certification's Allure results go. */
export const RESULTS = join(ROOT, 'reports', 'allure-results');
/** Where the certification's rendered report goes. */
export const REPORT = join(ROOT, 'reports', 'allure-report');

/** Exit codes: every test passed, a test failed, a usage or configuration error. */
export const EXIT = { passed: 0, failed: 1, usage: 2 } as const;

/** The harness's version, from package.json. */
export function version(): string {
  return (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

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

/**
 * Parses a command's arguments (`--x=y`, `--x y`, short flags, `--no-x` for booleans); throws a
 * {@link UsageError} naming what is wrong.
 */
export function parseCommandArgs<O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O, positionals = false) {
  try {
    return parseArgs({ args, options: { ...COMMON, ...options }, allowPositionals: positionals, allowNegative: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\. To specify a positional argument.*$/s, ''));
  }
}

/** Runs a program with the terminal's stdio; resolves to its exit code (2 when it could not start). */
export function run(command: string, args: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: 'inherit' });
    child.on('error', () => resolve(EXIT.usage));
    child.on('close', (code) => resolve(code ?? EXIT.usage));
  });
}

/**
 * Renders Allure results into a report folder with Allure 3 (no Java needed). The folder is
 * emptied first: Allure 3 writes into a subfolder of a folder that is not empty and leaves the old
 * `index.html` in place, so the path printed would show the previous run.
 */
export async function renderReport(results = RESULTS, report = REPORT): Promise<number> {
  if (!existsSync(results)) {
    console.error(`no results to render in ${results}: run "oidc-harness certify" first`);
    return EXIT.usage;
  }
  await rm(report, { recursive: true, force: true });
  const allure = join(ROOT, 'node_modules', '.bin', 'allure');
  const code = await run(allure, ['generate', results, '-o', report]);
  if (code === 0) console.log(`report: ${join(report, 'index.html')}`);
  return code === 0 ? EXIT.passed : EXIT.usage;
}

/** What a run of the features selected and how it went. */
export interface FeatureRun {
  /** The number of scenarios the selection matched. */
  readonly selected: number;
  /** Whether every scenario passed (false when none ran). */
  readonly success: boolean;
}

/**
 * Runs the features of a Cucumber profile (`cucumber.mjs`) through Cucumber's API. A selection
 * that matches no scenario runs nothing and says so (`selected: 0`).
 */
export async function runFeatures(options: {
  profile: string;
  tags?: string | undefined;
  paths?: string[];
  worldParameters?: Record<string, string | number | boolean>;
  /** Formatters added to the profile's (`[name, output file]` or a name for the console). */
  format?: Array<string | [string, string]>;
  /** Formatter options merged over the profile's (where a formatter writes, say). */
  formatOptions?: Record<string, string | number | boolean>;
}): Promise<FeatureRun> {
  const { loadConfiguration, loadSources, runCucumber } = await import('@cucumber/cucumber/api');
  const provided = {
    ...(options.tags ? { tags: options.tags } : {}),
    ...(options.paths ? { paths: options.paths } : {}),
    ...(options.worldParameters ? { worldParameters: options.worldParameters } : {}),
    ...(options.format ? { format: options.format } : {}),
    ...(options.formatOptions ? { formatOptions: options.formatOptions } : {}),
  };
  const { runConfiguration } = await loadConfiguration({ file: 'cucumber.mjs', profiles: [options.profile], provided }, { cwd: ROOT });
  const { plan } = await loadSources(runConfiguration.sources, { cwd: ROOT });
  if (plan.length === 0) return { selected: 0, success: false };
  const { success } = await runCucumber(runConfiguration, { cwd: ROOT });
  return { selected: plan.length, success };
}
