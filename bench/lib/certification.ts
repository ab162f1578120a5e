/**
 * The certification run: `node bin/oidc-harness.mjs certify` in a child process, process start to
 * exit, with or without the report, on one process or several (`--jobs`), on a quiet machine or
 * with another process keeping a core busy; its wall time, the CPU time of every process it ran
 * (its workers and the report's renderer too), and the per-scenario times it records in
 * reports/summary.json. Shared by bench/certification-run.ts and bench/run.ts.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './stats.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** How a certification run is made. */
export interface CertificationOptions {
  /** Render the Allure report (as `npm start` does). Default false (`--no-report`). */
  readonly report?: boolean;
  /** `--jobs N`; default: the command's own. */
  readonly jobs?: number;
  /** Keep one core busy with another process for the length of the run. */
  readonly underLoad?: boolean;
}

/** One certification run. */
export interface CertificationRun {
  wallMs: number;
  /** User and system CPU time of the command and every process it waited for (bash's `times`). */
  cpuMs: number;
  /** Scenarios with a recorded time. */
  scenarios: number;
  /** Every scenario's time, in ms. */
  scenarioMs: number[];
  /** Scenarios by verdict (passed, failed, skipped). */
  statuses: Record<string, number>;
}

/** The part of reports/summary.json read here (written by the certify command through mock-op/conformance/results.ts). */
interface Summary {
  run?: { started?: string; op?: string };
  results: Array<{ ms: number | null; verdict?: string }>;
}

/** The median, least and greatest of some runs' figures, rounded to whole units. */
export interface RunSpread {
  median: number;
  min: number;
  max: number;
}

/** The {@link RunSpread} of `values`. */
export function runSpread(values: readonly number[]): RunSpread {
  return { median: Math.round(median(values)), min: Math.round(Math.min(...values)), max: Math.round(Math.max(...values)) };
}

/** What {@link runTimed} saw of a child process. */
export interface TimedRun {
  status: number | null;
  /** Its standard output and error, the last 20,000 characters. */
  output: string;
  wallMs: number;
  /** User and system CPU time of the process and every process it waited for (bash's `times`). */
  cpuMs: number;
}

/**
 * Runs `node ARGS...` in ROOT (asynchronously, so a caller's timers keep running), optionally with
 * another process keeping a core busy for its length; its wall time and the CPU time of it and of
 * every process it waited for.
 */
export async function runTimed(args: readonly string[], options: { underLoad?: boolean } = {}): Promise<TimedRun> {
  // The other core's load: a process that spins until this run ends.
  const hog = options.underLoad === true ? spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }) : undefined;
  const started = performance.now();
  const { status, output, times } = await new Promise<{ status: number | null; output: string; times: string }>((resolve, reject) => {
    // bash's `times` gives the CPU time of every process the command waited for, its children's too.
    const script = '"$0" "$@" 2>&1; status=$?; times >&2; exit $status';
    const child = spawn('bash', ['-c', script, process.execPath, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let times = '';
    child.stdout.on('data', (chunk: Buffer) => { output = (output + chunk.toString()).slice(-20_000); });
    child.stderr.on('data', (chunk: Buffer) => { times += chunk.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ status: code, output, times }));
  }).finally(() => hog?.kill());
  return { status, output, wallMs: performance.now() - started, cpuMs: childrenCpuMs(times) };
}

/**
 * Runs the certification once (asynchronously, so a caller's timers keep running). The summary
 * file is shared with any other run in this checkout: one that started before this run did, or
 * not against the mock OP, is someone else's and is refused.
 */
export async function runCertificationOnce(options: CertificationOptions = {}): Promise<CertificationRun> {
  const args = ['certify', ...(options.report === true ? [] : ['--no-report']), ...(options.jobs === undefined ? [] : ['--jobs', String(options.jobs)])];
  const startedAt = Date.now();
  const { status, output, wallMs, cpuMs } = await runTimed([join(ROOT, 'bin', 'oidc-harness.mjs'), ...args], { underLoad: options.underLoad === true });
  const tail = (): string => output.trim().split('\n').slice(-12).join('\n');
  // Exit 1 with this run's summary is a finished run in which some verdict failed: its times count.
  // Anything else (a crash, exit 2, a summary that is someone else's) is a failed run.
  let summary: Summary | undefined;
  try {
    summary = JSON.parse(readFileSync(join(ROOT, 'reports', 'summary.json'), 'utf8')) as Summary;
  } catch {
    summary = undefined;
  }
  const runStarted = Date.parse(summary?.run?.started ?? '');
  const ours = summary !== undefined && runStarted >= startedAt - 1000 && String(summary.run?.op ?? '').startsWith('mock-op') && summary.results.length > 0;
  if ((status !== 0 && status !== 1) || !ours) {
    const whose = ours ? '' : ` (reports/summary.json is not this run's: started ${summary?.run?.started ?? '?'}, op ${summary?.run?.op ?? '?'})`;
    throw new Error(`the certification run failed (exit ${status})${whose}: ${tail()}`);
  }
  const scenarioMs = summary!.results.map((r) => r.ms).filter((ms): ms is number => typeof ms === 'number');
  const statuses: Record<string, number> = {};
  for (const r of summary!.results) if (typeof r.verdict === 'string') statuses[r.verdict] = (statuses[r.verdict] ?? 0) + 1;
  if (status === 1 && !statuses['failed']) throw new Error(`the certification run failed (exit 1) with no failed verdict: ${tail()}`);
  return { wallMs, cpuMs, scenarios: scenarioMs.length, scenarioMs, statuses };
}

/** The children's user + system time from bash's `times` (its second line: `0m12.345s 0m1.234s`). */
function childrenCpuMs(times: string): number {
  const lines = times.trim().split('\n').filter((line) => /^\d+m[\d.]+s \d+m[\d.]+s$/.test(line.trim()));
  const children = lines[lines.length - 1];
  if (children === undefined) throw new Error(`bash's times printed no CPU times: ${times.slice(-300)}`);
  return children.trim().split(' ').reduce((sum, part) => {
    const [, minutes, seconds] = /^(\d+)m([\d.]+)s$/.exec(part)!;
    return sum + (Number(minutes) * 60 + Number(seconds)) * 1000;
  }, 0);
}

/** The figures of several runs. */
export interface CertificationFigures {
  /** How the runs were made. */
  options: CertificationOptions;
  runs: number;
  scenarios: number;
  wholeRunMs: RunSpread;
  /** CPU time of each run, every process of it counted. */
  cpuMs: RunSpread;
  perScenarioMedianMs: { median: number; min: number; max: number };
  statuses: Record<string, number>;
  /** Runs that failed and were run again (another run in the same checkout sharing reports/, say). */
  retried: string[];
}

/** A run that fails is tried again (twice at most, after a pause), and the failure is recorded. */
async function runWithRetries(retried: string[], options: CertificationOptions): Promise<CertificationRun> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await runCertificationOnce(options);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (attempt >= 3) throw error;
      retried.push(message.slice(0, 400));
      console.error(`certification run failed (${message}); trying again in 20 s`);
      await new Promise((resolve) => setTimeout(resolve, 20_000));
    }
  }
}

/** Runs the certification `runs` times, one after the other. */
export async function measureCertification(runs: number, options: CertificationOptions = {}): Promise<CertificationFigures> {
  const wall: number[] = [];
  const cpu: number[] = [];
  const scenarioMedians: number[] = [];
  let scenarios = 0;
  let statuses: Record<string, number> = {};
  const retried: string[] = [];
  for (let i = 0; i < runs; i += 1) {
    const run = await runWithRetries(retried, options);
    wall.push(run.wallMs);
    cpu.push(run.cpuMs);
    scenarioMedians.push(median(run.scenarioMs));
    scenarios = run.scenarios;
    statuses = run.statuses;
  }
  return {
    options,
    runs,
    scenarios,
    wholeRunMs: runSpread(wall),
    cpuMs: runSpread(cpu),
    perScenarioMedianMs: { median: median(scenarioMedians), min: Math.min(...scenarioMedians), max: Math.max(...scenarioMedians) },
    statuses,
    retried,
  };
}
