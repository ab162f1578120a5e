/**
 * The certification on several processes at once (`certify --jobs N`). Each worker
 * (`certify-worker.ts`) loads the harness once, plans every pass itself and runs its share of each:
 * the scenarios whose place in the pass's plan is its index modulo N. It prints its verdict lines as
 * they come and writes its Allure results into the shared folder (every file of a result is named
 * for the result, so the workers never write the same file but the run-wide ones, which they write
 * alike). At its end it sends this process its results, each with its pass and place, so that the
 * run's results keep the plan's order whatever the workers' pace.
 *
 * A worker is a process, not a thread: each has its own mock OPs and MSW interception, as a run has.
 *
 * @module
 */
import { fork, type ChildProcess } from 'node:child_process';
import { basename, dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestResult } from '../../mock-op/index.js';
import type { FeaturePass, FeatureRun } from '../command.js';

/** What a worker is told: its share of the passes. */
export interface WorkerTask {
  readonly index: number;
  readonly count: number;
  readonly passes: readonly FeaturePass[];
}

/** What a worker reports at its end. */
export interface WorkerReport {
  readonly selected: number;
  readonly success: boolean;
  /** Its results, each with the pass it belongs to and its place in that pass's plan. */
  readonly results: ReadonlyArray<{ readonly pass: number; readonly place: number; readonly result: TestResult }>;
}

/** The worker's module beside this one: compiled JavaScript, or TypeScript run through tsx. */
function workerModule(): { path: string; execArgv: string[] } {
  const here = fileURLToPath(import.meta.url);
  const ext = extname(here);
  const path = join(dirname(here), `${basename(here, ext).replace(/-workers$/, '-worker')}${ext}`);
  return { path, execArgv: ext === '.ts' ? ['--import', 'tsx'] : [] };
}

/** Runs one worker; resolves to its report, or rejects saying how it ended without one. */
function runWorker(task: WorkerTask, started: ChildProcess[]): Promise<WorkerReport> {
  const { path, execArgv } = workerModule();
  return new Promise((resolve, reject) => {
    const child = fork(path, [JSON.stringify(task)], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    started.push(child);
    let report: WorkerReport | undefined;
    child.on('message', (message) => {
      report = message as WorkerReport;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (report !== undefined && code === 0) resolve(report);
      else reject(new Error(`certification worker ${task.index + 1} of ${task.count} ended (${signal ?? `exit code ${code}`}) before reporting its results`));
    });
  });
}

/**
 * Runs the passes on `count` worker processes. Resolves to the run as a whole and its results in
 * the plan's order (the first pass's, then the next's).
 */
export async function runInWorkers(passes: readonly FeaturePass[], count: number): Promise<{ run: Pick<FeatureRun, 'selected' | 'success'>; results: TestResult[] }> {
  if (!Number.isInteger(count) || count < 2) throw new TypeError(`runInWorkers needs at least 2 workers, not ${count}`);
  const started: ChildProcess[] = [];
  let reports: WorkerReport[];
  try {
    reports = await Promise.all(Array.from({ length: count }, (_, index) => runWorker({ index, count, passes }, started)));
  } catch (error) {
    // One worker failed: the run has no whole result, so the others stop too.
    for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill();
    throw error;
  }
  const results = reports
    .flatMap((r) => r.results)
    .sort((a, b) => a.pass - b.pass || a.place - b.place)
    .map((r) => r.result);
  const selected = Math.max(...reports.map((r) => r.selected));
  return { run: { selected, success: selected > 0 && reports.every((r) => r.success) }, results };
}
