/**
 * Measures the certification run: the whole `oidc-harness certify` (process start to exit, report
 * rendering excluded) and the per-scenario times it records in reports/summary.json. Writes the
 * figures to bench/certification.json. Run: `npx tsx bench/certification-run.ts [runs]`.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.argv[2] ?? 3);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const wall: number[] = [];
const scenarioMedians: number[] = [];
let scenarios = 0;
for (let i = 0; i < runs; i += 1) {
  const started = performance.now();
  const child = spawnSync(process.execPath, [join(root, 'bin', 'oidc-harness.mjs'), 'certify', '--no-report'], { cwd: root, encoding: 'utf8' });
  wall.push(performance.now() - started);
  if (child.status !== 0) {
    console.error(child.stdout, child.stderr);
    throw new Error(`the certification run failed (exit ${child.status})`);
  }
  const summary = JSON.parse(readFileSync(join(root, 'reports', 'summary.json'), 'utf8')) as { results: Array<{ ms: number | null }> };
  const times = summary.results.map((r) => r.ms).filter((ms): ms is number => typeof ms === 'number');
  scenarios = times.length;
  scenarioMedians.push(median(times));
}

const figures = {
  date: new Date().toISOString(),
  machine: { node: process.version, cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown' },
  runs,
  scenarios,
  wholeRunMs: { median: Math.round(median(wall)), min: Math.round(Math.min(...wall)), max: Math.round(Math.max(...wall)) },
  perScenarioMedianMs: { median: median(scenarioMedians), min: Math.min(...scenarioMedians), max: Math.max(...scenarioMedians) },
};
writeFileSync(join(root, 'bench', 'certification.json'), `${JSON.stringify(figures, null, 2)}\n`);
console.log(JSON.stringify(figures, null, 2));
