/**
 * `certify-rp`: certifying an RP that nobody here wrote. For each test of the plans asked for,
 * the harness registers a client at the test's own issuer (or lets the RP register itself),
 * starts the RP when it has to, drives it (a command run to its end, or Chromium through the RP's
 * pages), stops it, and judges the test with the one verdict (`judge`) from the RP's outcome and
 * the OP's request log.
 *
 * Each run has a fresh rp_id, so no verdict depends on an earlier run against the same OP.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseTagExpression } from '@cucumber/tag-expressions';
import { redactValues } from '../../src/transport/redact.js';
import type { Client } from '../client-metadata.js';
import { judge, type Judgement } from '../conformance/verdict.js';
import type { ConformanceTest, ResponseType, Task } from '../conformance/conformance-test.js';
import type { Evidence } from '../conformance/evidence.js';
import { plans as makePlans, type Plan } from '../conformance/plans.js';
import type { TestResult } from '../conformance/results.js';
import { displayId, findConformanceTest, testIds } from '../conformance/test-ids.js';
import type { OpKeys } from '../keys.js';
import type { Provider } from '../provider.js';
import type { LoggedRequest } from '../request-log.js';
import { redactedLog, secretsOf, type RedactedRequest } from '../redacted-log.js';
import { startMockOpServer, type MockOpServer } from '../server.js';
import type { RunAuthority } from '../tls.js';
import { RpBrowser, type Visit } from './browser-driver.js';
import type { CertifyRpConfig } from './config.js';
import { placeholderEnvironment, substitute, substituteDeep, substituteUrl, type PlaceholderValues } from './placeholders.js';
import { runToEnd, startProcess, waitUntilReady, type RpProcess } from './rp-process.js';

/** Options of {@link certifyRp}. */
export interface CertifyRpOptions {
  /** The checked configuration. */
  readonly config: CertifyRpConfig;
  /** Profiles instead of the configuration's. */
  readonly profiles?: readonly string[] | undefined;
  /** A tag expression over each test's tags (`@<test id>`, `@profile:<name>`, `@response_type:code+id_token`). */
  readonly tags?: string | undefined;
  /** Serve https, whatever the configuration says. */
  readonly tls?: boolean | undefined;
  /** The base URL the RP reaches the OP at, instead of the configuration's. */
  readonly publicBase?: string | undefined;
  /** The OP's port, instead of the configuration's. */
  readonly port?: number | undefined;
  /** Where the RP's argv runs (default: the current directory). */
  readonly cwd?: string | undefined;
  /** The OP's keys (generated when absent). */
  readonly keys?: OpKeys | undefined;
  /** How many tests run at once, instead of the configuration's `jobs`. */
  readonly jobs?: number | undefined;
  /** Called as each test finishes. */
  readonly onResult?: ((result: TestResult, detail: TestDetail) => void) | undefined;
}

/** What a test's report holds besides its result: the evidence, redacted. */
export interface TestDetail {
  /** The test. */
  readonly test: ConformanceTest;
  /** The issuer the RP was given. */
  readonly issuer: string;
  /** The OP's request log of the test, redacted. */
  readonly requests: readonly RedactedRequest[];
  /** The RP's output (its processes' stdout and stderr), redacted. */
  readonly output: string;
  /** Screenshots of the pages the browser ended on, with what each visit was. */
  readonly screenshots: ReadonlyArray<{ name: string; png: Buffer }>;
  /** The one verdict's judgement. */
  readonly judgement: Judgement;
  /** Where the test's time went, in milliseconds: starting the RP, driving it, stopping it. */
  readonly phases: { readonly start: number; readonly drive: number; readonly stop: number };
}

/** The outcome of a run. */
export interface CertifyRpRun {
  /** Every test's result, in the order they ran. */
  readonly results: readonly TestResult[];
  /** The OP the RP was certified against (`mock-op http://127.0.0.1:...`). */
  readonly op: string;
  /** When the run started and finished. */
  readonly started: string;
  readonly finished: string;
}

/** A selection that matches no test: exit 2. */
export class NothingSelectedError extends Error {}

/** What the run needs from the machine and cannot have (no Chromium for a browser-driven RP): exit 2. */
export class MachineError extends Error {}

/** The tags a test has in a plan, for `--tags`. */
export function testTags(test: ConformanceTest, plan: Plan): string[] {
  return [...testIds(test).map((id) => `@${id}`), `@profile:${plan.name}`, `@response_type:${plan.responseType.replaceAll(' ', '+')}`];
}

/** The tests to run, plan by plan. */
export function selection(config: CertifyRpConfig, options: { profiles?: readonly string[] | undefined; tags?: string | undefined }): Array<{ plan: Plan; test: ConformanceTest }> {
  const only = config.tests === undefined ? undefined : new Set(config.tests.map((id) => findConformanceTest(id)!));
  const plans = makePlans({
    profiles: options.profiles !== undefined && options.profiles.length > 0 ? options.profiles : config.profiles,
    ...(config.response_types === undefined ? {} : { responseTypes: config.response_types }),
    ...(only === undefined ? {} : { tests: only }),
  });
  const expression = options.tags === undefined ? undefined : parseTagExpression(options.tags);
  return plans.flatMap((plan) => plan.tests.filter((test) => expression === undefined || expression.evaluate(testTags(test, plan))).map((test) => ({ plan, test })));
}

/** A free loopback port (for the `{port}` placeholder). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

/** An rp_id segment for a plan: its profile and response type (`basic-code`, `form-post-code+id_token`). */
function planSlug(plan: Plan): string {
  return `${plan.name}-${plan.responseType.replaceAll(' ', '+')}`;
}

/** The grant types a client of `responseType` needs (and the refresh grant for a refresh test). */
function grantTypes(responseType: ResponseType, task: Task): string[] {
  const parts = responseType.split(' ');
  return [...(parts.includes('code') ? ['authorization_code'] : []), ...(parts.some((p) => p !== 'code') ? ['implicit'] : []), ...(task === 'refresh' ? ['refresh_token'] : [])];
}

/** The last line of an RP's output that says something, for a reason. */
function lastWords(output: string): string | undefined {
  const line = output.trim().split('\n').map((l) => l.trim()).filter((l) => l !== '').at(-1);
  return line === undefined ? undefined : line.length > 300 ? `${line.slice(0, 300)}...` : line;
}

/** What a test needs that the way the RP is driven cannot give: the reason to skip it. */
function unsupported(test: ConformanceTest, config: CertifyRpConfig): string | undefined {
  const browser = config.rp.browser;
  if (browser === undefined && (test.task === 'frontchannel-logout' || test.task === 'session-check' || test.task === 'third-party-login')) {
    return `the test needs the browser (the OP's pages send it to the RP): drive the RP with rp.browser to run it`;
  }
  if (browser !== undefined && test.task === 'rp-logout' && (browser.logout_url === undefined || browser.logged_out === undefined)) {
    return 'the test logs out at the RP: configure rp.browser.logout_url (where the RP starts its logout) and rp.browser.logged_out (a selector on the page after the redirect back)';
  }
  return undefined;
}

/** The client the RP holds at the test's OP: the one the harness registered, else the one it registered itself. */
function clientOf(provider: Provider, harnessClient: Client | undefined): Client | undefined {
  return harnessClient ?? [...provider.clients.values()].at(-1);
}

/**
 * Certifies the RP of `options.config`: runs every selected test and resolves with the results.
 * Throws {@link NothingSelectedError} when the selection holds no test.
 */
export async function certifyRp(options: CertifyRpOptions): Promise<CertifyRpRun> {
  const { config } = options;
  const selected = selection(config, options);
  if (selected.length === 0) throw new NothingSelectedError(`no test matches the selection${options.tags ? ` ${options.tags}` : ''} in ${(options.profiles?.length ? options.profiles : config.profiles).join(', ')}${config.response_types ? ` with ${config.response_types.join(', ')}` : ''}`);
  const started = new Date().toISOString();
  const cwd = options.cwd ?? process.cwd();
  const tls = options.tls ?? config.tls;
  const publicBase = options.publicBase ?? config.public_base_url;
  let authority: RunAuthority | undefined;
  let caDir: string | undefined;
  let caFile = '';
  if (tls) {
    const hosts = ['localhost', '127.0.0.1', '::1', ...(publicBase === undefined ? [] : [new URL(publicBase).hostname])];
    // The X.509 library loads only for a run that serves https.
    const { createRunAuthority } = await import('../tls.js');
    authority = await createRunAuthority([...new Set(hosts)]);
    caDir = await mkdtemp(join(tmpdir(), 'oidc-harness-ca-'));
    caFile = join(caDir, 'run-ca.pem');
    await writeFile(caFile, authority.caPem);
  }
  const server = await startMockOpServer({
    host: config.host,
    port: options.port ?? config.port,
    ...(options.keys === undefined ? {} : { keys: options.keys }),
    ...(authority === undefined ? {} : { tls: { cert: authority.certPem, key: authority.keyPem } }),
    ...(publicBase === undefined ? {} : { publicBase }),
  });
  const runId = `r${randomBytes(4).toString('hex')}`;
  let browser: RpBrowser | undefined;
  const results: TestResult[] = [];
  try {
    if (config.rp.browser !== undefined) {
      try {
        browser = await RpBrowser.launch(authority === undefined ? {} : { trustSpki: authority.spkiSha256 });
      } catch (error) {
        throw new MachineError(`rp.browser needs Chromium, which could not be started: ${(error as Error).message.split('\n')[0]}`);
      }
    }
    // `jobs` runners take the tests in order; the results keep the selection's order. A runner
    // that fails stops the others from taking more, and every one has ended before the OP closes.
    const ordered: TestResult[] = new Array<TestResult>(selected.length);
    let next = 0;
    let failed = false;
    const runner = async (): Promise<void> => {
      for (let index = next++; index < selected.length && !failed; index = next++) {
        const { plan, test } = selected[index]!;
        const begun = Date.now();
        const { result, detail } = await runTest({ config, server, plan, test, rpId: `${runId}-${planSlug(plan)}`, caFile, cwd, browser });
        const done: TestResult = { ...result, ms: Date.now() - begun };
        ordered[index] = done;
        options.onResult?.(done, detail);
      }
    };
    const jobs = Math.min(options.jobs ?? config.jobs, selected.length);
    const ended = await Promise.allSettled(Array.from({ length: jobs }, () => runner().catch((error: unknown) => {
      failed = true;
      throw error;
    })));
    const failure = ended.find((e): e is PromiseRejectedResult => e.status === 'rejected');
    if (failure !== undefined) throw failure.reason;
    results.push(...ordered);
  } finally {
    await browser?.close().catch(() => undefined);
    await server.close();
    if (caDir !== undefined) await rm(caDir, { recursive: true, force: true });
  }
  return { results, op: `mock-op ${server.url}`, started, finished: new Date().toISOString() };
}

/** What one test runs with. */
interface TestRun {
  readonly config: CertifyRpConfig;
  readonly server: MockOpServer;
  readonly plan: Plan;
  readonly test: ConformanceTest;
  readonly rpId: string;
  readonly caFile: string;
  readonly cwd: string;
  readonly browser: RpBrowser | undefined;
}

/** Runs one test: register, start, drive, stop, judge. */
async function runTest(run: TestRun): Promise<{ result: Omit<TestResult, 'ms'>; detail: TestDetail }> {
  const { config, server, plan, test, rpId } = run;
  const testId = displayId(test);
  const issuer = server.op.issuerFor(rpId, testId);
  const provider = server.op.opFor(rpId, testId);
  const host = new URL(issuer).host;
  const values: Record<keyof PlaceholderValues, string> = {
    issuer,
    test_id: testId,
    response_type: plan.responseType,
    response_mode: plan.responseMode ?? '',
    client_id: '',
    client_secret: '',
    redirect_uri: '',
    ca_file: run.caFile,
    webfinger: test.discovery === 'webfinger-acct' ? `acct:${rpId}.${testId}@${host}` : test.discovery === 'webfinger-url' ? issuer : '',
    logins: test.task === 'login-twice' ? '2' : '1',
    task: test.task,
    port: String(await freePort()),
  };
  const base = {
    test: testId,
    legacy: [...test.legacy],
    profile: plan.name,
    responseType: plan.responseType,
    responseMode: plan.responseMode ?? null,
    expected: test.expected,
    rp: config.name,
    check: null,
    title: test.rpDoes,
  };
  const screenshots: Array<{ name: string; png: Buffer }> = [];
  const phases = { start: 0, drive: 0, stop: 0 };
  const finish = (judgement: Judgement, outcome: TestResult['outcome'], output: string): { result: Omit<TestResult, 'ms'>; detail: TestDetail } => {
    const secrets = secretsOf(provider);
    const detail: TestDetail = { test, issuer, requests: redactedLog(provider.requests.all(), secrets), output: redactValues(output, secrets), screenshots, judgement, phases };
    return { result: { ...base, outcome, verdict: judgement.verdict, reason: redactValues(judgement.reason, secrets) }, detail };
  };

  const skip = unsupported(test, config);
  if (skip !== undefined) return finish({ verdict: 'skipped', reason: skip }, null, '');

  // The client: registered by the harness at this test's OP (its metadata forced as the test needs), or by the RP.
  let harnessClient: Client | undefined;
  let requested: Record<string, unknown> | undefined;
  if (config.registration !== 'dynamic') {
    const metadata = substituteDeep(config.registration, values) as Record<string, unknown>;
    requested = { response_types: [plan.responseType], grant_types: grantTypes(plan.responseType, test.task), ...metadata };
    try {
      harnessClient = provider.registerClient(requested, { dynamic: false });
    } catch (error) {
      return finish({ verdict: 'inconclusive', reason: `the harness could not register the client the configuration describes at this test's OP: ${(error as Error).message}` }, null, '');
    }
    values.client_id = harnessClient.client_id;
    values.client_secret = harnessClient.token_endpoint_auth_method === 'none' ? '' : harnessClient.client_secret;
    values.redirect_uri = String((requested.redirect_uris as string[])[0]);
  }
  const env = {
    ...config.rp.env,
    ...placeholderEnvironment(values),
    ...(run.caFile === '' ? {} : { NODE_EXTRA_CA_CERTS: run.caFile }),
  };

  let started: RpProcess | undefined;
  let output = '';
  let driverProblem: string | undefined;
  let outcome: 'accepted' | 'refused' = 'refused';
  let rpSays: string | undefined;
  const harnessMade = new Set<LoggedRequest>();
  let clock = Date.now();
  const lap = (): number => {
    const now = Date.now();
    const elapsed = now - clock;
    clock = now;
    return elapsed;
  };
  try {
    if (config.rp.start !== undefined) {
      started = startProcess(config.rp.start.map((a) => substitute(a, values)), env, run.cwd);
      const ready = await waitUntilReady(substituteUrl(config.rp.ready_url!, values), started, config.rp.ready_timeout_ms);
      if (ready !== true) driverProblem = `${ready}${lastWords(started.output()) ? ` (it printed: ${lastWords(started.output())})` : ''}`;
    }
    phases.start = lap();
    if (driverProblem === undefined) {
      const driven = config.rp.browser !== undefined
        ? await driveBrowser(run, values, provider, () => clientOf(provider, harnessClient), screenshots, harnessMade)
        : await driveCommand(run, values, env);
      outcome = driven.outcome;
      rpSays = driven.says;
      driverProblem = driven.problem;
      output += driven.output ?? '';
      if (outcome === 'accepted' && test.task === 'backchannel-logout') {
        const client = clientOf(provider, harnessClient);
        if (client !== undefined && typeof client.backchannel_logout_uri === 'string') await provider.backchannelLogout(client.client_id).catch(() => undefined);
      }
    }
  } finally {
    phases.drive = lap();
    await started?.stop();
    phases.stop = lap();
    if (started !== undefined) output = `${started.output()}${output}`;
  }
  const evidence: Evidence = {
    responseType: plan.responseType,
    responseMode: plan.responseMode,
    outcome,
    requests: provider.requests.all().filter((r) => !harnessMade.has(r) && r.endpoint !== 'initiate-login'),
    backchannel: [...provider.backchannelDeliveries],
    clients: [...provider.clients.values()],
    registeredItself: config.registration === 'dynamic',
    ...(requested === undefined ? {} : { requestedMetadata: requested }),
    ...(run.browser === undefined ? {} : { browserRequests: [...run.browser.responses] }),
    ...(driverProblem === undefined ? {} : { driverProblem }),
    ...(rpSays === undefined ? {} : { rpSays: redactValues(rpSays, secretsOf(provider)) }),
  };
  const judgement = judge(test, evidence);
  // An acct: identifier is looked up over https (RFC 7033, 4): against a plain http OP a conforming RP cannot reach it.
  const hint = judgement.verdict === 'inconclusive' && test.discovery === 'webfinger-acct' && run.caFile === '' ? '; WebFinger for an acct: identifier is asked over https (RFC 7033, 4): run with --tls' : '';
  return finish({ ...judgement, reason: judgement.reason + hint }, driverProblem === undefined ? outcome : null, output);
}

/** How driving the RP went. */
interface Driven {
  readonly outcome: 'accepted' | 'refused';
  /** What the RP said (its last line of output, what its end page showed). */
  readonly says?: string | undefined;
  /** Why the RP could not be driven at all. */
  readonly problem?: string | undefined;
  readonly output?: string | undefined;
}

/** Runs the RP's command once (it does the test's task itself: OIDC_TASK, OIDC_LOGINS). */
async function driveCommand(run: TestRun, values: PlaceholderValues, env: Record<string, string>): Promise<Driven> {
  const argv = run.config.rp.command!.map((a) => substitute(a, values));
  const ended = await runToEnd(argv, env, run.cwd, run.config.rp.timeout_ms);
  if (ended.error !== undefined) return { outcome: 'refused', problem: `the RP's command could not be run: ${ended.error}`, output: ended.output };
  const words = lastWords(ended.output);
  if (ended.timedOut) return { outcome: 'refused', says: `it did not finish within ${run.config.rp.timeout_ms} ms${words ? `; it last printed: ${words}` : ''}`, output: ended.output };
  return { outcome: ended.code === 0 ? 'accepted' : 'refused', says: words ?? `exit status ${ended.code}`, output: ended.output };
}

/** Drives a browser-based RP through the test's task. */
async function driveBrowser(
  run: TestRun,
  values: PlaceholderValues,
  provider: Provider,
  client: () => Client | undefined,
  screenshots: Array<{ name: string; png: Buffer }>,
  harnessMade: Set<LoggedRequest>,
): Promise<Driven> {
  const browser = run.browser!;
  const settings = run.config.rp.browser!;
  const { test } = run;
  const visit = async (name: string, url: string, selector: string): Promise<Visit> => {
    const seen = await browser.visit(url, { selector, timeoutMs: settings.timeout_ms, settleMs: settings.settle_ms, refused: settings.refused });
    if (seen.screenshot !== undefined) screenshots.push({ name, png: seen.screenshot });
    return seen;
  };
  /** A visit the harness makes on the OP's behalf: its requests to the OP are not the RP's. */
  const opVisit = async (name: string, path: string, selector: string): Promise<Visit> => {
    const before = provider.requests.length;
    const id = client()?.client_id;
    const seen = await visit(name, `${values.issuer}${path}?client_id=${encodeURIComponent(id ?? '')}`, selector);
    const first = provider.requests.all()[before];
    if (first !== undefined) harnessMade.add(first);
    return seen;
  };
  await browser.newSession();
  const startUrl = substituteUrl(settings.start_url, values);
  let login: Visit;
  if (test.task === 'third-party-login') {
    login = await opVisit('third-party login', '/initiate_login', settings.logged_in);
  } else {
    login = await visit('login', startUrl, settings.logged_in);
  }
  if (login.unreachable !== undefined) return { outcome: 'refused', problem: login.says };
  if (!login.found) return { outcome: 'refused', says: login.says };
  switch (test.task) {
    case 'login-twice': {
      await browser.newSession();
      const again = await visit('second login', startUrl, settings.logged_in);
      return again.found ? { outcome: 'accepted', says: again.says } : { outcome: 'refused', says: `the second login: ${again.says}` };
    }
    case 'rp-logout': {
      const out = await visit('logout', substituteUrl(settings.logout_url!, values), settings.logged_out!);
      return out.found ? { outcome: 'accepted', says: out.says } : { outcome: 'refused', says: `after logout: ${out.says}` };
    }
    case 'frontchannel-logout':
      // The OP ends the session; its page loads the RP's front-channel logout URI (no selector: the page settles).
      await opVisit('logout at the OP', '/end_session', '#oidc-harness-waits-for-the-page-to-settle');
      return { outcome: 'accepted', says: login.says };
    default:
      return { outcome: 'accepted', says: login.says };
  }
}
