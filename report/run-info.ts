/**
 * What a run was, written into its Allure results as the standard files both Allure 3 and
 * allure-commandline read: `executor.json` (its `reportName` is the report's title) and
 * `environment.properties` (the harness's version, Node's, the OP and the RP, shown on the
 * report's first page). `certify-rp` knows all of it and writes it; for a Cucumber run the
 * results tell it: every scenario carries the labels `rp` and `op`, and the features it comes from.
 *
 * @module
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A run as the report's first page names it. */
export interface RunInfo {
  /** The report's title (`oidc-harness certify: built-in service layer`). */
  readonly title: string;
  /** The kind of run (`certify`, `certify-rp`, `live`, `features`), the executor's build name. */
  readonly kind: string;
  /** What it ran on and against, in the order shown. */
  readonly environment: Readonly<Record<string, string>>;
}

export { harnessVersion } from './harness-package.js';

/** The label naming the RP a scenario ran (`built-in service layer`). */
export const RP_LABEL = 'rp';
/** The label naming the OP a scenario ran against (`mock-op (in-process, MSW)`, `live provider: NAME`). */
export const OP_LABEL = 'op';
/** How the `op` label of a scenario against a live provider starts. */
export const LIVE_PROVIDER = 'live provider: ';

/** A `.properties` key or value, escaped (`\uXXXX` beyond ASCII, as Java's reader of allure-commandline wants). */
function escapeProperty(text: string, key: boolean): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (char === '\\') out += '\\\\';
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t') out += '\\t';
    else if (key && (char === ' ' || char === ':' || char === '=' || char === '#' || char === '!')) out += `\\${char}`;
    else if (code < 0x20 || code > 0x7e) {
      const units = code > 0xffff ? [Math.floor((code - 0x10000) / 0x400) + 0xd800, ((code - 0x10000) % 0x400) + 0xdc00] : [code];
      out += units.map((unit) => `\\u${unit.toString(16).padStart(4, '0')}`).join('');
    } else out += char;
  }
  return out;
}

/** The text of an `environment.properties` file. */
export function environmentProperties(environment: Readonly<Record<string, string>>): string {
  return Object.entries(environment).map(([key, value]) => `${escapeProperty(key, true)}=${escapeProperty(value, false)}\n`).join('');
}

/** The executor of a run, as `executor.json` holds it. */
export function executorOf(info: RunInfo, harness: string): Record<string, string> {
  return { name: `oidc-harness ${harness}`, type: 'oidc-harness', buildName: info.kind, reportName: info.title };
}

/** Writes `executor.json` and `environment.properties` into a results folder. */
export async function writeRunInfo(resultsDir: string, info: RunInfo, harness: string): Promise<void> {
  await writeFile(join(resultsDir, 'executor.json'), `${JSON.stringify(executorOf(info, harness), null, 2)}\n`);
  await writeFile(join(resultsDir, 'environment.properties'), environmentProperties(info.environment));
}

/** Whether a results folder already says what its run was (an `executor.json` with a report name). */
export async function hasRunInfo(resultsDir: string): Promise<boolean> {
  try {
    const executor = JSON.parse(await readFile(join(resultsDir, 'executor.json'), 'utf8')) as { reportName?: unknown };
    return typeof executor.reportName === 'string' && executor.reportName !== '';
  } catch {
    return false;
  }
}

/** The parts of an Allure test result that tell what the run was. */
interface ResultLabels {
  readonly fullName?: string;
  readonly labels?: ReadonlyArray<{ readonly name: string; readonly value?: string }>;
}

/** The distinct values of a label among results, in the order first met. */
function valuesOf(results: readonly ResultLabels[], name: string): string[] {
  return [...new Set(results.flatMap((r) => (r.labels ?? []).filter((l) => l.name === name && l.value).map((l) => l.value!)))];
}

/**
 * What a Cucumber run was, from its results: against a live provider (`op` label
 * `live provider: NAME`), the certification (every scenario from features/certification), or the
 * features at large; the OPs and RPs from the `op` and `rp` labels.
 */
export async function runInfoFromResults(resultsDir: string, versions: { harness: string; node: string }): Promise<RunInfo> {
  const files = (await readdir(resultsDir).catch(() => [] as string[])).filter((f) => f.endsWith('-result.json'));
  const results = (await Promise.all(files.map(async (f) => {
    try {
      return JSON.parse(await readFile(join(resultsDir, f), 'utf8')) as ResultLabels;
    } catch {
      return undefined;
    }
  }))).filter((r): r is ResultLabels => r !== undefined);
  const scenarios = results.filter((r) => (r.labels ?? []).some((l) => l.name === OP_LABEL || l.name === RP_LABEL));
  const ops = valuesOf(scenarios, OP_LABEL);
  const rps = valuesOf(scenarios, RP_LABEL);
  const rp = rps.join(', ') || 'built-in service layer';
  const live = ops.find((op) => op.startsWith(LIVE_PROVIDER));
  const certification = scenarios.length > 0 && scenarios.every((r) => (r.fullName ?? '').includes('features/certification/'));
  const [subject, kind] = live !== undefined ? [live.slice(LIVE_PROVIDER.length), 'live'] : [rp, certification ? 'certify' : 'features'];
  return cucumberRunInfo(kind, subject, versions, ops.length > 0 ? ops.join('; ') : undefined, rp);
}

/**
 * A Cucumber run of the harness (`certify`, `features` or `live`) as its report names it: titled
 * `oidc-harness KIND: SUBJECT` (the RP, or the live provider), with the harness's and Node's
 * versions, the OP (when known) and the RP.
 */
export function cucumberRunInfo(kind: string, subject: string, versions: { harness: string; node: string }, op: string | undefined, rp: string): RunInfo {
  return {
    title: `oidc-harness ${kind}: ${subject}`,
    kind,
    environment: {
      'oidc-harness': versions.harness,
      'Node.js': versions.node,
      ...(op === undefined ? {} : { OP: op }),
      RP: rp,
    },
  };
}
