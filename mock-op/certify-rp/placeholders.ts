/**
 * The placeholders of a certify-rp configuration: `{issuer}`, `{client_id}`... in the RP's argv,
 * its URLs and the registration metadata, substituted per test, and the same values in the RP's
 * environment (`OIDC_ISSUER`, `OIDC_CLIENT_ID`...).
 *
 * @module
 */

/** Every placeholder, with its environment variable and what it holds. */
export const PLACEHOLDERS = {
  issuer: { env: 'OIDC_ISSUER', says: "the test's issuer (<base>/<rp_id>/<test_id>)" },
  test_id: { env: 'OIDC_TEST_ID', says: 'the test id (oidcc-client-test-..., or the older rp-... id)' },
  response_type: { env: 'OIDC_RESPONSE_TYPE', says: "the plan's response type" },
  response_mode: { env: 'OIDC_RESPONSE_MODE', says: 'form_post in the Form Post plan, else empty' },
  client_id: { env: 'OIDC_CLIENT_ID', says: 'the client the harness registered (empty under dynamic registration)' },
  client_secret: { env: 'OIDC_CLIENT_SECRET', says: "that client's secret (empty under dynamic registration)" },
  redirect_uri: { env: 'OIDC_REDIRECT_URI', says: 'the first registered redirect URI' },
  ca_file: { env: 'OIDC_CA_FILE', says: "with --tls, the PEM file of the run's certificate authority, else empty" },
  webfinger: { env: 'OIDC_WEBFINGER', says: 'in a WebFinger test, the identifier to start from (acct: or URL), else empty' },
  logins: { env: 'OIDC_LOGINS', says: 'how many logins the test needs in one run (2 in key rotation tests, else 1)' },
  task: { env: 'OIDC_TASK', says: 'what the test has the RP do: login, login-twice, refresh, rp-logout, ...' },
  port: { env: 'OIDC_RP_PORT', says: 'a free loopback port picked for this test, for an RP that listens' },
} as const;

/** The name of a placeholder. */
export type PlaceholderName = keyof typeof PLACEHOLDERS;

/** The values of every placeholder for one test. */
export type PlaceholderValues = Readonly<Record<PlaceholderName, string>>;

const PATTERN = /\{([A-Za-z_]+)\}/g;

/** The placeholders a template names that do not exist (`{isuer}`). */
export function unknownPlaceholders(template: string): string[] {
  return [...template.matchAll(PATTERN)].map((m) => m[1]!).filter((name) => !Object.hasOwn(PLACEHOLDERS, name));
}

/** `template` with every placeholder replaced by its value; URL-encoded when `encode` (in a URL). */
export function substitute(template: string, values: PlaceholderValues, encode = false): string {
  return template.replace(PATTERN, (whole, name: string) => {
    if (!Object.hasOwn(values, name)) return whole;
    const value = values[name as PlaceholderName];
    return encode ? encodeURIComponent(value) : value;
  });
}

/**
 * `template` with the placeholders replaced in a URL: those in the query or the fragment
 * URL-encoded, those before them as they are (a port, a path).
 */
export function substituteUrl(template: string, values: PlaceholderValues): string {
  const cut = template.search(/[?#]/);
  if (cut < 0) return substitute(template, values);
  return substitute(template.slice(0, cut), values) + substitute(template.slice(cut), values, true);
}

/** Every string inside a JSON value with its placeholders replaced. */
export function substituteDeep<T>(value: T, values: PlaceholderValues): T {
  if (typeof value === 'string') return substitute(value, values) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => substituteDeep(v, values)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteDeep(v, values)])) as T;
  }
  return value;
}

/** The environment variables of the placeholders. */
export function placeholderEnvironment(values: PlaceholderValues): Record<string, string> {
  return Object.fromEntries((Object.keys(PLACEHOLDERS) as PlaceholderName[]).map((name) => [PLACEHOLDERS[name].env, values[name]]));
}
