/**
 * The certification of the built-in service layer is one instance of certifying any RP: the layer
 * driven as a command by certify-rp (`examples/built-in/`) gets the verdicts `certify` gives it,
 * test by test, in the Basic, Config and Dynamic plans.
 *
 * Run: node --import tsx --test test/certify-rp/built-in.e2e.ts
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import type { TestResult } from '../../mock-op/index.js';
import { loadCertifyRpConfig } from '../../mock-op/certify-rp/config.js';
import { certifyRp } from '../../mock-op/certify-rp/run.js';
import { ROOT } from '../fixtures/root.js';


/** `certify` for some profiles, through the command line; resolves with its results. */
async function certify(profiles: string[]): Promise<readonly TestResult[]> {
  // Its reports go to a folder of this test's own: other test files run at the same time.
  const reports = await mkdtemp(join(tmpdir(), 'oidc-harness-built-in-'));
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'oidc-harness.mjs'), 'certify', ...profiles.flatMap((p) => ['--profile', p]), '--no-report'], { cwd: ROOT, stdio: 'ignore', env: { ...process.env, OIDC_HARNESS_REPORTS: reports } });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 || code === 1 ? resolve() : reject(new Error(`certify exited ${code}`))));
  });
  return (JSON.parse(await readFile(join(reports, 'summary.json'), 'utf8')) as { results: TestResult[] }).results;
}

/** `profile test response type: verdict`, sorted. */
function verdicts(results: readonly TestResult[]): string[] {
  return results.map((r) => `${r.profile} ${r.test} ${r.responseType}: ${r.verdict}`).sort();
}

it('the built-in layer gets the same verdicts from certify-rp, as a command, as from certify (Basic, Config, Dynamic)', async () => {
  const expected = verdicts(await certify(['basic', 'config', 'dynamic']));
  assert.equal(expected.length, 32);
  const driven: TestResult[] = [];
  for (const file of ['examples/built-in/certify-rp.json', 'examples/built-in/certify-rp.dynamic.json']) {
    const config = await loadCertifyRpConfig(join(ROOT, file));
    const { results } = await certifyRp({ config, cwd: ROOT, profiles: file.endsWith('dynamic.json') ? ['dynamic'] : ['basic', 'config'] });
    driven.push(...results);
  }
  assert.deepEqual(verdicts(driven), expected);
});
