/**
 * What the command line loads before it knows what it will run: each command's `--help` goes
 * through the whole static import graph of bin/cli.ts. Cucumber, the X.509 library (only for
 * `certify-rp --tls`), Playwright, oidc-provider, the stores' clients and Allure load later, only
 * in the command and the run that needs them; loaded at start, each cost every run of every
 * command its loading time (Cucumber and @peculiar/x509: about 0.2 s of certify-rp's start).
 *
 * Run: node --import tsx --test test/certify-rp/start-up-imports.test.ts
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from '../fixtures/root.js';

/**
 * A module hook that prints, once each, the npm packages the process resolves. Hooks run on a
 * thread of their own, whose process.stderr reaches the process through the main thread, and what
 * is still on its way when the command exits is lost (Node 24 lost it): so straight to fd 2.
 */
const HOOK = `
import { writeSync } from 'node:fs';
const seen = new Set();
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  const found = /node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(resolved.url);
  if (found && !seen.has(found[1])) { seen.add(found[1]); writeSync(2, 'loaded-package ' + found[1] + '\\n'); }
  return resolved;
}`;
const REGISTER = `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(HOOK)}`)});`;

/** The npm packages `oidc-harness ARGS` loads. */
function packagesLoaded(args: readonly string[]): Promise<{ code: number | null; packages: string[]; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(REGISTER)}`, join(ROOT, 'bin', 'oidc-harness.mjs'), ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr, packages: [...stderr.matchAll(/^loaded-package (\S+)$/gm)].map((m) => m[1]!) }));
  });
}

const LATER = ['@cucumber/cucumber', '@peculiar/x509', 'playwright-core', 'oidc-provider', 'redis', '@redis/client', 'classic-level', 'allure-js-commons', '@allurereport/core'];

describe('the command line at start', () => {
  for (const command of ['certify', 'certify-rp', 'live', 'report', 'serve-op']) {
    it(`loads none of ${LATER.join(', ')} for ${command} --help`, async () => {
      const { code, packages, stderr } = await packagesLoaded([command, '--help']);
      assert.equal(code, 0, stderr.slice(-2000));
      assert.ok(packages.includes('jose'), `the hook sees what loads: ${packages.join(', ')}`);
      assert.deepEqual(packages.filter((name) => LATER.includes(name)), []);
    });
  }
});
