/**
 * The package as a project that installs it meets it: `npm pack`, installed into an empty
 * project, runs `oidc-harness certify`, `certify-rp`, `live` and `serve-op` from node_modules
 * (compiled JavaScript, no tsx), writes its reports into that project, and the service layer
 * imports from `oidc-harness` with its types. npm installs the dependencies from its cache (filled
 * by this checkout's `npm ci`), so no new download is needed.
 *
 * Run: node --import tsx --test test/package/package.e2e.ts
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { ROOT } from '../fixtures/root.js';

const exec = promisify(execFile);
let project: string;

/** Runs a command in the project; resolves with its exit code and output. */
function run(command: string, args: string[], timeoutMs = 120_000): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: project, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, OIDC_HARNESS_REPORTS: '', NODE_OPTIONS: '' } });
    let out = '';
    child.stdout.on('data', (c: Buffer) => { out += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { out += c.toString(); });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

/** The installed command. */
const harness = (...args: string[]) => run(join(project, 'node_modules', '.bin', 'oidc-harness'), args);

before(async () => {
  project = await mkdtemp(join(tmpdir(), 'oidc-harness-consumer-'));
  // What `npm run test:e2e` has just built: without its `prepare` script, so the rebuild does not
  // pull dist/ from under the other test files of the run.
  const { stdout } = await exec('npm', ['pack', '--silent', '--ignore-scripts', '--pack-destination', project], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
  const tarball = join(project, stdout.trim().split('\n').at(-1)!);
  await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', type: 'module', private: true }));
  const install = (cache: string[]): Promise<unknown> => exec('npm', ['install', '--no-audit', '--no-fund', ...cache, '--loglevel=error', tarball], { cwd: project, maxBuffer: 16 * 1024 * 1024 });
  try {
    // From npm's cache where it can: what `npm ci` fetched for this checkout.
    await install(['--prefer-offline']);
  } catch (error) {
    // A cached package list older than a version that a newer dependency asks for (ETARGET): the
    // registry is asked again, as a user's install would.
    if (!/ETARGET|notarget/.test(String((error as { stderr?: unknown }).stderr ?? error))) throw error;
    await install(['--prefer-online']);
  }
});

after(async () => {
  await rm(project, { recursive: true, force: true });
});

describe('the package, installed into an empty project', () => {
  it('holds compiled JavaScript and type declarations, and no TypeScript source or test', async () => {
    const installed = join(project, 'node_modules', 'oidc-harness');
    assert.ok(existsSync(join(installed, 'dist', 'src', 'index.js')));
    assert.ok(existsSync(join(installed, 'dist', 'src', 'index.d.ts')));
    assert.ok(!existsSync(join(installed, 'src')), 'no sources');
    assert.ok(!existsSync(join(installed, 'test')), 'no tests');
    assert.ok(!existsSync(join(installed, 'dist', 'test')), 'no compiled tests');
    assert.ok(!existsSync(join(installed, 'node_modules', 'tsx')) && !existsSync(join(project, 'node_modules', 'tsx')), 'tsx is not installed with it');
  });

  it('runs certify from node_modules, writing its reports into the project', async () => {
    const { code, out } = await harness('certify', '--profile', 'basic');
    assert.equal(code, 0, out);
    assert.match(out, /14 passed, 0 failed, 0 skipped, 0 inconclusive/);
    assert.match(out, new RegExp(`report: ${join(project, 'reports', 'allure-report')}`));
    const summary = JSON.parse(await readFile(join(project, 'reports', 'summary.json'), 'utf8')) as { results: unknown[] };
    assert.equal(summary.results.length, 14);
  });

  it('certifies an RP written on the installed service layer with certify-rp, and the layer type-checks from its declarations', async () => {
    await writeFile(
      join(project, 'rp.ts'),
      `import { OidcError, RelyingParty } from 'oidc-harness';
const env = process.env;
const rp = await RelyingParty.create({
  base_url: 'http://127.0.0.1:9',
  redirect_uris: [env.OIDC_REDIRECT_URI ?? ''],
  issuer: env.OIDC_ISSUER ?? '',
  client_id: env.OIDC_CLIENT_ID ?? '',
  client_secret: env.OIDC_CLIENT_SECRET ?? '',
  behaviour: { response_types: ['code'], token_endpoint_auth_method: 'client_secret_basic', scope: ['openid'] },
  allow: { http_links: true, private_addresses: true },
});
try {
  await rp.discover();
  const { url, state } = await rp.beginLogin();
  const redirect = await fetch(url, { redirect: 'manual' });
  await rp.finishLogin(new URL(redirect.headers.get('location') ?? '', url).toString(), state);
  await rp.userInfo(state);
} catch (error) {
  console.error(error instanceof OidcError ? 'refused at ' + error.check : String(error));
  process.exit(1);
}
`,
    );
    // The RP is TypeScript: type-checked against the package's declarations, then run as JavaScript.
    await writeFile(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: true, types: ['node'], typeRoots: [join(ROOT, 'node_modules', '@types')] }, files: ['rp.ts'] }));
    const tsc = await run(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.']);
    assert.equal(tsc.code, 0, tsc.out);
    assert.ok(existsSync(join(project, 'rp.js')));
    await writeFile(
      join(project, 'certify-rp.json'),
      JSON.stringify({
        name: 'a project on the installed layer',
        tests: ['oidcc-client-test', 'oidcc-client-test-invalid-sig-rs256'],
        registration: { redirect_uris: ['http://127.0.0.1:{port}/callback'], token_endpoint_auth_method: 'client_secret_basic' },
        rp: { command: ['node', 'rp.js'] },
      }),
    );
    const { code, out } = await harness('certify-rp', '--config', 'certify-rp.json', '--no-report');
    assert.equal(code, 0, out);
    assert.match(out, /^PASSED +basic +oidcc-client-test-invalid-sig-rs256 +code: the RP refused the ID token .*refused at checkSignature/m);
  });

  it('runs live and serve-op from node_modules', async () => {
    await writeFile(join(project, 'live.json'), JSON.stringify({ name: 'nothing', unknown_setting: true }));
    const live = await harness('live', '--config', 'live.json');
    assert.equal(live.code, 2, live.out);
    assert.match(live.out, /issuer/);
    const serve = spawn(join(project, 'node_modules', '.bin', 'oidc-harness'), ['serve-op', '--port', '0'], { cwd: project, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        serve.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          const match = /listening at (http:\/\/\S+)/.exec(out);
          if (match) resolve(match[1]!);
        });
        serve.on('close', () => reject(new Error(`serve-op ended: ${out}`)));
      });
      const discovery = await fetch(`${url}/me/oidcc-client-test/.well-known/openid-configuration`);
      assert.equal(((await discovery.json()) as { issuer: string }).issuer, `${url}/me/oidcc-client-test`);
    } finally {
      serve.kill('SIGTERM');
    }
  });
});
