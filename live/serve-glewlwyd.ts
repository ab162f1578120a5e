/**
 * Starts glewlwyd from nothing (./glewlwyd-op.ts) for `oidc-harness live`, and writes the live
 * configuration that points at it. The user and the client secret come from the environment, as
 * the live run will read them:
 *
 *   export OIDC_HARNESS_USERNAME=alice OIDC_HARNESS_PASSWORD=... OIDC_HARNESS_CLIENT_SECRET=...
 *   npx tsx live/serve-glewlwyd.ts --rp-port 8400 --config reports/glewlwyd.json
 *
 * It runs until interrupted (Ctrl-C), then stops glewlwyd and removes its folder.
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { startGlewlwyd } from './glewlwyd-op.js';

const { values } = parseArgs({
  options: {
    'rp-port': { type: 'string', default: '8400' },
    port: { type: 'string' },
    config: { type: 'string', default: 'glewlwyd.live.json' },
  },
});
const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined || value === '') {
    console.error(`set ${name} first (OIDC_HARNESS_USERNAME, OIDC_HARNESS_PASSWORD and OIDC_HARNESS_CLIENT_SECRET)`);
    process.exit(2);
  }
  return value;
};
const rp = `http://127.0.0.1:${Number(values['rp-port'])}`;
const op = await startGlewlwyd({
  redirectUri: `${rp}/callback`,
  postLogoutRedirectUri: `${rp}/logged_out`,
  user: { username: env('OIDC_HARNESS_USERNAME'), password: env('OIDC_HARNESS_PASSWORD') },
  clientSecret: env('OIDC_HARNESS_CLIENT_SECRET'),
  ...(values.port === undefined ? {} : { port: Number(values.port) }),
});
await writeFile(values.config, `${JSON.stringify({
  name: 'glewlwyd 2.7 (Debian)',
  issuer: op.issuer,
  client: { client_id: op.client.client_id, client_secret_env: 'OIDC_HARNESS_CLIENT_SECRET', token_endpoint_auth_method: 'client_secret_basic' },
  redirect_uri: `${rp}/callback`,
  post_logout_redirect_uri: `${rp}/logged_out`,
  scope: 'openid profile email',
  login: { preset: 'glewlwyd' },
  timeout_ms: 20_000,
}, null, 2)}\n`);
console.log(`glewlwyd at ${op.issuer}; configuration written to ${values.config}; Ctrl-C stops it`);
const stop = (): void => {
  void op.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
