/**
 * The certification run: `node bin/oidc-harness.mjs certify --no-report` in a child process
 * (process start to exit; report rendering excluded), and the per-scenario times the run records
 * in reports/summary.json. Shared by bench/certification-run.ts and bench/run.ts.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './stats.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** One certification run. */
export interface CertificationRun {
  wallMs: number;
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

/**
 * Runs the certification once (asynchronously, so a caller's timers keep running). The summary
 * file is shared with any other run in this checkout: one that started before this run did, or
 * not against the mock OP, is someone else's and is refused.
 */
export async function runCertificationOnce(): Promise<CertificationRun> {
  const startedAt = Date.now();
  const started = performance.now();
  const { status, output } = await new Promise<{ status: number | null; output: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'oidc-harness.mjs'), 'certify', '--no-report'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => { output = (output + chunk.toString()).slice(-20_000); });
    child.stderr.on('data', (chunk: Buffer) => { output = (output + chunk.toString()).slice(-20_000); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ status: code, output }));
  });
  const wallMs = performance.now() - started;
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
  return { wallMs, scenarios: scenarioMs.length, scenarioMs, statuses };
}

/** The figures of several runs. */
export interface CertificationFigures {
  runs: number;
  scenarios: number;
  wholeRunMs: { median: number; min: number; max: number };
  perScenarioMedianMs: { median: number; min: number; max: number };
  statuses: Record<string, number>;
  /** Runs that failed and were run again (another run in the same checkout sharing reports/, say). */
  retried: string[];
}

/** A run that fails is tried again (twice at most, after a pause), and the failure is recorded. */
async function runWithRetries(retried: string[]): Promise<CertificationRun> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await runCertificationOnce();
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
export async function measureCertification(runs: number): Promise<CertificationFigures> {
  const wall: number[] = [];
  const scenarioMedians: number[] = [];
  let scenarios = 0;
  let statuses: Record<string, number> = {};
  const retried: string[] = [];
  for (let i = 0; i < runs; i += 1) {
    const run = await runWithRetries(retried);
    wall.push(run.wallMs);
    scenarioMedians.push(median(run.scenarioMs));
    scenarios = run.scenarios;
    statuses = run.statuses;
  }
  return {
    runs,
    scenarios,
    wholeRunMs: { median: Math.round(median(wall)), min: Math.round(Math.min(...wall)), max: Math.round(Math.max(...wall)) },
    perScenarioMedianMs: { median: median(scenarioMedians), min: Math.min(...scenarioMedians), max: Math.max(...scenarioMedians) },
    statuses,
    retried,
  };
}
