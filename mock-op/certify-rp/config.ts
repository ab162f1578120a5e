/**
 * The configuration of a `certify-rp` run: which RP, how it is driven and how its outcome is read,
 * how it gets its client, and which plans. Checked against a schema at start, every problem
 * reported at once, each naming its setting.
 *
 * @module
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { formatProblems, validateSettings, type SettingProblem } from '../../src/validation.js';
import { ALL_RESPONSE_TYPES } from '../conformance/catalogue.js';
import type { ResponseType } from '../conformance/conformance-test.js';
import { PROFILE_NAMES } from '../conformance/plans.js';
import { findConformanceTest } from '../conformance/test-ids.js';
import { PLACEHOLDERS, unknownPlaceholders } from './placeholders.js';

const PROFILE = z.enum(Object.values(PROFILE_NAMES) as [string, ...string[]]);
const RESPONSE_TYPE = z.enum(ALL_RESPONSE_TYPES as unknown as [ResponseType, ...ResponseType[]]);
const ARGV = z.array(z.string().min(1)).min(1, 'an argv needs at least the program');
const MILLISECONDS = z.number().int().positive().max(600_000);
const AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'client_secret_jwt', 'private_key_jwt', 'none'] as const;

/** Client metadata the harness registers for the RP at each test's issuer (RFC 7591, OIDC Registration). */
const CLIENT_METADATA = z.looseObject({
  redirect_uris: z.array(z.string().min(1)).min(1, 'at least one redirect URI'),
  token_endpoint_auth_method: z.enum(AUTH_METHODS).optional(),
  response_types: z.array(z.string()).optional(),
  grant_types: z.array(z.string()).optional(),
  jwks_uri: z.string().optional(),
  jwks: z.object({ keys: z.array(z.record(z.string(), z.unknown())) }).optional(),
  post_logout_redirect_uris: z.array(z.string()).optional(),
  backchannel_logout_uri: z.string().optional(),
  frontchannel_logout_uri: z.string().optional(),
  initiate_login_uri: z.string().optional(),
  client_secret: z.never({ error: 'the harness makes the client secret; do not configure one' }).optional(),
  client_id: z.never({ error: 'the harness makes the client_id; do not configure one' }).optional(),
});

const BROWSER = z.strictObject({
  /** Where Chromium starts the login (placeholders substituted, URL-encoded in the query). */
  start_url: z.string().min(1),
  /** A Playwright selector found on the RP's page once the user is logged in. */
  logged_in: z.string().min(1),
  /** How long a login may take in the browser. */
  timeout_ms: MILLISECONDS.default(15_000),
  /** How long the page must stay quiet (no request, no navigation) before its end is read. */
  settle_ms: MILLISECONDS.default(750),
  /** A selector on the RP's error page: a refusal is read at once, without waiting for the page to settle. */
  refused: z.string().min(1).optional(),
  /** Where the RP starts an RP-initiated logout (for the RP-initiated logout tests). */
  logout_url: z.string().min(1).optional(),
  /** A selector found on the RP's page once it accepted the redirect back after logout. */
  logged_out: z.string().min(1).optional(),
});

const RP = z
  .strictObject({
    /** An argv run once per test: exit 0 means the RP logged the user in. */
    command: ARGV.optional(),
    /** The RP driven in Chromium. */
    browser: BROWSER.optional(),
    /** How long a command may run. */
    timeout_ms: MILLISECONDS.default(30_000),
    /** An argv that starts the RP for one test; the harness stops its process group afterwards. */
    start: ARGV.optional(),
    /** Polled until it answers, after `start`. */
    ready_url: z.string().min(1).optional(),
    /** How long the RP may take to answer at `ready_url`. */
    ready_timeout_ms: MILLISECONDS.default(20_000),
    /** More environment variables for the RP's processes (no secrets: the file is not secret). */
    env: z.record(z.string(), z.string()).optional(),
  })
  // How its parts go together is checked on the input as it is (see semanticProblems), so that it
  // is reported with the problems of the parts themselves.


/** The schema of a certify-rp configuration file. */
export const CERTIFY_RP_CONFIG = z.strictObject({
  /** The RP's name, for reports. */
  name: z.string().min(1),
  /** The plans' profiles. */
  profiles: z.array(PROFILE).min(1).default(['basic']),
  /** Only these response types (those the RP offers). */
  response_types: z.array(RESPONSE_TYPE).min(1).optional(),
  /** Only these tests (either id form). */
  tests: z.array(z.string().min(1)).min(1).optional(),
  /** `dynamic` (the RP registers itself), or client metadata the harness registers for it. */
  registration: z.union([z.literal('dynamic'), CLIENT_METADATA], {
    error: 'must be "dynamic" (the RP registers itself) or client metadata with redirect_uris, which the harness registers for the RP',
  }),
  /** How the RP is driven and its outcome read. */
  rp: RP,
  /** Serve the OP over https with a certificate authority made for the run. */
  tls: z.boolean().default(false),
  /** The base URL the RP reaches the OP at, when it is not the address listened on (a proxy, a container). */
  public_base_url: z.url().optional(),
  /** The interface the OP listens on. */
  host: z.string().min(1).default('127.0.0.1'),
  /** The OP's port (default: a free one). */
  port: z.number().int().min(0).max(65535).default(0),
  /**
   * How many tests run at once (default 1). Each test has its own issuer, client and `{port}`, so
   * an RP that keeps nothing else fixed (a port of its own, a file) can run several at once.
   */
  jobs: z.number().int().min(1).max(8).default(1),
});

/** A checked certify-rp configuration. */
export type CertifyRpConfig = z.output<typeof CERTIFY_RP_CONFIG>;

/** A configuration that cannot be used: every problem, each naming its setting. */
export class CertifyRpConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly SettingProblem[],
  ) {
    super(`${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'} with the configuration:\n${formatProblems(problems)}`);
  }
}

/** Every string in a JSON value, with the path to it. */
function* strings(value: unknown, path: string): Generator<[string, string]> {
  if (typeof value === 'string') yield [path, value];
  else if (Array.isArray(value)) for (const [i, v] of value.entries()) yield* strings(v, `${path}[${i}]`);
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) yield* strings(v, path === '' ? k : `${path}.${k}`);
}

/**
 * The problems a schema cannot see: unknown placeholders, unknown test ids; read off the input as
 * it is, so that they are reported with the schema's.
 */
function semanticProblems(input: unknown): SettingProblem[] {
  if (input === null || typeof input !== 'object') return [];
  const { rp, registration, tests } = input as Record<string, unknown>;
  const problems: SettingProblem[] = [];
  if (rp !== null && typeof rp === 'object') {
    const has = (key: string): boolean => (rp as Record<string, unknown>)[key] !== undefined;
    if (has('command') === has('browser')) problems.push({ setting: 'rp', message: 'give exactly one of rp.command (an argv) or rp.browser (start_url, logged_in)' });
    if (has('start') && !has('ready_url')) problems.push({ setting: 'rp.ready_url', message: 'rp.start needs rp.ready_url, polled until the RP answers' });
    if (has('ready_url') && !has('start')) problems.push({ setting: 'rp.ready_url', message: 'rp.ready_url is polled after rp.start, which is missing' });
  }
  for (const [setting, text] of [...strings(rp, 'rp'), ...strings(registration, 'registration')]) {
    const unknown = unknownPlaceholders(text);
    if (unknown.length > 0) problems.push({ setting, message: `unknown placeholder ${unknown.map((n) => `{${n}}`).join(', ')}; the placeholders are ${Object.keys(PLACEHOLDERS).map((n) => `{${n}}`).join(', ')}` });
  }
  for (const [i, id] of (Array.isArray(tests) ? tests : []).entries()) {
    if (typeof id === 'string' && findConformanceTest(id) === undefined) problems.push({ setting: `tests[${i}]`, message: `no test has the id ${JSON.stringify(id)}` });
  }
  return problems;
}

/** Checks a parsed configuration; throws {@link CertifyRpConfigError} with every problem. */
export function checkCertifyRpConfig(input: unknown, file = 'the configuration'): CertifyRpConfig {
  const result = validateSettings(CERTIFY_RP_CONFIG, input);
  let problems = [...(result.ok ? [] : result.problems), ...semanticProblems(input)];
  // Client metadata that does not fit says what is wrong with it rather than with the union.
  const registration = (input as { registration?: unknown } | null)?.registration;
  if (registration !== null && typeof registration === 'object') {
    const metadata = validateSettings(CLIENT_METADATA, registration, 'registration');
    if (!metadata.ok) problems = [...problems.filter((p) => p.setting !== 'registration'), ...metadata.problems];
  }
  if (!result.ok || problems.length > 0) throw new CertifyRpConfigError(file, problems);
  return result.value;
}

/** Reads and checks a configuration file; throws {@link CertifyRpConfigError} (unreadable, not JSON, or wrong). */
export async function loadCertifyRpConfig(file: string): Promise<CertifyRpConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new CertifyRpConfigError(file, [{ setting: '(file)', message: `cannot be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}` }]);
  }
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (error) {
    throw new CertifyRpConfigError(file, [{ setting: '(file)', message: `is not JSON: ${(error as Error).message}` }]);
  }
  return checkCertifyRpConfig(input, file);
}
