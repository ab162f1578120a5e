/**
 * The `certify-rp` command as a user meets it: its configuration checked at start (every problem
 * at once, exit 2), a selection that matches nothing (exit 2), its outputs (the verdict lines, the
 * table, summary.json, JUnit, Allure results, exit 1 on a failed test, and the report), and RPs
 * that cannot be driven (never ready, no such program), which are inconclusive, never passed.
 *
 * Run: node --import tsx --test test/certify-rp/certify-rp-command.e2e.ts
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { generateOpKeys, type OpKeys } from '../../mock-op/index.js';
import { checkCertifyRpConfig } from '../../mock-op/certify-rp/config.js';
import { certifyRp } from '../../mock-op/certify-rp/run.js';
import { runCli, type CliRun } from '../fixtures/cli.js';
import { ROOT } from '../fixtures/root.js';

let dir: string;
let keys: OpKeys;
/** The command's reports folder, of this test's own (other test files run at the same time). */
let reports: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'certify-rp-test-'));
  reports = join(dir, 'reports');
  keys = await generateOpKeys({ spares: 0 });
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs the command line; resolves with its exit code and output. */
function cli(args: string[]): Promise<CliRun> {
  return runCli(args, reports);
}

/** Writes a configuration file and returns its path. */
async function configFile(name: string, config: unknown): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, typeof config === 'string' ? config : JSON.stringify(config));
  return file;
}

describe('certify-rp: a configuration that cannot be used', () => {
  it('reports every problem at once, naming each setting, with exit 2', async () => {
    const file = await configFile('bad.json', {
      name: '',
      profiles: ['basic', 'nope'],
      registration: { redirect_uris: [], client_secret: 'x' },
      rp: { command: ['node', 'rp.mjs', '{isuer}'], browser: { start_url: 'http://127.0.0.1:1/' } },
      tests: ['oidcc-client-test-no-such-test'],
      extra: true,
    });
    const { code, stderr } = await cli(['certify-rp', '--config', file]);
    assert.equal(code, 2);
    for (const setting of ['name', 'profiles[1]', 'registration.redirect_uris', 'registration.client_secret', 'rp.browser.logged_in', 'rp:', 'rp.command[2]: unknown placeholder {isuer}', 'tests[0]: no test has the id', 'extra: unknown setting']) {
      assert.ok(stderr.includes(`- ${setting}`), `names ${setting}:\n${stderr}`);
    }
  });

  it('says so for a file that is not JSON, or not there, with exit 2', async () => {
    const notJson = await configFile('not.json', '{ "name": ');
    assert.match((await cli(['certify-rp', '-c', notJson])).stderr, /\(file\): is not JSON/);
    const missing = await cli(['certify-rp', '-c', join(dir, 'missing.json')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /\(file\): cannot be read: ENOENT/);
  });

  it('says what to install when a browser-driven RP finds no Chromium, with exit 2', async () => {
    const child = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const run = spawn(process.execPath, [join(ROOT, 'bin', 'oidc-harness.mjs'), 'certify-rp', '-c', 'examples/spa/certify-rp.json', '--no-report'], {
        cwd: ROOT,
        stdio: ['ignore', 'ignore', 'pipe'],
        env: { ...process.env, OIDC_HARNESS_REPORTS: reports, OIDC_HARNESS_CHROMIUM: join(dir, 'no-chromium-here') },
      });
      let stderr = '';
      run.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
      run.on('error', reject);
      run.on('close', (code) => resolve({ code, stderr }));
    });
    assert.equal(child.code, 2);
    assert.match(child.stderr, /^rp\.browser needs Chromium, which could not be started: .*apt-get install -y chromium/);
  });

  it('refuses a selection that matches no test, with exit 2, and a command line without --config', async () => {
    const { code, stderr } = await cli(['certify-rp', '-c', 'examples/openid-client/certify-rp.json', '--tags', '@no-such-test', '--no-report']);
    assert.equal(code, 2);
    assert.match(stderr, /no test matches the selection @no-such-test in basic/);
    const bare = await cli(['certify-rp']);
    assert.equal(bare.code, 2);
    assert.match(bare.stderr, /needs --config FILE/);
  });
});

describe('certify-rp: outputs', () => {
  it('prints a verdict line per test and the table, writes summary.json, JUnit and Allure results, and exits 1 when a test failed', async () => {
    const { code, stdout } = await cli(['certify-rp', '-c', 'examples/openid-client/certify-rp.json', '-t', '@oidcc-client-test or @oidcc-client-test-invalid-sig-rs256', '--no-report']);
    assert.equal(code, 1, stdout);
    assert.match(stdout, /^PASSED +basic +oidcc-client-test +code: the RP completed the login; the RP read the userinfo$/m);
    assert.match(stdout, /^FAILED +basic +oidcc-client-test-invalid-sig-rs256 +code: the RP carried on after the ID token: GET userinfo -> 200$/m);
    assert.match(stdout, /^basic +1 +1 +0 +0$/m);
    const summary = JSON.parse(await readFile(join(reports, 'summary.json'), 'utf8')) as { run: { rp: string; op: string }; results: Array<Record<string, unknown>> };
    assert.equal(summary.run.rp, 'openid-client 6, defaults');
    assert.match(summary.run.op, /^mock-op http:\/\/127\.0\.0\.1:\d+$/);
    assert.deepEqual(summary.results.map((r) => [r.test, r.rp, r.outcome, r.verdict]), [
      ['oidcc-client-test', 'openid-client 6, defaults', 'accepted', 'passed'],
      ['oidcc-client-test-invalid-sig-rs256', 'openid-client 6, defaults', 'accepted', 'failed'],
    ]);
    const junit = await readFile(join(reports, 'junit.xml'), 'utf8');
    assert.match(junit, /<testcase classname="oidc-harness certify-rp: openid-client 6, defaults\.basic" name="oidcc-client-test-invalid-sig-rs256 code" time=/);
    assert.match(junit, /<failure message="the RP carried on after the ID token: GET userinfo -> 200"\/>/);
    const results = await readdir(join(reports, 'allure-results'));
    const tests = await Promise.all(results.filter((f) => f.endsWith('-result.json')).map(async (f) => JSON.parse(await readFile(join(reports, 'allure-results', f), 'utf8')) as { name: string; status: string; attachments: Array<{ name: string }> }));
    const failed = tests.find((t) => t.name.startsWith('oidcc-client-test-invalid-sig-rs256'));
    assert.equal(failed?.status, 'failed');
    assert.deepEqual(failed?.attachments.map((a) => a.name), ['verdict', "the OP's request log", "the RP's output"]);
  });

  it('renders the report as the tests run: titled by the RP, every test in it, nothing left of the announcements', async () => {
    const { code, stdout } = await cli(['certify-rp', '-c', 'examples/openid-client/certify-rp.json', '-t', '@oidcc-client-test or @oidcc-client-test-invalid-sig-rs256']);
    assert.equal(code, 1, stdout);
    assert.ok(stdout.trimEnd().endsWith(`report: ${join(reports, 'allure-report', 'index.html')}`), stdout);
    const html = await readFile(join(reports, 'allure-report', 'index.html'), 'utf8');
    assert.match(html, /<title> oidc-harness certify-rp: openid-client 6, defaults <\/title>/);
    const tests = JSON.parse(await readFile(join(reports, 'allure-report', 'test-results.json'), 'utf8')) as { byId: Record<string, { name: string }> };
    assert.deepEqual(Object.values(tests.byId).map((t) => t.name).sort(), ['oidcc-client-test code', 'oidcc-client-test-invalid-sig-rs256 code']);
    const left = await readdir(reports);
    assert.ok(!left.includes('.allure-results-written'), left.join(', '));
  });
});

describe('certify-rp: tests at once', () => {
  it('with --jobs 2, gives the Basic plan the verdicts of one test at a time, in the plan\'s order', async () => {
    const verdicts = async (jobs: string): Promise<string[][]> => {
      const { code, stdout } = await cli(['certify-rp', '-c', 'examples/openid-client/certify-rp.json', '--jobs', jobs, '--no-report']);
      assert.equal(code, 1, stdout);
      const summary = JSON.parse(await readFile(join(reports, 'summary.json'), 'utf8')) as { results: Array<Record<string, unknown>> };
      return summary.results.map((r) => [String(r.test), String(r.responseType), String(r.verdict), String(r.check ?? '')]);
    };
    const one = await verdicts('1');
    assert.equal(one.length, 14);
    assert.deepEqual(await verdicts('2'), one);
  });

  it('refuses a --jobs that is not 1 to 8 (exit 2)', async () => {
    const { code, stderr } = await cli(['certify-rp', '-c', 'examples/openid-client/certify-rp.json', '--jobs', '0']);
    assert.equal(code, 2);
    assert.match(stderr, /--jobs must be a whole number from 1 to 8/);
  });
});

describe('certify-rp: an RP that cannot be driven is inconclusive, never passed', () => {
  const base = { name: 'broken', registration: { redirect_uris: ['http://127.0.0.1:{port}/cb'] }, tests: ['oidcc-client-test-invalid-iss'] };

  it('when it never becomes ready', async () => {
    const config = checkCertifyRpConfig({ ...base, rp: { start: [process.execPath, '-e', 'setInterval(() => {}, 1000)'], ready_url: 'http://127.0.0.1:{port}/health', ready_timeout_ms: 300, command: ['true'] } });
    const { results } = await certifyRp({ config, keys });
    assert.equal(results[0]?.verdict, 'inconclusive');
    assert.match(results[0]?.reason ?? '', /^the RP never became ready: http:\/\/127\.0\.0\.1:\d+\/health did not answer within 300 ms/);
  });

  it('when its start command ends at once', async () => {
    const config = checkCertifyRpConfig({ ...base, rp: { start: [process.execPath, '-e', 'console.log("no config"); process.exit(3)'], ready_url: 'http://127.0.0.1:{port}/', command: ['true'] } });
    const { results } = await certifyRp({ config, keys });
    assert.equal(results[0]?.verdict, 'inconclusive');
    assert.match(results[0]?.reason ?? '', /ended before it answered .*exited with status 3 \(it printed: no config\)/);
  });

  it('when its program does not exist', async () => {
    const config = checkCertifyRpConfig({ ...base, rp: { command: ['/no/such/rp'] } });
    const { results } = await certifyRp({ config, keys });
    assert.equal(results[0]?.verdict, 'inconclusive');
    assert.match(results[0]?.reason ?? '', /could not be run: spawn \/no\/such\/rp ENOENT/);
  });

  it('when it refuses before the OP saw anything (it cannot reach the OP)', async () => {
    const config = checkCertifyRpConfig({ ...base, rp: { command: [process.execPath, '-e', 'console.error("self-signed certificate in certificate chain"); process.exit(1)'] } });
    const { results } = await certifyRp({ config, keys });
    assert.equal(results[0]?.verdict, 'inconclusive');
    assert.match(results[0]?.reason ?? '', /the OP saw no request from the RP.*self-signed certificate/);
  });
});
