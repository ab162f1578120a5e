/**
 * glewlwyd (the OpenID Provider in Debian's `glewlwyd` package, C and SQLite) started from nothing
 * on a free loopback port, as a child process: a fresh SQLite database made from the package's
 * own SQL init script, a copy of its web app (whose login page is a single-page app), and a
 * configuration binding 127.0.0.1 over plain http. It is then provisioned the way an
 * administrator would, through its admin REST API (`/api`, as the package's default `admin`):
 * the scopes, the OpenID Connect plugin (issuer `<base>/api/oidc`, an RS256 key of its own,
 * dynamic registration, RP-initiated logout), one user and one confidential client.
 *
 * Nothing here changes glewlwyd's behaviour: what it does with the requests the harness sends is
 * what the package does.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { copyFile, lstat, mkdir, mkdtemp, readdir, realpath, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';

/** Where Debian's package puts what the start needs. */
export const GLEWLWYD_PATHS = {
  executable: process.env['GLEWLWYD'] ?? '/usr/bin/glewlwyd',
  sqlite3: '/usr/bin/sqlite3',
  sqlInit: '/usr/share/dbconfig-common/data/glewlwyd/install/sqlite3',
  webapp: '/usr/share/glewlwyd/webapp',
  webappConfig: '/usr/share/glewlwyd/templates/config.json',
  modules: '/usr/lib/glewlwyd',
} as const;

/** What to do when glewlwyd is not there. */
export const GLEWLWYD_MISSING = 'glewlwyd is not installed: install it with `apt-get install -y glewlwyd` '
  + "(Debian 12 or Ubuntu; it brings /usr/bin/glewlwyd, sqlite3, the SQL init script and the web app). Missing: ";

/** The administrator the package's SQL init script creates. */
const ADMIN = { username: 'admin', password: 'password' } as const;

/** How to start glewlwyd. */
export interface GlewlwydOptions {
  /** The RP's redirect URI, registered for the client. */
  redirectUri: string;
  /** The RP's post-logout redirect URI, registered for the client (glewlwyd's client field `post_logout_redirect_uri`, a string). */
  postLogoutRedirectUri: string;
  /** The end-user to create. */
  user: { username: string; password: string };
  /** The client's secret; random when absent. */
  clientSecret?: string;
  /** The client's id. Default `oidc-harness`. */
  clientId?: string;
  /** Port on 127.0.0.1; a free one when absent. */
  port?: number;
}

/** A running glewlwyd. */
export interface GlewlwydOp {
  /** `http://127.0.0.1:<port>/api/oidc`. */
  issuer: string;
  /** `http://127.0.0.1:<port>`. */
  baseUrl: string;
  port: number;
  client: { client_id: string; client_secret: string };
  /** What glewlwyd printed (its log), for diagnosing a failed start. */
  output(): string;
  /** Stops the process and removes its folder. */
  close(): Promise<void>;
}

/** The paths of the package that are missing, empty when glewlwyd can start. */
export function missingGlewlwyd(): string[] {
  return [GLEWLWYD_PATHS.executable, GLEWLWYD_PATHS.sqlite3, GLEWLWYD_PATHS.sqlInit, GLEWLWYD_PATHS.webapp, GLEWLWYD_PATHS.webappConfig, GLEWLWYD_PATHS.modules]
    .filter((path) => !existsSync(path));
}

/**
 * Starts glewlwyd in a temporary folder of its own and provisions it.
 * @throws Error saying what to install when the package is missing, or what glewlwyd printed when it does not start.
 */
export async function startGlewlwyd(options: GlewlwydOptions): Promise<GlewlwydOp> {
  const missing = missingGlewlwyd();
  if (missing.length > 0) throw new Error(`${GLEWLWYD_MISSING}${missing.join(', ')}`);
  const dir = await mkdtemp(join(tmpdir(), 'oidc-harness-glewlwyd-'));
  let child: ChildProcess | undefined;
  let output = '';
  const stop = async (): Promise<void> => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child?.kill('SIGKILL'), 3_000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const port = options.port ?? await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const database = join(dir, 'glewlwyd.sqlite3');
    await initDatabase(database);
    const webapp = join(dir, 'webapp');
    await copyWebapp(GLEWLWYD_PATHS.webapp, webapp);
    const configFile = join(dir, 'glewlwyd.conf');
    await writeFile(configFile, configuration(port, baseUrl, database, webapp));

    child = spawn(GLEWLWYD_PATHS.executable, ['-c', configFile], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    // Should this process end without close(), glewlwyd ends with it rather than linger.
    const started = child;
    const orphaned = (): void => {
      if (started.exitCode === null) started.kill('SIGKILL');
    };
    process.once('exit', orphaned);
    started.once('exit', () => process.off('exit', orphaned));
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitUntilListening(baseUrl, child, () => output);

    const clientId = options.clientId ?? 'oidc-harness';
    const clientSecret = options.clientSecret ?? randomBytes(24).toString('base64url');
    await provision(baseUrl, { ...options, clientId, clientSecret });
    return {
      issuer: `${baseUrl}/api/oidc`,
      baseUrl,
      port,
      client: { client_id: clientId, client_secret: clientSecret },
      output: () => output,
      close: stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** A free TCP port on 127.0.0.1. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}

/** A fresh database from the package's SQL init script (tables, the `admin` user, the database backends). */
async function initDatabase(path: string): Promise<void> {
  const sqlite = spawn(GLEWLWYD_PATHS.sqlite3, [path], { stdio: ['pipe', 'ignore', 'pipe'] });
  let errors = '';
  sqlite.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  createReadStream(GLEWLWYD_PATHS.sqlInit).pipe(sqlite.stdin);
  const code = await new Promise<number | null>((resolve) => sqlite.on('close', resolve));
  if (code !== 0) throw new Error(`sqlite3 could not create glewlwyd's database from ${GLEWLWYD_PATHS.sqlInit}: ${errors.trim()}`);
}

/**
 * Copies the web app, following its symbolic links (its scripts and fonts point into other
 * packages) and skipping those that lead nowhere; its `config.json` (a link into /etc that is
 * not a file) is replaced by the package's template, and `locales/en-US` is added beside `en`,
 * the language Chromium asks for.
 */
async function copyWebapp(from: string, to: string): Promise<void> {
  await copyFollowingLinks(from, to, (name) => name !== 'config.json');
  await copyFile(GLEWLWYD_PATHS.webappConfig, join(to, 'config.json'));
  if (existsSync(join(to, 'locales', 'en')) && !existsSync(join(to, 'locales', 'en-US'))) await copyFollowingLinks(join(to, 'locales', 'en'), join(to, 'locales', 'en-US'), () => true);
}

async function copyFollowingLinks(from: string, to: string, keep: (name: string) => boolean): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const name of await readdir(from)) {
    if (!keep(name)) continue;
    const source = join(from, name);
    let real = source;
    if ((await lstat(source)).isSymbolicLink()) {
      try {
        real = await realpath(source);
      } catch {
        continue;
      }
    }
    const info = await stat(real).catch(() => undefined);
    if (info?.isDirectory()) await copyFollowingLinks(real, join(to, name), () => true);
    else if (info?.isFile()) await copyFile(real, join(to, name));
  }
}

/** glewlwyd's configuration (libconfig): loopback only, plain http, the web app served by glewlwyd itself. */
function configuration(port: number, baseUrl: string, database: string, webapp: string): string {
  const quote = (text: string): string => `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  const mime = [['.html', 'text/html'], ['.css', 'text/css'], ['.js', 'application/javascript'], ['.json', 'application/json'], ['.png', 'image/png'], ['.ico', 'image/x-icon'], ['.svg', 'image/svg+xml'], ['.woff', 'font/woff'], ['.woff2', 'font/woff2'], ['.ttf', 'font/ttf'], ['.eot', 'application/vnd.ms-fontobject'], ['.map', 'application/octet-stream']];
  // No use_secure_connection at all: glewlwyd 2.7.5 wants certificates as soon as the setting is present, even false.
  return [
    `port=${port}`,
    'bind_address="127.0.0.1"',
    `external_url=${quote(baseUrl)}`,
    'login_url="login.html"',
    'api_prefix="api"',
    `static_files_path=${quote(`${webapp}/`)}`,
    'allow_origin="*"',
    'log_mode="console"',
    'log_level="WARNING"',
    'cookie_secure=0',
    'cookie_same_site="empty"',
    'session_expiration=3600',
    'session_key="GLEWLWYD2_SESSION_ID"',
    'admin_session_authentication="cookie"',
    'profile_session_authentication="cookie"',
    'allow_multiple_user_per_session=true',
    'login_api_enabled=true',
    'plugin_api_run_enabled=""',
    'add_x_frame_option_header_deny=true',
    'admin_scope="g_admin"',
    'profile_scope="g_profile"',
    `user_module_path=${quote(`${GLEWLWYD_PATHS.modules}/user`)}`,
    `client_module_path=${quote(`${GLEWLWYD_PATHS.modules}/client`)}`,
    `user_auth_scheme_module_path=${quote(`${GLEWLWYD_PATHS.modules}/scheme`)}`,
    `plugin_module_path=${quote(`${GLEWLWYD_PATHS.modules}/plugin`)}`,
    'hash_algorithm="SHA512"',
    `database = { type = "sqlite3" path = ${quote(database)} };`,
    `static_files_mime_types = (\n${mime.map(([extension, type]) => `  { extension = "${extension}" mime_type = "${type}" }`).join(',\n')}\n)`,
    '',
  ].join('\n');
}

/** Waits until glewlwyd answers HTTP; fails with its output when it exits first or takes over 15 s. */
async function waitUntilListening(baseUrl: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  for (;;) {
    if (exited) throw new Error(`glewlwyd exited at start: ${output().trim() || 'no output'}`);
    try {
      await fetch(`${baseUrl}/api/auth/scheme/`, { signal: AbortSignal.timeout(1_000) });
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`glewlwyd did not answer at ${baseUrl} within 15 s: ${output().trim()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** The admin API, with the admin's session cookie. */
async function adminApi(baseUrl: string): Promise<(method: string, path: string, body?: unknown) => Promise<void>> {
  const login = await fetch(`${baseUrl}/api/auth/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
  const cookie = login.headers.get('set-cookie')?.split(';')[0];
  if (login.status !== 200 || cookie === undefined) throw new Error(`glewlwyd's admin login answered HTTP ${login.status}`);
  return async (method, path, body) => {
    const response = await fetch(`${baseUrl}/api${path}`, {
      method,
      headers: { 'content-type': 'application/json', cookie },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (response.status !== 200) throw new Error(`glewlwyd's admin API: ${method} /api${path} answered HTTP ${response.status}: ${(await response.text()).slice(0, 300)}`);
  };
}

/** The scopes, the OpenID Connect plugin, the user and the client. */
async function provision(baseUrl: string, options: GlewlwydOptions & { clientId: string; clientSecret: string }): Promise<void> {
  const api = await adminApi(baseUrl);
  const scopes = ['openid', 'profile', 'email', 'offline_access'];
  for (const name of scopes.slice(1)) {
    await api('POST', '/scope/', { name, display_name: name, description: `the ${name} scope`, password_required: true, password_max_age: 0, scheme: {} });
  }
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(jwk);
  await api('POST', '/mod/plugin/', {
    module: 'oidc',
    name: 'oidc',
    display_name: 'OpenID Connect',
    parameters: {
      iss: `${baseUrl}/api/oidc`,
      'jwks-private': JSON.stringify({ keys: [{ ...jwk, kid, alg: 'RS256', use: 'sig' }] }),
      'default-kid': kid,
      'access-token-duration': 3600,
      'refresh-token-duration': 1_209_600,
      'code-duration': 600,
      'refresh-token-rolling': true,
      'allow-non-oidc': false,
      'auth-type-code-enabled': true,
      'auth-type-refresh-enabled': true,
      'auth-type-id-token-enabled': true,
      'auth-type-token-enabled': false,
      'auth-type-none-enabled': false,
      'auth-type-password-enabled': false,
      'auth-type-client-enabled': false,
      'pkce-allowed': true,
      'request-parameter-allow': true,
      'client-jwks-parameter': 'jwks',
      'client-pubkey-parameter': 'pubkey',
      'register-client-allowed': true,
      'register-client-auth-scope': [],
      'register-client-credentials-scope': [],
      'session-management-allowed': true,
      'session-cookie-name': 'GLEWLWYD2_OIDC_SID',
      'session-cookie-expiration': 3600,
      'introspection-revocation-allowed': true,
      'introspection-revocation-allow-target-client': true,
      'allowed-scope': scopes,
      'name-claim': 'on-demand',
      'name-claim-scope': ['profile'],
      'email-claim': 'on-demand',
      'email-claim-scope': ['email'],
      'subject-type': 'public',
      claims: [],
    },
  });
  await api('POST', '/user/', {
    username: options.user.username,
    name: `${options.user.username[0]?.toUpperCase() ?? ''}${options.user.username.slice(1)} Tester`,
    email: `${options.user.username}@example.test`,
    password: options.user.password,
    scope: scopes,
    enabled: true,
  });
  await api('POST', '/client/', {
    client_id: options.clientId,
    name: 'oidc-harness',
    confidential: true,
    client_secret: options.clientSecret,
    enabled: true,
    redirect_uri: [options.redirectUri],
    authorization_type: ['code', 'refresh_token'],
    token_endpoint_auth_method: ['client_secret_basic'],
    scope: scopes,
    post_logout_redirect_uri: options.postLogoutRedirectUri,
  });
}
