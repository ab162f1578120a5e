/**
 * A live provider's configuration: what `oidc-harness live --config FILE` reads. It is checked at
 * start against a schema (zod, through `src/validation.ts`), and every problem is reported at
 * once, each naming its setting: unknown keys, wrong types, unknown presets, an http issuer off
 * loopback without `allow_http`, a redirect URI the harness cannot listen on, environment
 * variables that are not set. Secrets are never in the file: it names the environment variables
 * that hold them (the client secret, and every value a login step types).
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { formatProblems, validateSettings, type SettingProblem } from '../../../src/validation.js';
import { LOGIN_PRESET_NAMES, presetSteps, type LoginPresetName } from '../../../live/login-presets.js';
import type { LoginStep } from '../../../live/login-steps.js';

/** The environment variables a preset reads when the configuration names none. */
export const DEFAULT_USERNAME_ENV = 'OIDC_HARNESS_USERNAME';
/** The environment variable a preset reads the password from when the configuration names none. */
export const DEFAULT_PASSWORD_ENV = 'OIDC_HARNESS_PASSWORD';

/**
 * The client authentication methods the harness can use with a client registered beforehand. Not
 * private_key_jwt: the harness's keys are made afresh for every run, so no provider can know them
 * beforehand (a dynamically registered client sends them inline).
 */
export const CLIENT_AUTH_METHODS = ['client_secret_basic', 'client_secret_post'] as const;

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const envName = z.string().regex(ENV_NAME, 'expected the name of an environment variable (letters, digits, _)');
const selector = z.string().min(1, 'expected a selector');

/** One login or logout step: exactly one action, and `env` with `fill` only. */
const stepSchema = z.strictObject({
  fill: selector.optional(),
  env: envName.optional(),
  secret: z.boolean().optional(),
  click: selector.optional(),
  check: selector.optional(),
  wait_for: selector.optional(),
  wait_for_url: z.string().min(1, 'expected a URL glob').optional(),
  optional: z.boolean().optional(),
});

const loginSchema = z.strictObject({
  preset: z.enum(LOGIN_PRESET_NAMES, { error: () => `expected one of the presets ${LOGIN_PRESET_NAMES.join(', ')}` }).optional(),
  username_env: envName.optional(),
  password_env: envName.optional(),
  steps: z.array(stepSchema).min(1, 'expected at least one step').optional(),
});

/** The shape of a live configuration file. */
export const LiveConfigSchema = z.strictObject({
  name: z.string().min(1, 'expected a name for the reports'),
  issuer: z.string().optional(),
  webfinger: z.string().min(1).optional(),
  allow_http: z.boolean().optional(),
  client: z.strictObject({
    client_id: z.string().min(1),
    client_secret_env: envName.optional(),
    token_endpoint_auth_method: z.enum(CLIENT_AUTH_METHODS, { error: () => `expected ${CLIENT_AUTH_METHODS.join(' or ')} (private_key_jwt only with dynamic registration: the harness makes new keys for every run)` }).optional(),
  }).optional(),
  redirect_uri: z.string(),
  post_logout_redirect_uri: z.string().optional(),
  scope: z.string().min(1).optional(),
  login: loginSchema,
  logout: z.strictObject({ steps: z.array(stepSchema) }).optional(),
  timeout_ms: z.int().positive().max(600_000).optional(),
});

/** A live configuration file as written. */
export type LiveConfigFile = z.output<typeof LiveConfigSchema>;

/** A client registered beforehand, with its secret read from the environment. */
export interface ConfiguredClient {
  client_id: string;
  client_secret?: string;
  /** private_key_jwt only for the local provider, which the test run starts with the RP's keys. */
  token_endpoint_auth_method: (typeof CLIENT_AUTH_METHODS)[number] | 'private_key_jwt';
}

/** A checked configuration, with the values it names read from the environment. */
export interface ResolvedLiveConfig {
  /** The provider's name, for reports. */
  name: string;
  /** The name as a folder name: `reports/live/<slug>/`. */
  slug: string;
  issuer?: string;
  /** A user identifier to find the issuer with (WebFinger). */
  webfinger?: string;
  /** Whether http (not https) is in order for the provider's URLs. */
  allowHttp: boolean;
  client?: ConfiguredClient;
  redirectUri: string;
  postLogoutRedirectUri?: string;
  scope: string;
  login: LoginStep[];
  logout: LoginStep[];
  /** The values the steps type, by environment variable name (secrets: never show them). */
  values: Map<string, string>;
  /** Every secret the configuration brought (client secret, typed values). */
  secrets: string[];
  timeoutMs: number;
}

/** A configuration that cannot be used: every problem, each naming its setting. Never quotes a secret. */
export class LiveConfigError extends Error {
  /** The problems, in the order found. */
  readonly problems: readonly SettingProblem[];

  constructor(path: string, problems: readonly SettingProblem[]) {
    super(`the live configuration ${path} cannot be used (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${formatProblems(problems)}`);
    this.name = 'LiveConfigError';
    this.problems = problems;
  }
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
/** Keys that would hold a secret in the file itself. */
const SECRET_KEYS = new Set(['password', 'client_secret', 'secret', 'username', 'value', 'token']);

/** Whether a URL's host is the loopback interface. */
export function isLoopback(url: URL): boolean {
  return LOOPBACK_HOSTS.has(url.hostname);
}

/** The folder name for a provider's reports: lower case, `-` between words. */
export function slugOf(name: string): string {
  const slug = name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60).replace(/-+$/, '');
  return slug === '' ? 'provider' : slug;
}

function get(input: unknown, ...path: string[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** The checks that involve several settings or what a value means, on the file as written. */
function meaningProblems(input: unknown): SettingProblem[] {
  const problems: SettingProblem[] = [];
  const issuer = get(input, 'issuer');
  const webfinger = get(input, 'webfinger');
  const allowHttp = get(input, 'allow_http') === true;
  if (issuer === undefined && webfinger === undefined) problems.push({ setting: 'issuer', message: 'missing: give the issuer, or webfinger with a user identifier to find it' });
  if (issuer !== undefined && webfinger !== undefined) problems.push({ setting: 'webfinger', message: 'give issuer or webfinger, not both' });
  const checkProviderUrl = (value: unknown, setting: string): void => {
    if (typeof value !== 'string') return;
    if (!URL.canParse(value)) {
      if (setting === 'issuer') problems.push({ setting, message: 'expected an absolute URL' });
      return;
    }
    const url = new URL(value);
    if (url.protocol === 'https:') return;
    if (url.protocol !== 'http:') {
      if (setting === 'issuer') problems.push({ setting, message: `expected an https URL, got ${url.protocol}` });
      return;
    }
    if (!isLoopback(url) && !allowHttp) problems.push({ setting, message: 'an http URL off loopback: use https, or set allow_http: true to accept it' });
  };
  checkProviderUrl(issuer, 'issuer');
  if (typeof webfinger === 'string' && /^https?:/i.test(webfinger)) checkProviderUrl(webfinger, 'webfinger');

  const redirect = listenerUrl(get(input, 'redirect_uri'), 'redirect_uri', problems);
  const postLogout = listenerUrl(get(input, 'post_logout_redirect_uri'), 'post_logout_redirect_uri', problems);
  if (redirect && postLogout && redirect.origin !== postLogout.origin) {
    problems.push({ setting: 'post_logout_redirect_uri', message: `must be on the redirect URI's origin ${redirect.origin}, where the harness listens` });
  }

  const client = get(input, 'client');
  const method = get(input, 'client', 'token_endpoint_auth_method') ?? 'client_secret_basic';
  if (client !== undefined && typeof method === 'string' && (CLIENT_AUTH_METHODS as readonly string[]).includes(method) && get(input, 'client', 'client_secret_env') === undefined) {
    problems.push({ setting: 'client.client_secret_env', message: `missing: ${String(method)} needs the environment variable that holds the client secret` });
  }

  const login = get(input, 'login');
  if (login !== null && typeof login === 'object') {
    const hasPreset = get(login, 'preset') !== undefined;
    const hasSteps = get(login, 'steps') !== undefined;
    if (hasPreset === hasSteps) problems.push({ setting: 'login', message: `give preset (${LOGIN_PRESET_NAMES.join(', ')}) or steps, ${hasPreset ? 'not both' : 'one of them'}` });
    for (const key of ['username_env', 'password_env']) {
      if (!hasPreset && get(login, key) !== undefined) problems.push({ setting: `login.${key}`, message: 'only with a preset: steps name their environment variables in "env"' });
    }
  }
  for (const where of ['login', 'logout']) {
    const steps = get(input, where, 'steps');
    if (!Array.isArray(steps)) continue;
    steps.forEach((step: unknown, index) => {
      if (step === null || typeof step !== 'object') return;
      const actions = ['fill', 'click', 'check', 'wait_for', 'wait_for_url'].filter((a) => Object.hasOwn(step, a));
      const setting = `${where}.steps[${index}]`;
      if (actions.length !== 1) problems.push({ setting, message: `a step does exactly one of fill, click, check, wait_for, wait_for_url${actions.length > 1 ? ` (this one: ${actions.join(', ')})` : ''}` });
      if (actions.includes('fill') && !Object.hasOwn(step, 'env')) problems.push({ setting: `${setting}.env`, message: 'missing: a fill step types the value of an environment variable' });
      if (!actions.includes('fill')) {
        for (const key of ['env', 'secret']) if (Object.hasOwn(step, key)) problems.push({ setting: `${setting}.${key}`, message: 'only with fill' });
      }
    });
  }
  return problems;
}

/** Checks a URL the harness listens on: http on loopback, with a path. */
function listenerUrl(value: unknown, setting: string, problems: SettingProblem[]): URL | undefined {
  if (typeof value !== 'string') return undefined;
  if (!URL.canParse(value)) {
    problems.push({ setting, message: 'expected an absolute URL' });
    return undefined;
  }
  const url = new URL(value);
  if (url.protocol !== 'http:' || !isLoopback(url)) {
    problems.push({ setting, message: 'must be an http loopback URL (http://127.0.0.1:PORT/...), where the harness listens' });
    return undefined;
  }
  return url;
}

/** Rewrites a zod problem about a key that would hold a secret, so it says what to do instead. */
function explainSecretKey(problem: SettingProblem): SettingProblem {
  const key = problem.setting.split(/[.[\]]/).filter(Boolean).at(-1) ?? '';
  if (problem.message !== 'unknown setting' || !SECRET_KEYS.has(key)) return problem;
  return { setting: problem.setting, message: 'a secret does not belong in the file: name the environment variable that holds it (client.client_secret_env, login.username_env, login.password_env, or a fill step\'s env)' };
}

/**
 * Checks a parsed configuration file and reads the values it names from `env`.
 * @returns the resolved configuration, or every problem found.
 */
export function checkLiveConfig(input: unknown, env: NodeJS.ProcessEnv = process.env): { ok: true; config: ResolvedLiveConfig } | { ok: false; problems: SettingProblem[] } {
  const parsed = validateSettings(LiveConfigSchema, input);
  const problems = [...(parsed.ok ? [] : parsed.problems.map(explainSecretKey)), ...meaningProblems(input)];
  const seen = new Set<string>();
  const unique = problems.filter((p) => {
    const key = `${p.setting} ${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  if (!parsed.ok || unique.length > 0) return { ok: false, problems: unique };
  const file = parsed.value;

  const { login, logout } = stepsOf(file);
  const values = new Map<string, string>();
  const missing: SettingProblem[] = [];
  const read = (name: string, setting: string): string | undefined => {
    const value = env[name];
    if (value === undefined || value === '') {
      missing.push({ setting, message: `the environment variable ${name} is not set` });
      return undefined;
    }
    return value;
  };
  const clientSecret = file.client?.client_secret_env === undefined ? undefined : read(file.client.client_secret_env, 'client.client_secret_env');
  for (const [index, step] of [...login, ...logout].entries()) {
    if (!('fill' in step) || values.has(step.env)) continue;
    const setting = file.login.preset !== undefined
      ? `login.${step.secret === true ? 'password_env' : 'username_env'}${(step.secret === true ? file.login.password_env : file.login.username_env) === undefined ? ` (default ${step.env})` : ''}`
      : index < login.length ? `login.steps[${index}].env` : `logout.steps[${index - login.length}].env`;
    const value = read(step.env, setting);
    if (value !== undefined) values.set(step.env, value);
  }
  if (missing.length > 0) return { ok: false, problems: missing };

  const method = file.client?.token_endpoint_auth_method ?? 'client_secret_basic';
  return {
    ok: true,
    config: {
      name: file.name,
      slug: slugOf(file.name),
      ...(file.issuer === undefined ? {} : { issuer: file.issuer }),
      ...(file.webfinger === undefined ? {} : { webfinger: file.webfinger }),
      allowHttp: file.allow_http === true || isHttpLoopback(file.issuer ?? file.webfinger),
      ...(file.client === undefined ? {} : { client: { client_id: file.client.client_id, ...(clientSecret === undefined ? {} : { client_secret: clientSecret }), token_endpoint_auth_method: method } }),
      redirectUri: file.redirect_uri,
      ...(file.post_logout_redirect_uri === undefined ? {} : { postLogoutRedirectUri: file.post_logout_redirect_uri }),
      scope: file.scope ?? 'openid profile email',
      login,
      logout,
      values,
      secrets: [...(clientSecret === undefined ? [] : [clientSecret]), ...values.values()],
      timeoutMs: file.timeout_ms ?? 30_000,
    },
  };
}

function isHttpLoopback(url: string | undefined): boolean {
  return url !== undefined && URL.canParse(url) && new URL(url).protocol === 'http:' && isLoopback(new URL(url));
}

/** The login and logout steps of a checked file: its own, or its preset's. */
function stepsOf(file: LiveConfigFile): { login: LoginStep[]; logout: LoginStep[] } {
  const preset = file.login.preset as LoginPresetName | undefined;
  const fromPreset = preset === undefined
    ? { login: [], logout: [] }
    : presetSteps(preset, file.login.username_env ?? DEFAULT_USERNAME_ENV, file.login.password_env ?? DEFAULT_PASSWORD_ENV);
  const own = (steps: LiveConfigFile['login']['steps']): LoginStep[] => (steps ?? []).map(toStep);
  return {
    login: preset === undefined ? own(file.login.steps) : fromPreset.login,
    logout: file.logout !== undefined ? own(file.logout.steps) : fromPreset.logout,
  };
}

/** A checked step object as the step runner takes it. */
function toStep(step: z.output<typeof stepSchema>): LoginStep {
  const optional = step.optional === undefined ? {} : { optional: step.optional };
  if (step.fill !== undefined) return { fill: step.fill, env: step.env ?? '', ...(step.secret === undefined ? {} : { secret: step.secret }), ...optional };
  if (step.click !== undefined) return { click: step.click, ...optional };
  if (step.check !== undefined) return { check: step.check, ...optional };
  if (step.wait_for !== undefined) return { wait_for: step.wait_for, ...optional };
  return { wait_for_url: step.wait_for_url ?? '', ...optional };
}

/**
 * Reads, checks and resolves a live configuration file.
 * @throws {LiveConfigError} with every problem, each naming its setting; never quoting a secret.
 */
export async function loadLiveConfig(path: string, env: NodeJS.ProcessEnv = process.env): Promise<ResolvedLiveConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new LiveConfigError(path, [{ setting: '(file)', message: `cannot be read: ${(cause as NodeJS.ErrnoException).code ?? 'error'}` }]);
  }
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch {
    // JSON.parse quotes the text around the mistake, which may hold a secret: say only where it is.
    throw new LiveConfigError(path, [{ setting: '(file)', message: 'is not valid JSON' }]);
  }
  const checked = checkLiveConfig(input, env);
  if (!checked.ok) throw new LiveConfigError(path, checked.problems);
  return checked.config;
}
