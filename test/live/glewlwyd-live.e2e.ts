/**
 * `oidc-harness live` against glewlwyd, a provider nobody here wrote, installed from Debian's
 * packages and started by the test from nothing (live/glewlwyd-op.ts): a fresh database, a free
 * loopback port, provisioned through its admin API. Its login page is a single-page app; the
 * configuration is README's example for it (examples/live/single-page-form.json) with the test's
 * ports. The test asserts the verdicts and the findings glewlwyd 2.7 should get, and that a
 * skipped scenario says why and shows as skipped in JUnit and Allure.
 *
 * Without glewlwyd the test fails, saying what to install.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { GLEWLWYD_MISSING, missingGlewlwyd, startGlewlwyd, type GlewlwydOp } from '../../live/glewlwyd-op.js';
import { PROBES } from '../../live/probes/probes.js';
import { allureResults, freePort, leaks, liveDir, providerSummary, ROOT, runLive, type ProviderSummary } from './support/live-run.js';

const PASSWORD = 'glewlwyd-user-password-only-in-env-4e1d';
const SECRET = 'glewlwyd-client-secret-only-in-env-b27c90';
const NAME = 'glewlwyd 2.7 (Debian)';
const SLUG = 'glewlwyd-2-7-debian';

describe('oidc-harness live against glewlwyd from Debian\'s packages', { timeout: 300_000 }, () => {
  let op: GlewlwydOp | undefined;
  let run: { code: number | null; output: string };
  let summary: ProviderSummary;
  let configDir: string | undefined;
  const resultOf = (name: string): ProviderSummary['results'][number] | undefined => summary.results.find((r) => r.name === name || r.probe === name);
  const verdictOf = (name: string): string => resultOf(name)?.verdict ?? 'absent';
  const reasonOf = (name: string): string => resultOf(name)?.reason ?? '';
  /** The lines of glewlwyd's log that `pattern` matches. */
  const glewlwydLog = (pattern: RegExp): string[] => (op?.output() ?? '').split('\n').filter((line) => pattern.test(line));
  /**
   * Why the run is not a fair one: a verdict failed on glewlwyd's server_error, its own "unexpected
   * condition" (RFC 6749, 5.2), with what it logged as ERROR, if anything.
   */
  const providerFault = (): string | undefined => {
    const faulty = summary.results.filter((r) => r.verdict === 'failed' && /"server_error"/.test(r.reason ?? ''));
    if (faulty.length === 0) return undefined;
    const errors = glewlwydLog(/ - Glewlwyd ERROR: /);
    return `${faulty.map((r) => r.name).join('; ')}: ${errors.length > 0 ? `glewlwyd logged ${errors.slice(-5).join(' | ')}` : 'glewlwyd logged no ERROR'}`;
  };
  let retried: string | undefined;
  // What glewlwyd logged at WARNING and above (its own account of a server_error), for a failed assertion.
  const glewlwydErrors = (): string => {
    const lines = glewlwydLog(/ERROR|WARNING/);
    return lines.length > 0 ? `\nglewlwyd logged:\n${lines.slice(-20).join('\n')}` : '';
  };

  before(async () => {
    assert.deepEqual(missingGlewlwyd(), [], `${GLEWLWYD_MISSING}${missingGlewlwyd().join(', ')}`);
    const rpPort = await freePort();
    const rp = `http://127.0.0.1:${rpPort}`;
    op = await startGlewlwyd({ redirectUri: `${rp}/callback`, postLogoutRedirectUri: `${rp}/logged_out`, user: { username: 'alice', password: PASSWORD }, clientSecret: SECRET });
    const example = await readFile(join(ROOT, 'examples', 'live', 'single-page-form.json'), 'utf8');
    configDir = await mkdtemp(join(tmpdir(), 'oidc-harness-glewlwyd-live-'));
    const config = join(configDir, 'glewlwyd.json');
    await writeFile(config, example.replaceAll('http://127.0.0.1:4593/api/oidc', op.issuer).replaceAll('http://127.0.0.1:8400', rp));
    const env = { OIDC_HARNESS_USERNAME: 'alice', OIDC_HARNESS_PASSWORD: PASSWORD, OIDC_HARNESS_CLIENT_SECRET: SECRET };
    run = await runLive(['--config', config, '--no-report'], env);
    summary = await providerSummary(SLUG, NAME);
    // glewlwyd 2.7 now and then answers one request with server_error (seen once in CI, on a
    // loaded machine, in a scenario that passes otherwise): a fault inside the provider, which says
    // nothing about the harness. Such a run is done once more; a harness that provoked the error
    // would provoke it again, and a second fault fails the test as usual.
    const fault = providerFault();
    if (fault !== undefined) {
      retried = fault;
      run = await runLive(['--config', config, '--no-report'], env);
      summary = await providerSummary(SLUG, NAME);
    }
  });

  after(async () => {
    await op?.close();
    if (configDir) await rm(configDir, { recursive: true, force: true });
  });

  it('passes the scenarios glewlwyd gets right, through its single-page login and its consent page', (t) => {
    if (retried !== undefined) t.diagnostic(`run again after a fault inside glewlwyd: ${retried}`);
    for (const name of [
      'The RP discovers the provider and registers itself dynamically',
      "The code flow with PKCE through the provider's login, the client authenticating with client_secret_basic",
      "The code flow with PKCE through the provider's login, the client authenticating with client_secret_post",
      "The code flow with PKCE through the provider's login, the client authenticating with private_key_jwt",
      "The RP verifies the ID token with the provider's real keys",
      'The RP refreshes its tokens',
      'The provider posts the response to the RP (response_mode=form_post)',
    ]) assert.equal(verdictOf(name), 'passed', `${name}: ${reasonOf(name)}${glewlwydErrors()}`);
  });

  it('fails the logout: glewlwyd ends its session but does not send the browser back to the post_logout_redirect_uri', () => {
    const logout = summary.results.find((r) => r.name.startsWith('The user signs out at the RP'));
    assert.equal(logout?.verdict, 'failed');
    assert.match(logout?.reason ?? '', /^the provider did not send the browser back to http:\/\/127\.0\.0\.1:\d+\/logged_out: after its logout pages the browser came to rest at http:\/\/127\.0\.0\.1:\d+\/login\.html/);
    assert.deepEqual(logout?.findings, ['logout.post-logout-redirect-not-honoured']);
  });

  it('skips WebFinger, saying why, as skipped in summary.json, JUnit and Allure alike', async () => {
    const webfinger = summary.results.find((r) => r.name === 'The RP finds the provider with WebFinger');
    assert.equal(webfinger?.verdict, 'skipped');
    assert.equal(webfinger?.reason, 'the configuration names no webfinger identifier (it names the issuer)');
    const junit = await readFile(join(liveDir(SLUG), 'junit.xml'), 'utf8');
    assert.match(junit, /<testcase classname="glewlwyd 2\.7 \(Debian\)\.scenarios" name="The RP finds the provider with WebFinger" time="[\d.]+">\s*<skipped message="the configuration names no webfinger identifier \(it names the issuer\)"\/>/);
    const allure = await allureResults(join(liveDir(SLUG), 'allure-results'));
    const result = allure.find((r) => r.name === 'The RP finds the provider with WebFinger');
    assert.equal(result?.status, 'skipped');
    assert.equal(result?.statusDetails?.message, 'the configuration names no webfinger identifier (it names the issuer)');
    assert.equal(result?.description, 'Skipped: the configuration names no webfinger identifier (it names the issuer)');
  });

  it('fails the probes of what glewlwyd accepts though it must refuse, and passes the others', () => {
    const probes = summary.results.filter((r) => r.kind === 'probe');
    assert.deepEqual(probes.map((r) => r.probe).sort(), PROBES.map((p) => p.id).sort());
    const failedProbes = Object.fromEntries(probes.filter((r) => r.verdict !== 'passed').map((r) => [r.probe, r.reason]));
    assert.deepEqual(Object.keys(failedProbes).sort(), ['max-age-zero', 'pkce-downgrade']);
    assert.match(failedProbes['pkce-downgrade'] ?? '', /\(RFC 9700, 2\.1\.1 and 4\.8\.2\); the provider accepted a verifier for a code issued without a challenge and issued tokens \(HTTP 200\)$/);
    assert.match(failedProbes['max-age-zero'] ?? '', /max_age=0 is equivalent to prompt=login\)\); the provider did not ask for the credentials again: the browser came to rest at /);
    assert.equal(probes.find((r) => r.probe === 'wrong-client-secret')?.observed, 'refused the wrong secret (HTTP 403, error "unauthorized_client")');
    assert.equal(probes.find((r) => r.probe === 'code-reuse')?.observed, 'refused the code a second time (HTTP 403, error "invalid_code")');
  });

  it('reports each interop finding once, with its clause and the scenarios where it was seen', () => {
    const byId = new Map(summary.findings.map((f) => [f.id, f]));
    assert.deepEqual([...byId.keys()].sort(), [
      'discovery.alg-without-key',
      'discovery.unknown-response-types',
      'logout.post-logout-redirect-not-honoured',
      'registration.status',
      'token.code-reuse-error',
      'token.code-reuse-not-revoked',
      'token.error-status',
      'token.invalid-client',
      'token.invalid-client-challenge',
      'token.pkce-error',
      'token.redirect-uri-mismatch-error',
      'token.refresh-other-client-error',
      'token.refresh-unknown-error',
      'userinfo.missing-www-authenticate',
    ]);
    assert.equal(byId.get('token.invalid-client')?.title, 'the refusal\'s error is "unauthorized_client", where invalid_client belongs');
    assert.match(byId.get('token.invalid-client')?.clause ?? '', /^RFC 6749, 5\.2/);
    assert.equal(byId.get('registration.status')?.title, 'the registration endpoint answered a successful registration with HTTP 200, not 201 Created');
    assert.ok((byId.get('registration.status')?.scenarios.length ?? 0) >= 2, 'seen in several scenarios, reported once');
    assert.ok((byId.get('token.error-status')?.scenarios.length ?? 0) >= 4);
    assert.equal(byId.get('discovery.unknown-response-types')?.title, 'response_types_supported lists "refresh_token", which is not a response type');
    assert.ok(!byId.has('token.token-type-case'), 'a lowercase "bearer" is not a finding');
  });

  it('ends the console with the totals, each failure\'s reason and the findings; exits 1', () => {
    assert.equal(run.code, 1, run.output.slice(-3000) + glewlwydErrors());
    assert.match(run.output, /^Totals: 22 passed, 3 failed, 1 skipped: 9 scenarios \(7 passed, 1 failed, 1 skipped\), 17 probes \(15 passed, 2 failed, 0 skipped\); [\d.]+ s$/m);
    assert.match(run.output, /^Failures \(3\):$/m);
    assert.match(run.output, /^Interop findings \(14\):$/m);
    assert.match(run.output, /^ {2}\d+\. the registration endpoint answered a successful registration with HTTP 200, not 201 Created \(registration\.status; MUST, RFC 7591, 3\.2\.1/m);
  });

  it('keeps findings out of the test results: they are one global attachment of the run', async () => {
    const allure = await allureResults(join(liveDir(SLUG), 'allure-results'));
    assert.equal(allure.length, summary.results.length, 'one Allure result per scenario and probe, none per finding');
    const results = join(liveDir(SLUG), 'allure-results');
    const globals = await Promise.all((await readdir(results)).filter((f) => f.endsWith('-globals.json')).map((f) => readFile(join(results, f), 'utf8')));
    assert.ok(globals.some((g) => g.includes('"name":"Interop findings"')), 'the run has the global attachment "Interop findings"');
  });

  it('keeps the password and the client secret out of the console and the reports', async () => {
    assert.ok(!run.output.includes(PASSWORD) && !run.output.includes(SECRET));
    assert.deepEqual(await leaks(liveDir(SLUG), [PASSWORD, SECRET]), []);
  });
});
