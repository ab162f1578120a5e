import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS = join(ROOT, 'reports', 'allure-results');
const REPORT = join(ROOT, 'reports', 'allure-report');

/** The certification profiles, as the features tag them (@profile:NAME). */
export const PROFILES = [
  'basic', 'implicit', 'hybrid', 'form-post', 'config', 'dynamic', 'backchannel-logout', 'frontchannel-logout',
  'rp-initiated-logout', 'session-management', 'third-party-login', 'refresh-token', 'comprehensive',
] as const;

const HELP = `oidc-harness: check an OpenID Connect Relying Party against the specifications

Usage:
  oidc-harness certify [--profile NAME]... [--tags EXPR] [--no-report]
      Run the RP certification (features/certification) against the built-in mock OP,
      in-process through MSW: a verdict line per scenario as it runs, a table per profile, then
      reports/summary.json, reports/allure-results and the rendered report at
      reports/allure-report/index.html. Exits 1 when any verdict is "failed".
      Profiles: ${PROFILES.join(', ')}.
  oidc-harness live --config FILE [--no-report]
      Run the real-OP features (features/real-op) against a live provider: discovery, registration
      or the configured client, logins in Chromium with the configured login recipe, tokens,
      userinfo, refresh, logout. Secrets come from the environment variables FILE names.
      Interop findings appear in the report under "Interop findings". Exits 1 when a scenario fails.
  oidc-harness serve-op [--port N] [--host ADDR]
      Serve the certification mock OP on loopback (default 127.0.0.1, port 8080) until stopped:
      every catalogue test at http://HOST:PORT/<rp_id>/<test_id>, for a browser or another RP.
  oidc-harness report
      Render reports/allure-results into reports/allure-report.
  oidc-harness --help
      Show this text.

Exit codes: 0 all passed, 1 a scenario failed, 2 a usage or setup error.`;

function run(command: string, args: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: 'inherit' });
    child.on('error', () => resolve(2));
    child.on('close', (code) => resolve(code ?? 2));
  });
}

/** Renders the Allure report with Allure 3 (no Java needed). */
async function renderReport(): Promise<number> {
  if (!existsSync(RESULTS)) {
    console.error(`no results to render in ${RESULTS}: run "oidc-harness certify" first`);
    return 2;
  }
  const allure = join(ROOT, 'node_modules', '.bin', 'allure');
  const code = await run(allure, ['generate', RESULTS, '-o', REPORT]);
  if (code === 0) console.log(`report: ${join(REPORT, 'index.html')}`);
  return code === 0 ? 0 : 2;
}

/** Runs the features with Cucumber's API and returns whether every scenario passed. */
async function runFeatures(tags: string | undefined, worldParameters?: Record<string, string>, profile = 'certify'): Promise<boolean> {
  const { loadConfiguration, runCucumber } = await import('@cucumber/cucumber/api');
  const provided = { ...(tags ? { tags } : {}), ...(worldParameters ? { worldParameters } : {}) };
  const { runConfiguration } = await loadConfiguration({ file: 'cucumber.mjs', profiles: [profile], provided }, { cwd: ROOT });
  const { success } = await runCucumber(runConfiguration, { cwd: ROOT });
  return success;
}

/** Runs the real-OP features against the live provider a configuration file describes. */
async function live(args: string[]): Promise<number> {
  let config: string | undefined;
  let report = true;
  for (let i = 0; i < args.length; i += 1) {
    if (args[i] === '--config') config = args[++i];
    else if (args[i] === '--no-report') report = false;
    else {
      console.error(`unknown option ${args[i]}\n\n${HELP}`);
      return 2;
    }
  }
  if (!config) {
    console.error('oidc-harness live needs --config FILE (see live.example.json)');
    return 2;
  }
  const { loadLiveConfig, LiveConfigError } = await import('../steps/support/targets/live-config.js');
  try {
    await loadLiveConfig(config);
  } catch (error) {
    if (error instanceof LiveConfigError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }
  await rm(RESULTS, { recursive: true, force: true });
  await mkdir(RESULTS, { recursive: true });
  const passed = await runFeatures(undefined, { target: 'live', liveConfig: config }, 'live');
  const rendered = report ? await renderReport() : 0;
  if (rendered !== 0) return rendered;
  return passed ? 0 : 1;
}

/** Serves the mock OP on loopback until SIGINT or SIGTERM. */
async function serveOp(args: string[]): Promise<number> {
  let port = 8080;
  let host = '127.0.0.1';
  for (let i = 0; i < args.length; i += 1) {
    if (args[i] === '--port') port = Number(args[++i]);
    else if (args[i] === '--host') host = args[++i] ?? host;
    else {
      console.error(`unknown option ${args[i]}\n\n${HELP}`);
      return 2;
    }
  }
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error('--port must be a port number');
    return 2;
  }
  const { startMockOpServer } = await import('../mock-op/server.js');
  const server = await startMockOpServer({ port, host });
  console.log(`mock OP listening at ${server.url}`);
  console.log(`example issuer: ${server.url}/oicrp/oidcc-client-test (any test id of the catalogue in place of oidcc-client-test)`);
  console.log(`discovery: ${server.url}/oicrp/oidcc-client-test/.well-known/openid-configuration`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
  return 0;
}

/**
 * The command line: parses `argv` and runs the command.
 * @returns the process exit code.
 */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    console.log(HELP);
    return command === undefined ? 2 : 0;
  }
  if (command === 'report') return renderReport();
  if (command === 'serve-op') return serveOp(rest);
  if (command === 'live') return live(rest);
  if (command === 'certify') {
    let tags: string | undefined;
    const profiles: string[] = [];
    let report = true;
    for (let i = 0; i < rest.length; i += 1) {
      const option = rest[i];
      if (option === '--tags') tags = rest[++i];
      else if (option === '--profile') profiles.push(rest[++i] ?? '');
      else if (option === '--no-report') report = false;
      else {
        console.error(`unknown option ${option}\n\n${HELP}`);
        return 2;
      }
    }
    const unknown = profiles.filter((p) => !(PROFILES as readonly string[]).includes(p));
    if (unknown.length > 0) {
      console.error(`unknown profile ${unknown.join(', ')}; the profiles are ${PROFILES.join(', ')}`);
      return 2;
    }
    if (profiles.length > 0) {
      const byProfile = profiles.map((p) => `@profile:${p}`).join(' or ');
      tags = tags ? `(${tags}) and (${byProfile})` : byProfile;
    }
    await rm(RESULTS, { recursive: true, force: true });
    await mkdir(RESULTS, { recursive: true });
    const passed = await runFeatures(tags);
    const rendered = report ? await renderReport() : 0;
    if (rendered !== 0) return rendered;
    return passed ? 0 : 1;
  }
  console.error(`unknown command "${command}"\n\n${HELP}`);
  return 2;
}
