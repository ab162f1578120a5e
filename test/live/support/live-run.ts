/**
 * Running `oidc-harness live` as a user would, for the tests: a child process with the
 * configuration's secrets in its environment only, its console captured, and what it wrote under
 * `reports/live/<provider>/` read back.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { readdir, readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join, relative } from 'node:path';
import { ROOT } from '../../fixtures/root.js';

export { ROOT };

/** One result of `summary.json`. */
export interface SummaryResult {
  name: string;
  kind: 'scenario' | 'probe';
  probe?: string;
  verdict: 'passed' | 'failed' | 'skipped';
  reason?: string;
  observed?: string;
  findings: string[];
}

/** A provider's part of `summary.json`. */
export interface ProviderSummary {
  totals: { passed: number; failed: number; skipped: number };
  results: SummaryResult[];
  findings: Array<{ id: string; title: string; clause: string; scenarios: string[]; urls: string[] }>;
}

/** How a live run ended. */
export interface LiveRunOutcome {
  code: number | null;
  /** stdout and stderr, interleaved as they came. */
  output: string;
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * The reports folder of the live runs of this test process, of its own (other test files run at
 * the same time write their own), holding a certification's summary that a live run must leave alone.
 */
export const REPORTS = mkdtempSync(join(tmpdir(), 'oidc-harness-live-reports-'));
writeFileSync(join(REPORTS, 'summary.json'), '{"run":{"op":"a certification run before the live runs"},"results":[]}\n');

/** Runs `oidc-harness live` with `args`, the secrets only in its environment. */
export function runLive(args: string[], env: Record<string, string>): Promise<LiveRunOutcome> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'oidc-harness.mjs'), 'live', ...args], { cwd: ROOT, env: { ...process.env, ...env, OIDC_HARNESS_REPORTS: REPORTS } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** Every file under `dir`, recursively. */
export async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const nested = await Promise.all(entries.map((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : Promise.resolve([join(dir, e.name)]))));
  return nested.flat();
}

/** The files under reports/ outside reports/live/, with their modification times: the certification's. */
export async function certificationReports(): Promise<Map<string, number>> {
  const files = (await filesUnder(REPORTS)).filter((f) => !relative(REPORTS, f).startsWith('live/'));
  return new Map(await Promise.all(files.map(async (f) => [f, (await stat(f)).mtimeMs] as [string, number])));
}

/** A provider's reports folder. */
export function liveDir(slug: string): string {
  return join(REPORTS, 'live', slug);
}

/** The provider's part of the run's `summary.json`. */
export async function providerSummary(slug: string, provider: string): Promise<ProviderSummary> {
  const summary = JSON.parse(await readFile(join(liveDir(slug), 'summary.json'), 'utf8')) as { providers: Record<string, ProviderSummary> };
  const mine = summary.providers[provider];
  if (!mine) throw new Error(`summary.json has no results under "${provider}": ${Object.keys(summary.providers).join(', ')}`);
  return mine;
}

/** The files of `dir` that hold any of `secrets`, each named with the length of the secret it holds. */
export async function leaks(dir: string, secrets: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const file of await filesUnder(dir)) {
    const content = await readFile(file);
    for (const secret of secrets) if (content.includes(secret)) found.push(`${relative(ROOT, file)} holds a secret of ${secret.length} characters`);
  }
  return found;
}

/** The Allure results (`*-result.json`) of a results folder. */
export async function allureResults(dir: string): Promise<Array<{ name: string; status: string; statusDetails?: { message?: string }; description?: string }>> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('-result.json'));
  return Promise.all(files.map(async (f) => JSON.parse(await readFile(join(dir, f), 'utf8')) as { name: string; status: string }));
}
