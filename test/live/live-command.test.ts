/**
 * `oidc-harness live --config FILE` against a provider the test starts (the local oidc-provider,
 * treated as any live provider): the real-OP features run through Chromium, the command exits 0,
 * shows progress, and neither the password nor the client secret reaches the reports.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { startLocalOp, type LocalOp } from '../../live/local-op.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PASSWORD = 'pw-only-in-the-environment-7f3a9c';
const SECRET = 'client-secret-only-in-the-environment-51be0d';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const files = await Promise.all(entries.map((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : Promise.resolve([join(dir, e.name)]))));
  return files.flat();
}

describe('oidc-harness live', () => {
  let op: LocalOp;
  let config: string;

  before(async () => {
    const rpPort = await freePort();
    const redirect = `http://127.0.0.1:${rpPort}/callback`;
    op = await startLocalOp({
      clients: [{ client_id: 'live-basic', client_secret: SECRET, token_endpoint_auth_method: 'client_secret_basic', redirect_uris: [redirect], post_logout_redirect_uris: [`http://127.0.0.1:${rpPort}/logged_out`], grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'] }],
    });
    config = join(await mkdtemp(join(tmpdir(), 'oidc-harness-live-')), 'live.json');
    await writeFile(config, JSON.stringify({
      name: 'a provider started by the test',
      issuer: op.issuer,
      client: { client_id: 'live-basic', client_secret_env: 'TEST_LIVE_SECRET', token_endpoint_auth_method: 'client_secret_basic' },
      redirect_uri: redirect,
      post_logout_redirect_uri: `http://127.0.0.1:${rpPort}/logged_out`,
      scope: 'openid profile email offline_access',
      login: { preset: 'oidc-provider', username_env: 'TEST_LIVE_USER', password_env: 'TEST_LIVE_PASSWORD' },
    }));
  });

  after(async () => {
    await op.close();
  });

  it('runs the real-OP features against the configured provider, keeping its secrets out of the reports', async () => {
    const env = { ...process.env, TEST_LIVE_SECRET: SECRET, TEST_LIVE_USER: 'alice', TEST_LIVE_PASSWORD: PASSWORD };
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'oidc-harness.mjs'), 'live', '--config', config, '--no-report'], { cwd: ROOT, env });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 0, output);
    assert.match(output, /RUNNING The code flow with PKCE/);
    assert.match(output, /PASSED\s+The RP refreshes its tokens/);
    assert.ok(!output.includes(PASSWORD) && !output.includes(SECRET), 'no secret on the console');
    const files = await filesUnder(join(ROOT, 'reports', 'live', 'a-provider-started-by-the-test'));
    assert.ok(files.some((f) => f.endsWith('.png')), 'the login screenshots are in the results');
    for (const file of files) {
      const content = await readFile(file);
      assert.ok(!content.includes(PASSWORD) && !content.includes(SECRET), `no secret in ${file}`);
    }
  });

  it('refuses a configuration that holds a secret, naming it', async () => {
    const bad = join(dirname(config), 'bad.json');
    await writeFile(bad, JSON.stringify({ issuer: op.issuer, redirect_uri: 'http://127.0.0.1:1/callback', name: 'bad', login: { preset: 'oidc-provider', username_env: 'U', password_env: 'P', password: 'oops' } }));
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'oidc-harness.mjs'), 'live', '--config', bad], { cwd: ROOT });
    let output = '';
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 2);
    assert.match(output, /login\.password/);
    assert.ok(!output.includes('oops'));
  });
});
