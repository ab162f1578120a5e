/**
 * Measures the certification run as `npm start` makes it: the whole `oidc-harness certify`, report
 * included (process start to exit, wall and CPU time of every process of it), and the per-scenario
 * times it records in reports/summary.json. Writes the figures to bench/certification.json.
 * Run: `npx tsx bench/certification-run.ts [runs]`.
 * The measuring itself lives in ./lib/certification.ts, which bench/run.ts uses too.
 */
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { measureCertification, ROOT } from './lib/certification.js';

const runs = Number(process.argv[2] ?? 3);
const { statuses: _statuses, retried: _retried, ...measured } = await measureCertification(runs, { report: true });

const figures = {
  date: new Date().toISOString(),
  machine: { node: process.version, cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown' },
  ...measured,
};
writeFileSync(join(ROOT, 'bench', 'certification.json'), `${JSON.stringify(figures, null, 2)}\n`);
console.log(JSON.stringify(figures, null, 2));
