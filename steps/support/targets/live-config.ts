import { readFile } from 'node:fs/promises';

/** How the harness logs in at a live provider's pages. */
export interface LiveLogin {
  /** `oidc-provider`, `keycloak`, or `generic` (driven by `selectors`). */
  recipe: string;
  /** CSS selectors for the generic recipe. */
  selectors?: { username: string; password: string; submit: string; consent?: string };
  /** The environment variable holding the user name. */
  username_env: string;
  /** The environment variable holding the password. */
  password_env: string;
}

/**
 * A live provider to run the harness against. Secrets are never in the file: the client secret
 * and the user's password come from the environment variables the file names.
 */
export interface LiveConfig {
  /** A name for reports. */
  name: string;
  /** The issuer; or `webfinger`, a user identifier to find it with. */
  issuer?: string;
  webfinger?: string;
  /** A statically registered client; omitted for dynamic registration. */
  client?: { client_id: string; client_secret_env?: string; token_endpoint_auth_method?: string };
  /** The redirect URI registered for the client: a loopback URL the harness listens on. */
  redirect_uri: string;
  /** The post-logout redirect URI registered for the client, if any. */
  post_logout_redirect_uri?: string;
  /** The scope to ask for. Default `openid profile email`. */
  scope?: string;
  login: LiveLogin;
  /** Milliseconds a login may take. Default 30,000. */
  timeout_ms?: number;
}

/** A loaded configuration with the secrets read from the environment. */
export interface ResolvedLiveConfig extends LiveConfig {
  clientSecret: string | undefined;
  username: string;
  password: string;
}

const FORBIDDEN = ['password', 'client_secret', 'secret', 'username'];

/** A configuration error that names the setting. */
export class LiveConfigError extends Error {}

function requireString(value: unknown, setting: string): string {
  if (typeof value !== 'string' || value.length === 0) throw new LiveConfigError(`the live configuration needs ${setting}`);
  return value;
}

function fromEnv(name: string, setting: string, env: NodeJS.ProcessEnv): string {
  const value = env[name];
  if (!value) throw new LiveConfigError(`${setting} names the environment variable ${name}, which is not set`);
  return value;
}

/**
 * Reads and checks a live configuration, and the secrets it names from the environment.
 * @throws {LiveConfigError} naming the setting at fault; never quoting a secret.
 */
export async function loadLiveConfig(path: string, env: NodeJS.ProcessEnv = process.env): Promise<ResolvedLiveConfig> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (cause) {
    throw new LiveConfigError(`cannot read the live configuration ${path}: ${(cause as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object') throw new LiveConfigError(`${path} is not a JSON object`);
  const config = parsed as LiveConfig;
  const secretsInFile = (obj: unknown, where: string): string[] =>
    obj !== null && typeof obj === 'object'
      ? Object.entries(obj).flatMap(([key, value]) => (FORBIDDEN.includes(key) ? [`${where}${key}`] : secretsInFile(value, `${where}${key}.`)))
      : [];
  const leaked = secretsInFile(config, '');
  if (leaked.length > 0) throw new LiveConfigError(`secrets do not belong in the file (${leaked.join(', ')}): name environment variables instead (client.client_secret_env, login.username_env, login.password_env)`);
  if (!config.issuer && !config.webfinger) throw new LiveConfigError('the live configuration needs issuer or webfinger');
  const redirect = new URL(requireString(config.redirect_uri, 'redirect_uri'));
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(redirect.hostname) || redirect.protocol !== 'http:') {
    throw new LiveConfigError('redirect_uri must be an http loopback URL (http://127.0.0.1:PORT/...), where the harness listens');
  }
  const login = config.login;
  if (!login || typeof login !== 'object') throw new LiveConfigError('the live configuration needs login');
  requireString(login.recipe, 'login.recipe');
  if (login.recipe === 'generic' && !login.selectors) throw new LiveConfigError('login.recipe "generic" needs login.selectors');
  const username = fromEnv(requireString(login.username_env, 'login.username_env'), 'login.username_env', env);
  const password = fromEnv(requireString(login.password_env, 'login.password_env'), 'login.password_env', env);
  const clientSecret = config.client?.client_secret_env ? fromEnv(config.client.client_secret_env, 'client.client_secret_env', env) : undefined;
  if (config.client) requireString(config.client.client_id, 'client.client_id');
  return { ...config, name: config.name ?? config.issuer ?? config.webfinger ?? 'live provider', clientSecret, username, password };
}
