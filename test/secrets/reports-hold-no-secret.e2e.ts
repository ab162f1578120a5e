/**
 * After a full certification run and a real-OP run (the local oidc-provider through Chromium), the
 * reports (Allure results, the rendered report, summary, JUnit) hold none of the secrets the runs
 * used: client secrets, registration access tokens, access and refresh tokens, codes, PKCE
 * verifiers, the signature part of every ID token, the private parameters of every key, the test
 * user's password. The harness writes each secret it handled to a ledger outside reports/ (only
 * when asked, through OIDC_HARNESS_SECRET_LEDGER), and this test looks for every one of them.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from '../fixtures/root.js';


function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code) => resolve({ code, output }));
  });
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const nested = await Promise.all(entries.map((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : Promise.resolve([join(dir, e.name)]))));
  return nested.flat();
}

describe('secrets stay out of the reports', { timeout: 300_000 }, () => {
  it('after a certification run and a real-OP run, no report file holds any secret the runs used', async () => {
    const ledger = join(await mkdtemp(join(tmpdir(), 'oidc-harness-ledger-')), 'secrets.jsonl');
    // The runs' reports go to a folder of this test's own: other test files run at the same time.
    const reports = await mkdtemp(join(tmpdir(), 'oidc-harness-secret-reports-'));
    const env = { ...process.env, OIDC_HARNESS_SECRET_LEDGER: ledger, OIDC_HARNESS_REPORTS: reports };
    const certify = await run([join(ROOT, 'bin', 'oidc-harness.mjs'), 'certify', '--no-report'], env);
    assert.equal(certify.code, 0, certify.output.slice(-2000));
    // The real-OP features add their results to the same results directory.
    const realOp = await run([join(ROOT, 'node_modules', '@cucumber', 'cucumber', 'bin', 'cucumber.js'), '--profile', 'certify', '--tags', '@real-op', 'features/real-op'], env);
    assert.equal(realOp.code, 0, realOp.output.slice(-2000));
    const report = await run([join(ROOT, 'bin', 'oidc-harness.mjs'), 'report'], env);
    assert.equal(report.code, 0, report.output.slice(-2000));

    const secrets = [...new Set((await readFile(ledger, 'utf8')).split('\n').filter(Boolean).map((line) => JSON.parse(line) as string))];
    assert.ok(secrets.length > 500, `the ledger holds the runs' secrets (${secrets.length})`);
    const files = await filesUnder(reports);
    assert.ok(files.some((f) => f.includes('allure-report')) && files.some((f) => f.endsWith('summary.json')), 'the reports exist');
    const leaks: string[] = [];
    for (const file of files) {
      const content = await readFile(file);
      for (const secret of secrets) if (content.includes(secret)) leaks.push(`${file}: a secret of ${secret.length} characters`);
    }
    assert.deepEqual(leaks, []);
  });
});
