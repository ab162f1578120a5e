/**
 * `oidc-harness live --config FILE` against the local oidc-provider, started by the test and
 * treated as any live provider, found with WebFinger: every scenario and every probe runs through
 * Chromium, the console shows progress, verdicts, totals and findings, summary.json holds the
 * results under the provider's name, the report is rendered afresh, the certification's reports
 * are not touched, and neither the password nor the client secret reaches the console or the
 * reports. A configuration with problems is refused at once, every problem named.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startLocalOp, type LocalOp } from '../../live/local-op.js';
import { PROBES } from '../../live/probes/probes.js';
import { certificationReports, freePort, leaks, liveDir, providerSummary, runLive } from './support/live-run.js';

const PASSWORD = 'pw-only-in-the-environment-7f3a9c';
const SECRET = 'client-secret-only-in-the-environment-51be0d';
const NAME = 'oidc-provider, found with WebFinger';
const SLUG = 'oidc-provider-found-with-webfinger';
const ENV = { TEST_LIVE_SECRET: SECRET, TEST_LIVE_USER: 'alice', TEST_LIVE_PASSWORD: PASSWORD };

describe('oidc-harness live', { timeout: 300_000 }, () => {
  let op: LocalOp;
  let config: string;
  let run: { code: number | null; output: string };
  let untouched: Map<string, number>;

  before(async () => {
    const rpPort = await freePort();
    const redirect = `http://127.0.0.1:${rpPort}/callback`;
    const loggedOut = `http://127.0.0.1:${rpPort}/logged_out`;
    op = await startLocalOp({
      webfinger: true,
      clients: [{ client_id: 'live-basic', client_secret: SECRET, token_endpoint_auth_method: 'client_secret_basic', redirect_uris: [redirect], post_logout_redirect_uris: [loggedOut], grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'] }],
    });
    config = join(await mkdtemp(join(tmpdir(), 'oidc-harness-live-')), 'live.json');
    await writeFile(config, JSON.stringify({
      name: NAME,
      webfinger: `${op.issuer}/alice`,
      client: { client_id: 'live-basic', client_secret_env: 'TEST_LIVE_SECRET', token_endpoint_auth_method: 'client_secret_basic' },
      redirect_uri: redirect,
      post_logout_redirect_uri: loggedOut,
      scope: 'openid profile email',
      login: { preset: 'oidc-provider', username_env: 'TEST_LIVE_USER', password_env: 'TEST_LIVE_PASSWORD' },
      timeout_ms: 20_000,
    }));
    // Left from an earlier run: the run must empty the folder and render its report afresh.
    await mkdir(join(liveDir(SLUG), 'allure-report'), { recursive: true });
    await writeFile(join(liveDir(SLUG), 'allure-report', 'left-from-an-earlier-run.html'), 'stale');
    untouched = await certificationReports();
    run = await runLive(['--config', config], ENV);
  });

  after(async () => {
    await op?.close();
    if (config) await rm(join(config, '..'), { recursive: true, force: true });
  });

  it('runs every scenario and probe against the provider found with WebFinger, and every one passes', async () => {
    assert.equal(run.code, 0, run.output.slice(-3000));
    const summary = await providerSummary(SLUG, NAME);
    const failing = summary.results.filter((r) => r.verdict !== 'passed').map((r) => `${r.verdict}: ${r.name}: ${r.reason ?? ''}`);
    assert.deepEqual(failing, []);
    assert.equal(summary.results.filter((r) => r.kind === 'scenario').length, 9);
    assert.deepEqual(summary.results.filter((r) => r.kind === 'probe').map((r) => r.probe).sort(), PROBES.map((p) => p.id).sort());
    assert.ok(summary.results.some((r) => r.name === 'The RP finds the provider with WebFinger' && r.verdict === 'passed'));
    assert.deepEqual(summary.totals, { passed: 26, failed: 0, skipped: 0 });
    assert.deepEqual(summary.findings, []);
  });

  it('shows progress, then the verdict table, the totals and the findings on the console', () => {
    assert.match(run.output, /^RUNNING The code flow with PKCE through the provider's login, the client authenticating with client_secret_post$/m);
    assert.match(run.output, /^PASSED {2}The user signs out at the RP, in the browser that signed in, and the provider sends it back \(\d+ ms\)$/m);
    assert.match(run.output, new RegExp(`^${NAME}: verdicts$`, 'm'));
    assert.match(run.output, /^ {2}PASSED {3}probe {5}An authorization code used twice is refused, and the tokens issued with it are revoked$/m);
    assert.match(run.output, /^Totals: 26 passed, 0 failed, 0 skipped: 9 scenarios \(9 passed, 0 failed, 0 skipped\), 17 probes \(17 passed, 0 failed, 0 skipped\); [\d.]+ s$/m);
    assert.match(run.output, /^Interop findings \(0\): none$/m);
  });

  it('writes its own reports folder, renders a fresh report, and leaves the certification\'s reports alone', async () => {
    const dir = liveDir(SLUG);
    assert.ok(existsSync(join(dir, 'allure-report', 'index.html')), 'the report is rendered');
    assert.ok(!existsSync(join(dir, 'allure-report', 'left-from-an-earlier-run.html')), 'the report folder was emptied first');
    assert.match(run.output, new RegExp(`report: ${join(dir, 'allure-report', 'index.html').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    const junit = await readFile(join(dir, 'junit.xml'), 'utf8');
    assert.match(junit, /<testsuites name="oidc-harness live: oidc-provider, found with WebFinger" tests="26" failures="0" errors="0" skipped="0">/);
    // The renderer, started with the run, names it by its provider, and leaves no announcements behind.
    assert.equal(JSON.parse(await readFile(join(dir, 'allure-results', 'executor.json'), 'utf8')).reportName, 'oidc-harness live: oidc-provider, found with WebFinger');
    assert.ok(!existsSync(join(dir, '.allure-results-written')), 'the announcements went with the renderer');
    assert.deepEqual(await certificationReports(), untouched, 'no file under reports/ outside reports/live/ changed');
  });

  it('keeps the password and the client secret out of the console and the reports', async () => {
    assert.ok(!run.output.includes(PASSWORD) && !run.output.includes(SECRET), 'no secret on the console');
    assert.deepEqual(await leaks(liveDir(SLUG), [PASSWORD, SECRET]), []);
  });

  it('fails a scenario whose sign-in fails with the sign-in\'s cause, not with what it could not do next', async () => {
    const misfit = join(join(config, '..'), 'misfit.json');
    const good = JSON.parse(await readFile(config, 'utf8')) as Record<string, unknown>;
    await writeFile(misfit, JSON.stringify({ ...good, name: 'steps that do not fit', login: { steps: [{ fill: '#not-on-the-page', env: 'TEST_LIVE_USER' }, { click: 'button[type=submit]' }] } }));
    const failed = await runLive(['--config', misfit, '--tags', '@refresh', '--no-report'], ENV);
    assert.equal(failed.code, 1, failed.output.slice(-2000));
    const [refresh] = (await providerSummary('steps-that-do-not-fit', 'steps that do not fit')).results;
    assert.equal(refresh?.name, 'The RP refreshes its tokens');
    assert.equal(refresh?.verdict, 'failed');
    assert.match(refresh?.reason ?? '', /^login step: step 1 \(fill #not-on-the-page from \$TEST_LIVE_USER\): the page came to rest without it; the browser is at http:\/\/127\.0\.0\.1:\d+\/interaction\//);
    assert.match(failed.output, /^Failures \(1\):\n {2}1\. The RP refreshes its tokens: login step: step 1/m);
  });

  it('refuses a configuration with problems, naming each, with exit 2 and without quoting a secret', async () => {
    const bad = join(join(config, '..'), 'bad.json');
    await writeFile(bad, JSON.stringify({
      name: 'bad',
      issuer: 'http://op.example.com',
      redirect_uri: 'http://127.0.0.1:1/callback',
      login: { preset: 'nonesuch', username_env: 'NOT_SET_ANYWHERE', password: 'oops-a-secret' },
      colour: 'blue',
    }));
    const refused = await runLive(['--config', bad], {});
    assert.equal(refused.code, 2);
    assert.match(refused.output, /cannot be used \(4 problems\)/);
    assert.match(refused.output, /- login\.password: a secret does not belong in the file/);
    assert.match(refused.output, /- login\.preset: expected one of the presets oidc-provider, keycloak, glewlwyd/);
    assert.match(refused.output, /- colour: unknown setting/);
    assert.match(refused.output, /- issuer: an http URL off loopback/);
    assert.ok(!refused.output.includes('oops-a-secret'));
  });
});
